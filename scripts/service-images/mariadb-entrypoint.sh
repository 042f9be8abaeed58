#!/bin/bash
# MariaDB's entrypoint, as the official image's docker-entrypoint.sh does it
# where CI meets it: MARIADB_ROOT_PASSWORD / MARIADB_ALLOW_EMPTY_ROOT_PASSWORD /
# MARIADB_RANDOM_ROOT_PASSWORD (one is required), MARIADB_ROOT_HOST (%),
# MARIADB_DATABASE, MARIADB_USER + MARIADB_PASSWORD, MARIADB_INITDB_SKIP_TZINFO
# (each also as MYSQL_*),
# /docker-entrypoint-initdb.d/*.sh|*.sql; on first start it initialises through
# a temporary server with --skip-networking (socket only), stops it, then starts
# the real one on every address: `mariadb-admin ping` answers during the
# temporary phase, `healthcheck.sh --connect` (TCP) does not.
set -Eeo pipefail

if [ "${1:0:1}" = '-' ]; then set -- mariadbd "$@"; fi
DATADIR=/var/lib/mysql
SOCKET=/run/mysqld/mysqld.sock

if [ "$1" = mariadbd ] || [ "$1" = mysqld ]; then
  if [ "$(id -u)" = 0 ]; then
    mkdir -p "$DATADIR" /run/mysqld
    chown -R mysql:mysql "$DATADIR" /run/mysqld
    exec setpriv --reuid=mysql --regid=mysql --init-groups "$0" "$@"
  fi
fi

env_of() { # MARIADB_X, else MYSQL_X, else $2
  local m="MARIADB_$1" o="MYSQL_$1"
  printf '%s' "${!m:-${!o:-${2:-}}}"
}
sql_escape() { local v=${1//\\/\\\\}; printf '%s' "${v//\'/\\\'}"; }

if { [ "$1" = mariadbd ] || [ "$1" = mysqld ]; } && [ ! -d "$DATADIR/mysql" ]; then
  root_pw=$(env_of ROOT_PASSWORD)
  if [ -z "$root_pw" ] && [ -z "$(env_of ALLOW_EMPTY_ROOT_PASSWORD)" ] && [ -z "$(env_of RANDOM_ROOT_PASSWORD)" ]; then
    cat >&2 <<'MSG'
[ERROR] [Entrypoint]: Database is uninitialized and password option is not specified
	You need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ROOT_PASSWORD_HASH, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD and MARIADB_RANDOM_ROOT_PASSWORD
MSG
    exit 1
  fi
  if [ -n "$(env_of RANDOM_ROOT_PASSWORD)" ]; then
    root_pw=$(head -c 18 /dev/urandom | base64)
    echo "[Note] [Entrypoint]: GENERATED ROOT PASSWORD: $root_pw"
  fi
  echo '[Note] [Entrypoint]: Initializing database files'
  mariadb-install-db --datadir="$DATADIR" --rpm --auth-root-authentication-method=normal --skip-test-db \
    --default-time-zone=SYSTEM --skip-log-bin --expire-logs-days=0 \
    --loose-innodb_buffer_pool_load_at_startup=0 --loose-innodb_buffer_pool_dump_at_shutdown=0
  echo '[Note] [Entrypoint]: Database files initialized'

  echo '[Note] [Entrypoint]: Starting temporary server'
  "$@" --skip-networking --default-time-zone=SYSTEM --socket="$SOCKET" --wsrep_on=OFF \
    --expire-logs-days=0 --skip-slave-start --loose-innodb_buffer_pool_load_at_startup=0 &
  pid=$!
  for _ in $(seq 300); do
    mariadb --protocol=socket --socket="$SOCKET" -uroot -e 'SELECT 1' >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { echo '[ERROR] [Entrypoint]: Unable to start server.' >&2; exit 1; }
    sleep 0.1
  done
  echo '[Note] [Entrypoint]: Temporary server started.'

  # Time zones, as the official image loads them (unless MARIADB_INITDB_SKIP_TZINFO).
  if [ -z "$(env_of INITDB_SKIP_TZINFO)" ]; then
    mariadb-tzinfo-to-sql --skip-write-binlog /usr/share/zoneinfo 2>/dev/null |
      mariadb --protocol=socket --socket="$SOCKET" -uroot --database=mysql
  fi

  root_host=$(env_of ROOT_HOST %)
  hc_pw=$(head -c 18 /dev/urandom | base64)
  rp=$(sql_escape "$root_pw")
  db=$(env_of DATABASE)
  user=$(env_of USER)
  user_pw=$(env_of PASSWORD)
  {
    echo "SET @@SESSION.SQL_LOG_BIN=0;"
    echo "DROP USER IF EXISTS root@'127.0.0.1', root@'::1';"
    echo "EXECUTE IMMEDIATE CONCAT('DROP USER IF EXISTS root@\'', @@hostname,'\'');"
    echo "SET PASSWORD FOR 'root'@'localhost'= PASSWORD('$rp');"
    if [ "$root_host" != localhost ]; then
      echo "CREATE USER 'root'@'$(sql_escape "$root_host")' IDENTIFIED BY '$rp';"
      echo "GRANT ALL ON *.* TO 'root'@'$(sql_escape "$root_host")' WITH GRANT OPTION;"
    fi
    for h in 127.0.0.1 ::1 localhost; do
      echo "CREATE USER healthcheck@'$h' IDENTIFIED BY '$(sql_escape "$hc_pw")';"
      echo "GRANT USAGE ON *.* TO healthcheck@'$h';"
    done
    if [ -n "$db" ]; then echo "CREATE DATABASE IF NOT EXISTS \`${db//\`/\`\`}\`;"; fi
    if [ -n "$user" ] && [ -n "$user_pw" ]; then
      echo "CREATE USER '$(sql_escape "$user")'@'%' IDENTIFIED BY '$(sql_escape "$user_pw")';"
      if [ -n "$db" ]; then echo "GRANT ALL ON \`${db//\`/\`\`}\`.* TO '$(sql_escape "$user")'@'%';"; fi
    fi
  } | mariadb --protocol=socket --socket="$SOCKET" -uroot --binary-mode
  printf '[mariadb-client]\nport=3306\nsocket=%s\nuser=healthcheck\npassword=%s\n' "$SOCKET" "$hc_pw" >"$DATADIR/.my-healthcheck.cnf"
  chmod 600 "$DATADIR/.my-healthcheck.cnf"

  # The root password reaches the clients through their environment, not argv.
  export MYSQL_PWD=$root_pw
  client=(mariadb --protocol=socket --socket="$SOCKET" -uroot)
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh) echo "[Note] [Entrypoint]: $0: running $f"; . "$f" ;;
      *.sql) echo "[Note] [Entrypoint]: $0: running $f"; "${client[@]}" ${db:+--database="$db"} <"$f" ;;
      *.sql.gz) echo "[Note] [Entrypoint]: $0: running $f"; gunzip -c "$f" | "${client[@]}" ${db:+--database="$db"} ;;
      *) [ -e "$f" ] && echo "[Note] [Entrypoint]: $0: ignoring $f" ;;
    esac
  done

  unset MYSQL_PWD
  echo '[Note] [Entrypoint]: Stopping temporary server'
  kill "$pid"
  wait "$pid" || true
  echo '[Note] [Entrypoint]: Temporary server stopped'
  echo
  echo '[Note] [Entrypoint]: MariaDB init process done. Ready for start up.'
  echo
fi

exec "$@"
