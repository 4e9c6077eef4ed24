#!/usr/bin/env bash
# Native API list throughput: GET /api/v1/machines with 100 machines on the libvirt test
# driver, against a constant-JSON route of the same server returning a body of the same
# size, interleaved in one run. Target: the list reaches at least 60% of the constant route.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
PORT="${PORT:-18080}"
ROUNDS="${ROUNDS:-3}"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-5}"

bench_prepare
bench_start_test_driver "$PORT" '[{name: native}]'
base="http://127.0.0.1:$PORT"
bench_create_machines "$base" 99 tagged
count=$(curl -fsS "$base/api/v1/machines" | jq '.total')
bytes=$(curl -fsS "$base/api/v1/machines" | wc -c)
echo "machines listed: $count, list body: $bytes bytes"
[ "$count" -eq 100 ] || { echo "expected 100 machines"; exit 1; }

list=(); constant=()
for round in $(seq 1 "$ROUNDS"); do
    constant+=("$(bench_rps "$base/_bench/constant?bytes=$bytes" "$SECONDS_PER_RUN")")
    list+=("$(bench_rps "$base/api/v1/machines" "$SECONDS_PER_RUN")")
    echo "round $round: constant ${constant[-1]} req/s, list ${list[-1]} req/s"
done
c=$(bench_median "${constant[@]}"); l=$(bench_median "${list[@]}")
ratio=$(awk -v l="$l" -v c="$c" 'BEGIN {printf "%.1f", 100 * l / c}')
echo "median: constant $c req/s, GET /api/v1/machines $l req/s -> ${ratio}% (target >= 60%)"
awk -v r="$ratio" 'BEGIN {exit !(r >= 60)}' && echo "PASS" || { echo "BELOW TARGET"; exit 1; }
