"""Runs for the `make run` database (SQLite) inside the PostgreSQL suite.

Each SQLite test runs a small pytest file in a subprocess on a SQLite file of its own, copied
from one file migrated once per run (`migrated_sqlite` in tests/conftest.py): the subprocess
still runs `migrate`, which then has nothing left to do.
"""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def sqlite_env(db_path: Path) -> dict:
    """The environment of a process on the SQLite file `db_path`, as under `make run`."""
    env = {
        key: value
        for key, value in os.environ.items()
        # No Redis, no xdist worker identity from this run.
        if key not in ("REDIS_URL", "CELERY_BROKER_URL") and not key.startswith("PYTEST_")
    }
    env["DATABASE_URL"] = f"sqlite:///{db_path}"
    return env


def migrate_sqlite(db_path: Path) -> None:
    """Apply every migration to a new SQLite file, as `make run` does."""
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=sqlite_env(db_path),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-6000:]


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy, whatever is still in the source's write-ahead log."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def run_on_sqlite(test_file: Path, tmp_path: Path, migrated: Path) -> tuple[int, str, str]:
    """Run one pytest file in a subprocess on a copy of the migrated SQLite file `migrated`:
    (returncode, stdout, output)."""
    db_path = tmp_path / "db.sqlite3"
    copy_sqlite(migrated, db_path)
    result = subprocess.run(  # noqa: S603 - our own interpreter and test file
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:xdist",
            "-p",
            "no:randomly",
            "-q",
            str(test_file),
        ],
        cwd=ROOT,
        env=sqlite_env(db_path),
        capture_output=True,
        text=True,
        timeout=600,
    )
    return result.returncode, result.stdout, result.stdout[-6000:] + result.stderr[-3000:]
