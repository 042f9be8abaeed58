#!/usr/bin/env bash
# Builds the real servers the tests run as services (PostgreSQL, MariaDB,
# Redis, nginx) from Debian's own packages and pushes them to the local
# registry, once per machine: a later run finds them there and does nothing.
# No image is fetched from outside: the base is a debootstrap'd Debian root
# from the mirror apt already uses. Prints the image references, one a line.
#   bash scripts/service-images.sh            # ensure they exist, print them
#   SERVICE_IMAGES_LOCK= bash scripts/...     # caller already holds the stack lock
# It also installs the matching clients on the runner (psql, mariadb,
# redis-cli), which the tests use to prove the servers answer.
# First run: about 2-3 minutes on 2 cores (debootstrap + apt), 400 MB on disk.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash scripts/stack.sh env)"

REG=$NERDCTL_TEST_REGISTRY
SUITE=bookworm
# What bookworm ships; the tags say what a user's `image: postgres:15` means.
PG_MAJOR=15
declare -A TAGS=([postgres]=15 [mariadb]=10.11 [redis]=7 [nginx]=1.22)
SERVICES=(postgres mariadb redis nginx)
PACKAGES=(postgresql-$PG_MAJOR mariadb-server redis-server nginx-light ca-certificates tzdata)
CLIENTS=(postgresql-client mariadb-client redis-tools)
# Held only around nerdctl build/push (not debootstrap, which is minutes of
# network and disk that needs no stack). Empty: the caller holds it already.
LOCK=${SERVICE_IMAGES_LOCK-/tmp/nerdctl-stack.lock}
LABEL=nerdctl-action.test.recipe

log() { printf '[service-images] %s\n' "$*" >&2; }
die() { printf '[service-images] error: %s\n' "$*" >&2; exit 1; }
locked() { if [ -n "$LOCK" ]; then flock "$LOCK" "$@"; else "$@"; fi; }

# Any change to the root's recipe or the image files makes new images (old
# tags are replaced), so nobody tests against a stale entrypoint; other edits
# of this script rebuild nothing.
rootfs_recipe=$(printf '%s\n' "$SUITE" "${PACKAGES[@]}" "$(sed -n '/^make_rootfs()/,/^}/p' "$0")" | sha256sum | cut -c1-16)
recipe=$(cat scripts/service-images/* <(echo "$rootfs_recipe") | sha256sum | cut -c1-16)
BASE=$REG/services/debian-base:$SUITE-$rootfs_recipe

accept=application/vnd.oci.image.index.v1+json,application/vnd.oci.image.manifest.v1+json,application/vnd.docker.distribution.manifest.v2+json,application/vnd.docker.distribution.manifest.list.v2+json
manifest() { curl -fsS -H "Accept: $accept" "http://$REG/v2/$1/manifests/$2" 2>/dev/null; }
# The recipe label of repo:tag in the registry, or nothing.
recipe_of() {
  local m cfg
  m=$(manifest "$1" "$2") || return 0
  if jq -e '.manifests' <<<"$m" >/dev/null; then
    m=$(manifest "$1" "$(jq -r '[.manifests[] | select(.platform.architecture != "unknown")][0].digest' <<<"$m")") || return 0
  fi
  cfg=$(jq -r '.config.digest' <<<"$m")
  curl -fsS "http://$REG/v2/$1/blobs/$cfg" 2>/dev/null | jq -r --arg l "$LABEL" '.config.Labels[$l] // empty'
}

install_clients() {
  local missing=() p
  for p in "${CLIENTS[@]}" debootstrap; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages on the runner: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# The mirror apt uses here (deb822 or one-line sources), so debootstrap reaches
# exactly what apt-get reaches.
mirror() {
  local m
  m=$(grep -hoE '^URIs: *\S+/debian/?$' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1 | awk '{print $2}')
  [ -n "$m" ] || m=$(grep -hoE '^deb +\S+/debian/? ' /etc/apt/sources.list 2>/dev/null | head -1 | awk '{print $2}')
  echo "${DEBIAN_MIRROR:-${m:-http://deb.debian.org/debian}}"
}

# One root for all four servers: one debootstrap and one ~100 MB layer shared
# by the four images in the content store and the registry, instead of four
# debootstraps (each ~1 min) of mostly the same packages.
make_rootfs() {
  local root=$1 mirror security
  mirror=$(mirror)
  security=${DEBIAN_SECURITY_MIRROR:-${mirror%/debian}/debian-security}
  log "debootstrap $SUITE (minbase) from $mirror"
  debootstrap --variant=minbase "$SUITE" "$root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log" >&2; die "debootstrap failed (log above)"; }
  cat >"$root/etc/apt/sources.list" <<SOURCES
deb $mirror $SUITE main
deb $mirror $SUITE-updates main
deb $security $SUITE-security main
SOURCES
  # No docs, man pages or translations in the image; package scripts must not
  # start servers in the chroot; PostgreSQL's package must not make a cluster
  # (the entrypoint makes one on first start, as the official image does).
  cat >"$root/etc/dpkg/dpkg.cfg.d/01-nodoc" <<'NODOC'
path-exclude /usr/share/doc/*
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
NODOC
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod +x "$root/usr/sbin/policy-rc.d"
  mkdir -p "$root/etc/postgresql-common/createcluster.d"
  echo 'create_main_cluster = false' >"$root/etc/postgresql-common/createcluster.d/00-no-main.conf"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  log "installing ${PACKAGES[*]}"
  # A private mount namespace: /proc goes away with it, whatever happens.
  unshare -m bash -ec '
    mount -t proc proc "$1/proc"
    chroot "$1" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive chroot "$1" apt-get install -y -qq --no-install-recommends "${@:2}"
    chroot "$1" apt-get clean' _ "$root" "${PACKAGES[@]}" >"$work/apt.log" 2>&1 ||
    { tail -20 "$work/apt.log" >&2; die "apt-get install in the root failed (log above)"; }
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/* "$root"/var/log/*.log "$root"/var/log/apt \
    "$root"/var/lib/mysql "$root"/usr/sbin/policy-rc.d "$root"/etc/resolv.conf "$root"/tmp/* \
    "$root"/usr/share/doc "$root"/usr/share/man "$root"/usr/share/info "$root"/usr/share/i18n \
    "$root"/usr/share/locale/*/LC_MESSAGES
  # PostgreSQL's JIT brings LLVM and z3 (130 MB of the 480). Without its
  # provider library the server runs with JIT unavailable, silently, as
  # builds without LLVM do; tests never need it.
  rm -rf "$root"/usr/lib/postgresql/*/lib/llvmjit* "$root"/usr/lib/postgresql/*/lib/bitcode \
    "$root"/usr/lib/*-linux-gnu/libLLVM-* "$root"/usr/lib/*-linux-gnu/libz3.so*
  mkdir -p "$root/var/cache/apt/archives/partial" "$root/var/lib/apt/lists/partial"
  : >"$root/etc/resolv.conf"
  tar -C "$root" --numeric-owner -cf "$work/base/rootfs.tar" .
}

missing=()
for s in "${SERVICES[@]}"; do
  [ "$(recipe_of "services/$s" "${TAGS[$s]}")" = "$recipe" ] || missing+=("$s")
done
install_clients
if [ ${#missing[@]} -gt 0 ]; then
  start=$SECONDS
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  if [ -z "$(manifest services/debian-base "$SUITE-$rootfs_recipe")" ]; then
    mkdir -p "$work/base"
    make_rootfs "$work/rootfs"
    rm -rf "$work/rootfs"
    # BuildKit writes a `created` on every history entry: nerdctl 2.3.5's
    # `image inspect` panics on an image without one (an import would lack it).
    printf 'FROM scratch\nADD rootfs.tar /\nCMD ["bash"]\n' >"$work/base/Dockerfile"
    log "building $BASE"
    locked bash -ec 'nerdctl build --progress plain -t "$1" "$2" && nerdctl push "$1"' _ "$BASE" "$work/base" >"$work/build.log" 2>&1 ||
      { tail -30 "$work/build.log" >&2; die "building the base failed"; }
    rm -rf "$work/base"
    # Bases of earlier recipes: nothing uses them once the images are rebuilt.
    stale=$(locked nerdctl image ls --format '{{.Repository}}:{{.Tag}}' | grep "^$REG/services/debian-base:" | grep -vxF "$BASE" || true)
    [ -z "$stale" ] || locked nerdctl rmi $stale >/dev/null 2>&1 || true
  fi
  cp scripts/service-images/* "$work/"
  for s in "${missing[@]}"; do
    ref=$REG/services/$s:${TAGS[$s]}
    log "building $ref"
    locked bash -ec 'nerdctl build --progress plain --target "$3" --build-arg "BASE=$4" --label "$5" -t "$1" "$2" && nerdctl push "$1"' \
      _ "$ref" "$work" "$s" "$BASE" "$LABEL=$recipe" >"$work/build.log" 2>&1 ||
      { tail -30 "$work/build.log" >&2; die "building $ref failed"; }
  done
  log "built ${missing[*]} in $((SECONDS - start)) s"
fi
for s in "${SERVICES[@]}"; do echo "$REG/services/$s:${TAGS[$s]}"; done
