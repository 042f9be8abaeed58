#!/usr/bin/env bash
# A small containerd store of a test's own, for the disk budget's integration
# tests, which prune: the machine's own store (every other test's images) is
# never pruned. A second containerd (the same binary) with its own root on a
# size-limited tmpfs (statfs reports that size), its own state, socket,
# nerdctl data root and CNI config directory, and a BuildKit of its own (OCI
# worker, root on the same tmpfs: its cache takes the same disk). NRI and CRI
# are off: the machine's containerd owns /var/run/nri/nri.sock and /etc/cni.
#   bash scripts/disk-store.sh up DIR [SIZE_MB]   start (idempotent)
#   bash scripts/disk-store.sh env DIR            the variables nerdctl and the action need
#   bash scripts/disk-store.sh down DIR           stop what `up` started, unmount, remove DIR
set -euo pipefail
cmd=${1:?usage: disk-store.sh up|env|down DIR [SIZE_MB]}
dir=${2:?usage: disk-store.sh up|env|down DIR [SIZE_MB]}
size=${3:-160}
BIN=${BIN_DIR:-/usr/local/bin}

env_of() {
  echo "NERDCTL_TOML=$dir/nerdctl.toml"
  echo "DISK_STORE_ADDRESS=$dir/containerd.sock"
  echo "DISK_STORE_ROOT=$dir/fs/containerd"
  echo "DISK_STORE_BUILDKIT=unix://$dir/buildkitd.sock"
}

alive() { [ -f "$dir/$1.pid" ] && kill -0 "$(cat "$dir/$1.pid")" 2>/dev/null; }

wait_for() {
  local what=$1; shift
  for _ in $(seq 1 100); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "disk-store: $what did not come up; its log:" >&2
  tail -20 "$dir/$what.log" >&2 || true
  return 1
}

up() {
  mkdir -p "$dir/fs" "$dir/state" "$dir/cni"
  mountpoint -q "$dir/fs" || mount -t tmpfs -o "size=${size}m,mode=0755" nerdctl-disk-store "$dir/fs"
  mkdir -p "$dir/fs/containerd" "$dir/fs/nerdctl" "$dir/fs/buildkit"
  cat >"$dir/containerd.toml" <<TOML
version = 3
root = "$dir/fs/containerd"
state = "$dir/state/containerd"
imports = []
disabled_plugins = ["io.containerd.nri.v1.nri", "io.containerd.grpc.v1.cri", "io.containerd.cri.v1.images", "io.containerd.cri.v1.runtime"]
[grpc]
  address = "$dir/containerd.sock"
[ttrpc]
  address = "$dir/containerd.sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
TOML
  cat >"$dir/nerdctl.toml" <<TOML
address = "$dir/containerd.sock"
namespace = "default"
data_root = "$dir/fs/nerdctl"
cni_path = "/usr/lib/cni"
cni_netconfpath = "$dir/cni"
disable_hc_systemd = true
TOML
  : >"$dir/buildkitd.toml"
  if ! alive containerd; then
    setsid "$BIN/containerd" --config "$dir/containerd.toml" >"$dir/containerd.log" 2>&1 </dev/null &
    echo $! >"$dir/containerd.pid"
  fi
  wait_for containerd "$BIN/ctr" --address "$dir/containerd.sock" version
  if ! alive buildkitd; then
    setsid "$BIN/buildkitd" --config "$dir/buildkitd.toml" --root "$dir/fs/buildkit" \
      --addr "unix://$dir/buildkitd.sock" --oci-worker=true --containerd-worker=false \
      >"$dir/buildkitd.log" 2>&1 </dev/null &
    echo $! >"$dir/buildkitd.pid"
  fi
  wait_for buildkitd "$BIN/buildctl" --addr "unix://$dir/buildkitd.sock" debug workers
}

down() {
  [ -d "$dir" ] || return 0
  # The containers first: their shims outlive containerd otherwise.
  if alive containerd; then
    NERDCTL_TOML="$dir/nerdctl.toml" "$BIN/nerdctl" --address "$dir/containerd.sock" ps -aq 2>/dev/null |
      xargs -r env NERDCTL_TOML="$dir/nerdctl.toml" "$BIN/nerdctl" --address "$dir/containerd.sock" rm -f >/dev/null 2>&1 || true
  fi
  for d in buildkitd containerd; do
    if alive "$d"; then
      kill "$(cat "$dir/$d.pid")" 2>/dev/null || true
      for _ in $(seq 1 50); do alive "$d" || break; sleep 0.1; done
      alive "$d" && kill -9 "$(cat "$dir/$d.pid")" 2>/dev/null || true
    fi
  done
  # Mounts a container or snapshot left under the tmpfs go first.
  { grep -o " $dir/[^ ]*" /proc/self/mounts || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  if mountpoint -q "$dir/fs"; then umount -l "$dir/fs" || true; fi
  rm -rf "$dir"
}

case $cmd in
  up) up && env_of ;;
  env) env_of ;;
  down) down ;;
  *) echo "usage: disk-store.sh up|env|down DIR [SIZE_MB]" >&2; exit 2 ;;
esac
