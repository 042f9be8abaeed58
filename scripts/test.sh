#!/usr/bin/env bash
# The one command that runs every test on a fresh machine from a fresh clone:
# brings the real stack up when it is not up (root, or sudo), installs the
# node modules when they are missing, runs the unit and then the integration
# tests, and ends with one line "N passed, N failed, N skipped". It fails when
# any test failed, when no integration test ran, or when one was skipped.
set -uo pipefail
cd "$(dirname "$0")/.."
# nerdctl needs root: as root this runs as it is (no sudo needed, and a bare
# Debian root shell has none); as a user, it runs itself again through sudo.
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "run this as root, or install sudo" >&2; exit 1; }
  exec sudo -n --preserve-env=PATH,CI bash "$0" "$@"
fi

if ! bash scripts/stack.sh status >/dev/null 2>&1; then
  echo "[test] the stack is not up: bringing it up (scripts/stack.sh up)"
  bash scripts/stack.sh up || { echo "[test] scripts/stack.sh up failed" >&2; exit 1; }
fi
bash scripts/stack.sh status || { echo "[test] the stack is not healthy" >&2; exit 1; }
# The ordinary users the non-root tests run the step as (one with password-less sudo).
bash scripts/test-users.sh || { echo "[test] could not make the test users" >&2; exit 1; }

# The real servers the integration tests run as services (PostgreSQL, MariaDB,
# Redis, nginx, from Debian's packages) and their clients on the runner: made
# once per machine (a few minutes), found in the local registry after that.
# No stack lock of its own: like the tests below, it runs under whatever lock
# the caller holds (taking it again there would wait forever).
SERVICE_IMAGES_LOCK= bash scripts/service-images.sh >/dev/null || { echo "[test] could not make the service images (scripts/service-images.sh)" >&2; exit 1; }

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund || exit 1
fi

eval "$(bash scripts/stack.sh env)"
# The runner runs the bundle on Node 24 (action.yml: node24): the end-to-end
# tests (the action's steps, act's workflows, the command line, the demo) run it
# on that Node, installed from the npm registry; jest itself and the library's
# tests stay on this machine's Node, the lowest that `engines` promises.
NERDCTL_ACTION_NODE="$(bash scripts/node24.sh)" || { echo "[test] could not install Node 24" >&2; exit 1; }
export NERDCTL_ACTION_NODE
echo "[test] library tests on node $(node --version); the bundle on $("$NERDCTL_ACTION_NODE" --version)"
mkdir -p .tmp
rm -f .tmp/unit.json .tmp/integration.json .tmp/rootless.json

# The old nerdctl the version test runs against (scripts/old-nerdctl.sh):
# built from the Go module proxy while the unit tests run (minutes on a fresh
# machine, at once when built), ready before the integration tests.
bash scripts/old-nerdctl.sh >.tmp/old-nerdctl.log 2>&1 &
old_nerdctl_pid=$!

npm run -s test:unit -- --json --outputFile=.tmp/unit.json
unit_rc=$?
wait $old_nerdctl_pid || { cat .tmp/old-nerdctl.log >&2; echo "[test] could not build the old nerdctl (scripts/old-nerdctl.sh)" >&2; exit 1; }
# --forceExit: a server a failed test left open must not hold CI until its
# time limit; the results are written before jest exits either way.
npm run -s test:integration -- --json --outputFile=.tmp/integration.json --forceExit
integration_rc=$?
# Rootless runners, after the rootful suites so the two never share the ports:
# its global setup brings scripts/rootless-stack.sh up, its teardown down.
rm -f .tmp/rootless.json
npm run -s test:rootless -- --json --outputFile=.tmp/rootless.json --forceExit
rootless_rc=$?

node scripts/test-summary.js .tmp/unit.json .tmp/integration.json .tmp/rootless.json
summary_rc=$?

[ $unit_rc = 0 ] && [ $integration_rc = 0 ] && [ $rootless_rc = 0 ] && [ $summary_rc = 0 ]
