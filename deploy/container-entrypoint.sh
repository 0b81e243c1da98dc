#!/bin/sh
# Starts `cairn server` in the container from its environment, so that no secret is on a command
# line (visible in `ps`) or in the image:
#   CAIRN_DATABASE_URL        postgres://USER@HOST:5432/DB (no password in it), else the embedded
#                             database in CAIRN_DATA_DIR (/var/lib/cairn, the volume)
#   CAIRN_DB_PASSWORD_FILE    a file holding the PostgreSQL password (a secret), read into PGPASSWORD
#   CAIRN_TLS_CERT/_KEY       the clinic certificate and its key (secrets); without them the server
#                             speaks plain HTTP only if CAIRN_ALLOW_INSECURE_HTTP=1 (behind a TLS proxy)
#   CAIRN_PORT (8443), CAIRN_HOST (0.0.0.0), CAIRN_APP (/app/dist/cairn.mjs)
# Further `cairn server` flags (--mllp-port 2575, --log-file …) are the container's command.
set -eu

if [ -n "${CAIRN_DB_PASSWORD_FILE:-}" ]; then
  PGPASSWORD="$(cat "$CAIRN_DB_PASSWORD_FILE")"
  export PGPASSWORD
fi

set -- --port "${CAIRN_PORT:-8443}" --host "${CAIRN_HOST:-0.0.0.0}" "$@"
if [ -n "${CAIRN_DATABASE_URL:-}" ]; then
  set -- --database-url "$CAIRN_DATABASE_URL" "$@"
else
  set -- --data-dir "${CAIRN_DATA_DIR:-/var/lib/cairn}" "$@"
fi
if [ -n "${CAIRN_TLS_CERT:-}" ]; then
  set -- --tls-cert "$CAIRN_TLS_CERT" --tls-key "${CAIRN_TLS_KEY:?CAIRN_TLS_KEY must name the key of CAIRN_TLS_CERT}" "$@"
elif [ "${CAIRN_ALLOW_INSECURE_HTTP:-}" = "1" ]; then
  set -- --allow-insecure-http "$@"
fi

exec node "${CAIRN_APP:-/app/dist/cairn.mjs}" server "$@"
