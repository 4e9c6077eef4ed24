#!/usr/bin/env bash
# Cost of authentication on the native machine list: GET /api/v1/machines (100 machines on the
# libvirt test driver) with HTTP Basic and with a bearer API token, each as a ratio to the same
# list without a credential (auth: none), measured in one gateway, interleaved.
# The user is an admin, so all three lists do the same work apart from authentication.
# Target: each >= 90%.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
PORT="${PORT:-18083}"
ROUNDS="${ROUNDS:-3}"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-5}"

bench_prepare
password="bench-$(date +%s)"
entry=$(printf '%s\n' "$password" | "$BENCH_BIN" user add bench --role admin)
BENCH_EXTRA_CONFIG="auth: none
users:
$entry" bench_start_test_driver "$PORT" '[{name: native}]'
base="http://127.0.0.1:$PORT"
bench_create_machines "$base" 99
basic="Authorization: Basic $(printf '%s' "bench:$password" | base64 -w0)"
token=$(curl -fsS -X POST -H "$basic" "$base/api/v1/tokens" | jq -r '.token')
bearer="Authorization: Bearer $token"
for header in "$basic" "$bearer"; do
    [ "$(curl -fsS -H "$header" "$base/api/v1/machines" | jq '.total')" -eq 100 ] || {
        echo "expected 100 machines with a credential"; exit 1; }
done
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer nope" "$base/api/v1/machines")" = 401 ] || {
    echo "a wrong token must be refused"; exit 1; }

none=(); basics=(); bearers=()
for round in $(seq 1 "$ROUNDS"); do
    none+=("$(bench_rps "$base/api/v1/machines" "$SECONDS_PER_RUN")")
    basics+=("$(bench_rps "$base/api/v1/machines" "$SECONDS_PER_RUN" "$basic")")
    bearers+=("$(bench_rps "$base/api/v1/machines" "$SECONDS_PER_RUN" "$bearer")")
    echo "round $round: none ${none[-1]} req/s, basic ${basics[-1]} req/s, bearer ${bearers[-1]} req/s"
done
n=$(bench_median "${none[@]}"); b=$(bench_median "${basics[@]}"); t=$(bench_median "${bearers[@]}")
br=$(awk -v a="$b" -v c="$n" 'BEGIN {printf "%.1f", 100 * a / c}')
tr=$(awk -v a="$t" -v c="$n" 'BEGIN {printf "%.1f", 100 * a / c}')
echo "median: no credential $n req/s"
echo "median: HTTP Basic $b req/s -> ${br}% (target >= 90%)"
echo "median: bearer token $t req/s -> ${tr}% (target >= 90%)"
awk -v b="$br" -v t="$tr" 'BEGIN {exit !(b >= 90 && t >= 90)}' && echo "PASS" || { echo "BELOW TARGET"; exit 1; }
