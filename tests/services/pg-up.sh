#!/usr/bin/env bash
# Start a throwaway PostgreSQL on 127.0.0.1:$PG_PORT with its data in $PG_DIR.
# As root the server runs as the `postgres` system user (initdb refuses root).
set -euo pipefail
: "${PG_DIR:?}" "${PG_PORT:?}"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$PGBIN" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 3; }
if [ "$(id -u)" = 0 ]; then RUN="runuser -u postgres --"; chown postgres "$PG_DIR"; else RUN=""; fi
chmod 700 "$PG_DIR"
$RUN "$PGBIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log"
$RUN "$PGBIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 start \
  -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
$RUN "$PGBIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qAt -c "CREATE DATABASE app" >/dev/null
