#!/bin/bash
# The official MariaDB image's healthcheck.sh for the tests CI uses:
#   healthcheck.sh --connect               a TCP connection to the server succeeds
#   healthcheck.sh --innodb_initialized    InnoDB has started
# (several may be given; all must pass). --connect counts any answer but
# "Can't connect" as success, as the official script does, and goes over TCP,
# so it fails while the first-start temporary server runs with --skip-networking.
# No pipefail: --connect judges grep's status, not the client's (which fails
# on "access denied" too, an answer that counts as connected).
set -u
cnf=/var/lib/mysql/.my-healthcheck.cnf
extra=()
[ -r "$cnf" ] && extra=(--defaults-extra-file="$cnf")
[ $# -gt 0 ] || set -- --connect
for test in "$@"; do
  case "$test" in
    --connect)
      if mariadb "${extra[@]}" --skip-ssl -h localhost --protocol tcp -e 'select 1' 2>&1 | grep -qF "Can't connect"; then
        echo "healthcheck connect failed" >&2
        exit 1
      fi
      ;;
    --innodb_initialized)
      [ "$(mariadb "${extra[@]}" --skip-ssl -sNe "select 1 from information_schema.ENGINES where engine='innodb' and support in ('yes', 'default')" 2>/dev/null)" = 1 ] ||
        { echo "healthcheck innodb_initialized failed" >&2; exit 1; }
      ;;
    --su-mysql | --no-defaults) ;;
    *) echo "healthcheck.sh: unknown test $test (this image has --connect and --innodb_initialized)" >&2; exit 2 ;;
  esac
done
