"""`make run` uses SQLite: thirty parents accepting one offered place at once must end in one
booking and Dutch 409s, never a 500 "database is locked" (tests/wachtlijst/sqlite_contention.py,
run in a subprocess on a temporary SQLite file)."""

from pathlib import Path

from tests.on_sqlite import run_on_sqlite


def test_sqlite_parallel_acceptors_in_a_subprocess(tmp_path, migrated_sqlite):
    returncode, stdout, output = run_on_sqlite(
        Path(__file__).with_name("sqlite_contention.py"), tmp_path, migrated_sqlite
    )
    assert returncode == 0, output
    assert "1 passed" in stdout, output
