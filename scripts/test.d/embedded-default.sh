#!/usr/bin/env bash
# Starts the debug vmgate on its embedded default (no config file: libvirt test:///default,
# SQLite under ./data of a temp dir) and drives the native API with curl the way the README
# shows: list, create from the demo template, start, stop, delete, and bad input.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="$root/.build/debug/vmgate"
[ -x "$bin" ] || (cd "$root" && swift build --product vmgate)
work="$(mktemp -d /tmp/vmgate-embedded.XXXXXX)"
port="${VMGATE_EMBEDDED_PORT:-18181}"
(cd "$work" && exec "$bin" serve --port "$port" >"$work/log" 2>&1) &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fsS "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

passed=0; failed=0
check() { # check NAME EXPECTED_STATUS METHOD PATH [BODY] [GREP]
    local name="$1" want="$2" method="$3" path="$4" body="${5:-}" pattern="${6:-}" out status
    out="$(curl -sS -X "$method" -w '\n%{http_code}' ${body:+-d "$body"} "$base$path")"
    status="${out##*$'\n'}"; out="${out%$'\n'*}"
    if [ "$status" = "$want" ] && { [ -z "$pattern" ] || grep -q -- "$pattern" <<<"$out"; }; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1)); echo "FAIL $name: got $status, want $want${pattern:+ and /$pattern/}: $out"
    fi
}
check "index" 200 GET / "" '"native"'
check "list" 200 GET /api/v1/machines "" '"total"'
check "create" 201 POST /api/v1/machines '{"name":"readme1"}' '"volume":"readme1-vda.qcow2"'
check "overlay" 200 GET /api/v1/storage/pools/default-pool/volumes/readme1-vda.qcow2 "" '"backingPath":"/default-pool/demo-base.qcow2"'
check "start" 200 POST /api/v1/machines/readme1/actions/start "" '"state":"running"'
check "start twice" 409 POST /api/v1/machines/readme1/actions/start "" '"conflict"'
check "stop" 200 POST /api/v1/machines/readme1/actions/poweroff "" '"state":"shutoff"'
check "unknown template" 404 POST /api/v1/machines '{"template":"nope"}' "no template named 'nope'"
check "malformed json" 400 POST /api/v1/machines '{"name":' "not valid JSON"
check "duplicate" 409 POST /api/v1/machines '{"name":"readme1"}' "already exists"
check "delete" 204 DELETE /api/v1/machines/readme1
check "missing machine" 404 GET /api/v1/machines/readme1 "" "no machine named"
check "metrics" 200 GET /metrics "" "vmgate_http_requests_total"
echo "embedded-default: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
