#!/usr/bin/env bash
set -euo pipefail
: "${PG_DIR:?}"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
if [ "$(id -u)" = 0 ]; then RUN="runuser -u postgres --"; else RUN=""; fi
$RUN "$PGBIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null
rm -rf "$PG_DIR"
