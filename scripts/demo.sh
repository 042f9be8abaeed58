#!/usr/bin/env bash
# The quick-start demo: brings the stack up if needed, then runs the action's
# bundle on examples/demo as a workflow step would (build an image, push it,
# run it as a service, wait until healthy, exec in it, export its filesystem),
# then the post step cleans up, as at the end of a job.
set -euo pipefail
cd "$(dirname "$0")/.."
# nerdctl needs root: as root this runs as it is (no sudo needed, and a bare
# Debian root shell has none); as a user, it runs itself again through sudo.
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "run this as root, or install sudo" >&2; exit 1; }
  exec sudo -n --preserve-env=PATH,CI bash "$0" "$@"
fi

if ! bash scripts/stack.sh status >/dev/null 2>&1; then
  echo "[demo] the stack is not up: bringing it up (scripts/stack.sh up; the first time builds it, 10-15 minutes)"
  bash scripts/stack.sh up
fi

rm -rf demo-out
# The command line, and the step it starts, run on NERDCTL_ACTION_NODE when set
# (the tests set it to the runner's Node 24), else on the node on PATH.
"${NERDCTL_ACTION_NODE:-node}" dist/cli/index.js step --with examples/demo/step.yml
echo
echo "[demo] the exported filesystem: demo-out/web-container.tar ($(stat -c %s demo-out/web-container.tar) bytes), e.g.:"
tar -tf demo-out/web-container.tar | grep -E '^srv/' | head -5
if nerdctl inspect nerdctl-action-demo >/dev/null 2>&1; then
  echo "[demo] the post step left the container behind" >&2
  exit 1
fi
echo "[demo] the post step removed the service container; the image is in the local registry as 127.0.0.1:5000/demo/web:latest"
