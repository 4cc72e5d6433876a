"""`make run` uses SQLite: parallel bookings there must end in one booking and 409s, never a
500 "database is locked". The suite runs on PostgreSQL, so this starts a second, small pytest
run on a temporary SQLite file (tests/afspraken/sqlite_contention.py)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_on_sqlite(test_file: Path, tmp_path: Path) -> tuple[int, str, str]:
    """Run one pytest file in a subprocess on a fresh SQLite file: (returncode, stdout, output)."""
    env = {
        key: value
        for key, value in os.environ.items()
        # As under `make run`: no Redis, no xdist worker identity from this run.
        if key not in ("REDIS_URL", "CELERY_BROKER_URL") and not key.startswith("PYTEST_")
    }
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
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
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return result.returncode, result.stdout, result.stdout[-6000:] + result.stderr[-3000:]


def test_sqlite_parallel_bookings_in_a_subprocess(tmp_path):
    returncode, stdout, output = run_on_sqlite(
        Path(__file__).with_name("sqlite_contention.py"), tmp_path
    )
    assert returncode == 0, output
    assert "2 passed" in stdout, output
