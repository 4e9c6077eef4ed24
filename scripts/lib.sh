# shellcheck shell=bash
# Helpers for vmgate's test and run scripts. Source this file; do not execute it.
#
#   vmgate_install_packages [PKG...]  install whichever Debian packages are missing
#   vmgate_start_daemons              virtlogd + libvirtd (unix sockets only), the
#                                     `vmgate` storage pool with base.qcow2, and a
#                                     loopback-only sshd for qemu+ssh:// tests;
#                                     reuses anything already running
#   vmgate_stop_daemons               stops only what vmgate_start_daemons started
#                                     in this shell (use it from `trap ... EXIT`)
#   vmgate_export_env                 exports the VMGATE_* variables the tests read
#
# Everything listens on 127.0.0.1 or on unix sockets only.

# Packages the build, the tests and the daemons need (Debian 12).
# virt-ssh-helper (the remote end of qemu+ssh://) ships in libvirt-daemon,
# which libvirt-daemon-system pulls in, so no netcat is needed.
VMGATE_PACKAGES=(
    pkg-config libvirt-dev libsqlite3-dev libcurl4-openssl-dev libjson-c-dev libpcre2-dev
    libvirt-daemon-system libvirt-daemon-driver-qemu libvirt-clients
    qemu-system-x86 qemu-utils genisoimage
    openssh-server openssh-client openssl
)

VMGATE_STATE_DIR="${VMGATE_STATE_DIR:-/var/lib/vmgate}"
VMGATE_SSH_DIR="${VMGATE_SSH_DIR:-$VMGATE_STATE_DIR/test-ssh}"
VMGATE_SSH_PORT="${VMGATE_SSH_PORT:-2222}"
VMGATE_POOL_NAME="${VMGATE_POOL_NAME:-vmgate}"
VMGATE_POOL_DIR="${VMGATE_POOL_DIR:-$VMGATE_STATE_DIR/images}"
VMGATE_LOG_DIR="${VMGATE_LOG_DIR:-/var/log/vmgate}"
VMGATE_SYSTEM_URI="qemu:///system"

# What this shell started, so that vmgate_stop_daemons stops only that.
VMGATE_STARTED_SSHD_PID="${VMGATE_STARTED_SSHD_PID:-}"
VMGATE_STARTED_LIBVIRTD_PID="${VMGATE_STARTED_LIBVIRTD_PID:-}"
VMGATE_STARTED_VIRTLOGD_PID="${VMGATE_STARTED_VIRTLOGD_PID:-}"
_VMGATE_APT_UPDATED="${_VMGATE_APT_UPDATED:-}"

_vmgate_log() { printf '[vmgate] %s\n' "$*" >&2; }
_vmgate_die() { printf '[vmgate] error: %s\n' "$*" >&2; return 1; }

_vmgate_root() {
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            sudo -n "$@"
        else
            _vmgate_die "need root for: $*"
        fi
    else
        "$@"
    fi
}

_vmgate_pkg_installed() {
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = "installed" ]
}

# shellcheck disable=SC2120  # arguments are optional
vmgate_install_packages() {
    local want=("$@") missing=() p
    [ ${#want[@]} -gt 0 ] || want=("${VMGATE_PACKAGES[@]}")
    # shellcheck disable=SC2206
    want+=(${VMGATE_EXTRA_PACKAGES:-})
    for p in "${want[@]}"; do
        _vmgate_pkg_installed "$p" || missing+=("$p")
    done
    [ ${#missing[@]} -gt 0 ] || return 0

    _vmgate_log "installing: ${missing[*]}"
    # Keep package scripts from starting daemons: vmgate_start_daemons starts
    # (and later stops) the ones the tests use.
    local made_policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        _vmgate_root sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d'
        made_policy=1
    fi
    local rc=0 log
    log=$(mktemp /tmp/vmgate-apt.XXXXXX)
    {
        if [ -z "$_VMGATE_APT_UPDATED" ]; then
            _vmgate_root apt-get update -qq && _VMGATE_APT_UPDATED=1
        fi &&
        _vmgate_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            --no-install-recommends -o Dpkg::Use-Pty=0 "${missing[@]}"
    } >"$log" 2>&1 </dev/null || rc=$?
    [ -z "$made_policy" ] || _vmgate_root rm -f /usr/sbin/policy-rc.d
    if [ $rc -ne 0 ]; then
        tail -n 40 "$log" >&2
        rm -f "$log"
        _vmgate_die "apt-get failed ($rc) installing: ${missing[*]}"
        return 1
    fi
    rm -f "$log"
}

# --- small utilities -------------------------------------------------------

# _vmgate_pid_alive PIDFILE NAME: prints the pid if PIDFILE names a live NAME.
_vmgate_pid_alive() {
    local pidfile=$1 name=$2 pid
    [ -r "$pidfile" ] || return 1
    pid=$(tr -dc '0-9' <"$pidfile")
    [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
    # comm is the first 15 characters of the executable name
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "${name:0:15}" ] || return 1
    echo "$pid"
}

# _vmgate_wait SECONDS CMD...: retry CMD every 0.5s until it succeeds.
_vmgate_wait() {
    local secs=$1 i=0
    shift
    while ! "$@" >/dev/null 2>&1; do
        i=$((i + 1))
        [ $i -lt $((secs * 2)) ] || return 1
        sleep 0.5
    done
}

# _vmgate_conf_set FILE KEY VALUE: make `KEY = VALUE` the only active setting
# of KEY in FILE. Returns 0 if the file changed, 1 if it already said so.
_vmgate_conf_set() {
    local file=$1 key=$2 value=$3 line current
    line="$key = $value"
    current=$(grep -E "^[[:space:]]*${key}[[:space:]]*=" "$file" 2>/dev/null || true)
    [ "$current" != "$line" ] || return 1
    sed -i -E "/^[[:space:]]*${key}[[:space:]]*=/d" "$file"
    printf '%s\n' "$line" >>"$file"
    return 0
}

_vmgate_stop_pid() {
    local pid=$1 what=$2 i
    [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 0
    _vmgate_log "stopping $what (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 40); do
        [ -d "/proc/$pid" ] || return 0
        # a zombie child of this shell counts as gone
        [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ] || return 0
        sleep 0.25
    done
    _vmgate_log "$what did not stop; killing it"
    kill -KILL "$pid" 2>/dev/null || true
}

# _vmgate_spawn LOG CMD...: run a self-daemonizing CMD with its stdio on LOG and
# without the start lock's fd, so the daemon neither holds the lock nor a pipe
# of whoever ran us (a CI runner waiting for EOF).
_vmgate_spawn() {
    local log=$1
    shift
    if [ -n "${_VMGATE_LOCKFD:-}" ]; then
        "$@" </dev/null >>"$log" 2>&1 {_VMGATE_LOCKFD}>&-
    else
        "$@" </dev/null >>"$log" 2>&1
    fi
}

_vmgate_virsh() { timeout 60 virsh -q -c "$VMGATE_SYSTEM_URI" "$@"; }

# --- libvirt ---------------------------------------------------------------

_vmgate_configure_libvirt() {
    getent group kvm >/dev/null || groupadd --system kvm || return 1
    getent passwd libvirt-qemu >/dev/null ||
        useradd --system --gid kvm --home-dir /var/lib/libvirt --no-create-home \
            --shell /usr/sbin/nologin --comment "Libvirt Qemu" libvirt-qemu || return 1

    local changed=""
    _VMGATE_LIBVIRT_CONF_CHANGED=""
    # QEMU runs as root: no chown dance on images and /dev/kvm, and no
    # AppArmor/SELinux here (the kernel has no LSM), so no security driver.
    _vmgate_conf_set /etc/libvirt/qemu.conf user '"root"' && changed=1
    _vmgate_conf_set /etc/libvirt/qemu.conf group '"root"' && changed=1
    _vmgate_conf_set /etc/libvirt/qemu.conf security_driver '"none"' && changed=1
    # No private /dev mount namespace per guest: it is the fragile part in
    # containers/chroots (QEMU failed to create its serial PTY in one).
    _vmgate_conf_set /etc/libvirt/qemu.conf namespaces '[]' && changed=1
    # Unix sockets only. libvirtd never opens TCP/TLS without --listen (which we
    # never pass); say so in the config as well.
    _vmgate_conf_set /etc/libvirt/libvirtd.conf listen_tls 0 && changed=1
    _vmgate_conf_set /etc/libvirt/libvirtd.conf listen_tcp 0 && changed=1
    [ -z "$changed" ] || _VMGATE_LIBVIRT_CONF_CHANGED=1
    mkdir -p "$VMGATE_LOG_DIR" /run/libvirt /var/lib/libvirt/images
}

_vmgate_libvirt_answers() { timeout 15 virsh -q -c "$VMGATE_SYSTEM_URI" uri; }

_vmgate_start_libvirt() {
    local pid
    if pid=$(_vmgate_pid_alive /run/virtlogd.pid virtlogd); then
        _vmgate_log "virtlogd already running (pid $pid); reusing it"
    else
        _vmgate_log "starting virtlogd"
        _vmgate_spawn "$VMGATE_LOG_DIR/virtlogd.out" virtlogd -d
        _vmgate_wait 15 _vmgate_pid_alive /run/virtlogd.pid virtlogd ||
            _vmgate_die "virtlogd did not start (see $VMGATE_LOG_DIR/virtlogd.out)" || return 1
        VMGATE_STARTED_VIRTLOGD_PID=$(_vmgate_pid_alive /run/virtlogd.pid virtlogd)
    fi

    if pid=$(_vmgate_pid_alive /run/libvirtd.pid libvirtd); then
        _vmgate_log "libvirtd already running (pid $pid); reusing it"
        [ -z "${_VMGATE_LIBVIRT_CONF_CHANGED:-}" ] ||
            _vmgate_log "warning: libvirt config changed but libvirtd was started elsewhere; restart it to apply"
    else
        _vmgate_log "starting libvirtd (unix sockets only)"
        # Log to a file rather than the (absent) journal.
        _vmgate_spawn "$VMGATE_LOG_DIR/libvirtd.out" \
            env LIBVIRT_LOG_OUTPUTS="3:file:$VMGATE_LOG_DIR/libvirtd.log" libvirtd -d
        _vmgate_wait 15 _vmgate_pid_alive /run/libvirtd.pid libvirtd ||
            _vmgate_die "libvirtd did not start (see $VMGATE_LOG_DIR/libvirtd.*)" || return 1
        VMGATE_STARTED_LIBVIRTD_PID=$(_vmgate_pid_alive /run/libvirtd.pid libvirtd)
    fi
    _vmgate_wait 60 _vmgate_libvirt_answers ||
        _vmgate_die "libvirtd does not answer on $VMGATE_SYSTEM_URI (see $VMGATE_LOG_DIR/libvirtd.log)"
}

_vmgate_ensure_pool() {
    local pool=$VMGATE_POOL_NAME dir=$VMGATE_POOL_DIR path
    if ! _vmgate_virsh pool-info "$pool" >/dev/null 2>&1; then
        _vmgate_log "defining storage pool $pool at $dir"
        mkdir -p "$dir"
        _vmgate_virsh pool-define-as "$pool" dir --target "$dir" >/dev/null || return 1
    fi
    path=$(_vmgate_virsh pool-dumpxml "$pool") || return 1
    path=$(printf '%s\n' "$path" | sed -n 's:.*<path>\(.*\)</path>.*:\1:p' | head -n1)
    if [ "$path" != "$dir" ]; then
        _vmgate_log "warning: pool $pool points at $path, not $dir; using $path"
        dir=$path
    fi
    mkdir -p "$dir" || return 1
    local info
    info=$(_vmgate_virsh pool-info "$pool") || return 1
    if ! printf '%s\n' "$info" | grep -E '^State:[[:space:]]+running' >/dev/null; then
        _vmgate_virsh pool-start "$pool" >/dev/null || return 1
    fi
    _vmgate_virsh pool-autostart "$pool" >/dev/null 2>&1 || true
    if [ ! -f "$dir/base.qcow2" ]; then
        _vmgate_log "creating $dir/base.qcow2 (32M)"
        qemu-img create -q -f qcow2 "$dir/base.qcow2.tmp" 32M || return 1
        mv "$dir/base.qcow2.tmp" "$dir/base.qcow2" || return 1
    fi
    _vmgate_virsh pool-refresh "$pool" >/dev/null || return 1
    _vmgate_virsh vol-info --pool "$pool" base.qcow2 >/dev/null ||
        _vmgate_die "base.qcow2 not visible in pool $pool"
}

# --- sshd ------------------------------------------------------------------

_vmgate_ssh_ok() {
    timeout 20 ssh -F /dev/null -p "$VMGATE_SSH_PORT" -i "$VMGATE_SSH_DIR/id_ed25519" \
        -o BatchMode=yes -o IdentitiesOnly=yes \
        -o UserKnownHostsFile="$VMGATE_SSH_DIR/known_hosts" -o StrictHostKeyChecking=yes \
        -o ConnectTimeout=5 root@127.0.0.1 true </dev/null
}

_vmgate_port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

_vmgate_start_sshd() {
    local d=$VMGATE_SSH_DIR port=$VMGATE_SSH_PORT pid
    # Per-port config and pidfile, so runs on different ports never touch
    # each other's sshd.
    local conf=$d/sshd_config.$port pidfile=$d/sshd.$port.pid hostline
    mkdir -p "$d" /run/sshd && chmod 700 "$d" && chmod 755 /run/sshd || return 1
    [ -f "$d/ssh_host_ed25519_key" ] ||
        ssh-keygen -q -t ed25519 -N '' -C vmgate-test-host -f "$d/ssh_host_ed25519_key" || return 1
    [ -f "$d/id_ed25519" ] ||
        ssh-keygen -q -t ed25519 -N '' -C vmgate-test-client -f "$d/id_ed25519" || return 1
    cp "$d/id_ed25519.pub" "$d/authorized_keys.tmp" && chmod 600 "$d/authorized_keys.tmp" &&
        mv "$d/authorized_keys.tmp" "$d/authorized_keys" || return 1
    hostline="[127.0.0.1]:$port $(cut -d' ' -f1,2 "$d/ssh_host_ed25519_key.pub")"
    grep -qxF "$hostline" "$d/known_hosts" 2>/dev/null || printf '%s\n' "$hostline" >>"$d/known_hosts"
    cat >"$conf.tmp" <<EOF
# vmgate test sshd: loopback only, key auth only. Generated by scripts/lib.sh.
ListenAddress 127.0.0.1
Port $port
HostKey $d/ssh_host_ed25519_key
PidFile $pidfile
AuthorizedKeysFile $d/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
AllowUsers root
X11Forwarding no
AllowAgentForwarding no
PrintMotd no
MaxStartups 64:30:128
MaxSessions 64
LogLevel INFO
EOF
    mv "$conf.tmp" "$conf" || return 1

    if pid=$(_vmgate_pid_alive "$pidfile" sshd); then
        if _vmgate_wait 10 _vmgate_ssh_ok; then
            _vmgate_log "test sshd already running on 127.0.0.1:$port (pid $pid); reusing it"
            return 0
        fi
        _vmgate_die "test sshd (pid $pid, $pidfile) does not let us in on 127.0.0.1:$port; stop it or set VMGATE_SSH_PORT"
        return 1
    fi
    if _vmgate_port_in_use "$port"; then
        _vmgate_die "127.0.0.1:$port is taken by something else; set VMGATE_SSH_PORT" || return 1
    fi
    /usr/sbin/sshd -t -f "$conf" || _vmgate_die "bad sshd config $conf" || return 1
    _vmgate_log "starting test sshd on 127.0.0.1:$port"
    _vmgate_spawn /dev/null /usr/sbin/sshd -f "$conf" -E "$VMGATE_LOG_DIR/sshd.$port.log"
    _vmgate_wait 15 _vmgate_pid_alive "$pidfile" sshd ||
        _vmgate_die "sshd did not start (see $VMGATE_LOG_DIR/sshd.$port.log)" || return 1
    VMGATE_STARTED_SSHD_PID=$(_vmgate_pid_alive "$pidfile" sshd)
    _vmgate_wait 15 _vmgate_ssh_ok || _vmgate_die "cannot ssh to 127.0.0.1:$port (see $VMGATE_LOG_DIR/sshd.$port.log)"
}

# --- public ----------------------------------------------------------------

vmgate_export_env() {
    export VMGATE_INTEGRATION=1
    export VMGATE_QEMU_URI="$VMGATE_SYSTEM_URI"
    export VMGATE_QEMU_POOL="$VMGATE_POOL_NAME"
    export VMGATE_QEMU_BASE=base.qcow2
    export VMGATE_SSH_PORT
    export VMGATE_SSH_KEY="$VMGATE_SSH_DIR/id_ed25519"
    export VMGATE_SSH_KNOWN_HOSTS="$VMGATE_SSH_DIR/known_hosts"
    export VMGATE_SSH_URI="qemu+ssh://root@127.0.0.1:$VMGATE_SSH_PORT/system?keyfile=$VMGATE_SSH_KEY&no_verify=1&no_tty=1"
}

vmgate_start_daemons() {
    [ "$(id -u)" -eq 0 ] || _vmgate_die "vmgate_start_daemons must run as root" || return 1
    mkdir -p "$VMGATE_STATE_DIR" "$VMGATE_LOG_DIR"
    # One starter at a time (parallel test runs on one machine).
    exec {_VMGATE_LOCKFD}>"$VMGATE_STATE_DIR/.start.lock"
    if ! flock -w 300 "$_VMGATE_LOCKFD"; then
        exec {_VMGATE_LOCKFD}>&-
        _VMGATE_LOCKFD=""
        _vmgate_die "timed out waiting for $VMGATE_STATE_DIR/.start.lock"
        return 1
    fi
    local rc=0
    {
        _vmgate_configure_libvirt &&
        _vmgate_start_libvirt &&
        _vmgate_ensure_pool &&
        _vmgate_start_sshd &&
        vmgate_export_env &&
        timeout 60 virsh -q -c "$VMGATE_SSH_URI" uri >/dev/null ||
            _vmgate_die "libvirt over ssh ($VMGATE_SSH_URI) does not answer"
    } || rc=$?
    exec {_VMGATE_LOCKFD}>&-
    _VMGATE_LOCKFD=""
    [ $rc -eq 0 ] || return $rc
    local started="${VMGATE_STARTED_VIRTLOGD_PID:+virtlogd }${VMGATE_STARTED_LIBVIRTD_PID:+libvirtd }${VMGATE_STARTED_SSHD_PID:+sshd}"
    _vmgate_log "ready: $VMGATE_QEMU_URI pool=$VMGATE_QEMU_POOL ssh=127.0.0.1:$VMGATE_SSH_PORT (started by this run: ${started:-none})"
}

vmgate_stop_daemons() {
    local rc=$?
    if [ -n "$VMGATE_STARTED_SSHD_PID" ]; then
        _vmgate_stop_pid "$VMGATE_STARTED_SSHD_PID" sshd
        VMGATE_STARTED_SSHD_PID=""
    fi
    if [ -n "$VMGATE_STARTED_LIBVIRTD_PID" ]; then
        # This libvirtd was ours, so are the guests still running in it.
        if [ "${VMGATE_KEEP_DOMAINS:-0}" != 1 ]; then
            local dom
            for dom in $(timeout 30 virsh -q -c "$VMGATE_SYSTEM_URI" list --name 2>/dev/null); do
                timeout 30 virsh -q -c "$VMGATE_SYSTEM_URI" destroy "$dom" >/dev/null 2>&1 || true
            done
        fi
        _vmgate_stop_pid "$VMGATE_STARTED_LIBVIRTD_PID" libvirtd
        VMGATE_STARTED_LIBVIRTD_PID=""
    fi
    if [ -n "$VMGATE_STARTED_VIRTLOGD_PID" ]; then
        _vmgate_stop_pid "$VMGATE_STARTED_VIRTLOGD_PID" virtlogd
        VMGATE_STARTED_VIRTLOGD_PID=""
    fi
    return $rc
}
