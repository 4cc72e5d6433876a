"""The waiting list on the `make run` database (SQLite): thirty acceptors, one place, no 500.

Run by tests/wachtlijst/test_sqlite.py in a subprocess with DATABASE_URL pointing at a temporary
SQLite file. No `test_` prefix, so the PostgreSQL run does not collect it.
"""

import pytest

from tests.afspraken.sqlite_contention import django_db_setup  # noqa: F401
from tests.wachtlijst.test_parallel import (
    ACCEPTORS,
    accept_all_at_once,
    check_one_winner,
    offered_place,
)
from wachtlijst import services

pytestmark = pytest.mark.django_db(transaction=True)


def test_thirty_acceptors_on_sqlite_get_one_booking_and_dutch_messages(settings):
    settings.WACHTLIJST_OFFERS_PER_PLACE = ACCEPTORS
    _setup, free, booked = offered_place()
    assert services.offer_places(slot_ids=[free.pk]) == ACCEPTORS
    results = accept_all_at_once(booked)
    assert 500 not in [r[0] for r in results if isinstance(r, tuple)], results
    check_one_winner(results, free, booked)
