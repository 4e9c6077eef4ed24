#!/usr/bin/env bash
# vmpooler dialect:
#  1. checkout latency (POST /vmpooler/vm/<pool>) at 32 concurrent clients from a filled pool on
#     the libvirt test driver, p50/p99 (target p99 < 10 ms);
#  2. clone-to-ready time per VM on real QEMU (set VMGATE_QEMU_URI; target < 500 ms), from the
#     clone and boot durations vmpooler records (GET /vmpooler/summary).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
PORT="${PORT:-18087}"
CLIENTS="${CLIENTS:-32}"
POOL_SIZE="${POOL_SIZE:-600}"

bench_prepare
cat >"$BENCH_WORK/config.yaml" <<YAML
store: {path: $BENCH_WORK/store.sqlite}
backends:
  - name: local
    uri: test:///default
    defaultPool: default-pool
    network: default
    seedVolumes: [{pool: default-pool, name: base.qcow2, capacityMiB: 64}]
templates:
  - {name: demo, vcpus: 1, memoryMiB: 128, disks: [{pool: default-pool, volume: base.qcow2}]}
groups:
  - {name: bench, backends: [local], template: demo, size: $POOL_SIZE, options: {vmpooler: "true"}}
dialects:
  - {name: vmpooler, options: {loopInterval: "0.5", domain: bench.local}}
logLevel: warning
YAML
bench_start "$PORT" "$BENCH_WORK/config.yaml"
base="http://127.0.0.1:$PORT/vmpooler"
echo "filling a pool of $POOL_SIZE on the test driver ..."
for _ in $(seq 1 600); do
    ready=$(curl -fsS "$base/status" | jq '.queue.ready')
    [ "$ready" -ge "$POOL_SIZE" ] && break
    sleep 0.5
done
echo "ready: $ready"
cat >"$BENCH_WORK/checkout.lua" <<LUA
-- POST /vm/bench until this thread has made its share of the pool's checkouts.
wrk.method = "POST"
local share = math.floor($POOL_SIZE * 0.9 / 2)
local done, ok = 0, 0
function response(status, headers, body)
    done = done + 1
    if status == 200 then ok = ok + 1 end
    if done >= share then wrk.thread:stop() end
end
function done_report() end
LUA
wrk -t2 -c"$CLIENTS" -d60s --latency -s "$BENCH_WORK/checkout.lua" "$base/vm/bench" >"$BENCH_WORK/wrk.txt"
p50=$(awk '/^ +50%/ {print $2}' "$BENCH_WORK/wrk.txt"); p99=$(awk '/^ +99%/ {print $2}' "$BENCH_WORK/wrk.txt")
non2xx=$(awk '/Non-2xx/ {print $NF}' "$BENCH_WORK/wrk.txt")
running=$(curl -fsS "$base/status" | jq '.queue.running')
echo "checkouts: $running VMs running, ${non2xx:-0} non-2xx answers (the pool refills meanwhile, at most taskLimit=10 clones at a time)"
echo "checkout latency at $CLIENTS clients (wrk): p50 $p50, p99 $p99 (target p99 < 10 ms)"
kill "$BENCH_PID" 2>/dev/null || true; wait "$BENCH_PID" 2>/dev/null || true; BENCH_PID=""

if [ -z "${VMGATE_QEMU_URI:-}" ]; then echo "VMGATE_QEMU_URI not set: skipping clone-to-ready on QEMU"; exit 0; fi
QEMU_VMS="${QEMU_VMS:-6}"
pool="bench-$RANDOM"
cat >"$BENCH_WORK/qemu.yaml" <<YAML
store: {path: $BENCH_WORK/qemu.sqlite}
backends:
  - {name: qemu, uri: "$VMGATE_QEMU_URI", defaultPool: ${VMGATE_QEMU_POOL:-vmgate}}
templates:
  - {name: tiny, vcpus: 1, memoryMiB: 64, disks: [{pool: ${VMGATE_QEMU_POOL:-vmgate}, volume: ${VMGATE_QEMU_BASE:-base.qcow2}}]}
groups:
  - {name: $pool, backends: [qemu], template: tiny, size: $QEMU_VMS, options: {vmpooler: "true"}}
dialects:
  - {name: vmpooler, options: {loopInterval: "0.05"}}
  - {name: native}
logLevel: warning
YAML
bench_start "$PORT" "$BENCH_WORK/qemu.yaml"
for _ in $(seq 1 600); do
    [ "$(curl -fsS "$base/status" | jq '.queue.ready')" -ge "$QEMU_VMS" ] && break
    sleep 0.2
done
summary=$(curl -fsS "$base/summary")
clone=$(jq '.clone.duration.average' <<<"$summary"); boot=$(jq '.boot.duration.average' <<<"$summary")
echo "QEMU, $QEMU_VMS VMs cloned in parallel: clone avg ${clone}s (min $(jq '.clone.duration.min' <<<"$summary")," \
    "max $(jq '.clone.duration.max' <<<"$summary")), boot-to-ready avg ${boot}s"
awk -v c="$clone" -v b="$boot" 'BEGIN {printf "clone-to-ready per VM (mean): %.0f ms (target < 500 ms)\n", (c + b) * 1000}'
curl -fsS -o /dev/null -X POST "$base/api/v3/config/poolsize" -d "{\"$pool\":\"0\"}"
sleep 1
for id in $(curl -fsS "http://127.0.0.1:$PORT/api/v1/machines?group=$pool" | jq -r '.items[].id'); do
    curl -fsS -o /dev/null -X DELETE "http://127.0.0.1:$PORT/api/v1/machines/$id" || true
done
