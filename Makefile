# Two commands for a newcomer: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PY := .venv/bin/python
STAMP := .venv/.installed-stamp

.PHONY: run test test-fast bench install messages lint clean

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv .venv
	@echo "Installing Python packages (log: .venv/pip.log)"
	@$(PY) -m pip install --upgrade pip wheel setuptools > .venv/pip.log 2>&1 || (tail -30 .venv/pip.log; exit 1)
	@$(PY) -m pip install -e ".[dev]" >> .venv/pip.log 2>&1 || (tail -30 .venv/pip.log; exit 1)
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo_data
	scripts/run-dev.sh

test: $(STAMP)
	@scripts/system-deps.sh
	@scripts/with-services.sh scripts/check.sh

test-fast: $(STAMP)
	@scripts/with-services.sh scripts/check.sh -m "not browser"

bench: $(STAMP)
	@scripts/system-deps.sh
	@scripts/with-services.sh $(PY) bench/run.py

messages: $(STAMP)
	$(PY) manage.py makemessages -l nl --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=bench
	$(PY) scripts/translations.py apply

lint: $(STAMP)
	.venv/bin/ruff check --fix . && .venv/bin/ruff format .

clean:
	rm -rf .venv staticfiles .celery db.sqlite3
