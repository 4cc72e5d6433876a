"""`make run` uses SQLite: parallel bookings there must end in one booking and 409s, never a
500 "database is locked". The suite runs on PostgreSQL, so this starts a second, small pytest
run on a temporary SQLite file (tests/afspraken/sqlite_contention.py)."""

from pathlib import Path

from tests.on_sqlite import run_on_sqlite


def test_sqlite_parallel_bookings_in_a_subprocess(tmp_path, migrated_sqlite):
    returncode, stdout, output = run_on_sqlite(
        Path(__file__).with_name("sqlite_contention.py"), tmp_path, migrated_sqlite
    )
    assert returncode == 0, output
    assert "2 passed" in stdout, output
