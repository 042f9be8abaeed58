#!/usr/bin/env bash
# Records __tests__/fixtures/ from the real nerdctl against the running stack.
# The unit tests parse only what this script wrote; nobody edits a fixture by
# hand. Re-run it after changing the pinned nerdctl version:
#   sudo bash scripts/record-fixtures.sh
# One step alone, leaving every other fixture as it is:
#   sudo bash scripts/record-fixtures.sh push-platforms
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

cleanup() {
  nerdctl rm -f "$P-running" "$P-exited" "$P-created" "$P-healthy" "$P-unhealthy" "$P-starting" >/dev/null 2>&1 || true
  nerdctl rmi -f "$PUSH_TAG" >/dev/null 2>&1 || true
  [ -z "$PUSH_CTX" ] || rm -rf "$PUSH_CTX"
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

# The image descriptors buildx-style build metadata is rebuilt from: a
# single-platform image (a manifest) and a two-platform one (an index).
record_native_inspect() {
  record inspect-image-native.json nerdctl image inspect --mode=native "$IMG"
  record inspect-image-native-index.json nerdctl image inspect --mode=native "$NERDCTL_TEST_MULTI_IMAGE"
}

# BuildKit's plain progress of a build whose every step comes from the cache:
# the same Dockerfile twice, the second run recorded (stderr into stdout, where
# nerdctl prints progress).
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

case "${1:-all}" in
  all) ;;
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
  push-platforms)
    record_push_platforms
    echo "recorded push-all-platforms and push-reduced-platform in $OUT with $(nerdctl --version)"
    exit 0
    ;;
  *) echo "usage: $0 [push-platforms|native-inspect|build-cached]" >&2; exit 2 ;;
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
record_push_platforms

echo "recorded $(ls "$OUT" | wc -l) files in $OUT with $(nerdctl --version)"
