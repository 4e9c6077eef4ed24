#!/usr/bin/env bash
# Comet cluster actions: start and stop of a 20-VM cluster on the libvirt test driver with one
# cluster action (the VMs are handled concurrently) vs. the same per-VM actions one by one
# (sequential requests over one keep-alive connection). `stop` shuts each VM down and
# releases it from the host; `start` defines it again and powers it on.
# Target: the cluster actions >= 3x faster than one by one. BACKEND_URI=qemu:///system runs the
# same against real QEMU (pool POOL, base image BASE; the VMs are deleted at the end).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
PORT="${PORT:-18085}"
ROUNDS="${ROUNDS:-5}"
VMS="${VMS:-20}"

BACKEND_URI="${BACKEND_URI:-test:///default}"
bench_prepare
if [[ "$BACKEND_URI" == test:* ]]; then
    POOL=default-pool; BASE=base.qcow2; MEMORY=128
    SEED="seedVolumes: [{pool: default-pool, name: base.qcow2, capacityMiB: 64}]"
else
    # Real QEMU (e.g. BACKEND_URI=qemu:///system): an existing pool and base image, small VMs.
    POOL="${POOL:-vmgate}"; BASE="${BASE:-base.qcow2}"; MEMORY=64; SEED=""
fi
cat >"$BENCH_WORK/config.yaml" <<YAML
store: {path: $BENCH_WORK/store.sqlite}
backends:
  - name: local
    uri: "$BACKEND_URI"
    threads: ${THREADS:-16}   # blocking libvirt calls in flight at once: the bound on a cluster action's concurrency
    defaultPool: $POOL
    $SEED
templates:
  - {name: demo, vcpus: 1, memoryMiB: $MEMORY, disks: [{pool: $POOL, volume: $BASE}]}
dialects:
  - {name: comet}
logLevel: warning
YAML
bench_start "$PORT" "$BENCH_WORK/config.yaml"
base="http://127.0.0.1:$PORT/comet"
finish() { curl -fsS -o /dev/null -X DELETE "$base/cluster/bench?force=true" 2>/dev/null || true; bench_cleanup; }
trap finish EXIT
curl -fsS -o /dev/null -X POST "$base/cluster" -d "{\"name\":\"bench\",\"template\":\"demo\",\"size\":$VMS}"
mapfile -t names < <(curl -fsS "$base/cluster/bench/vms" | jq -r '.[].name')
[ "${#names[@]}" -eq "$VMS" ] || { echo "expected $VMS VMs, got ${#names[@]}"; exit 1; }

now() { date +%s.%N; }
# one_by_one ACTION: the per-VM action for every VM, sequentially on one connection.
one_by_one() {
    local urls=()
    for name in "${names[@]}"; do urls+=("$base/cluster/bench/vms/$name/$1"); done
    curl -fsS -X POST -H 'Content-Type: application/json' -d '{"timeout":0}' "${urls[@]}" >/dev/null
}
cluster() { curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' -d '{"timeout":0}' "$base/cluster/bench/$1"; }
check() {
    local state
    state=$(curl -fsS "$base/cluster/bench" | jq -r '.state')
    [ "$state" = "$1" ] || { echo "cluster is $state, expected $1"; exit 1; }
}

sequential=(); concurrent=()
for round in $(seq 1 "$ROUNDS"); do
    t0=$(now); one_by_one start; check running; one_by_one stop; check shutoff; t1=$(now)
    cluster start; check running; cluster stop; check shutoff; t2=$(now)
    sequential+=("$(echo "$t1 - $t0" | bc -l)")
    concurrent+=("$(echo "$t2 - $t1" | bc -l)")
    printf 'round %d: one by one %.3fs, cluster actions %.3fs\n' "$round" "${sequential[-1]}" "${concurrent[-1]}"
done
seq_median=$(bench_median "${sequential[@]}")
con_median=$(bench_median "${concurrent[@]}")
ratio=$(echo "$seq_median / $con_median" | bc -l)
printf 'median start+stop of %d VMs: one by one %.3fs, cluster actions %.3fs, speed-up %.2fx (target >= 3x)\n' \
    "$VMS" "$seq_median" "$con_median" "$ratio"
