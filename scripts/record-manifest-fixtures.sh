#!/usr/bin/env bash
# Records __tests__/fixtures/manifest-* from nerdctl 2.3.5's `manifest`
# commands against the running stack: what the typed wrappers (manifestCreate,
# manifestAnnotate, manifestPush, manifestInspect) parse, and the failures that
# made `mergeDigests` use crane instead (an index as an entry, an attestation
# manifest without a platform, entries from another repository). Run it under
# the stack lock:  bash scripts/record-manifest-fixtures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash scripts/stack.sh env)"

OUT=__tests__/fixtures
P=fixture-$$
REPO=$NERDCTL_TEST_REGISTRY/fixture/manifest
LIST=$REPO:$P
CTX=$(mktemp -d)
cleanup() {
  nerdctl manifest rm "$LIST" "$REPO:$P-bare" "$NERDCTL_TEST_REGISTRY/fixture/manifest-other:$P" >/dev/null 2>&1 || true
  rm -rf "$CTX"
}
trap cleanup EXIT

# record NAME COMMAND...: as scripts/record-fixtures.sh does (stdout, and a .meta.json).
record() {
  local name=$1; shift
  local rc=0
  "$@" >"$OUT/$name" 2>"$OUT/.stderr" || rc=$?
  jq -n --arg stderr "$(cat "$OUT/.stderr")" --argjson exitCode "$rc" \
    --args '{args: $ARGS.positional, exitCode: $exitCode, stderr: $stderr}' -- "${@:2}" >"$OUT/$name.meta.json"
  rm -f "$OUT/.stderr"
}

# One build per platform, pushed by digest with provenance, as a runner of a
# matrix does: each is an index (image manifest + attestation manifest).
printf 'FROM %s\nCOPY stamp.txt /stamp.txt\n' "$NERDCTL_TEST_MULTI_IMAGE" >"$CTX/Dockerfile"
printf '%s\n' "$P" >"$CTX/stamp.txt"
declare -A INDEX
for arch in amd64 arm64; do
  nerdctl build --progress plain --iidfile "$CTX/iid-$arch" --platform "linux/$arch" --provenance mode=min \
    --output "type=image,name=$REPO,push-by-digest=true,name-canonical=true,push=true,danging-name-empty-only=true,store=false" \
    "$CTX" >/dev/null 2>&1
  INDEX[$arch]=$(cat "$CTX/iid-$arch")
done
children() { # ARCH: the image and attestation manifests of that build, as REPO@DIGEST
  curl -fsS -H 'Accept: application/vnd.oci.image.index.v1+json' \
    "http://$NERDCTL_TEST_REGISTRY/v2/fixture/manifest/manifests/${INDEX[$1]}" |
    jq -r --arg r "$REPO" '.manifests[] | "\($r)@\(.digest)"'
}
mapfile -t AMD < <(children amd64)
mapfile -t ARM < <(children arm64)

record manifest-inspect-build.json nerdctl manifest inspect "$REPO@${INDEX[amd64]}"
record manifest-inspect-build-verbose.json nerdctl manifest inspect --verbose "$REPO@${INDEX[amd64]}"
record manifest-inspect-image.json nerdctl manifest inspect "${AMD[0]}"
record error-manifest-create-index.txt nerdctl manifest create "$LIST" "$REPO@${INDEX[amd64]}" "$REPO@${INDEX[arm64]}"
record manifest-create.txt nerdctl manifest create "$LIST" "${AMD[@]}" "${ARM[@]}"
record error-manifest-push-no-platform.txt nerdctl manifest push "$LIST"
record manifest-annotate.txt nerdctl manifest annotate "$LIST" "${AMD[1]}" --os unknown --arch unknown
nerdctl manifest annotate "$LIST" "${ARM[1]}" --os unknown --arch unknown
record manifest-push.txt nerdctl manifest push --purge "$LIST"
# What the registry then serves: the attestation annotations are gone.
record manifest-pushed-index.json curl -fsS -H 'Accept: application/vnd.oci.image.index.v1+json' \
  "http://$NERDCTL_TEST_REGISTRY/v2/fixture/manifest/manifests/$P"
record manifest-inspect-pushed.json nerdctl manifest inspect "$LIST"
record error-manifest-inspect-missing.txt nerdctl manifest inspect "$REPO:$P-missing"
# Another repository of the same registry: nerdctl mounts no blob.
nerdctl manifest create "$NERDCTL_TEST_REGISTRY/fixture/manifest-other:$P" "${AMD[0]}" "${ARM[0]}" >/dev/null
record error-manifest-push-other-repo.txt nerdctl manifest push --purge "$NERDCTL_TEST_REGISTRY/fixture/manifest-other:$P"
echo "recorded manifest fixtures in $OUT with $(nerdctl --version)"
