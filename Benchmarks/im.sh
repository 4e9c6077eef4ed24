#!/usr/bin/env bash
# IM dialect: time to create and destroy an infrastructure of 10 VMs on the libvirt test
# driver, and GET /infrastructures/<id>/state throughput; the real IM server (PyPI `IM`,
# Dummy connector, installed into a venv) is measured the same way in the same run.
# Target: vmgate's state throughput >= 10x IM's.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
PORT="${PORT:-18082}"
IM_PORT="${IM_PORT:-18800}"
ROUNDS="${ROUNDS:-3}"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-5}"
IM_VENV="${IM_VENV:-/tmp/vmgate-bench-imserver}"
IM_PID=""

bench_prepare
if [ ! -x "$IM_VENV/bin/im_service" ]; then
    echo "installing the IM server from PyPI into $IM_VENV ..." >&2
    python3 -m venv "$IM_VENV" && "$IM_VENV/bin/pip" install -q IM >&2
fi
stop_im() { if [ -n "$IM_PID" ]; then kill "$IM_PID" 2>/dev/null || true; wait "$IM_PID" 2>/dev/null || true; fi; }
trap 'stop_im; bench_cleanup' EXIT

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
groups: [{name: default, backends: [local], template: demo}]
defaultGroup: default
dialects:
  - {name: im, options: {users: "bench:secret"}}
logLevel: warning
YAML
bench_start "$PORT" "$BENCH_WORK/config.yaml"

# The real IM reads im.cfg beside its package; point it at this run's scratch directory.
site=$(ls -d "$IM_VENV"/lib/python3*/site-packages)
cat >"$site/im.cfg" <<CFG
[im]
REST_PORT = $IM_PORT
REST_ADDRESS = 127.0.0.1
DATA_DB = sqlite://$BENCH_WORK/im-inf.dat
LOG_FILE = $BENCH_WORK/im.log
LOG_LEVEL = WARNING
CFG
(cd "$BENCH_WORK" && exec "$IM_VENV/bin/im_service" >"$BENCH_WORK/im-service.log" 2>&1) &
IM_PID=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$IM_PORT/version" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS "http://127.0.0.1:$IM_PORT/version" >/dev/null || { echo "IM did not start"; cat "$BENCH_WORK/im-service.log"; exit 1; }

RADL=$'system front (cpu.count >= 1 and memory.size >= 128m)\ncontextualize ()\ndeploy front 10'
VG_AUTH='id = im; type = InfrastructureManager; username = bench; password = secret'
IM_AUTH='id = im; type = InfrastructureManager; username = bench; password = secret\nid = d; type = Dummy'

# create_destroy BASE AUTH: prints "create_seconds destroy_seconds id" and checks 10 VMs.
create_destroy() {
    local base=$1 auth=$2 t0 t1 t2 uri id count
    t0=$(date +%s.%N)
    uri=$(curl -fsS -X POST -H "Content-Type: text/plain" -H "Authorization: $auth" --data-binary "$RADL" "$base/infrastructures")
    t1=$(date +%s.%N)
    id=${uri##*/}
    count=$(curl -fsS -H "Accept: application/json" -H "Authorization: $auth" "$base/infrastructures/$id" | jq '."uri-list" | length')
    [ "$count" -eq 10 ] || { echo "expected 10 VMs at $base, got $count" >&2; exit 1; }
    curl -fsS -X DELETE -H "Authorization: $auth" "$base/infrastructures/$id" >/dev/null
    t2=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN {printf "%.3f %.3f\n", b - a, c - b}'
}

vg_base="http://127.0.0.1:$PORT/im"; im_base="http://127.0.0.1:$IM_PORT"
for round in $(seq 1 "$ROUNDS"); do
    echo "round $round create/destroy 10 VMs (s): vmgate $(create_destroy "$vg_base" "$VG_AUTH"), IM $(create_destroy "$im_base" "$IM_AUTH")"
done

vg_id=$(curl -fsS -X POST -H "Content-Type: text/plain" -H "Authorization: $VG_AUTH" --data-binary "$RADL" "$vg_base/infrastructures"); vg_id=${vg_id##*/}
im_id=$(curl -fsS -X POST -H "Content-Type: text/plain" -H "Authorization: $IM_AUTH" --data-binary "$RADL" "$im_base/infrastructures"); im_id=${im_id##*/}
echo "vmgate state: $(curl -fsS -H "Accept: application/json" -H "Authorization: $VG_AUTH" "$vg_base/infrastructures/$vg_id/state")"
echo "IM state:     $(curl -fsS -H "Accept: application/json" -H "Authorization: $IM_AUTH" "$im_base/infrastructures/$im_id/state")"
rps() { wrk -t2 -c32 -d"${SECONDS_PER_RUN}s" -H "Authorization: $2" -H "Accept: application/json" "$1" | awk '/Requests\/sec/ {print $2}'; }
vg=(); im=()
for round in $(seq 1 "$ROUNDS"); do
    vg+=("$(rps "$vg_base/infrastructures/$vg_id/state" "$VG_AUTH")")
    im+=("$(rps "$im_base/infrastructures/$im_id/state" "$IM_AUTH")")
    echo "round $round GET state: vmgate ${vg[-1]} req/s, IM ${im[-1]} req/s"
done
v=$(bench_median "${vg[@]}"); i=$(bench_median "${im[@]}")
ratio=$(awk -v a="$v" -v b="$i" 'BEGIN {printf "%.1f", a / b}')
echo "median GET /infrastructures/<id>/state: vmgate $v req/s, IM $i req/s -> ${ratio}x (target >= 10x)"
awk -v r="$ratio" 'BEGIN {exit !(r >= 10)}' && echo "PASS" || { echo "BELOW TARGET"; exit 1; }
