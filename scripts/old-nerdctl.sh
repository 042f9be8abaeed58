#!/usr/bin/env bash
# Builds an older nerdctl (the last 1.x the Go module proxy serves) into
# .tools/, for the test that runs the action against a runner whose nerdctl is
# below the supported minimum. Idempotent: a binary that already reports the
# version is kept (the second run takes milliseconds). Prints the binary's path.
#
# The module cache is read-only, and v1 has no replace directives, but it is
# built in a writable copy so its go.sum can be completed (-mod=mod).
set -euo pipefail
VERSION=${OLD_NERDCTL_VERSION:-v1.7.7}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/.tools/nerdctl-$VERSION"
BIN="$OUT/nerdctl"
if [ -x "$BIN" ] && NERDCTL_TOML=/dev/null "$BIN" --version 2>/dev/null | grep -qF -- "${VERSION#v}"; then
  printf '%s\n' "$BIN"
  exit 0
fi
dir=$(go mod download -json "github.com/containerd/nerdctl@$VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
[ -n "$dir" ] || { echo "old-nerdctl.sh: go mod download github.com/containerd/nerdctl@$VERSION failed" >&2; exit 1; }
src="$OUT/src"
rm -rf "$src" && mkdir -p "$src" && cp -a "$dir/." "$src/" && chmod -R u+w "$src"
(cd "$src" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -o "$BIN" \
  -ldflags "-s -w -X github.com/containerd/nerdctl/pkg/version.Version=$VERSION" ./cmd/nerdctl) >&2
rm -rf "$src"
printf '%s\n' "$BIN"
