"""Production (DJANGO_DEBUG=0) refuses to start on unsafe settings and says what to set."""

import os
import subprocess
import sys

import pytest

from ouderportaal.failclosed import where_published
from tests.security.test_hardening import PRODUCTION_ENV, ROOT


def _check(**env_changes) -> subprocess.CompletedProcess:
    """`manage.py check` with the production variables, changed (None removes a variable)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(PRODUCTION_ENV)
    for name, value in env_changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _env_example_key() -> str:
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.startswith("DJANGO_SECRET_KEY="):
            return line.split("=", 1)[1]
    raise AssertionError(".env.example has no DJANGO_SECRET_KEY line")


@pytest.mark.parametrize(
    "key",
    [
        None,  # the development key in settings.py
        _env_example_key(),
        # docker-compose's former default: still public in the repository's history
        "change-me-compose-only-secret-key-0123456789",
    ],
    ids=["dev-key", "env-example", "old-compose-default"],
)
def test_refuses_a_secret_key_written_in_the_repository(key):
    result = _check(DJANGO_SECRET_KEY=key)
    assert result.returncode != 0
    assert "Refusing to start with DJANGO_DEBUG=0" in result.stderr
    assert "DJANGO_SECRET_KEY: this key is written in the repository" in result.stderr


def test_refuses_sqlite_and_a_missing_redis_url_naming_both():
    result = _check(DATABASE_URL=None, REDIS_URL=None)
    assert result.returncode != 0
    assert "DATABASE_URL: set it to a PostgreSQL database" in result.stderr
    assert "REDIS_URL: set it to the Redis" in result.stderr


def test_starts_with_redis_unreachable_as_long_as_redis_url_is_set():
    """A worker restarted during a Redis outage must come up: the setting is checked, not Redis."""
    result = _check(REDIS_URL="redis://127.0.0.1:9/0")
    assert result.returncode == 0, result.stderr


def test_published_key_search_skips_the_operators_env_files(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "setup.md").write_text("DJANGO_SECRET_KEY=written-in-the-docs\n")
    (tmp_path / ".env").write_text("DJANGO_SECRET_KEY=the-operators-own\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("the-operators-own\n")
    assert where_published("written-in-the-docs", tmp_path) == tmp_path / "docs" / "setup.md"
    assert where_published("the-operators-own", tmp_path) is None
