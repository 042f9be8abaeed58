#!/usr/bin/env bash
# Records the flags `nerdctl run` accepts, from the real binary, and writes the
# table the `options` check reads (src/action/run-flags.ts). Nobody edits that
# table by hand: re-run this after changing the pinned nerdctl version.
#   bash scripts/record-run-flags.sh          (needs only the nerdctl binary)
# The help texts are kept as fixtures, so a unit test checks the table against
# what the binary printed (__tests__/unit/run-options.test.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=__tests__/fixtures
nerdctl run --help >"$OUT/run-help.txt"
nerdctl --help >"$OUT/global-help.txt"
nerdctl --version >"$OUT/run-help.version.txt"
node scripts/run-flags.js "$OUT/run-help.txt" "$OUT/global-help.txt" "$OUT/run-help.version.txt" >src/action/run-flags.ts
npx prettier --write src/action/run-flags.ts >/dev/null
