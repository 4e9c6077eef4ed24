#!/usr/bin/env bash
# Proxy hop latency and merged-list speed, on loopback:
#  1. p50/p99 of GET one machine through gateway -> gateway -> test driver (a `proxy`
#     backend over libcurl) against GET of the same machine on the upstream directly,
#     one connection, sequential requests. Target: p50 overhead < 1 ms.
#  2. 1,000 machines across 3 backends (two private test-driver nodes and the proxy),
#     listed through the native API in one GET. Target: median < 200 ms.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
UP_PORT="${UP_PORT:-18090}"
DOWN_PORT="${DOWN_PORT:-18091}"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-5}"
MACHINES="${MACHINES:-1000}"
NODE="$BENCH_ROOT/Tests/Support/Fixtures/node.xml"
UP_PID=""
trap 'if [ -n "$UP_PID" ]; then kill "$UP_PID" 2>/dev/null || true; wait "$UP_PID" 2>/dev/null || true; fi; bench_cleanup' EXIT

bench_prepare
mkdir -p "$BENCH_WORK/up" "$BENCH_WORK/down"
cat >"$BENCH_WORK/up/config.yaml" <<YAML
store: {path: $BENCH_WORK/up/store.sqlite}
backends:
  - {name: local, uri: "test://$NODE", defaultPool: vmgate, network: default}
templates:
  - {name: demo, vcpus: 1, memoryMiB: 128, disks: [{pool: vmgate, volume: base.qcow2}]}
groups: [{name: default, backends: [local], template: demo}]
defaultGroup: default
# A proxy backend speaks the upstream's backend-level routes, which are off by default.
dialects: [{name: native, options: {backendRoutes: "true"}}]
logLevel: warning
YAML
cat >"$BENCH_WORK/down/config.yaml" <<YAML
store: {path: $BENCH_WORK/down/store.sqlite}
backends:
  - {name: a, uri: "test://$NODE", defaultPool: vmgate, network: default}
  - {name: b, uri: "test://$NODE", defaultPool: vmgate, network: default}
  - name: remote
    type: proxy
    url: http://127.0.0.1:$UP_PORT/api/v1
    upstreamBackend: local
    defaultPool: vmgate
    network: default
    threads: 4
templates:
  - {name: demo, vcpus: 1, memoryMiB: 128, disks: [{pool: vmgate, volume: base.qcow2}]}
groups: [{name: default, backends: [a, b, remote], template: demo, placement: round-robin}]
defaultGroup: default
dialects: [{name: native}]
logLevel: warning
YAML
BENCH_WORK="$BENCH_WORK/up" bench_start "$UP_PORT" "$BENCH_WORK/up/config.yaml"
UP_PID=$BENCH_PID
BENCH_PID=""
BENCH_WORK_DOWN="$BENCH_WORK/down"
(cd "$BENCH_WORK_DOWN" && exec "$BENCH_BIN" serve --config "$BENCH_WORK_DOWN/config.yaml" --port "$DOWN_PORT" >"$BENCH_WORK_DOWN/vmgate.log" 2>&1) &
BENCH_PID=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$DOWN_PORT/" >/dev/null 2>&1 && break; sleep 0.1; done
up="http://127.0.0.1:$UP_PORT/api/v1"
down="http://127.0.0.1:$DOWN_PORT/api/v1"

# wrk_latency URL: "p50_ms p99_ms" with one connection.
wrk_latency() {
    wrk -t1 -c1 -d"${SECONDS_PER_RUN}s" --latency "$1" | awk '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
        $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) } END { printf "%.3f %.3f", p50, p99 }'
}

echo "== proxy hop =="
curl -fsS -o /dev/null -X POST "$up/machines" -d '{"name":"hop"}'
curl -fsS -o /dev/null "$down/machines/remote:hop" || { echo "the proxy does not see the upstream machine"; exit 1; }
read -r direct50 direct99 <<<"$(wrk_latency "$up/machines/local:hop")"
read -r hop50 hop99 <<<"$(wrk_latency "$down/machines/remote:hop")"
overhead=$(awk -v a="$hop50" -v b="$direct50" 'BEGIN {printf "%.3f", a - b}')
echo "direct  GET /machines/local:hop   p50 ${direct50} ms  p99 ${direct99} ms"
echo "proxied GET /machines/remote:hop  p50 ${hop50} ms  p99 ${hop99} ms"
echo "p50 overhead of the hop: ${overhead} ms (target < 1 ms)"
hop_ok=$(awk -v o="$overhead" 'BEGIN {print (o < 1) ? 1 : 0}')

echo "== $MACHINES machines across 3 backends =="
existing=$(curl -fsS "$down/machines?limit=0" | jq '.total')
for i in $(seq "$existing" $((MACHINES - 1))); do printf 'm%04d\n' "$i"; done |
    xargs -P 8 -I{} curl -fsS -o /dev/null -X POST "$down/machines" -H 'content-type: application/json' -d '{"name":"{}"}' 
total=$(curl -fsS "$down/machines?limit=0" | jq '.total')
per_backend=$(curl -fsS "$down/machines" | jq -c '[.items[].backend] | group_by(.) | map({(.[0]): length}) | add')
echo "machines listed: $total $per_backend"
[ "$total" -ge "$MACHINES" ] || { echo "expected $MACHINES machines"; exit 1; }
times=()
for _ in $(seq 1 11); do
    times+=("$(curl -fsS -o /dev/null -w '%{time_total}' "$down/machines" | awk '{printf "%.1f", $1 * 1000}')")
done
list_ms=$(bench_median "${times[@]}")
echo "GET /api/v1/machines ($total machines, 3 backends): median ${list_ms} ms over 11 runs (target < 200 ms)"
list_ok=$(awk -v t="$list_ms" 'BEGIN {print (t < 200) ? 1 : 0}')

[ "$hop_ok" = 1 ] && [ "$list_ok" = 1 ] && echo "PASS" || { echo "BELOW TARGET"; exit 1; }
