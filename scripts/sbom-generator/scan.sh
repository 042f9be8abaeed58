#!/bin/sh
# BuildKit's SBOM scanner protocol (moby/buildkit docs/attestations/sbom-protocol.md):
# scan the root filesystem at $BUILDKIT_SCAN_SOURCE, and each one under
# $BUILDKIT_SCAN_SOURCE_EXTRAS when that is a directory, and write each SPDX
# document, wrapped in an in-toto statement, to
# $BUILDKIT_SCAN_DESTINATION/<name>.spdx.json. BuildKit attaches them to the
# image as attestations with the https://spdx.dev/Document predicate type.
set -eu

scan() {
  # $1: a root filesystem; $2: its name (the last component of its path)
  /usr/local/bin/syft scan "dir:$1" --quiet --output "spdx-json=/tmp/$2.spdx"
  {
    printf '{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://spdx.dev/Document","subject":[],"predicate":'
    cat "/tmp/$2.spdx"
    printf '}\n'
  } >"$BUILDKIT_SCAN_DESTINATION/$2.spdx.json"
  rm -f "/tmp/$2.spdx"
}

scan "$BUILDKIT_SCAN_SOURCE" "$(basename "$BUILDKIT_SCAN_SOURCE")"
extras=${BUILDKIT_SCAN_SOURCE_EXTRAS:-}
if [ -n "$extras" ] && [ -d "$extras" ]; then
  for d in "$extras"/*; do
    [ -d "$d" ] && scan "$d" "$(basename "$d")"
  done
fi
