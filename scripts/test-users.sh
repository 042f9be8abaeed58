#!/usr/bin/env bash
# Makes the ordinary users the non-root integration tests run the step as,
# the way self-hosted runners are set up, and prints nothing else:
#   nerdctl-runner   password-less sudo for everything, through a drop-in in
#                    /etc/sudoers.d (what GitHub's runner images give their user)
#   nerdctl-narrow   password-less sudo for only what the step runs through it
#                    (the narrower line the README gives)
#   nerdctl-nosudo   no sudo rights at all (the not-root error)
# Idempotent, as root; installs sudo when it is missing (scripts/stack.sh up
# does too). Called by scripts/test.sh and by the non-root tests themselves.
#
#   sudo bash scripts/test-users.sh
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "[test-users] run as root" >&2; exit 1; }

RUNNER=nerdctl-runner
NARROW=nerdctl-narrow
NOSUDO=nerdctl-nosudo
DROPIN=/etc/sudoers.d/nerdctl-action-test

if ! command -v sudo >/dev/null; then
  echo "[test-users] installing sudo" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends sudo >/dev/null
fi

for u in "$RUNNER" "$NARROW" "$NOSUDO"; do
  id "$u" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$u"
done

# What GitHub's own runner images give their user. ALL implies SETENV, which
# the step's `sudo --preserve-env=…` needs; the narrow line names it.
nerdctl=$(command -v nerdctl || echo /usr/local/bin/nerdctl)
line="$RUNNER ALL=(ALL:ALL) NOPASSWD: ALL
$NARROW ALL=(root) NOPASSWD:SETENV: $nerdctl, /usr/bin/rm, /usr/bin/cat"
if [ "$(cat "$DROPIN" 2>/dev/null)" != "$line" ]; then
  tmp=$(mktemp)
  printf '%s\n' "$line" >"$tmp"
  visudo -cqf "$tmp" || { rm -f "$tmp"; echo "[test-users] the sudoers line does not parse" >&2; exit 1; }
  install -m 0440 -o root -g root "$tmp" "$DROPIN"
  rm -f "$tmp"
fi
# Checked, not assumed: one user gets in without a password, the other does not.
runuser -u "$RUNNER" -- sudo -n true || { echo "[test-users] $RUNNER has no password-less sudo" >&2; exit 1; }
runuser -u "$NARROW" -- sudo -n "$nerdctl" --version >/dev/null ||
  { echo "[test-users] $NARROW cannot run nerdctl through sudo" >&2; exit 1; }
if runuser -u "$NOSUDO" -- sudo -n true 2>/dev/null; then
  echo "[test-users] $NOSUDO can use sudo, and must not" >&2
  exit 1
fi
