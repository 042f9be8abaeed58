#!/bin/bash
# PostgreSQL's entrypoint, as the official image's docker-entrypoint.sh does it
# where CI meets it: POSTGRES_PASSWORD (required unless
# POSTGRES_HOST_AUTH_METHOD=trust), POSTGRES_USER (postgres), POSTGRES_DB
# (= user), POSTGRES_INITDB_ARGS, /docker-entrypoint-initdb.d/*.sh|*.sql; on
# first start it initialises through a temporary server on the unix socket
# only, stops it, then starts the real one listening on every address. That
# restart is what a readiness check must survive: pg_isready says "accepting
# connections" during the temporary phase, while TCP clients are refused.
set -Eeo pipefail

if [ "${1:0:1}" = '-' ]; then set -- postgres "$@"; fi

if [ "$1" = postgres ] && [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  mkdir -p /var/run/postgresql
  chown postgres:postgres /var/run/postgresql
  chmod 3777 /var/run/postgresql
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

if [ "$1" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_USER:=postgres}" "${POSTGRES_DB:=$POSTGRES_USER}"
  if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "${POSTGRES_HOST_AUTH_METHOD:-}" != trust ]; then
    cat >&2 <<'MSG'
Error: Database is uninitialized and superuser password is not specified.
       You must specify POSTGRES_PASSWORD to a non-empty value for the
       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".
MSG
    exit 1
  fi
  # The password goes to initdb through a pipe, never argv.
  # shellcheck disable=SC2086
  initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "${POSTGRES_PASSWORD:-}") $POSTGRES_INITDB_ARGS
  auth=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}
  printf '\nhost all all all %s\n' "$auth" >>"$PGDATA/pg_hba.conf"

  # The temporary server: unix socket only, so no TCP client gets in mid-setup.
  PGUSER=$POSTGRES_USER PGPASSWORD=${POSTGRES_PASSWORD:-} \
    pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p ${PGPORT:-5432}" -w start
  export PGUSER=$POSTGRES_USER PGPASSWORD=${POSTGRES_PASSWORD:-} PGHOST=/var/run/postgresql
  psql=(psql -v ON_ERROR_STOP=1 --no-password --no-psqlrc --dbname postgres)
  # Asked even for the default database, as the official image does (its
  # temporary phase lasts as long as this one's).
  if [ -z "$("${psql[@]}" -tA -v db="$POSTGRES_DB" <<<"SELECT 1 FROM pg_database WHERE datname = :'db' ;")" ]; then
    "${psql[@]}" -v db="$POSTGRES_DB" <<<'CREATE DATABASE :"db" ;'
    echo
  fi
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh) echo "$0: running $f"; . "$f" ;;
      *.sql) echo "$0: running $f"; "${psql[@]}" --dbname "$POSTGRES_DB" -f "$f"; echo ;;
      *.sql.gz) echo "$0: running $f"; gunzip -c "$f" | "${psql[@]}" --dbname "$POSTGRES_DB"; echo ;;
      *) [ -e "$f" ] && echo "$0: ignoring $f" ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop
  unset PGPASSWORD PGUSER PGHOST
  echo
  echo 'PostgreSQL init process complete; ready for start up.'
  echo
fi

exec "$@"
