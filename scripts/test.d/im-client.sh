#!/usr/bin/env bash
# Drives vmgate's IM dialect with the real IM-client from PyPI (installed into a venv):
# create, list, getstate, getradl, getinfo, stop, start, destroy, against the libvirt
# test driver, as a user of the gateway's user directory. Needs .build/debug/vmgate. Prints "im-client: N passed, M failed".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
VMGATE=${VMGATE:-.build/debug/vmgate}
[ -x "$VMGATE" ] || swift build --product vmgate >/dev/null
WORK=$(mktemp -d /tmp/vmgate-imclient.XXXXXX)
VENV=${IM_CLIENT_VENV:-/tmp/vmgate-imclient-venv}
passed=0; failed=0
check() { # name, command...
    local name=$1; shift
    if out=$("$@" 2>&1); then passed=$((passed + 1)); echo "ok   $name"
    else failed=$((failed + 1)); echo "FAIL $name"; echo "$out" | sed 's/^/     /' | head -20; fi
}
cleanup() { [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

if [ ! -x "$VENV/bin/im_client" ]; then
    python3 -m venv "$VENV" && "$VENV/bin/pip" install -q IM-client || { echo "im-client: cannot install IM-client"; exit 1; }
fi
# alice is a user of the gateway's user directory (the entry `vmgate user add` prints).
ENTRY=$(printf 'secret\n' | "$VMGATE" user add alice)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
FIXTURE="$PWD/Tests/Support/Fixtures/node.xml"
cat > "$WORK/vmgate.yaml" <<YAML
listen: {host: 127.0.0.1, port: $PORT}
store: {path: "$WORK/store.sqlite"}
backends:
  - {name: local, uri: "test://$FIXTURE", defaultPool: vmgate, network: default}
templates:
  - {name: demo, vcpus: 1, memoryMiB: 128, disks: [{pool: vmgate, volume: base.qcow2}]}
groups: [{name: default, backends: [local], template: demo}]
defaultGroup: default
dialects:
  - {name: im}
users:
$ENTRY
YAML
"$VMGATE" --config "$WORK/vmgate.yaml" >"$WORK/vmgate.log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/im/version" >/dev/null && break; sleep 0.2; done

printf 'id = im; type = InfrastructureManager; username = alice; password = secret\nid = vg; type = vmgate; group = default\n' > "$WORK/auth.dat"
cat > "$WORK/infra.radl" <<'RADL'
network publica (outbound = 'yes')
system front (
    cpu.count >= 1 and
    memory.size >= 256m and
    net_interface.0.connection = 'publica' and
    disk.0.image.url = 'vmgate://localhost/demo' and
    disk.0.os.credentials.username = 'cloudadm'
)
deploy front 2
RADL
IM="$VENV/bin/im_client -r http://127.0.0.1:$PORT/im -a $WORK/auth.dat"

check "getversion" bash -c "$IM getversion | grep -q 'version'"
$IM create "$WORK/infra.radl" > "$WORK/create.out" 2>&1
INF=$(grep -o 'ID: [0-9a-f-]*' "$WORK/create.out" | head -1 | cut -c5-)
check "create" test -n "$INF"
check "list" bash -c "$IM list | grep -q '$INF'"
check "getstate configured" bash -c "$IM getstate $INF | tee /dev/stderr | grep -q 'The infrastructure is in state: configured'"
check "getstate per VM" bash -c "$IM getstate $INF | grep -q 'VM ID: 1 is in state: configured'"
check "getradl" bash -c "$IM getradl $INF | grep -q 'deploy front 2'"
check "getinfo" bash -c "$IM getinfo $INF | grep -q \"memory.size = 256M\""
check "getvminfo property" bash -c "$IM getvminfo $INF 0 state | grep -q configured"
check "stop" $IM stop "$INF"
check "getstate stopped" bash -c "$IM getstate $INF | grep -q 'state: stopped'"
check "start" $IM start "$INF"
check "getstate after start" bash -c "$IM getstate $INF | grep -q 'state: configured'"
check "addresource" bash -c "printf 'system front\ndeploy front 1\n' > $WORK/add.radl && $IM addresource $INF $WORK/add.radl | grep -q '2'"
check "removeresource" $IM removeresource "$INF" 2
check "destroy" bash -c "$IM -y destroy $INF | tee /dev/stderr | grep -qi 'destroyed'"
check "list empty" bash -c "$IM list | tee /dev/stderr | grep -q 'No Infrastructures'"
check "wrong password rejected" bash -c "printf 'id = im; type = InfrastructureManager; username = alice; password = bad\n' > $WORK/bad.dat && $VENV/bin/im_client -r http://127.0.0.1:$PORT/im -a $WORK/bad.dat list 2>&1 | grep -q 'wrong user name or password'"

echo "im-client: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
