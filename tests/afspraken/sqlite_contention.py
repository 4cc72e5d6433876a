"""The `make run` database (SQLite) under parallel bookings: no 500, ever.

Run by tests/afspraken/test_sqlite.py in a subprocess with DATABASE_URL pointing at a temporary
SQLite file (the suite itself runs on PostgreSQL). No `test_` prefix, so the PostgreSQL run
does not collect it.
"""

import sqlite3

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from afspraken.models import Appointment
from tests.afspraken.factories import make_slot, parent_with_child, slot_type
from tests.afspraken.test_parallel import _run_parallel

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="session")
def django_db_setup(django_db_blocker):
    """The temporary file itself, as `make run` uses it. (pytest-django would make an in-memory
    database, where threads share one cache and lock differently.)"""
    assert connection.vendor == "sqlite", "run with DATABASE_URL=sqlite:///..."
    with django_db_blocker.unblock():
        call_command("migrate", verbosity=0)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _contender(slot):
    parent, child = parent_with_child()
    client = Client(raise_request_exception=False)
    client.force_login(parent)
    return client, child


def _post_all_at_once(url, contenders, data_for):
    def post(i):
        client, child = contenders[i]
        response = client.post(url, data_for(i, child))
        return response.status_code, response.content.decode()

    return _run_parallel(len(contenders), post)


def test_parents_booking_the_last_place_at_once_get_one_booking_and_409s():
    slot = make_slot()
    type_id = slot_type(slot).pk
    contenders = [_contender(slot) for _ in range(8)]
    url = reverse("afspraken:confirm", args=[slot.pk])
    for _round in range(2):
        results = _post_all_at_once(
            url,
            contenders,
            lambda i, child: {"child": child.pk, "type": type_id, "note": f"Poging {i}"},
        )
        assert all(isinstance(result, tuple) for result in results), results
        statuses = [status for status, _ in results]
        assert 500 not in statuses, statuses
        assert statuses.count(302) == 1 and statuses.count(409) == 7, statuses
        for i, (status, body) in enumerate(results):
            if status == 409:
                assert "Dit tijdstip is net vergeven, kies een ander" in body
                assert f"Poging {i}" in body  # the form is kept
        slot.refresh_from_db()
        assert slot.booked_count == 1
        # Free the place again for the next round.
        Appointment.objects.filter(slot=slot).delete()
        slot.booked_count = 0
        slot.save(update_fields=["booked_count"])


def test_a_write_lock_held_past_the_busy_timeout_is_a_409_that_keeps_the_form():
    slot = make_slot()
    client, child = _contender(slot)
    url = reverse("afspraken:confirm", args=[slot.pk])
    # The parent opens the confirm page first (this also records their session activity, so
    # the POST below writes nothing but the booking).
    assert client.get(url, {"child": child.pk, "type": slot_type(slot).pk}).status_code == 200
    path = connection.settings_dict["NAME"]
    options = connection.settings_dict["OPTIONS"]
    options["timeout"], saved = 0.5, options["timeout"]
    connection.close()  # reconnect with the short timeout
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # someone else is writing, for longer than the wait
        response = client.post(
            url,
            {"child": child.pk, "type": slot_type(slot).pk, "note": "Over het slapen"},
        )
    finally:
        holder.rollback()
        holder.close()
        options["timeout"] = saved
        connection.close()
    assert response.status_code == 409
    body = response.content.decode()
    assert "Het is nu erg druk en er is nog niets opgeslagen. Probeer het nog een keer." in body
    assert "Over het slapen" in body
    assert not Appointment.objects.filter(slot=slot).exists()
