#!/usr/bin/env bash
# A rootless containerd and BuildKit for one ordinary user with no sudo, on the
# machine scripts/stack.sh set up (its binaries: containerd, runc, nerdctl,
# buildkitd, CNI; its registries on 127.0.0.1:5000 and :5001), started without
# systemd. The tests of rootless runners run the action as that user.
#
# Two halves, as on a real runner:
#   - root (the administrator): Debian's rootlesskit, slirp4netns, uidmap (and
#     socat, acl); the user, with subordinate ID ranges and no sudo; access to
#     /dev/net/tun; the user's runtime directory (XDG_RUNTIME_DIR), which
#     systemd-logind would make elsewhere; the user's configuration files.
#   - the user (`user-up` / `user-down`, run through runuser): rootlesskit with
#     slirp4netns and rootlesskit's builtin port driver around containerd and
#     buildkitd, the approach of nerdctl's extras/rootless/containerd-rootless.sh,
#     with one difference: host loopback stays reachable (no
#     --disable-host-loopback; see "registries" below).
#
#   scripts/rootless-stack.sh up       (root) set up what is missing, start what is down
#   scripts/rootless-stack.sh status   each part; non-zero if any is down (root or the user)
#   scripts/rootless-stack.sh down     (root) stop it all; the rootful stack is not touched
#   scripts/rootless-stack.sh env      the variables the rootless tests read (sourceable)
#
# Registries: inside the rootless network namespace 127.0.0.1 is the
# namespace's own loopback. slirp4netns, when not told to disable it, maps
# 10.0.2.2 to the host's loopback. A socat forwarder per registry port listens
# on the namespace's 127.0.0.1:PORT and connects to 10.0.2.2:PORT, so every
# image reference keeps its 127.0.0.1:5000/... name (the same refs as rootful,
# the same plain-HTTP rule for loopback registries, the same stored credentials).
set -euo pipefail

ROOTLESS_USER=${NERDCTL_ROOTLESS_USER:-nerdctl-rootless}
# Ports of the host's registries that the namespace forwards (scripts/stack.sh).
REGISTRY_PORTS=(5000 5001)
APT_PACKAGES=(rootlesskit slirp4netns uidmap socat acl iptables)
# This script as the user runs it (the repository may be readable by root only).
LIBEXEC=/usr/local/libexec/nerdctl-action
INSTALLED=$LIBEXEC/rootless-stack.sh
# slirp4netns's address for the host's loopback inside the namespace.
HOST_LOOPBACK=10.0.2.2
# slirp4netns's MTU in containerd-rootless.sh.
MTU=65520
CNI_PATH=/usr/lib/cni
# The host's rootful namespace; the rootless tests use another one.
ROOTLESS_NAMESPACE=default

log() { printf '[rootless] %s\n' "$*" >&2; }
die() { printf '[rootless] error: %s\n' "$*" >&2; exit 1; }

user_uid() { id -u "$ROOTLESS_USER"; }
user_home() { getent passwd "$ROOTLESS_USER" | cut -d: -f6; }
user_xdg() { printf '/run/user/%s\n' "$(user_uid)"; }

# ---- the administrator's half (root) -----------------------------------------------
install_packages() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# A subordinate range of 65536 IDs that no other entry of FILE overlaps.
ensure_subids() {
  local file=$1 flag=$2
  [ -e "$file" ] || install -m 0644 /dev/null "$file"
  grep -q "^$ROOTLESS_USER:" "$file" 2>/dev/null && return 0
  local start
  start=$(awk -F: 'BEGIN{m=100000} {e=$2+$3; if (e>m) m=e} END{print m}' "$file" 2>/dev/null || echo 100000)
  log "giving $ROOTLESS_USER ${file##*/} $start-$((start + 65535))"
  usermod "$flag" "$start-$((start + 65535))" "$ROOTLESS_USER"
}

setup_user() {
  id "$ROOTLESS_USER" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$ROOTLESS_USER"
  # No sudo: a drop-in naming this user would be a mistake; sudo -n must fail.
  if command -v sudo >/dev/null && runuser -u "$ROOTLESS_USER" -- sudo -n true 2>/dev/null; then
    die "$ROOTLESS_USER can use sudo, and must not"
  fi
  ensure_subids /etc/subuid --add-subuids
  ensure_subids /etc/subgid --add-subgids
  # slirp4netns opens /dev/net/tun inside the user namespace; Debian's udev
  # rule makes it 0666, this machine has 0600 and no udev: grant this user only.
  [ -c /dev/net/tun ] || { mkdir -p /dev/net && mknod -m 0600 /dev/net/tun c 10 200; }
  getfacl -p /dev/net/tun 2>/dev/null | grep -q "^user:$ROOTLESS_USER:rw" ||
    setfacl -m "u:$ROOTLESS_USER:rw" /dev/net/tun
  # What pam_systemd would make at login.
  local xdg uid
  uid=$(user_uid)
  xdg=$(user_xdg)
  mkdir -p /run/user
  [ -d "$xdg" ] || install -d -m 0700 -o "$uid" -g "$(id -g "$ROOTLESS_USER")" "$xdg"
  install -d -m 0755 "$LIBEXEC"
  cmp -s "$0" "$INSTALLED" 2>/dev/null || install -m 0755 "$0" "$INSTALLED"
}

# write_as_user PATH: stdin into PATH, owned by the user, only when it changed.
write_as_user() {
  local path=$1 tmp
  tmp=$(mktemp)
  cat >"$tmp"
  if ! cmp -s "$tmp" "$path" 2>/dev/null; then
    runuser -u "$ROOTLESS_USER" -- mkdir -p "$(dirname "$path")"
    install -m 0644 -o "$(user_uid)" -g "$(id -g "$ROOTLESS_USER")" "$tmp" "$path"
  fi
  rm -f "$tmp"
}

write_configs() {
  local home xdg
  home=$(user_home)
  xdg=$(user_xdg)
  # nerdctl run as a non-root user reads ~/.config/nerdctl/nerdctl.toml.
  write_as_user "$home/.config/nerdctl/nerdctl.toml" <<EOF
# written by nerdctl-action scripts/rootless-stack.sh
cni_path = "$CNI_PATH"
disable_hc_systemd = true
EOF
  # Bound on /etc/containerd inside the namespace: containerd's default paths
  # (/var/lib/containerd, /run/containerd) are bound to the user's directories.
  write_as_user "$home/.config/containerd/config.toml" <<EOF
# written by nerdctl-action scripts/rootless-stack.sh
version = 3
root = "/var/lib/containerd"
state = "/run/containerd"
[grpc]
  address = "/run/containerd/containerd.sock"
EOF
  write_as_user "$home/.config/buildkit/buildkitd.toml" <<EOF
# written by nerdctl-action scripts/rootless-stack.sh
root = "$home/.local/share/buildkit"
[grpc]
  address = ["unix://$xdg/buildkit-$ROOTLESS_NAMESPACE/buildkitd.sock"]
[worker.oci]
  enabled = false
[worker.containerd]
  enabled = true
  address = "/run/containerd/containerd.sock"
  namespace = "$ROOTLESS_NAMESPACE"
  gc = true
[registry."127.0.0.1:5000"]
  http = true
[registry."127.0.0.1:5001"]
  http = true
EOF
}

# as_user ARGS...: this script as the user, in the environment a login gives.
as_user() {
  local home xdg
  home=$(user_home)
  xdg=$(user_xdg)
  runuser -u "$ROOTLESS_USER" -- env -i HOME="$home" USER="$ROOTLESS_USER" LOGNAME="$ROOTLESS_USER" \
    XDG_RUNTIME_DIR="$xdg" PATH=/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin \
    bash "$INSTALLED" "$@"
}

require_root() {
  [ "$(id -u)" = 0 ] || die "run '$1' as root: it prepares what $ROOTLESS_USER cannot (packages, IDs, /dev/net/tun)"
}

cmd_up() {
  require_root up
  local t0=$SECONDS
  for b in containerd containerd-shim-runc-v2 buildkitd buildctl nerdctl; do
    command -v "$b" >/dev/null || die "$b is missing: run scripts/stack.sh up first (it builds the binaries)"
  done
  install_packages
  setup_user
  write_configs
  as_user user-up
  log "up in $((SECONDS - t0))s for $ROOTLESS_USER (XDG_RUNTIME_DIR $(user_xdg))"
}

cmd_down() {
  require_root down
  id "$ROOTLESS_USER" >/dev/null 2>&1 || return 0
  [ -f "$INSTALLED" ] || return 0
  as_user user-down
}

cmd_status() {
  if [ "$(id -u)" = 0 ]; then
    id "$ROOTLESS_USER" >/dev/null 2>&1 || { echo "user           DOWN  $ROOTLESS_USER does not exist"; return 1; }
    [ -f "$INSTALLED" ] || { echo "rootlesskit    DOWN  never set up"; return 1; }
    as_user user-status
  else
    user_status
  fi
}

cmd_env() {
  local home xdg
  home=$(user_home 2>/dev/null || true)
  xdg=$(user_xdg 2>/dev/null || true)
  cat <<EOF
export NERDCTL_ROOTLESS_USER=$ROOTLESS_USER
export NERDCTL_ROOTLESS_HOME=$home
export NERDCTL_ROOTLESS_XDG_RUNTIME_DIR=$xdg
export NERDCTL_ROOTLESS_BUILDKIT_HOST=unix://$xdg/buildkit-$ROOTLESS_NAMESPACE/buildkitd.sock
EOF
}

# ---- the user's half ---------------------------------------------------------------
STATE_DIR=${XDG_RUNTIME_DIR:-/nonexistent}/containerd-rootless
LOG_FILE=${HOME:-/nonexistent}/.local/share/nerdctl-action-rootless.log
PID_FILE=${XDG_RUNTIME_DIR:-/nonexistent}/nerdctl-action-rootlesskit.pid

rootlesskit_alive() { [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }
containerd_ready() { ctr --address "$XDG_RUNTIME_DIR/containerd/containerd.sock" version >/dev/null 2>&1; }
buildkit_ready() { buildctl --addr "unix://$XDG_RUNTIME_DIR/buildkit-$ROOTLESS_NAMESPACE/buildkitd.sock" debug workers >/dev/null 2>&1; }
# The registry as the namespace sees it, through the forwarder.
registry_ready() {
  local pid
  pid=$(cat "$STATE_DIR/child_pid" 2>/dev/null) || return 1
  nsenter -U --preserve-credentials -n -t "$pid" curl -fsS -o /dev/null "http://127.0.0.1:${REGISTRY_PORTS[0]}/v2/"
}
all_ready() { rootlesskit_alive && containerd_ready && buildkit_ready && registry_ready; }

user_up() {
  [ "$(id -u)" != 0 ] || die "user-up runs as the rootless user"
  [ -w "$XDG_RUNTIME_DIR" ] || die "XDG_RUNTIME_DIR ($XDG_RUNTIME_DIR) must be set and writable"
  all_ready && return 0
  if rootlesskit_alive; then
    log "rootless stack half up: restarting it"
    user_down
  fi
  mkdir -p "$(dirname "$LOG_FILE")"
  rm -rf "$STATE_DIR"
  log "starting rootlesskit (slirp4netns, builtin port driver) with containerd and buildkitd"
  (
    # Keep no descriptor of the caller past 0-2 (a `flock LOCK` caller's lock
    # would be held for as long as the daemons run).
    for fd in /proc/self/fd/*; do
      fd=${fd##*/}
      if [ "$fd" -gt 2 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    # No --pidns: nerdctl enters the namespaces with nsenter but not the PID
    # one, and would then see no /proc/self (nor know it is rootless).
    exec setsid nohup rootlesskit \
      --state-dir="$STATE_DIR" \
      --net=slirp4netns --mtu="$MTU" \
      --slirp4netns-sandbox=auto --slirp4netns-seccomp=auto \
      --port-driver=builtin \
      --copy-up=/etc --copy-up=/run --copy-up=/var/lib \
      --propagation=rslave \
      bash "$INSTALLED" _child >>"$LOG_FILE" 2>&1 </dev/null
  ) &
  echo $! >"$PID_FILE"
  local i
  for i in $(seq 1 120); do
    all_ready && return 0
    rootlesskit_alive || { tail -20 "$LOG_FILE" >&2; die "rootlesskit exited during start (log: $LOG_FILE)"; }
    sleep 0.5
  done
  tail -20 "$LOG_FILE" >&2
  die "the rootless stack did not become ready in 60s (log: $LOG_FILE)"
}

# in_namespace USERNS: the PIDs of this user's processes in the user namespace USERNS.
in_namespace() {
  local ns=$1 p
  for p in $(pgrep -u "$(id -u)" 2>/dev/null); do
    [ "$(readlink "/proc/$p/ns/user" 2>/dev/null)" = "$ns" ] && printf '%s\n' "$p"
  done
  return 0
}

user_down() {
  rootlesskit_alive || { rm -f "$PID_FILE"; return 0; }
  log "stopping the rootless stack"
  # Containers first, so their shims end cleanly before the namespace goes.
  local ids
  ids=$(nerdctl ps -q 2>/dev/null || true)
  # shellcheck disable=SC2086 # IDs split on purpose
  [ -z "$ids" ] || nerdctl stop -t 2 $ids >/dev/null 2>&1 || true
  local pid child ns i
  pid=$(cat "$PID_FILE")
  child=$(cat "$STATE_DIR/child_pid" 2>/dev/null || true)
  ns=$(readlink "/proc/$child/ns/user" 2>/dev/null || true)
  # The child stops its daemons on TERM; rootlesskit ends with it.
  [ -z "$child" ] || kill "$child" 2>/dev/null || true
  for i in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill "$pid" 2>/dev/null || true
  # Whatever is still in the namespace (a shim, a forwarder's connection)
  # would keep it alive: end them, found by their namespace, not by name.
  if [ -n "$ns" ]; then
    local left
    for i in $(seq 1 20); do
      left=$(in_namespace "$ns")
      [ -z "$left" ] && break
      # shellcheck disable=SC2086
      kill $([ "$i" -gt 8 ] && echo -9) $left 2>/dev/null || true
      sleep 0.25
    done
  fi
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$PID_FILE"
}

user_status() {
  local bad=0 state
  st() { if "$@"; then state=up; else state=DOWN; bad=1; fi; }
  st rootlesskit_alive
  printf '%-14s %-5s %s\n' rootlesskit "$state" "$(rootlesskit --version 2>/dev/null | head -1), state $STATE_DIR"
  st containerd_ready
  printf '%-14s %-5s %s\n' containerd "$state" "$XDG_RUNTIME_DIR/containerd/containerd.sock, store $HOME/.local/share/containerd"
  st buildkit_ready
  printf '%-14s %-5s %s\n' buildkitd "$state" "unix://$XDG_RUNTIME_DIR/buildkit-$ROOTLESS_NAMESPACE/buildkitd.sock"
  st registry_ready
  printf '%-14s %-5s %s\n' registries "$state" "127.0.0.1:${REGISTRY_PORTS[*]} in the namespace -> $HOST_LOOPBACK (host loopback)"
  return $bad
}

# Inside rootlesskit: root of the user namespace.
# Binds the user's directories over containerd's default paths (as
# containerd-rootless.sh does), starts the registry forwarders, containerd and
# buildkitd, and stays until one of them ends or it is told to stop.
child() {
  : "${XDG_DATA_HOME:=$HOME/.local/share}"
  : "${XDG_CONFIG_HOME:=$HOME/.config}"
  rm -f /run/containerd /run/xtables.lock /var/lib/containerd /var/lib/cni /etc/containerd
  local real_ssl
  real_ssl=$(realpath /etc/ssl)
  rm -f /etc/ssl && mkdir /etc/ssl && mount --rbind "$real_ssl" /etc/ssl
  local pair
  for pair in "$XDG_RUNTIME_DIR/containerd:/run/containerd" "$XDG_DATA_HOME/containerd:/var/lib/containerd" \
    "$XDG_DATA_HOME/cni:/var/lib/cni" "$XDG_CONFIG_HOME/containerd:/etc/containerd"; do
    mkdir -p "${pair%%:*}" "${pair#*:}"
    mount --bind "${pair%%:*}" "${pair#*:}"
  done
  local pids=() port
  for port in "${REGISTRY_PORTS[@]}"; do
    socat "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" "TCP:$HOST_LOOPBACK:$port" &
    pids+=($!)
  done
  containerd --config /etc/containerd/config.toml &
  pids+=($!)
  local i
  for i in $(seq 1 100); do
    ctr --address /run/containerd/containerd.sock version >/dev/null 2>&1 && break
    sleep 0.2
  done
  mkdir -p "$XDG_RUNTIME_DIR/buildkit-$ROOTLESS_NAMESPACE"
  buildkitd --config "$XDG_CONFIG_HOME/buildkit/buildkitd.toml" --containerd-worker-rootless=true &
  pids+=($!)
  trap 'kill -TERM "${pids[@]}" 2>/dev/null; wait; exit 0' TERM INT
  wait -n
  log "a rootless daemon exited; stopping the others"
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait
  exit 1
}

case "${1:-}" in
  up) cmd_up ;;
  status) cmd_status ;;
  down) cmd_down ;;
  env) cmd_env ;;
  user-up) user_up ;;
  user-down) user_down ;;
  user-status) user_status ;;
  _child) child ;;
  *) echo "usage: $0 up|status|down|env" >&2; exit 2 ;;
esac
