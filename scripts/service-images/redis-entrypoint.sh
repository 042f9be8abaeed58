#!/bin/bash
# Redis as the official image runs it: as the redis user in /data, reachable
# from other containers (the official build turns protected mode off; Debian's
# server, run without a config file, keeps it on and would refuse them).
set -e
if [ "${1:0:1}" = '-' ] || [ "${1%.conf}" != "$1" ]; then set -- redis-server "$@"; fi
if [ "$1" = redis-server ]; then
  if [ "$(id -u)" = 0 ]; then
    chown -R redis:redis . 2>/dev/null || true
    exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
  fi
  shift
  conf=()
  if [ "${1%.conf}" != "${1:-}" ]; then conf=("$1"); shift; fi
  # Given first, so the user's own options win.
  set -- redis-server "${conf[@]}" --protected-mode no --bind '* -::*' "$@"
fi
exec "$@"
