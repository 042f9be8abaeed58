#!/usr/bin/env bash
# Records __tests__/fixtures/ from the real nerdctl against the running stack.
# The unit tests parse only what this script wrote; nobody edits a fixture by
# hand. Re-run it after changing the pinned nerdctl version:
#   sudo bash scripts/record-fixtures.sh
# One step alone, leaving every other fixture as it is:
#   sudo bash scripts/record-fixtures.sh push-platforms
#   sudo bash scripts/record-fixtures.sh not-root      (needs sudo installed)
#   sudo bash scripts/record-fixtures.sh rootless      (starts scripts/rootless-stack.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash scripts/stack.sh env)"

OUT=__tests__/fixtures
IMG=$NERDCTL_TEST_BASE_IMAGE
P=fixture-$$
mkdir -p "$OUT"
# What the multi-platform push step makes; cleanup removes exactly these.
PUSH_TAG=$NERDCTL_TEST_REGISTRY/fixture/platforms:$P
PUSH_CTX=
# What the single-platform push step makes.
DIGEST_TAG=$NERDCTL_TEST_REGISTRY/fixture/digests:$P
DIGEST_CTX=

cleanup() {
  nerdctl rm -f "$P-running" "$P-exited" "$P-created" "$P-healthy" "$P-unhealthy" "$P-starting" >/dev/null 2>&1 || true
  nerdctl rmi -f "$PUSH_TAG" >/dev/null 2>&1 || true
  [ -z "$PUSH_CTX" ] || rm -rf "$PUSH_CTX"
  nerdctl rmi -f "$DIGEST_TAG" >/dev/null 2>&1 || true
  [ -z "$DIGEST_CTX" ] || rm -rf "$DIGEST_CTX"
  nerdctl rm -f "$P-svc" >/dev/null 2>&1 || true
  nerdctl network rm "$P-net" >/dev/null 2>&1 || true
  nerdctl rm -f "$P-vol-user" >/dev/null 2>&1 || true
  nerdctl volume rm "$P-vol" >/dev/null 2>&1 || true
  disk_cleanup
  fault_stop
  [ -z "$FAULT_DIR" ] || rm -rf "$FAULT_DIR"
}
trap cleanup EXIT

# record NAME COMMAND...: stdout into NAME, and a NAME.meta.json with the argv,
# exit code and stderr, so error fixtures are as real as the success ones.
record() {
  local name=$1; shift
  local rc=0
  "$@" >"$OUT/$name" 2>"$OUT/.stderr" || rc=$?
  jq -n --arg stderr "$(cat "$OUT/.stderr")" --argjson exitCode "$rc" \
    --args '{args: $ARGS.positional, exitCode: $exitCode, stderr: $stderr}' -- "${@:2}" >"$OUT/$name.meta.json"
  rm -f "$OUT/.stderr"
}

# What an older nerdctl (the last 1.x, built by scripts/old-nerdctl.sh) says:
# its versions, a run with a flag it lacks, and its start under a config
# written for a newer nerdctl. Its own config is a minimal one (the stack's has
# fields 1.x refuses in strict mode), as a runner set up for it would have.
record_old_nerdctl() {
  local old toml
  old=$(bash scripts/old-nerdctl.sh)
  toml=$(mktemp)
  printf 'cni_path = "/usr/lib/cni"\n' >"$toml"
  record version-old.json env NERDCTL_TOML="$toml" "$old" version --format '{{json .}}'
  record error-old-unknown-flag.txt env NERDCTL_TOML="$toml" "$old" run --rm --health-cmd true "$IMG" true
  record error-old-config.txt "$old" version --format '{{json .}}'
  rm -f "$toml"
}

# What `nerdctl push` prints for a two-platform image (a FROM + COPY build on the
# stack's busybox:multi, no emulation needed), with --all-platforms and without
# (a reduced-platform push of the host's platform), and the manifest the
# registry then serves: its sha256 is the digest a parser should find.
record_push_platforms() {
  local accept=application/vnd.oci.image.index.v1+json,application/vnd.oci.image.manifest.v1+json
  local url="http://$NERDCTL_TEST_REGISTRY/v2/fixture/platforms/manifests/$P"
  PUSH_CTX=$(mktemp -d)
  printf 'FROM %s\nCOPY stamp.txt /stamp.txt\n' "$NERDCTL_TEST_MULTI_IMAGE" >"$PUSH_CTX/Dockerfile"
  printf '%s\n' "$PUSH_TAG" >"$PUSH_CTX/stamp.txt"
  nerdctl build --platform linux/amd64,linux/arm64 -t "$PUSH_TAG" "$PUSH_CTX" >/dev/null 2>&1
  record push-all-platforms.txt nerdctl push --all-platforms "$PUSH_TAG"
  record push-all-platforms.registry.json curl -fsS -H "Accept: $accept" "$url"
  record push-reduced-platform.txt nerdctl push "$PUSH_TAG"
  record push-reduced-platform.registry.json curl -fsS -H "Accept: $accept" "$url"
  nerdctl rmi "$PUSH_TAG" >/dev/null
}

# What `nerdctl push` prints for single-platform builds that BuildKit stored
# itself (no archive, so the target carries no ref-name annotation): one with
# provenance, pushed whole (the tag becomes an index of the image and its
# attestation manifest), and one without, pushed as nerdctl pushes by default.
# Each with the manifest the registry then serves for the tag.
record_push_digests() {
  local accept=application/vnd.oci.image.index.v1+json,application/vnd.oci.image.manifest.v1+json,application/vnd.docker.distribution.manifest.list.v2+json,application/vnd.docker.distribution.manifest.v2+json
  local url="http://$NERDCTL_TEST_REGISTRY/v2/fixture/digests/manifests/$P"
  DIGEST_CTX=$(mktemp -d)
  printf 'FROM %s\nCOPY stamp.txt /stamp.txt\n' "$IMG" >"$DIGEST_CTX/Dockerfile"
  printf '%s\n' "$DIGEST_TAG" >"$DIGEST_CTX/stamp.txt"
  nerdctl build --provenance=mode=min -t "$DIGEST_TAG" "$DIGEST_CTX" >/dev/null 2>&1
  record inspect-image-native-attested.json nerdctl image inspect --mode=native "$DIGEST_TAG"
  record push-attested.txt nerdctl push --all-platforms "$DIGEST_TAG"
  record push-attested.registry.json curl -fsS -H "Accept: $accept" "$url"
  nerdctl rmi "$DIGEST_TAG" >/dev/null
  nerdctl build -t "$DIGEST_TAG" "$DIGEST_CTX" >/dev/null 2>&1
  record push-single.txt nerdctl push "$DIGEST_TAG"
  record push-single.registry.json curl -fsS -H "Accept: $accept" "$url"
  nerdctl rmi "$DIGEST_TAG" >/dev/null
}

# A labelled named volume, listed and inspected; what nerdctl says for a
# volume that is not there, and for removing one a container still uses.
record_volumes() {
  nerdctl volume create --label fixture=1 --label io.github.nerdctl-action.step=fixture "$P-vol" >/dev/null 2>&1
  record volume-ls.jsonl nerdctl volume ls --filter label=fixture=1 --format '{{json .}}'
  record volume-inspect.json nerdctl volume inspect "$P-vol"
  record volume-create-existing.txt nerdctl volume create --label other=1 "$P-vol"
  record error-volume-inspect-missing.txt nerdctl volume inspect "$P-missing"
  nerdctl run -d --name "$P-vol-user" -v "$P-vol:/data" "$IMG" sleep 60 >/dev/null 2>&1
  record error-volume-rm-in-use.txt nerdctl volume rm "$P-vol"
  nerdctl rm -f "$P-vol-user" >/dev/null 2>&1
  nerdctl volume rm "$P-vol" >/dev/null 2>&1
}

# A labelled network of a service environment, listed and inspected, and a
# container on it (its address on a user network, its hostname).
record_networks() {
  nerdctl network create --label fixture=1 --label io.github.nerdctl-action.step=fixture "$P-net" >/dev/null 2>&1
  nerdctl run -d --name "$P-svc" --hostname db --network "$P-net" -p 127.0.0.1::80 "$IMG" \
    httpd -f -p 80 -h /var/www >/dev/null 2>&1
  record network-ls.jsonl nerdctl network ls --filter label=fixture=1 --format '{{json .}}'
  record network-inspect.json nerdctl network inspect "$P-net"
  record inspect-on-network.json nerdctl inspect "$P-svc"
  record error-network-rm-missing.txt nerdctl network rm "$P-missing"
  # A create on a subnet another network has (two steps picked it at once).
  local taken
  taken=$(nerdctl network inspect "$P-net" --format '{{(index .IPAM.Config 0).Subnet}}')
  record error-network-subnet-overlap.txt nerdctl network create --subnet "$taken" "$P-net2"
  nerdctl network rm "$P-net2" >/dev/null 2>&1 || true
  nerdctl rm -f "$P-svc" >/dev/null
  nerdctl network rm "$P-net" >/dev/null 2>&1
}

# What nerdctl prints when a registry misbehaves, through the test suite's
# fault-injecting proxy (__tests__/helpers/fault-registry.ts, compiled alone
# and run as a command), one fault per recording: the registry-errors
# classifier and the hints are tested over these. Push and pull run with
# --debug as the library runs them when it retries (the debug lines carry the
# registry's Retry-After). containerd retries a 5xx once and a 429 or a
# dropped connection up to four more times, so each rule outlasts those tries.
FAULT_DIR=
FAULT_PID=
fault_start() { # UPSTREAM RULES-JSON [LISTEN-HOST]: sets FAULT_HOST
  node "$FAULT_DIR/fault-registry.js" "$@" >"$FAULT_DIR/host" 2>/dev/null &
  FAULT_PID=$!
  for _ in $(seq 50); do [ -s "$FAULT_DIR/host" ] && break; sleep 0.1; done
  FAULT_HOST=$(cat "$FAULT_DIR/host")
}
fault_stop() { [ -z "$FAULT_PID" ] || kill "$FAULT_PID" 2>/dev/null || true; wait "$FAULT_PID" 2>/dev/null || true; FAULT_PID=; }
# fault_push NAME RULES-JSON [LISTEN-HOST [HOST-NAME]]: a push through a fresh proxy
fault_push() {
  local name=$1 rules=$2 listen=${3:-127.0.0.1} alias=${4:-}
  fault_start "$NERDCTL_TEST_REGISTRY" "$rules" "$listen"
  local host=$FAULT_HOST
  [ -z "$alias" ] || host="$alias:${FAULT_HOST##*:}"
  nerdctl tag "$IMG" "$host/fixture/faults:$P"
  record "$name" nerdctl --debug push "$host/fixture/faults:$P"
  nerdctl rmi "$host/fixture/faults:$P" >/dev/null
  fault_stop
}
record_registry_faults() {
  FAULT_DIR=$(mktemp -d)
  npx tsc --outDir "$FAULT_DIR" --module nodenext --moduleResolution nodenext --target es2022 \
    --strict --skipLibCheck --types node __tests__/helpers/fault-registry.ts
  echo '{"type":"module"}' >"$FAULT_DIR/package.json"
  local manifest='"method":"PUT","path":"/manifests/"'
  fault_push error-registry-503.txt "[{$manifest,\"fault\":{\"status\":503},\"times\":2}]"
  fault_push error-registry-502.txt "[{$manifest,\"fault\":{\"status\":502},\"times\":2}]"
  fault_push error-registry-500.txt "[{$manifest,\"fault\":{\"status\":500},\"times\":2}]"
  fault_push error-registry-429.txt "[{$manifest,\"fault\":{\"status\":429,\"headers\":{\"Retry-After\":\"7\"}},\"times\":5}]"
  fault_push error-registry-429-date.txt "[{$manifest,\"fault\":{\"status\":429,\"headers\":{\"Retry-After\":\"Wed, 21 Oct 2015 07:28:00 GMT\"}},\"times\":5}]"
  fault_push error-registry-reset.txt "[{$manifest,\"fault\":{\"reset\":true},\"times\":5}]"
  # A name that resolves to loopback but is not "localhost" or an IP: nerdctl
  # speaks HTTPS to it, so the plain-HTTP proxy answers a TLS hello.
  local alias
  alias=$(getent hosts "$(hostname)" | awk '$1 ~ /^127\./ {print $2; exit}')
  if [ -n "$alias" ]; then
    fault_push error-registry-http-to-https.txt '[]' 127.0.0.1 "$alias"
  fi
  # Nothing listens on the port of a proxy just stopped.
  fault_start "$NERDCTL_TEST_REGISTRY" '[]'
  local refused=$FAULT_HOST
  fault_stop
  nerdctl tag "$IMG" "$refused/fixture/faults:$P"
  record error-registry-refused.txt nerdctl --debug push "$refused/fixture/faults:$P"
  nerdctl rmi "$refused/fixture/faults:$P" >/dev/null
  # A name that does not resolve. In a network namespace of its own, with no
  # interface but loopback, the resolver's query cannot leave this machine:
  # nerdctl still reaches containerd over its unix socket.
  nerdctl tag "$IMG" "no-such-registry.invalid/fixture/faults:$P"
  record error-registry-dns.txt unshare --net nerdctl --debug push "no-such-registry.invalid/fixture/faults:$P"
  nerdctl rmi "no-such-registry.invalid/fixture/faults:$P" >/dev/null
  # Permanent failures: a wrong password, a missing tag, a bad reference.
  fault_start "$NERDCTL_TEST_AUTH_REGISTRY" '[]'
  local cfg
  cfg=$(mktemp -d)
  record error-login-wrong-password.txt env DOCKER_CONFIG="$cfg" nerdctl login --username "$NERDCTL_TEST_AUTH_USER" --password-stdin "$FAULT_HOST" <<<"not-the-password"
  rm -rf "$cfg"
  fault_stop
  fault_start "$NERDCTL_TEST_REGISTRY" '[]'
  record error-pull-missing-tag.txt nerdctl --debug pull "$FAULT_HOST/fixture/missing:none"
  fault_stop
  record error-pull-bad-reference.txt nerdctl --debug pull "127.0.0.1:5000/Fixture/UPPER:case"
  rm -rf "$FAULT_DIR"
}

# The image descriptors buildx-style build metadata is rebuilt from: a
# single-platform image (a manifest) and a two-platform one (an index).
record_native_inspect() {
  record inspect-image-native.json nerdctl image inspect --mode=native "$IMG"
  record inspect-image-native-index.json nerdctl image inspect --mode=native "$NERDCTL_TEST_MULTI_IMAGE"
}

# BuildKit's plain progress of a build whose every step comes from the cache:
# the same Dockerfile twice, the second run recorded (stderr into stdout, where
# nerdctl prints progress).
# What `nerdctl compose config` prints (compose-go's merged model) for the
# Compose files in compose-files/, and what it says about broken ones.
record_compose() {
  local d=$OUT/compose-files
  record compose-config-stack.yaml nerdctl compose -f "$d/stack.yml" -f "$d/overlay.yml" -p fixture-compose config
  record compose-config-stack-cache.yaml nerdctl compose -f "$d/stack.yml" -p fixture-compose --profile cache config
  record compose-config-unsupported.yaml nerdctl compose -f "$d/unsupported.yml" -p fixture-compose config
  # An unknown volume option (a typo of ro): compose config drops it without a word.
  record compose-config-volume-mode-typo.yaml nerdctl compose -f "$d/volume-mode-typo.yml" -p fixture-compose config
  local bad
  for bad in unknown-dep cycle bad-condition yaml-error bad-port; do
    record "error-compose-$bad.txt" nerdctl compose -f "$d/$bad.yml" -p fixture-compose config
  done
  record error-compose-missing-file.txt nerdctl compose -f "$d/no-such-file.yml" -p fixture-compose config
}

record_build_cached() {
  local ctx
  ctx=$(mktemp -d)
  printf 'FROM %s\nRUN echo one > /one\nRUN echo two > /two\nCOPY note.txt /note.txt\n' "$IMG" >"$ctx/Dockerfile"
  echo fixture >"$ctx/note.txt"
  nerdctl build --progress plain -t "fixture/cached:$P" "$ctx" >/dev/null 2>&1
  record build-cached.txt bash -c 'nerdctl build --progress plain -t "$1" "$2" 2>&1' _ "fixture/cached:$P" "$ctx"
  record build-uncached.txt bash -c 'nerdctl build --progress plain --no-cache -t "$1" "$2" 2>&1' _ "fixture/cached:$P" "$ctx"
  nerdctl rmi "fixture/cached:$P" >/dev/null
  rm -rf "$ctx"
}

# What the disk budget reads (nerdctl has no `system df`): a stopped
# container's size with --size, a volume's, an inspect with a named volume
# mounted, an image labelled keep (listing and inspect), and the local
# BuildKit's cache records.
DISK_CTX=
disk_cleanup() {
  nerdctl rm -f "$P-disk" >/dev/null 2>&1 || true
  nerdctl volume rm "$P-disk-vol" >/dev/null 2>&1 || true
  nerdctl rmi "fixture/keep:$P" >/dev/null 2>&1 || true
  [ -z "$DISK_CTX" ] || rm -rf "$DISK_CTX"
}
record_disk() {
  nerdctl volume create --label fixture=disk "$P-disk-vol" >/dev/null
  nerdctl run --name "$P-disk" --label fixture=disk -v "$P-disk-vol:/data" "$IMG" \
    sh -c 'head -c 100000 /dev/zero > /data/z; head -c 50000 /dev/zero > /z' >/dev/null
  record ps-size.jsonl nerdctl ps -a --no-trunc --size --filter "name=$P-disk" --format '{{json .}}'
  record volume-ls-size.jsonl nerdctl volume ls --size --filter "name=$P-disk-vol" --format '{{json .}}'
  record inspect-volume-mount.json nerdctl container inspect "$P-disk"
  DISK_CTX=$(mktemp -d)
  printf 'FROM %s\nLABEL io.github.nerdctl-action.keep=true\n' "$IMG" >"$DISK_CTX/Dockerfile"
  nerdctl build -t "fixture/keep:$P" "$DISK_CTX" >/dev/null 2>&1
  record images-keep.jsonl nerdctl images --no-trunc --format '{{json .}}' "fixture/keep:$P"
  record inspect-image-keep.json nerdctl image inspect "fixture/keep:$P"
  # Only records of plain build steps: the whole cache depends on what ran before.
  record buildctl-du.json buildctl du --filter 'type==regular' --format '{{json .}}'
  disk_cleanup
}

case "${1:-all}" in
  all) ;;
  disk)
    record_disk
    echo "recorded ps-size, volume-ls-size, inspect-volume-mount, images-keep, inspect-image-keep and buildctl-du in $OUT with $(nerdctl --version)"
    exit 0
    ;;
  not-root)
    id nerdctl-fixture >/dev/null 2>&1 || useradd --create-home nerdctl-fixture
    record error-not-root.txt runuser -u nerdctl-fixture -- nerdctl ps
    record error-sudo-password.txt runuser -u nerdctl-fixture -- sudo -n -- nerdctl ps
    echo "recorded error-not-root.txt and error-sudo-password.txt in $OUT"
    exit 0
    ;;
  rootless)
    # A rootless nerdctl's own failures, from scripts/rootless-stack.sh's user.
    bash scripts/rootless-stack.sh up >/dev/null
    eval "$(bash scripts/rootless-stack.sh env)"
    record error-rootless-privileged-port.txt runuser -u "$NERDCTL_ROOTLESS_USER" -- env -i \
      HOME="$NERDCTL_ROOTLESS_HOME" XDG_RUNTIME_DIR="$NERDCTL_ROOTLESS_XDG_RUNTIME_DIR" PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
      nerdctl run --rm -p 127.0.0.1:80:80 "$IMG" true
    runuser -u "$NERDCTL_ROOTLESS_USER" -- env -i HOME="$NERDCTL_ROOTLESS_HOME" \
      XDG_RUNTIME_DIR="$NERDCTL_ROOTLESS_XDG_RUNTIME_DIR" PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
      nerdctl run -d --name "$P-rootless" "$IMG" sleep 60 >/dev/null
    record error-rootless-stats.txt runuser -u "$NERDCTL_ROOTLESS_USER" -- env -i \
      HOME="$NERDCTL_ROOTLESS_HOME" XDG_RUNTIME_DIR="$NERDCTL_ROOTLESS_XDG_RUNTIME_DIR" PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
      nerdctl stats --no-stream "$P-rootless"
    runuser -u "$NERDCTL_ROOTLESS_USER" -- env -i HOME="$NERDCTL_ROOTLESS_HOME" \
      XDG_RUNTIME_DIR="$NERDCTL_ROOTLESS_XDG_RUNTIME_DIR" PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
      nerdctl stop -t 0 "$P-rootless" >/dev/null
    record error-rootless-cp-stopped.txt runuser -u "$NERDCTL_ROOTLESS_USER" -- env -i \
      HOME="$NERDCTL_ROOTLESS_HOME" XDG_RUNTIME_DIR="$NERDCTL_ROOTLESS_XDG_RUNTIME_DIR" PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
      nerdctl cp "$P-rootless:/etc/hostname" -
    runuser -u "$NERDCTL_ROOTLESS_USER" -- env -i HOME="$NERDCTL_ROOTLESS_HOME" \
      XDG_RUNTIME_DIR="$NERDCTL_ROOTLESS_XDG_RUNTIME_DIR" PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
      nerdctl rm -f "$P-rootless" >/dev/null
    echo "recorded error-rootless-{privileged-port,stats,cp-stopped}.txt in $OUT"
    exit 0
    ;;
  volumes)
    record_volumes
    echo "recorded volume fixtures in $OUT with $(nerdctl --version)"
    exit 0
    ;;
  networks)
    record_networks
    echo "recorded network fixtures in $OUT with $(nerdctl --version)"
    exit 0
    ;;
  compose)
    record_compose
    exit 0
    ;;
  build-cached)
    record_build_cached
    echo "recorded build-cached.txt and build-uncached.txt in $OUT with $(nerdctl --version)"
    exit 0
    ;;
  native-inspect)
    record_native_inspect
    echo "recorded inspect-image-native*.json in $OUT with $(nerdctl --version)"
    exit 0
    ;;
  old-nerdctl)
    record_old_nerdctl
    echo "recorded version-old.json, error-old-unknown-flag.txt, error-old-config.txt in $OUT"
    exit 0
    ;;
  push-platforms)
    record_push_platforms
    echo "recorded push-all-platforms and push-reduced-platform in $OUT with $(nerdctl --version)"
    exit 0
    ;;
  push-digests)
    record_push_digests
    echo "recorded push-attested, push-single and inspect-image-native-attested in $OUT with $(nerdctl --version)"
    exit 0
    ;;
  registry-faults)
    record_registry_faults
    echo "recorded error-registry-*, error-login-wrong-password, error-pull-* in $OUT with $(nerdctl --version)"
    exit 0
    ;;
  *) echo "usage: $0 [old-nerdctl|push-platforms|push-digests|networks|volumes|registry-faults|native-inspect|build-cached|disk]" >&2; exit 2 ;;
esac

# Everything: start from an empty fixture directory, so no fixture outlives
# the recording that made it.
rm -f "$OUT"/*
cleanup

nerdctl run -d --name "$P-running" --label fixture=1 -p 127.0.0.1:18080:80 -e FOO=bar -e EQ=a=b \
  --memory 64m --cpus 0.5 "$IMG" httpd -f -p 80 -h /var/www >/dev/null
nerdctl run -d --name "$P-exited" "$IMG" sh -c 'echo out; echo err >&2; exit 3' >/dev/null
nerdctl create --name "$P-created" "$IMG" sleep 60 >/dev/null
nerdctl run -d --name "$P-healthy" --health-cmd 'test -d /' --health-interval 30s "$IMG" sleep 600 >/dev/null
nerdctl run -d --name "$P-unhealthy" --health-cmd 'echo probe-said-no; exit 1' --health-retries 1 "$IMG" sleep 600 >/dev/null
nerdctl run -d --name "$P-starting" --health-cmd 'true' --health-interval 30s "$IMG" sleep 600 >/dev/null
nerdctl container healthcheck "$P-healthy" >/dev/null
nerdctl container healthcheck "$P-unhealthy" >/dev/null 2>&1 || true
nerdctl wait "$P-exited" >/dev/null

record inspect-running.json nerdctl inspect "$P-running"
record inspect-exited.json nerdctl inspect "$P-exited"
record inspect-created.json nerdctl inspect "$P-created"
record inspect-healthy.json nerdctl inspect "$P-healthy"
record inspect-unhealthy.json nerdctl inspect "$P-unhealthy"
record inspect-starting.json nerdctl inspect "$P-starting"
record inspect-image.json nerdctl image inspect "$IMG"
record_native_inspect
record_build_cached
record ps.jsonl nerdctl ps -a --no-trunc --filter "name=$P" --format '{{json .}}'
# Only the base image: the rest of the store depends on what ran before.
record images.jsonl nerdctl images --no-trunc --format '{{json .}}' "$IMG"
record stats.jsonl nerdctl stats --no-stream --no-trunc --format '{{json .}}' "$P-running" "$P-healthy"
record version.json nerdctl version --format '{{json .}}'
record healthcheck-unhealthy.txt nerdctl container healthcheck "$P-unhealthy"

record error-exec-exit-code.txt nerdctl exec "$P-running" sh -c 'echo partial-output; exit 9'
record error-no-such-container.txt nerdctl inspect "$P-missing"
record error-container-inspect-missing.txt nerdctl container inspect "$P-missing"
record error-rm-missing.txt nerdctl rm "$P-missing"
record error-no-such-image.txt nerdctl run --rm --pull never 127.0.0.1:5000/fixture/missing:none true
record error-name-in-use.txt nerdctl run -d --name "$P-running" "$IMG" true
nerdctl tag "$IMG" "$NERDCTL_TEST_AUTH_REGISTRY/fixture/busybox:unauthorized"
anon=$(mktemp -d)
record error-push-unauthorized.txt env DOCKER_CONFIG="$anon" nerdctl push "$NERDCTL_TEST_AUTH_REGISTRY/fixture/busybox:unauthorized"
nerdctl rmi "$NERDCTL_TEST_AUTH_REGISTRY/fixture/busybox:unauthorized" >/dev/null
rm -rf "$anon"
record error-bad-flag.txt nerdctl run --no-such-flag "$IMG"
record error-buildkit-down.txt nerdctl build --buildkit-host unix:///nonexistent/buildkitd.sock -t fixture/none .
record error-containerd-down.txt nerdctl --address /nonexistent/containerd.sock ps
# A runner user that is not root: nerdctl takes it for rootless mode.
id nerdctl-fixture >/dev/null 2>&1 || useradd --create-home nerdctl-fixture
record error-not-root.txt runuser -u nerdctl-fixture -- nerdctl ps
# The same user with the sudo option and no sudoers entry: sudo -n refuses.
record error-sudo-password.txt runuser -u nerdctl-fixture -- sudo -n -- nerdctl ps
record_push_platforms
record_push_digests
record_networks
record_volumes
record_registry_faults
record_old_nerdctl
record_disk
record_compose

echo "recorded $(ls "$OUT" | wc -l) files in $OUT with $(nerdctl --version)"
