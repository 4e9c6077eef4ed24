#!/usr/bin/env bash
# Dialect list throughput: GET /kimchi/vms and GET /vserver/virtual_machines with 100
# machines on the libvirt test driver, each as a ratio to the native API's list
# (GET /api/v1/machines) measured in the same run, interleaved. Target: each >= 80%.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
PORT="${PORT:-18081}"
ROUNDS="${ROUNDS:-3}"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-5}"

bench_prepare
bench_start_test_driver "$PORT" '[{name: native}, {name: kimchi}, {name: virtualization-server}]'
base="http://127.0.0.1:$PORT"
bench_create_machines "$base" 99
native_count=$(curl -fsS "$base/api/v1/machines" | jq '.total')
kimchi_count=$(curl -fsS "$base/kimchi/vms" | jq 'length')
vserver_count=$(curl -fsS "$base/vserver/virtual_machines" | jq 'length')
echo "machines listed: native $native_count, kimchi $kimchi_count, virtualization-server $vserver_count"
for count in "$native_count" "$kimchi_count" "$vserver_count"; do
    [ "$count" -eq 100 ] || { echo "expected 100 machines in every list"; exit 1; }
done
echo "body bytes: native $(curl -fsS "$base/api/v1/machines" | wc -c)," \
    "kimchi $(curl -fsS "$base/kimchi/vms" | wc -c), vserver $(curl -fsS "$base/vserver/virtual_machines" | wc -c)"

native=(); kimchi=(); vserver=()
for round in $(seq 1 "$ROUNDS"); do
    native+=("$(bench_rps "$base/api/v1/machines" "$SECONDS_PER_RUN")")
    kimchi+=("$(bench_rps "$base/kimchi/vms" "$SECONDS_PER_RUN")")
    vserver+=("$(bench_rps "$base/vserver/virtual_machines" "$SECONDS_PER_RUN")")
    echo "round $round: native ${native[-1]} req/s, kimchi ${kimchi[-1]} req/s, vserver ${vserver[-1]} req/s"
done
n=$(bench_median "${native[@]}"); k=$(bench_median "${kimchi[@]}"); v=$(bench_median "${vserver[@]}")
kr=$(awk -v a="$k" -v b="$n" 'BEGIN {printf "%.1f", 100 * a / b}')
vr=$(awk -v a="$v" -v b="$n" 'BEGIN {printf "%.1f", 100 * a / b}')
echo "median: GET /api/v1/machines $n req/s"
echo "median: GET /kimchi/vms $k req/s -> ${kr}% of native (target >= 80%)"
echo "median: GET /vserver/virtual_machines $v req/s -> ${vr}% of native (target >= 80%)"
awk -v k="$kr" -v v="$vr" 'BEGIN {exit !(k >= 80 && v >= 80)}' && echo "PASS" || { echo "BELOW TARGET"; exit 1; }
