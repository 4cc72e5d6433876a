#!/usr/bin/env bash
# `make run`: a Celery worker with embedded beat in the background, then the dev server.
# Without REDIS_URL the broker is kombu's filesystem transport under .celery/ and mails go to
# the console (the worker's log, .celery/worker.log), so nothing else needs installing.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
CELERY=.venv/bin/celery
mkdir -p .celery/queue .celery/processed .celery/control
PIDFILE=.celery/worker.pid
LOGFILE=.celery/worker.log

SERVER_PID=""
stop_worker() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  if [ -f "$PIDFILE" ]; then
    kill "$(cat "$PIDFILE")" 2>/dev/null || true
    for _ in $(seq 50); do [ -f "$PIDFILE" ] || break; sleep 0.2; done
    rm -f "$PIDFILE"
  fi
}
trap stop_worker EXIT INT TERM

stop_worker  # a worker left over from an earlier run
# --beat runs the periodic jobs inside this one worker (fine for development; production runs
# a separate `celery beat`, see docker-compose.yml). The schedule lives in the database.
$CELERY -A ouderportaal worker --beat --concurrency=1 --loglevel=INFO \
  --without-gossip --without-mingle --without-heartbeat \
  --schedule=.celery/beat-schedule --detach --pidfile="$PIDFILE" --logfile="$LOGFILE"
echo "Celery worker with beat started (log: $LOGFILE; e-mails appear there)."
# Beat first runs an interval job one interval after it starts: run the periodic jobs once now,
# so the demo newsletters, milestones and reminders show up within a minute.
$PY manage.py shell -v 0 -c "from ouderportaal.celery import app
for name in ('nieuwsbrieven.tasks.send_due_editions_task',
             'nieuwsbrieven.tasks.send_milestones_task', 'afspraken.tasks.send_reminders_task'):
    app.send_task(name)"
# In the background and waited for, so Ctrl-C or a TERM stops both at once.
$PY manage.py runserver "${RUNSERVER_ADDR:-127.0.0.1:8000}" &
SERVER_PID=$!
wait "$SERVER_PID"
