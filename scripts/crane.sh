#!/usr/bin/env bash
# Installs go-containerregistry's crane, pinned, from the Go module proxy: the
# tool the action's `merge` assembles a multi-platform index with (nerdctl
# 2.3.5's `manifest` commands drop descriptor annotations, need a platform on
# every entry and stay within one repository). `scripts/stack.sh up` calls it;
# with the pinned version already in place it returns at once.
#
#   scripts/crane.sh [BIN_DIR]     default /usr/local/bin
set -euo pipefail

CRANE_VERSION=v0.22.1
BIN_DIR=${1:-/usr/local/bin}

if [ -x "$BIN_DIR/crane" ] && [ "$("$BIN_DIR/crane" version 2>/dev/null)" = "${CRANE_VERSION#v}" ]; then
  exit 0
fi
command -v go >/dev/null || { echo "crane.sh: go is not on PATH: crane is built from the Go module proxy" >&2; exit 1; }
echo "crane.sh: building crane $CRANE_VERSION into $BIN_DIR" >&2
# crane prints the version the linker sets; `go install` alone would say "(devel)".
CGO_ENABLED=0 GOBIN=$BIN_DIR go install -trimpath \
  -ldflags "-s -w -X github.com/google/go-containerregistry/cmd/crane/cmd.Version=${CRANE_VERSION#v}" \
  "github.com/google/go-containerregistry/cmd/crane@$CRANE_VERSION"
"$BIN_DIR/crane" version
