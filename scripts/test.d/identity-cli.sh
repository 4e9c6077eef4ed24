#!/usr/bin/env bash
# The identity pieces a new operator touches from the shell, on the debug binary:
# `vmgate user add` makes an entry that `serve` accepts; Basic and bearer work and a missing
# credential is a 401; a second gateway on the same store and an open non-loopback listener
# both refuse to start with a message saying why.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="$root/.build/debug/vmgate"
[ -x "$bin" ] || (cd "$root" && swift build --product vmgate)
work="$(mktemp -d /tmp/vmgate-identity.XXXXXX)"
port="${VMGATE_IDENTITY_PORT:-18191}"
pid=""
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"' EXIT
failed=0
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

entry="$(printf 'correct horse\n' | "$bin" user add ops --role admin --group team)"
grep -qF 'password: '"'"'pbkdf2-sha256$210000$' <<<"$entry" || fail "user add printed: $entry"
cat >"$work/config.yaml" <<YAML
store: {path: $work/store.sqlite}
backends: [{name: local, uri: "test:///default", defaultPool: default-pool}]
dialects: [{name: native}]
users:
$entry
YAML
"$bin" check-config --config "$work/config.yaml" >/dev/null || fail "check-config refused the entry"
(cd "$work" && exec "$bin" serve --config "$work/config.yaml" --port "$port" >"$work/log" 2>&1) &
pid=$!
base="http://127.0.0.1:$port/api/v1"
for _ in $(seq 1 100); do curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break; sleep 0.1; done

status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
[ "$(status "$base/machines")" = 401 ] || fail "no credential should be 401"
[ "$(status -u ops:wrong "$base/machines")" = 401 ] || fail "a wrong password should be 401"
[ "$(status -u 'ops:correct horse' "$base/machines")" = 200 ] || fail "Basic should work"
token="$(curl -fsS -u 'ops:correct horse' -X POST "$base/tokens" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')"
[ -n "$token" ] || fail "POST /tokens gave no token"
[ "$(status -H "Authorization: Bearer $token" "$base/users/me")" = 200 ] || fail "the bearer token should work"
[ "$(status -H 'Content-Type: text/plain' -u 'ops:correct horse' -d '{"name":"x"}' "$base/machines")" = 415 ] \
    || fail "text/plain JSON should be 415"

second="$("$bin" serve --config "$work/config.yaml" --port $((port + 1)) 2>&1 || true)"
grep -q "another vmgate is already running" <<<"$second" || fail "a second gateway on the store started: $second"
open="$(cd "$work" && VMGATE_STORE_PATH="$work/other.sqlite" "$bin" serve --host 0.0.0.0 --port $((port + 2)) 2>&1 || true)"
grep -q "has no users" <<<"$open" || fail "an open gateway on 0.0.0.0 started: $open"

echo "identity-cli: $failed failed"
[ "$failed" -eq 0 ]
