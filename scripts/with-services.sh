#!/usr/bin/env bash
# Run a command with a real PostgreSQL and Redis.
# Uses DATABASE_URL / REDIS_URL when set; otherwise starts throwaway servers on free ports
# (PostgreSQL 15 as the postgres user in a temp dir, redis-server) and stops them afterwards.
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
TMP_DIRS=()
PG_DIR=""
REDIS_PORT=""

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cleanup() {
  if [ -n "$PG_DIR" ]; then
    as_postgres "$PGBIN/pg_ctl" -D "$PG_DIR/pg" -m immediate stop >/dev/null 2>&1 || true
  fi
  if [ -n "$REDIS_PORT" ]; then
    redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  fi
  for d in "${TMP_DIRS[@]}"; do rm -rf "$d"; done
}
trap cleanup EXIT INT TERM

if [ -z "${DATABASE_URL:-}" ]; then
  [ -x "$PGBIN/initdb" ] || { echo "PostgreSQL 15 not found in $PGBIN" >&2; exit 1; }
  PG_DIR=$(mktemp -d /tmp/ouderportaal-pg.XXXXXX)
  TMP_DIRS+=("$PG_DIR")
  chmod 755 "$PG_DIR"
  if [ "$(id -u)" = 0 ]; then
    install -d -o postgres -g postgres -m 700 "$PG_DIR/pg" "$PG_DIR/run"
  else
    install -d -m 700 "$PG_DIR/pg" "$PG_DIR/run"
  fi
  PG_PORT=$(free_port)
  as_postgres "$PGBIN/initdb" -D "$PG_DIR/pg" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    --no-sync >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log"; exit 1; }
  as_postgres "$PGBIN/pg_ctl" -D "$PG_DIR/pg" -l "$PG_DIR/run/log" -w -o \
    "-p $PG_PORT -k $PG_DIR/run -c listen_addresses=127.0.0.1 -c fsync=off \
     -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null
  createdb -h 127.0.0.1 -p "$PG_PORT" -U postgres ouderportaal
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/ouderportaal"
  # For `make chaos`, which stops and starts the servers it was given.
  export WITH_SERVICES_PG_DATA="$PG_DIR/pg" PGBIN
  echo "with-services: PostgreSQL on port $PG_PORT"
fi

if [ -z "${REDIS_URL:-}" ]; then
  if ! command -v redis-server >/dev/null; then
    echo "with-services: installing redis-server"
    apt-get update -qq && apt-get install -y -qq --no-install-recommends redis-server >/dev/null
  fi
  REDIS_DIR=$(mktemp -d /tmp/ouderportaal-redis.XXXXXX)
  TMP_DIRS+=("$REDIS_DIR")
  REDIS_PORT=$(free_port)
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --save '' \
    --appendonly no --dir "$REDIS_DIR" --logfile "$REDIS_DIR/redis.log"
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0" WITH_SERVICES_REDIS_DIR="$REDIS_DIR"
  echo "with-services: Redis on port $REDIS_PORT"
fi

"$@"
