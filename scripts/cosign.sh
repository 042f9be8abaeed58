#!/usr/bin/env bash
# Builds cosign from the Go module proxy and installs it as /usr/local/bin/cosign,
# once per machine: a later run finds the pinned version there and returns at
# once. Called by `scripts/stack.sh up`; the signing tests and the
# `sign`/`verify` inputs need it.
#   bash scripts/cosign.sh            # ensure it is installed, print its path
# Pinned to v2.6.x on purpose: v3 fetches its signing configuration (and the
# Sigstore trust root) over the network by default, which these machines cannot
# reach; v2 signs and verifies with a key offline. A build takes a few minutes
# on 2 cores the first time (CGO off, a static binary).
set -euo pipefail

COSIGN_VERSION=${COSIGN_VERSION:-v2.6.5}
BIN_DIR=${COSIGN_BIN_DIR:-/usr/local/bin}
target=$BIN_DIR/cosign

if [ -x "$target" ] && "$target" version --json 2>/dev/null | grep -qF "\"gitVersion\": \"$COSIGN_VERSION\""; then
  echo "$target"
  exit 0
fi
command -v go >/dev/null || { echo "[cosign] error: go is not on PATH: cosign is built from the Go module proxy" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "[cosign] building cosign $COSIGN_VERSION (a few minutes the first time)" >&2
# `cosign version` reports the module version a `go install …@vX` builds,
# which is how the next run knows the pinned version is already here.
GOBIN="$work/bin" CGO_ENABLED=0 nice -n 10 go install -ldflags "-s -w" \
  "github.com/sigstore/cosign/v2/cmd/cosign@$COSIGN_VERSION" >&2
install -m 0755 "$work/bin/cosign" "$target"
echo "$target"
