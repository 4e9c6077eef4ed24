# Shared helpers for the benchmark scripts: build vmgate in release mode, start it on a
# loopback port with a generated config, wait for it, and measure routes with wrk.
set -euo pipefail

BENCH_ROOT="${BENCH_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
BENCH_SCRATCH="${BENCH_SCRATCH:-$BENCH_ROOT/.build-bench}"
BENCH_WORK="$(mktemp -d /tmp/vmgate-bench.XXXXXX)"
BENCH_PID=""

bench_cleanup() {
    if [ -n "$BENCH_PID" ]; then kill "$BENCH_PID" 2>/dev/null || true; wait "$BENCH_PID" 2>/dev/null || true; fi
    rm -rf "$BENCH_WORK"
}
trap bench_cleanup EXIT

bench_prepare() {
    command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
    command -v jq >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq >/dev/null
    echo "building vmgate (release) in $BENCH_SCRATCH ..." >&2
    (cd "$BENCH_ROOT" && swift build -c release --product vmgate --scratch-path "$BENCH_SCRATCH" 2>&1 | tail -1 >&2)
    BENCH_BIN="$BENCH_SCRATCH/release/vmgate"
}

# bench_start PORT CONFIG_FILE: runs vmgate and waits until / answers.
bench_start() {
    local port="$1" config="$2"
    (cd "$BENCH_WORK" && exec "$BENCH_BIN" serve --config "$config" --port "$port" >"$BENCH_WORK/vmgate.log" 2>&1) &
    BENCH_PID=$!
    for _ in $(seq 1 100); do
        curl -fsS "http://127.0.0.1:$port/" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "vmgate did not start; log:" >&2; cat "$BENCH_WORK/vmgate.log" >&2; return 1
}

# bench_rps URL SECONDS [HEADER]: requests per second reported by wrk (2 threads, 32
# connections), optionally sending one extra header.
bench_rps() {
    if [ -n "${3:-}" ]; then
        wrk -t2 -c32 -d"${2}s" --latency -H "$3" "$1" | awk '/Requests\/sec/ {print $2}'
    else
        wrk -t2 -c32 -d"${2}s" --latency "$1" | awk '/Requests\/sec/ {print $2}'
    fi
}

# bench_median v1 v2 ...: the median of the numbers.
bench_median() {
    printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'
}

# bench_start_test_driver PORT DIALECTS: writes a config with one libvirt test:///default
# backend, a `demo` template cloned from a seeded base volume, group `default` and the given
# dialect mounts (a YAML flow list, e.g. '[{name: native}]'), then starts vmgate on PORT.
bench_start_test_driver() {
    cat >"$BENCH_WORK/config.yaml" <<YAML
store: {path: $BENCH_WORK/store.sqlite}
benchmarkRoutes: true
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
dialects: $2
logLevel: warning
${BENCH_EXTRA_CONFIG:-}
YAML
    bench_start "$1" "$BENCH_WORK/config.yaml"
}

# bench_create_machines BASE_URL COUNT [tagged]: creates bench-1..COUNT through the native API,
# each with a tag `n` when the third argument is `tagged`.
bench_create_machines() {
    local i body
    for i in $(seq 1 "$2"); do
        body="{\"name\":\"bench-$i\"}"
        [ "${3:-}" = tagged ] && body="{\"name\":\"bench-$i\",\"tags\":{\"n\":\"$i\"}}"
        curl -fsS -o /dev/null -X POST "$1/api/v1/machines" -d "$body"
    done
}
