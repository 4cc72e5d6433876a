#!/usr/bin/env bash
# `make restore-check`: back up the (seeded) database the way README's backup procedure says,
# restore it into a fresh PostgreSQL cluster, and check the copy: migrations complete, the same
# row count in every table, the access log still append-only in every partition, and the app
# role's grants intact. Runs inside scripts/with-services.sh (DATABASE_URL = the source).
# RESTORE_SCALE (default 0.01) is seed_region's --scale when the database holds no seed yet.
set -euo pipefail

PY=${PY:-.venv/bin/python}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
SCALE=${RESTORE_SCALE:-0.01}
WORK=$(mktemp -d /tmp/ouderportaal-restore.XXXXXX)
chmod 755 "$WORK"
NEW_PG=""

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
cleanup() {
  [ -n "$NEW_PG" ] && as_postgres "$PGBIN/pg_ctl" -D "$NEW_PG" -m immediate stop >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.1f}')"; }

echo "restore-check: source $DATABASE_URL"
$PY manage.py migrate --noinput -v0
if [ "$($PY manage.py shell --no-imports -c 'from families.models import Family; print(Family.objects.filter(name__startswith="Regio ").exists())')" != "True" ]; then
  echo "restore-check: seeding a region at scale $SCALE"
  $PY manage.py seed_region --scale "$SCALE" >/dev/null
fi
DATABASE_APP_PASSWORD=app-secret $PY manage.py setup_db_roles --app-role ouderportaal_app >/dev/null

# 1. Backup: roles (globals) and the database in custom format (README, "Backups").
start=$(now)
pg_dumpall --dbname="$DATABASE_URL" --roles-only --no-role-passwords -f "$WORK/roles.sql" 2>/dev/null \
  || pg_dumpall -d "$DATABASE_URL" --roles-only -f "$WORK/roles.sql"
pg_dump --format=custom --compress=1 --file="$WORK/ouderportaal.dump" "$DATABASE_URL"
dumped=$(now)
dump_size=$(du -h "$WORK/ouderportaal.dump" | cut -f1)

# 2. A fresh cluster, as on a new machine.
NEW_PG="$WORK/pg"
install -d -o postgres -g postgres -m 700 "$NEW_PG" "$WORK/run" 2>/dev/null \
  || install -d -m 700 "$NEW_PG" "$WORK/run"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_postgres "$PGBIN/initdb" -D "$NEW_PG" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
  >"$WORK/initdb.log" 2>&1
as_postgres "$PGBIN/pg_ctl" -D "$NEW_PG" -l "$WORK/run/log" -w -o \
  "-p $PORT -k $WORK/run -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
RESTORED="postgres://postgres@127.0.0.1:$PORT/ouderportaal"
restore_start=$(now)
psql -q "postgres://postgres@127.0.0.1:$PORT/postgres" -f "$WORK/roles.sql" >/dev/null 2>&1 || true
createdb -h 127.0.0.1 -p "$PORT" -U postgres ouderportaal
pg_restore --exit-on-error --jobs=2 --dbname="$RESTORED" "$WORK/ouderportaal.dump"
restored=$(now)

# 3. Check the copy.
DATABASE_URL="$RESTORED" $PY manage.py migrate --check >/dev/null \
  && echo "restore-check: migrate --check: no unapplied migrations" \
  || { echo "restore-check: FAIL: migrations missing in the copy"; exit 1; }
SOURCE="$DATABASE_URL" RESTORED="$RESTORED" $PY - <<'EOF'
import os
import sys

import psycopg2

TABLES = (
    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
    " ORDER BY c.relname"
)


def counts(url):
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute(TABLES)
        names = [row[0] for row in cursor.fetchall()]
        result = {}
        for name in names:
            cursor.execute(f'SELECT count(*) FROM "{name}"')
            result[name] = cursor.fetchone()[0]
        return result


source, copy = counts(os.environ["SOURCE"]), counts(os.environ["RESTORED"])
differ = {name: (n, copy.get(name)) for name, n in source.items() if copy.get(name) != n}
total = sum(source.values())
print(f"restore-check: {len(source)} tables, {total:,} rows; differing: {differ or 'none'}")
biggest = sorted(source.items(), key=lambda item: -item[1])[:6]
print("restore-check: largest: " + ", ".join(f"{name} {n:,}" for name, n in biggest))

with psycopg2.connect(os.environ["RESTORED"]) as conn, conn.cursor() as cursor:
    cursor.execute(
        "INSERT INTO privacy_accesslog (at, actor_email, actor_role, action, record_type,"
        " record_ids, child_ids, family_ids, reason) VALUES (now(), 'check@example.org',"
        " 'nurse', 'view', 'restore.check', '{}', '{}', '{}', '') RETURNING id"
    )
    row_id = cursor.fetchone()[0]
    conn.commit()
    refused = []
    for statement in (
        "UPDATE privacy_accesslog SET reason = 'covered up' WHERE id = %s",
        "DELETE FROM privacy_accesslog WHERE id = %s",
    ):
        try:
            cursor.execute(statement, [row_id])
        except psycopg2.errors.InsufficientPrivilege:
            refused.append(statement.split()[0])
        conn.rollback()
    cursor.execute(
        "SELECT count(*) FROM pg_class c WHERE c.relname LIKE 'privacy_accesslog%%'"
        " AND c.relkind IN ('r', 'p') AND NOT EXISTS (SELECT 1 FROM pg_trigger t"
        " WHERE t.tgrelid = c.oid AND t.tgname = 'privacy_accesslog_append_only')"
    )
    unguarded = cursor.fetchone()[0]
    cursor.execute(
        "SELECT has_table_privilege('ouderportaal_app', 'privacy_accesslog', 'DELETE'),"
        " has_table_privilege('ouderportaal_app', 'privacy_accesslog', 'INSERT')"
    )
    app_delete, app_insert = cursor.fetchone()
print(f"restore-check: access log refuses {', '.join(refused) or 'nothing'} in the copy; "
      f"tables without the trigger: {unguarded}; app role INSERT {app_insert}, DELETE {app_delete}")
ok = not differ and refused == ["UPDATE", "DELETE"] and unguarded == 0
ok = ok and app_insert and not app_delete
print("restore-check: " + ("OK" if ok else "FAIL"))
sys.exit(0 if ok else 1)
EOF
db_size=$(psql -At "$RESTORED" -c "SELECT pg_size_pretty(pg_database_size('ouderportaal'))")
echo "restore-check: dump $(secs "$start" "$dumped") s ($dump_size), restore into a fresh cluster" \
  "$(secs "$restore_start" "$restored") s (database $db_size)"
