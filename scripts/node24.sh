#!/usr/bin/env bash
# Installs the Node.js the GitHub runner runs this action with (action.yml says
# `using: node24`) into .tools/node24, from the npm registry's `node` package
# (its preinstall fetches the matching node-linux-<arch> package, also from the
# npm registry; nothing else is downloaded), and prints the binary's path.
# The end-to-end tests run the bundle with it (NERDCTL_ACTION_NODE); the
# library's own tests keep running on the machine's Node, the lowest that
# package.json's `engines` promises.
#
#   bash scripts/node24.sh          install if missing, print the path
#   NERDCTL_ACTION_NODE="$(bash scripts/node24.sh)" npm run test:integration
set -euo pipefail
cd "$(dirname "$0")/.."

# The one place the version is set; move it with the runner's Node 24.
NODE24_VERSION=24.21.0
PREFIX=.tools/node24
BIN="$PWD/$PREFIX/node_modules/.bin/node"

if [ "$("$BIN" --version 2>/dev/null)" != "v$NODE24_VERSION" ]; then
  echo "[node24] installing node@$NODE24_VERSION into $PREFIX" >&2
  rm -rf "$PREFIX"
  mkdir -p "$PREFIX"
  # --no-save: the prefix has no package.json to write; stdout stays the path.
  npm install --no-save --no-audit --no-fund --no-package-lock --prefix "$PREFIX" \
    "node@$NODE24_VERSION" >&2
  got="$("$BIN" --version)"
  [ "$got" = "v$NODE24_VERSION" ] || {
    echo "[node24] $BIN runs $got, not v$NODE24_VERSION" >&2
    exit 1
  }
fi
echo "$BIN"
