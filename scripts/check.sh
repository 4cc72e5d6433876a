#!/usr/bin/env bash
# Everything `make test` checks, in order; stops at the first failure.
set -euo pipefail
export DJANGO_SETTINGS_MODULE=ouderportaal.settings
BIN=.venv/bin
echo "== ruff"; $BIN/ruff check . && $BIN/ruff format --check .
echo "== migrations"; $BIN/python manage.py makemigrations --check --dry-run >/dev/null
echo "== bandit, pip-audit"; $BIN/python scripts/security_audit.py
echo "== pytest"; $BIN/python -m pytest -n "${PYTEST_WORKERS:-2}" -p no:randomly "$@"
