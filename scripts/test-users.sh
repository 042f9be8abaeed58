#!/usr/bin/env bash
# Makes the ordinary users the non-root integration tests run the step as,
# the way self-hosted runners are set up, and prints nothing else:
#   nerdctl-runner   password-less sudo through a drop-in in /etc/sudoers.d
#   nerdctl-nosudo   no sudo rights at all (the not-root error)
# Idempotent, as root; installs sudo when it is missing (scripts/stack.sh up
# does too). Called by scripts/test.sh and by the non-root tests themselves.
#
#   sudo bash scripts/test-users.sh
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "[test-users] run as root" >&2; exit 1; }

RUNNER=nerdctl-runner
NOSUDO=nerdctl-nosudo
DROPIN=/etc/sudoers.d/nerdctl-action-test

if ! command -v sudo >/dev/null; then
  echo "[test-users] installing sudo" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends sudo >/dev/null
fi

for u in "$RUNNER" "$NOSUDO"; do
  id "$u" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$u"
done

# What GitHub's own runner images give their user. ALL implies SETENV, which
# the step's `sudo --preserve-env=…` needs.
line="$RUNNER ALL=(ALL:ALL) NOPASSWD: ALL"
if [ "$(cat "$DROPIN" 2>/dev/null)" != "$line" ]; then
  tmp=$(mktemp)
  printf '%s\n' "$line" >"$tmp"
  visudo -cqf "$tmp" || { rm -f "$tmp"; echo "[test-users] the sudoers line does not parse" >&2; exit 1; }
  install -m 0440 -o root -g root "$tmp" "$DROPIN"
  rm -f "$tmp"
fi
# Checked, not assumed: one user gets in without a password, the other does not.
runuser -u "$RUNNER" -- sudo -n true || { echo "[test-users] $RUNNER has no password-less sudo" >&2; exit 1; }
if runuser -u "$NOSUDO" -- sudo -n true 2>/dev/null; then
  echo "[test-users] $NOSUDO can use sudo, and must not" >&2
  exit 1
fi
