#!/usr/bin/env bash
# Runs schemathesis (PyPI, pinned) against the native API's own OpenAPI document on a running
# debug vmgate over the libvirt test driver: every default check (no 5xx, status codes,
# content types, headers and bodies as documented, invalid data refused, valid data accepted),
# examples, coverage, fuzzing and stateful phases, bounded in examples and time. Fails on any
# failure, and when the gateway did not survive the run.
#
# schemathesis lives in a venv under the state dir ($VMGATE_STATE_DIR/venv), made and
# pip-installed only when missing or at another version.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

SCHEMATHESIS_VERSION=4.32.5
VENV="${SCHEMATHESIS_VENV:-$VMGATE_STATE_DIR/venv}"
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-50}"
TIME_LIMIT="${SCHEMATHESIS_TIME_LIMIT:-170}"
SEED="${SCHEMATHESIS_SEED:-1}"  # fixed, so a failure reproduces; set another to explore
VMGATE=${VMGATE:-.build/debug/vmgate}

if [ "$("$VENV/bin/schemathesis" --version 2>/dev/null)" != "schemathesis, version $SCHEMATHESIS_VERSION" ]; then
    echo "schemathesis: installing $SCHEMATHESIS_VERSION into $VENV"
    { [ -x "$VENV/bin/pip" ] || python3 -m venv "$VENV"; } &&
        "$VENV/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION" ||
        { echo "schemathesis: cannot install schemathesis $SCHEMATHESIS_VERSION"; exit 1; }
fi
[ -x "$VMGATE" ] || swift build --product vmgate >/dev/null || exit 1

work="$(mktemp -d /tmp/vmgate-schemathesis.XXXXXX)"
pid=""
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
    rm -rf "$work"
}
trap cleanup EXIT

# The gateway requires credentials (auth: required, one admin user), and schemathesis sends the
# admin's HTTP Basic header with every request, so the identity routes are exercised too.
password="schemathesis-$$"
entry="$(printf '%s\n' "$password" | "$VMGATE" user add schemathesis --role admin)"
basic="Authorization: Basic $(printf '%s' "schemathesis:$password" | base64 -w0)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
fixture="$root/Tests/Support/Fixtures/node.xml"
cat >"$work/vmgate.yaml" <<YAML
listen: {host: 127.0.0.1, port: $port}
store: {path: "$work/store.sqlite"}
logLevel: warning
callTimeoutSeconds: 10
backends:
  - {name: local, uri: "test://$fixture", defaultPool: vmgate, network: default}
templates:
  - {name: demo, vcpus: 1, memoryMiB: 128, disks: [{pool: vmgate, volume: base.qcow2}]}
groups: [{name: default, backends: [local], template: demo}]
defaultGroup: default
dialects:
  - {name: native, prefix: /api/v1}
auth: required
users:
$entry
YAML
"$VMGATE" serve --config "$work/vmgate.yaml" >"$work/vmgate.log" 2>&1 &
pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fsS "$base/healthz" >/dev/null 2>&1 && break; sleep 0.2; done

# The default checks and phases, with 501 allowed only where the document says the test
# driver lacks the capability (schemathesis.toml beside this script).
timeout --kill-after=10 "$TIME_LIMIT" "$VENV/bin/schemathesis" \
    --config-file "$root/scripts/test.d/schemathesis.toml" \
    run "$base/api/v1/openapi.json" \
    --max-examples "$MAX_EXAMPLES" --seed "$SEED" --workers 1 --request-timeout 15 -H "$basic" \
    >"$work/schemathesis.out" 2>&1
rc=$?
alive=0
kill -0 "$pid" 2>/dev/null && curl -fsS "$base/healthz" >/dev/null 2>&1 && alive=1
tail -n 60 "$work/schemathesis.out"
if [ "$alive" -ne 1 ]; then
    echo "schemathesis: the gateway did not survive the run; its log ends with:"
    tail -n 40 "$work/vmgate.log"
    exit 1
fi
if [ "$rc" -ne 0 ]; then
    [ "$rc" -eq 124 ] && echo "schemathesis: timed out after ${TIME_LIMIT}s"
    echo "schemathesis: failed (exit $rc)"
    exit 1
fi
echo "schemathesis: passed (schemathesis $SCHEMATHESIS_VERSION, seed $SEED, $MAX_EXAMPLES examples per operation)"
