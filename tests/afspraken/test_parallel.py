"""Real parallel requests on separate database connections (threads), no mocks."""

import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from afspraken import services
from afspraken.exceptions import BookingError
from afspraken.models import Appointment, Slot
from tests.afspraken.factories import (
    make_schedule,
    make_slot,
    make_type,
    parent_with_child,
    slot_type,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _run_parallel(n, work):
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_fifty_parallel_requests_for_the_last_place_exactly_one_wins():
    slot = make_slot()
    appointment_type = slot_type(slot)
    contenders = []
    for _ in range(50):
        parent, child = parent_with_child()
        client = Client()
        client.force_login(parent)
        contenders.append((client, child))
    url = reverse("afspraken:confirm", args=[slot.pk])

    def book(i):
        client, child = contenders[i]
        response = client.post(
            url, {"child": child.pk, "type": appointment_type.pk, "note": f"Notitie {i}"}
        )
        return response.status_code, response.content.decode()

    started = time.monotonic()
    results = _run_parallel(50, book)
    elapsed = time.monotonic() - started
    assert all(isinstance(r, tuple) for r in results), results
    statuses = [status for status, _ in results]
    assert statuses.count(302) == 1, statuses
    assert statuses.count(409) == 49, statuses
    for i, (status, body) in enumerate(results):
        if status == 409:
            assert "Dit tijdstip is net vergeven, kies een ander" in body
            assert f"Notitie {i}" in body  # the form is kept
    slot.refresh_from_db()
    assert slot.booked_count == 1
    assert Appointment.objects.filter(slot=slot).count() == 1
    assert elapsed < 60


def test_parallel_group_bookings_never_exceed_capacity():
    group = make_type(name="Scheiden en ouderschap", capacity=5, duration_minutes=90)
    slot = make_slot(schedule=make_schedule(types=[group]), minutes=90)
    parents = [parent_with_child()[0] for _ in range(20)]

    def book(i):
        try:
            services.book_appointment(
                slot_id=slot.pk, appointment_type_id=group.pk, parent=parents[i]
            )
            return "ok"
        except BookingError as exc:
            return exc.code

    results = _run_parallel(20, book)
    assert results.count("ok") == 5 and results.count("taken") == 15, results
    slot.refresh_from_db()
    assert slot.booked_count == 5


def test_same_child_in_two_overlapping_slots_at_once_gets_one():
    """Different slots (different row locks): only the exclusion constraint stops this."""
    from datetime import timedelta

    parent, child = parent_with_child()
    first = make_slot()
    second = make_slot(starts_at=first.starts_at + timedelta(minutes=10))
    slots = [first, second]

    def book(i):
        try:
            services.book_appointment(
                slot_id=slots[i].pk,
                appointment_type_id=slot_type(slots[i]).pk,
                parent=parent,
                child_id=child.pk,
            )
            return "ok"
        except BookingError as exc:
            return exc.code

    for _ in range(3):
        results = _run_parallel(2, book)
        assert results.count("ok") == 1 and results.count("overlap") == 1, results
        Appointment.objects.filter(child=child).delete()
        Slot.objects.filter(pk__in=[first.pk, second.pk]).update(booked_count=0)
