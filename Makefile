# Two commands for a newcomer: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PY := .venv/bin/python
STAMP := .venv/.installed-stamp
BENCH_STAMP := .venv/.bench-stamp
# Some machines set PYTHONDONTWRITEBYTECODE=1: then every process the tests start (Celery workers,
# gunicorn, manage.py checks, pytest workers) compiles Django and the portal again, ~9 s of CPU
# each instead of ~3 s. Keep the bytecode cache (.gitignore'd __pycache__) for everything here.
unexport PYTHONDONTWRITEBYTECODE
# uv compiles the locks (hashes for every platform, keeps pins that still fit) and installs them
# (`uv pip sync --require-hashes`: 18 s from empty caches here, pip took 84 s). uv itself is
# bootstrapped by pip from its hashed pin in dev.lock, so a newcomer needs nothing but python3.
UV := .venv/bin/uv
COMPILE := $(UV) pip compile pyproject.toml --quiet --generate-hashes --python-version 3.11 \
	--custom-compile-command "make lock"

.PHONY: run test test-fast bench bench-profile bench-region chaos restore-check install lock upgrade _compile messages lint clean demo-idp

define lock_install
	@test -x $(PY) || python3 -m venv .venv
	@test -x $(UV) || { sed -n '/^uv==/,/# via/p' requirements/dev.lock > .venv/uv.txt \
	  && $(PY) -m pip install --require-hashes --no-deps -r .venv/uv.txt > .venv/pip.log 2>&1; } \
	  || { tail -30 .venv/pip.log; exit 1; }
	@echo "Installing Python packages: uv pip sync --require-hashes $(1) (log: .venv/install.log)"
	@$(UV) pip sync --python $(PY) --require-hashes $(1) > .venv/install.log 2>&1 \
	  || { tail -30 .venv/install.log; exit 1; }
endef

$(STAMP): requirements/dev.lock
	$(call lock_install,requirements/dev.lock)
	@touch $(STAMP)

$(BENCH_STAMP): $(STAMP) requirements/bench.lock
	$(call lock_install,requirements/bench.lock)
	@touch $(BENCH_STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo_data
	scripts/run-dev.sh

# A demo OpenID Connect provider for the DigiD and organisation-account buttons (README: DigiD).
demo-idp: $(STAMP)
	@echo "Demo provider on http://127.0.0.1:9400. In another terminal, start the portal with:"
	@echo "  DIGID_OIDC_ISSUER=http://127.0.0.1:9400 DIGID_OIDC_CLIENT_ID=digid-demo \\"
	@echo "  STAFF_OIDC_ISSUER=http://127.0.0.1:9400 STAFF_OIDC_CLIENT_ID=staff-demo make run"
	.venv/bin/oidc-provider-mock --port 9400 \
	  --user-claims '{"sub": "digid-demo-ouder", "acr": "urn:etoegang:core:assurance-class:loa3"}' \
	  --user-claims '{"sub": "medewerker-demo", "email": "demo.idp@ggd.example", "roles": ["jgz-verpleegkundige"], "amr": ["mfa"]}'

test: $(STAMP)
	@scripts/system-deps.sh
	@scripts/with-services.sh scripts/check.sh

test-fast: $(STAMP)
	@scripts/with-services.sh scripts/check.sh -m "not browser"

bench: $(BENCH_STAMP)
	@scripts/system-deps.sh
	@scripts/with-services.sh $(PY) bench/run.py

# Milliseconds and queries per key page through the test client on a seeded region (README "Scale").
bench-profile: $(STAMP)
	@scripts/with-services.sh $(PY) bench/profile_pages.py

# A whole region under mixed evening load (seed, gunicorn + worker with beat, Locust); README "Scale".
bench-region: $(BENCH_STAMP)
	@scripts/with-services.sh $(PY) bench/region.py

# The same load while the worker, Redis, PostgreSQL and SMTP fail in turn; README "Chaos run".
chaos: $(BENCH_STAMP)
	@scripts/with-services.sh $(PY) bench/chaos.py

# Back up a seeded database (pg_dump), restore it into a fresh cluster and check the copy.
restore-check: $(STAMP)
	@scripts/with-services.sh scripts/restore-check.sh

# Regenerate the locks from pyproject.toml, keeping every pin that still fits its range.
lock: $(STAMP)
	@$(MAKE) --no-print-directory _compile UPGRADE=

# Move every package to its newest allowed version, install it and run the suite.
upgrade: $(STAMP)
	@$(MAKE) --no-print-directory _compile UPGRADE=--upgrade
	@$(MAKE) --no-print-directory test

_compile:
	@for spec in "prod:" "dev:--extra dev" "bench:--extra dev --extra bench"; do \
	  name=$${spec%%:*}; extras=$${spec#*:}; \
	  $(COMPILE) $(UPGRADE) $$extras -o requirements/$$name.lock || exit 1; \
	  echo "wrote requirements/$$name.lock ($$(grep -c '==' requirements/$$name.lock) packages)"; \
	done

messages: $(STAMP)
	@# One extraction, merged into every language: nl plus each locale/src/<lang>/ folder.
	$(PY) manage.py makemessages -l nl $(patsubst locale/src/%/,-l %,$(wildcard locale/src/*/)) --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=bench
	$(PY) scripts/translations.py apply

lint: $(STAMP)
	.venv/bin/ruff check --fix . && .venv/bin/ruff format .

clean:
	rm -rf .venv staticfiles .celery db.sqlite3
