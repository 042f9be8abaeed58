#!/usr/bin/env bash
# Records what the real cosign prints into __tests__/fixtures/cosign-*, in the
# form of scripts/record-fixtures.sh (stdout in NAME, argv, exit code and
# stderr in NAME.meta.json): a verification that passed, one of an unsigned
# image, one with the wrong key, a signing with the wrong password. Needs the
# stack and cosign (scripts/cosign.sh); key pairs are made in a temporary
# directory and removed; nothing leaves the machine (key, no transparency log).
#   bash scripts/record-cosign-fixtures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash scripts/stack.sh env)"
command -v cosign >/dev/null || { echo "cosign is not on PATH: bash scripts/cosign.sh" >&2; exit 1; }

OUT=__tests__/fixtures
P=fixture-$$
REPO=$NERDCTL_TEST_REGISTRY/fixture/cosign
KEYS=$(mktemp -d)
CTX=$(mktemp -d)
cleanup() {
  nerdctl rmi -f "$REPO:$P-signed" "$REPO:$P-unsigned" >/dev/null 2>&1 || true
  rm -rf "$KEYS" "$CTX"
}
trap cleanup EXIT

record() {
  local name=$1; shift
  local rc=0
  "$@" >"$OUT/$name" 2>"$OUT/.stderr" || rc=$?
  jq -n --arg stderr "$(cat "$OUT/.stderr")" --argjson exitCode "$rc" \
    --args '{args: $ARGS.positional, exitCode: $exitCode, stderr: $stderr}' -- "${@:2}" >"$OUT/$name.meta.json"
  rm -f "$OUT/.stderr"
}

# push_new TAG: a fresh image (its own layer) under TAG; prints the digest the
# registry serves for it (its Docker-Content-Digest).
push_new() {
  local accept=application/vnd.oci.image.index.v1+json,application/vnd.oci.image.manifest.v1+json
  printf 'FROM %s\nRUN echo %s >/stamp\n' "$NERDCTL_TEST_BASE_IMAGE" "$1" >"$CTX/Dockerfile"
  nerdctl build -q -t "$1" "$CTX" >/dev/null
  nerdctl push "$1" >/dev/null 2>&1
  curl -fsSI -H "Accept: $accept" "http://$NERDCTL_TEST_REGISTRY/v2/fixture/cosign/manifests/${1##*:}" |
    tr -d '\r' | sed -n 's/^docker-content-digest: //Ip'
}

(cd "$KEYS" && mkdir a b && cd a && COSIGN_PASSWORD=fixture-a cosign generate-key-pair >/dev/null 2>&1 &&
  cd ../b && COSIGN_PASSWORD=fixture-b cosign generate-key-pair >/dev/null 2>&1)
signed=$(push_new "$REPO:$P-signed")
unsigned=$(push_new "$REPO:$P-unsigned")
COSIGN_PASSWORD=fixture-a cosign sign --yes --key "$KEYS/a/cosign.key" --tlog-upload=false "$REPO@$signed" >/dev/null 2>&1

# As the library verifies offline: no log, and a trusted root that trusts no
# service, so cosign does not fetch Sigstore's over TUF (src/nerdctl/pure/cosign.ts).
root=$KEYS/trusted-root.json
printf '%s\n' '{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1"}' >"$root"
offline=(--insecure-ignore-tlog=true --trusted-root "$root")
record cosign-verify.json cosign verify --output json --key "$KEYS/a/cosign.pub" "${offline[@]}" "$REPO@$signed"
record cosign-verify-unsigned.txt cosign verify --output json --key "$KEYS/a/cosign.pub" "${offline[@]}" "$REPO@$unsigned"
record cosign-verify-wrong-key.txt cosign verify --output json --key "$KEYS/b/cosign.pub" "${offline[@]}" "$REPO@$signed"
COSIGN_PASSWORD=not-the-password record cosign-sign-wrong-password.txt cosign sign --yes --key "$KEYS/a/cosign.key" --tlog-upload=false "$REPO@$unsigned"
echo "recorded cosign-verify*, cosign-sign-wrong-password in $OUT with $(cosign version 2>/dev/null | grep GitVersion)"
