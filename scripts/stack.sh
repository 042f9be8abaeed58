#!/usr/bin/env bash
# Installs and runs the real container stack the tests and the demo need:
# containerd, nerdctl, BuildKit, CNI, two loopback registries and act, on a bare
# Debian 12 machine as root. Every step checks before it acts, so `up` on a
# machine that already has everything only verifies and returns in seconds.
#
#   scripts/stack.sh up       install what is missing, start what is down
#   scripts/stack.sh status   print each part with its version; non-zero if any is down
#   scripts/stack.sh down     stop what `up` started; no process is left behind
#   scripts/stack.sh env      print the variables the tests read (sourceable)
set -euo pipefail

# ---- pinned versions: the one place they are set --------------------------------
CONTAINERD_VERSION=v2.3.7
NERDCTL_VERSION=v2.3.5
BUILDKIT_VERSION=v0.34.2
ACT_VERSION=v0.2.89

# ---- layout ------------------------------------------------------------------------
BIN_DIR=/usr/local/bin
STACK_DIR=/var/lib/nerdctl-action-stack      # registry data, htpasswd, build trees
LOG_DIR=/var/log/nerdctl-action-stack
RUN_DIR=/run/nerdctl-action-stack            # pid files
CONTAINERD_SOCK=/run/containerd/containerd.sock
BUILDKIT_SOCK=/run/buildkit/buildkitd.sock
CNI_PATH=/usr/lib/cni

REGISTRY_ADDR=127.0.0.1:5000
AUTH_REGISTRY_ADDR=127.0.0.1:5001
# Credentials of the throwaway auth registry on loopback; tests log in with them.
AUTH_REGISTRY_USER=nerdctl-test
AUTH_REGISTRY_PASSWORD=nerdctl-test-password
# The base image every test and example builds FROM or runs (no image can be
# pulled from outside, so it is made here from Debian's busybox-static).
BASE_IMAGE=${REGISTRY_ADDR}/busybox:stable
# The same busybox as an index of linux/amd64 and linux/arm64, for
# multi-platform builds, pushes and saves.
MULTI_IMAGE=${REGISTRY_ADDR}/busybox:multi

APT_PACKAGES=(busybox-static containernetworking-plugins docker-registry apache2-utils
  runc iptables iproute2 curl ca-certificates tar gzip jq git procps psmisc sudo)

log() { printf '[stack] %s\n' "$*" >&2; }
die() { printf '[stack] error: %s\n' "$*" >&2; exit 1; }

require_root() {
  [ "$(id -u)" = 0 ] || die "run as root (sudo $0 $*): the stack needs mounts, cgroups and iptables"
}

# ---- installation ------------------------------------------------------------------
install_packages() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  # Keep package scripts from starting services: docker-registry's init script
  # would listen on every interface; we start our own registries on loopback.
  local policy=/usr/sbin/policy-rc.d had_policy=0
  [ -e "$policy" ] && had_policy=1
  if [ $had_policy = 0 ]; then printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy"; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$LOG_DIR/apt.log" 2>&1 ||
    { tail -20 "$LOG_DIR/apt.log" >&2; die "apt-get install failed (log: $LOG_DIR/apt.log)"; }
  [ $had_policy = 0 ] && rm -f "$policy"
  # The package may still have started its own registry; ours must own :5000.
  pkill -x docker-registry 2>/dev/null || true
}

# has_version BINARY ARGS... -- VERSION: the installed binary reports the pinned version
has_version() {
  local bin=$1 want=${*: -1}
  [ -x "$BIN_DIR/$bin" ] || return 1
  "$BIN_DIR/$bin" "${@:2:$#-3}" 2>/dev/null | grep -qF -- "$want"
}

# writable_module MODULE VERSION: a writable copy of a module from the Go proxy.
# Some of these modules cannot be `go install`ed (replace/exclude directives), so
# they are built in place, and the module cache is read-only.
writable_module() {
  local mod=$1 ver=$2 dir
  dir=$(go mod download -json "$mod@$ver" | jq -r '.Dir // empty')
  [ -n "$dir" ] || die "go mod download $mod@$ver failed"
  local dst="$STACK_DIR/src/$(basename "$mod")-$ver"
  rm -rf "$dst" && mkdir -p "$dst" && cp -a "$dir/." "$dst/" && chmod -R u+w "$dst"
  printf '%s\n' "$dst"
}

build_containerd() {
  has_version containerd --version -- "$CONTAINERD_VERSION" && return 0
  log "building containerd $CONTAINERD_VERSION (a few minutes on first run)"
  local cmd
  for cmd in containerd containerd-shim-runc-v2 ctr; do
    CGO_ENABLED=0 GOBIN=$BIN_DIR go install \
      -ldflags "-s -w -X github.com/containerd/containerd/v2/version.Version=$CONTAINERD_VERSION" \
      "github.com/containerd/containerd/v2/cmd/$cmd@$CONTAINERD_VERSION"
  done
}

build_nerdctl() {
  has_version nerdctl --version -- "${NERDCTL_VERSION#v}" && return 0
  log "building nerdctl $NERDCTL_VERSION"
  local src
  src=$(writable_module github.com/containerd/nerdctl/v2 "$NERDCTL_VERSION")
  # go.mod replaces mod/tigron (nerdctl's test framework, a nested module) with a
  # path the module zip does not contain, and the proxy does not serve it. The
  # binary reaches it only through test helpers kept in a non-test file
  # (cmd/nerdctl/helpers/testing_linux.go -> pkg/testutil), which use nothing but
  # the tig.T interface; a stub module with that interface satisfies the build.
  mkdir -p "$src/mod/tigron/tig"
  printf 'module github.com/containerd/nerdctl/mod/tigron\n\ngo 1.24\n' >"$src/mod/tigron/go.mod"
  printf 'package tig\n\n// T is the subset of testing.TB that nerdctl'"'"'s test helpers use.\ntype T interface {\n\tHelper()\n\tLog(args ...any)\n\tFailNow()\n}\n' \
    >"$src/mod/tigron/tig/tig.go"
  (cd "$src" && CGO_ENABLED=0 go build -o "$BIN_DIR/nerdctl" \
    -ldflags "-s -w -X github.com/containerd/nerdctl/v2/pkg/version.Version=$NERDCTL_VERSION" ./cmd/nerdctl)
  rm -rf "$src"
}

build_buildkit() {
  has_version buildkitd --version -- "$BUILDKIT_VERSION" && has_version buildctl --version -- "$BUILDKIT_VERSION" && return 0
  log "building BuildKit $BUILDKIT_VERSION"
  local src
  src=$(writable_module github.com/moby/buildkit "$BUILDKIT_VERSION")
  (cd "$src" && CGO_ENABLED=0 go build -tags "osusergo netgo static_build seccomp" \
    -ldflags "-s -w -X github.com/moby/buildkit/version.Version=$BUILDKIT_VERSION" \
    -o "$BIN_DIR/" ./cmd/buildkitd ./cmd/buildctl)
  rm -rf "$src"
}

build_act() {
  has_version act --version -- "${ACT_VERSION#v}" && return 0
  log "building act $ACT_VERSION"
  CGO_ENABLED=0 GOBIN=$BIN_DIR go install -ldflags "-s -w -X main.version=${ACT_VERSION#v}" \
    "github.com/nektos/act@$ACT_VERSION"
}

write_configs() {
  mkdir -p /etc/nerdctl /etc/buildkit /etc/containerd "$STACK_DIR/registry"
  local hc=""
  # Without systemd as PID 1 nerdctl cannot create health-check timers; say so
  # instead of letting every `run --health-cmd` warn.
  [ -d /run/systemd/system ] || hc="disable_hc_systemd = true"
  # nerdctl prefers /opt/cni/bin whenever it exists; pin where Debian puts the plugins.
  cat >/etc/nerdctl/nerdctl.toml <<EOF
# written by nerdctl-action scripts/stack.sh
cni_path = "$CNI_PATH"
$hc
EOF
  cat >/etc/buildkit/buildkitd.toml <<EOF
# written by nerdctl-action scripts/stack.sh: build results go straight into
# containerd's default namespace, where nerdctl sees them.
root = "/var/lib/buildkit"
[grpc]
  address = ["unix://$BUILDKIT_SOCK"]
[worker.oci]
  enabled = false
[worker.containerd]
  enabled = true
  address = "$CONTAINERD_SOCK"
  namespace = "default"
  gc = true
[registry."$REGISTRY_ADDR"]
  http = true
[registry."$AUTH_REGISTRY_ADDR"]
  http = true
EOF
  [ -f /etc/containerd/config.toml ] || cat >/etc/containerd/config.toml <<EOF
# written by nerdctl-action scripts/stack.sh
version = 3
root = "/var/lib/containerd"
state = "/run/containerd"
[grpc]
  address = "$CONTAINERD_SOCK"
EOF
  registry_config plain "$REGISTRY_ADDR" ""
  if [ ! -s "$STACK_DIR/registry/htpasswd" ]; then
    htpasswd -Bbc "$STACK_DIR/registry/htpasswd" "$AUTH_REGISTRY_USER" "$AUTH_REGISTRY_PASSWORD" 2>/dev/null
  fi
  registry_config auth "$AUTH_REGISTRY_ADDR" "auth:
  htpasswd:
    realm: nerdctl-action-test
    path: $STACK_DIR/registry/htpasswd"
}

registry_config() {
  local name=$1 addr=$2 auth=$3
  mkdir -p "$STACK_DIR/registry/$name"
  cat >"$STACK_DIR/registry/$name.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $STACK_DIR/registry/$name
  delete:
    enabled: true
http:
  addr: $addr
$auth
EOF
}

# ---- processes -----------------------------------------------------------------------
pid_alive() { [ -f "$RUN_DIR/$1.pid" ] && kill -0 "$(cat "$RUN_DIR/$1.pid")" 2>/dev/null; }

# start NAME READY-COMMAND -- COMMAND...: start a daemon detached from this shell
# (so CI's process-group kill of the caller does not take it down mid-run), then
# wait until READY-COMMAND succeeds.
start_daemon() {
  local name=$1 ready=$2; shift 3
  if pid_alive "$name" && eval "$ready" >/dev/null 2>&1; then return 0; fi
  log "starting $name"
  (
    # The daemon keeps no descriptor of its caller's past 0-2: one inherited
    # from, say, `flock LOCK scripts/stack.sh up` would hold that lock for as
    # long as the daemon runs, and every later `flock LOCK` would hang.
    for fd in /proc/self/fd/*; do
      fd=${fd##*/}
      if [ "$fd" -gt 2 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    exec setsid nohup "$@" >>"$LOG_DIR/$name.log" 2>&1 </dev/null
  ) &
  echo $! >"$RUN_DIR/$name.pid"
  local i
  for i in $(seq 1 120); do
    eval "$ready" >/dev/null 2>&1 && return 0
    pid_alive "$name" || { tail -20 "$LOG_DIR/$name.log" >&2; die "$name exited during start (log: $LOG_DIR/$name.log)"; }
    sleep 0.5
  done
  tail -20 "$LOG_DIR/$name.log" >&2
  die "$name did not become ready in 60s (log: $LOG_DIR/$name.log)"
}

stop_daemon() {
  local name=$1 pid i
  [ -f "$RUN_DIR/$name.pid" ] || return 0
  pid=$(cat "$RUN_DIR/$name.pid")
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping $name"
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$RUN_DIR/$name.pid"
}

prepare_host() {
  # Containers on the bridge need forwarding; published ports on 127.0.0.1 need
  # the kernel to route loopback-addressed packets to the bridge (portmap DNATs them).
  sysctl -qw net.ipv4.ip_forward=1 || true
  modprobe br_netfilter 2>/dev/null || true
  mkdir -p /run/containerd /run/buildkit
}

start_all() {
  start_daemon containerd "ctr --address $CONTAINERD_SOCK version" -- \
    "$BIN_DIR/containerd" --config /etc/containerd/config.toml
  start_daemon buildkitd "buildctl --addr unix://$BUILDKIT_SOCK debug workers" -- \
    "$BIN_DIR/buildkitd" --config /etc/buildkit/buildkitd.toml
  start_daemon registry "curl -fsS http://$REGISTRY_ADDR/v2/" -- \
    /usr/bin/docker-registry serve "$STACK_DIR/registry/plain.yml"
  start_daemon registry-auth "curl -sS -o /dev/null -w '%{http_code}' http://$AUTH_REGISTRY_ADDR/v2/ | grep -q 401" -- \
    /usr/bin/docker-registry serve "$STACK_DIR/registry/auth.yml"
}

# ---- the base images -----------------------------------------------------------------
# Both are made here from Debian's busybox-static (no image can be pulled from
# outside) as OCI archives written byte-for-byte reproducibly, so their digests
# are stable across machines and a second `up` can tell they are already there.
# The multi-platform one exists for builds with several `platforms`: BuildKit
# builds FROM + COPY stages for arm64 without emulation when the base image has
# an arm64 manifest. Its amd64 manifest is byte-identical to $BASE_IMAGE's, so
# the two share every amd64 blob.
OCI_MANIFEST=application/vnd.oci.image.manifest.v1+json
OCI_INDEX=application/vnd.oci.image.index.v1+json
# The other architecture's busybox-static .deb is kept here: a second `up` (or a
# rebuild after the registry lost the image) needs no apt-get update, no network.
DEB_CACHE=$STACK_DIR/debs

# oci_blob DIR FILE: moves FILE into the blob store of the OCI layout DIR and
# prints "sha256:<hex> <size>", what a descriptor pointing at it needs.
oci_blob() {
  local dir=$1 file=$2 hex size
  hex=$(sha256sum "$file" | cut -d' ' -f1)
  size=$(stat -c %s "$file")
  mkdir -p "$dir/blobs/sha256"
  mv "$file" "$dir/blobs/sha256/$hex"
  printf 'sha256:%s %d\n' "$hex" "$size"
}

# platform_image DIR BUSYBOX ARCH APPLETS: one linux/ARCH image of a busybox
# rootfs (layer, config, manifest) into the OCI layout DIR; prints the
# manifest's "digest size". APPLETS names the symlinks to make, since a foreign
# BUSYBOX cannot be asked for its own list.
platform_image() {
  local oci=$1 busybox=$2 arch=$3 applets=$4 work
  work=$(mktemp -d)
  local root=$work/rootfs
  mkdir -p "$root"/{bin,etc,tmp,root,var/www,proc,sys,dev}
  chmod 1777 "$root/tmp"
  cp "$busybox" "$root/bin/busybox"
  local applet
  for applet in $applets; do
    [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  printf 'nerdctl-action base image\n' >"$root/var/www/index.html"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=posix \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime -C "$root" -cf "$work/layer.tar" .
  local diff_id layer config
  diff_id=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
  gzip -n -9 <"$work/layer.tar" >"$work/layer.tar.gz"
  layer=$(oci_blob "$oci" "$work/layer.tar.gz")
  # History entries need "created": nerdctl 2.3.5's image inspect dereferences it unchecked.
  printf '{"architecture":"%s","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"created":"1970-01-01T00:00:00Z","history":[{"created":"1970-01-01T00:00:00Z","created_by":"nerdctl-action scripts/stack.sh from Debian busybox-static"}]}' \
    "$arch" "$diff_id" >"$work/config.json"
  config=$(oci_blob "$oci" "$work/config.json")
  # shellcheck disable=SC2086 # "digest size" pairs split on purpose
  printf '{"schemaVersion":2,"mediaType":"%s","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%d},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%d}]}' \
    "$OCI_MANIFEST" $config $layer >"$work/manifest.json"
  oci_blob "$oci" "$work/manifest.json"
  rm -rf "$work"
}

# oci_archive OUT DIR MEDIATYPE DIGEST SIZE NAME: the OCI layout DIR as an
# archive whose index.json names one image NAME, a manifest or an index, the
# way `nerdctl load` takes a name from it.
oci_archive() {
  local out=$1 oci=$2 media=$3 digest=$4 size=$5 name=$6
  printf '{"imageLayoutVersion":"1.0.0"}' >"$oci/oci-layout"
  printf '{"schemaVersion":2,"mediaType":"%s","manifests":[{"mediaType":"%s","digest":"%s","size":%d,"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
    "$OCI_INDEX" "$media" "$digest" "$size" "$name" "${name##*:}" >"$oci/index.json"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$oci" -cf "$out" .
}

# The single-platform base image: the host's own busybox.
make_base_image_archive() {
  local out=$1 work manifest
  work=$(mktemp -d)
  manifest=$(platform_image "$work/oci" /bin/busybox amd64 "$(/bin/busybox --list)")
  # shellcheck disable=SC2086
  oci_archive "$out" "$work/oci" "$OCI_MANIFEST" $manifest "$BASE_IMAGE"
  rm -rf "$work"
}

# arm64_busybox_deb: the path of Debian's busybox-static:arm64 .deb, fetched
# into DEB_CACHE the first time only.
arm64_busybox_deb() {
  local deb
  deb=$(find "$DEB_CACHE" -maxdepth 1 -name 'busybox-static_*_arm64.deb' 2>/dev/null | sort | tail -1)
  if [ -z "$deb" ]; then
    log "fetching busybox-static:arm64 from Debian into $DEB_CACHE"
    dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
    # A just-added architecture has no package lists until an update; once it
    # has them, the download works without one.
    apt-cache show busybox-static:arm64 >/dev/null 2>&1 || apt-get update -qq
    mkdir -p "$DEB_CACHE"
    # apt drops to the _apt user to download, which cannot write the stack
    # dir: download in a scratch dir it owns, then keep the file.
    local tmp
    tmp=$(mktemp -d) && chown _apt "$tmp"
    (cd "$tmp" && apt-get download -qq busybox-static:arm64) || die "apt-get download busybox-static:arm64 failed"
    mv "$tmp"/busybox-static_*_arm64.deb "$DEB_CACHE/" && rm -rf "$tmp"
    deb=$(find "$DEB_CACHE" -maxdepth 1 -name 'busybox-static_*_arm64.deb' | sort | tail -1)
  fi
  printf '%s\n' "$deb"
}

# busybox_build BINARY: the version banner compiled into a busybox binary
# ("BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1)"), read without running it.
busybox_build() { grep -aoE -m1 'BusyBox v[0-9][^)]*\)' "$1" | head -1; }

# The two-platform base image: the host's busybox for linux/amd64, Debian's
# arm64 build of the same busybox-static for linux/arm64.
make_multi_image_archive() {
  local out=$1 deb=$2 work
  work=$(mktemp -d)
  dpkg-deb -x "$deb" "$work/arm64"
  local arm64_busybox=$work/arm64/bin/busybox applets
  # The arm64 binary cannot run here, so its applet links come from the amd64
  # binary's --list. That is right only for the same busybox version built
  # from the same source and config, so the version banners compiled into both
  # must match (on Debian 12 both are "BusyBox v1.35.0 (Debian
  # 1:1.35.0-4+deb12u1+b1)", package busybox-static 1:1.35.0-4+deb12u1+b1 on
  # either architecture), and every applet name must be in the arm64 binary's
  # NUL-separated name table (all 269 are).
  [ "$(busybox_build /bin/busybox)" = "$(busybox_build "$arm64_busybox")" ] ||
    die "busybox-static amd64 is '$(busybox_build /bin/busybox)' but the cached arm64 .deb ($deb) is '$(busybox_build "$arm64_busybox")': remove it and run up again"
  applets=$(/bin/busybox --list)
  local missing
  missing=$(tr '\0' '\n' <"$arm64_busybox" | grep -a -x -F -f <(printf '%s\n' "$applets") | sort -u |
    comm -13 - <(printf '%s\n' "$applets" | sort -u))
  [ -z "$missing" ] || die "arm64 busybox lacks applets the amd64 one lists: $missing"
  local amd64 arm64
  amd64=$(platform_image "$work/oci" /bin/busybox amd64 "$applets")
  arm64=$(platform_image "$work/oci" "$arm64_busybox" arm64 "$applets")
  # shellcheck disable=SC2086
  printf '{"schemaVersion":2,"mediaType":"%s","manifests":[{"mediaType":"%s","digest":"%s","size":%d,"platform":{"architecture":"amd64","os":"linux"}},{"mediaType":"%s","digest":"%s","size":%d,"platform":{"architecture":"arm64","os":"linux"}}]}' \
    "$OCI_INDEX" "$OCI_MANIFEST" $amd64 "$OCI_MANIFEST" $arm64 >"$work/index-blob.json"
  local index
  index=$(oci_blob "$work/oci" "$work/index-blob.json")
  # shellcheck disable=SC2086
  oci_archive "$out" "$work/oci" "$OCI_INDEX" $index "$MULTI_IMAGE"
  rm -rf "$work"
}

# in_registry IMAGE ACCEPT [JQ-TEST]: the loopback registry serves IMAGE's
# manifest as ACCEPT (and it passes JQ-TEST).
in_registry() {
  local repo=${1#*/} body
  body=$(curl -fs -H "Accept: $2" "http://$REGISTRY_ADDR/v2/${repo%:*}/manifests/${repo##*:}") || return 1
  [ -z "${3:-}" ] || jq -e "$3" <<<"$body" >/dev/null
}

# multi_image_local: containerd has the multi-platform image with both platforms' content.
multi_image_local() {
  nerdctl image inspect --platform linux/amd64 "$MULTI_IMAGE" >/dev/null 2>&1 &&
    nerdctl image inspect --platform linux/arm64 "$MULTI_IMAGE" >/dev/null 2>&1
}

# load_and_push ARCHIVE IMAGE [FLAG]: into containerd and the registry; FLAG
# (--all-platforms) goes to both, or nerdctl keeps and pushes the host's only.
load_and_push() {
  local archive=$1 image=$2 flag=(${3:+"$3"})
  nerdctl load "${flag[@]}" -i "$archive" >/dev/null
  # containerd's import also keeps the archive's index as "import@<digest>";
  # that exact name is ours to remove.
  nerdctl rmi "import@sha256:$(tar -xOf "$archive" ./index.json | sha256sum | cut -d' ' -f1)" >/dev/null 2>&1 || true
  nerdctl push --quiet "${flag[@]}" "$image" >/dev/null
}

ensure_base_image() {
  in_registry "$BASE_IMAGE" "$OCI_MANIFEST" && nerdctl image inspect "$BASE_IMAGE" >/dev/null 2>&1 && return 0
  log "making base image $BASE_IMAGE from busybox-static"
  make_base_image_archive "$STACK_DIR/base-image.tar"
  load_and_push "$STACK_DIR/base-image.tar" "$BASE_IMAGE"
}

ensure_multi_image() {
  in_registry "$MULTI_IMAGE" "$OCI_INDEX" \
    '[.manifests[].platform | "\(.os)/\(.architecture)"] | sort == ["linux/amd64", "linux/arm64"]' &&
    multi_image_local && return 0
  [ "$(dpkg --print-architecture)" = amd64 ] || die "$MULTI_IMAGE is made on amd64 hosts only"
  local deb
  deb=$(arm64_busybox_deb)
  log "making base image $MULTI_IMAGE from busybox-static amd64 and $(basename "$deb")"
  make_multi_image_archive "$STACK_DIR/multi-image.tar" "$deb"
  load_and_push "$STACK_DIR/multi-image.tar" "$MULTI_IMAGE" --all-platforms
}

# ---- commands --------------------------------------------------------------------------
cmd_up() {
  require_root up
  mkdir -p "$STACK_DIR" "$LOG_DIR" "$RUN_DIR"
  local t0=$SECONDS
  install_packages
  command -v go >/dev/null || die "go is not on PATH: the stack's binaries are built from the Go module proxy"
  # crane (the action's `merge`) and cosign v2 (sign/verify), each pinned in
  # its own script, build beside the stack's own binaries: on a fresh machine
  # their module downloads overlap the other builds' compiles (minutes saved);
  # when installed already, each returns at once.
  local tools_log=$LOG_DIR/crane-cosign-build.log
  (
    bash "$(dirname "${BASH_SOURCE[0]}")/crane.sh" "$BIN_DIR" &&
      COSIGN_BIN_DIR=$BIN_DIR bash "$(dirname "${BASH_SOURCE[0]}")/cosign.sh"
  ) >"$tools_log" 2>&1 &
  local tools_pid=$!
  build_containerd
  build_nerdctl
  build_buildkit
  build_act
  wait "$tools_pid" || { cat "$tools_log" >&2; die "crane or cosign did not build (log: $tools_log)"; }
  write_configs
  prepare_host
  start_all
  ensure_base_image
  ensure_multi_image
  log "up in $((SECONDS - t0))s; base images $BASE_IMAGE, $MULTI_IMAGE"
}

# check NAME DESCRIPTION COMMAND...: one status line; fails when COMMAND fails.
check() {
  local name=$1 desc=$2 state=up rc=0
  shift 2
  "$@" >/dev/null 2>&1 || { state=DOWN; rc=1; }
  printf '%-14s %-5s %s\n' "$name" "$state" "$desc"
  return $rc
}

version_of() { "$@" 2>/dev/null | head -1 || true; }

cmd_status() {
  local bad=0
  check nerdctl "$(version_of nerdctl --version)" nerdctl --version || bad=1
  check containerd "$(version_of containerd --version)" ctr --address $CONTAINERD_SOCK version || bad=1
  check buildkitd "$(version_of buildkitd --version)" buildctl --addr unix://$BUILDKIT_SOCK debug workers || bad=1
  check runc "$(version_of runc --version)" runc --version || bad=1
  check cni "$CNI_PATH" test -x $CNI_PATH/bridge -a -x $CNI_PATH/portmap -a -x $CNI_PATH/firewall || bad=1
  check registry "http://$REGISTRY_ADDR (no auth)" curl -fsS "http://$REGISTRY_ADDR/v2/" || bad=1
  check registry-auth "http://$AUTH_REGISTRY_ADDR (htpasswd, user $AUTH_REGISTRY_USER)" \
    bash -c "curl -sS -o /dev/null -w '%{http_code}' http://$AUTH_REGISTRY_ADDR/v2/ | grep -qx 401" || bad=1
  check act "$(version_of act --version)" act --version || bad=1
  check crane "crane $(version_of crane version)" crane version || bad=1
  check cosign "$(cosign version 2>/dev/null | grep -m1 GitVersion | tr -s ' ')" cosign version || bad=1
  check base-image "$BASE_IMAGE" nerdctl image inspect "$BASE_IMAGE" || bad=1
  check multi-image "$MULTI_IMAGE (linux/amd64, linux/arm64)" multi_image_local || bad=1
  return $bad
}

cmd_down() {
  require_root down
  # Stop the containers first: their shims outlive containerd otherwise.
  if pid_alive containerd; then
    local ns ids
    for ns in $(nerdctl namespace ls -q 2>/dev/null); do
      ids=$(nerdctl -n "$ns" ps -q 2>/dev/null || true)
      [ -z "$ids" ] || nerdctl -n "$ns" stop -t 2 $ids >/dev/null 2>&1 || true
    done
  fi
  stop_daemon registry-auth
  stop_daemon registry
  stop_daemon buildkitd
  stop_daemon containerd
  pkill -f "$BIN_DIR/containerd-shim-runc-v2" 2>/dev/null || true
  log "down"
}

cmd_env() {
  cat <<EOF
export NERDCTL_TEST_REGISTRY=$REGISTRY_ADDR
export NERDCTL_TEST_AUTH_REGISTRY=$AUTH_REGISTRY_ADDR
export NERDCTL_TEST_AUTH_USER=$AUTH_REGISTRY_USER
export NERDCTL_TEST_AUTH_PASSWORD=$AUTH_REGISTRY_PASSWORD
export NERDCTL_TEST_BASE_IMAGE=$BASE_IMAGE
export NERDCTL_TEST_MULTI_IMAGE=$MULTI_IMAGE
export BUILDKIT_HOST=unix://$BUILDKIT_SOCK
EOF
}

case "${1:-}" in
  up) cmd_up ;;
  status) cmd_status ;;
  down) cmd_down ;;
  env) cmd_env ;;
  *) echo "usage: $0 up|status|down|env" >&2; exit 2 ;;
esac
