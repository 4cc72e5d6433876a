#!/usr/bin/env bash
# Everything `make test` checks; stops at the first failure. bandit and pip-audit run alongside
# the rest (pip-audit mostly waits for PyPI: ~35 s of ~3 s CPU) and are reported at the end.
set -euo pipefail
export DJANGO_SETTINGS_MODULE=ouderportaal.settings
BIN=.venv/bin
AUDIT_LOG=$(mktemp)
$BIN/python scripts/security_audit.py >"$AUDIT_LOG" 2>&1 &
AUDIT_PID=$!
trap 'kill "$AUDIT_PID" 2>/dev/null || true; rm -f "$AUDIT_LOG"' EXIT
echo "== ruff"; $BIN/ruff check . && $BIN/ruff format --check .
echo "== migrations"; $BIN/python manage.py makemigrations --check --dry-run >/dev/null
echo "== pytest"; $BIN/python -m pytest -n "${PYTEST_WORKERS:-2}" -p no:randomly "$@"
echo "== bandit, pip-audit"
AUDIT_STATUS=0
wait "$AUDIT_PID" || AUDIT_STATUS=$?
cat "$AUDIT_LOG"
exit "$AUDIT_STATUS"
