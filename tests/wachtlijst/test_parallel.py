"""Thirty families accept one offered place at the same moment (threads, own connections)."""

from datetime import time

import pytest
from django.test import Client
from django.urls import reverse

from afspraken.models import Appointment, Slot
from tests.afspraken.test_parallel import _run_parallel
from tests.wachtlijst.factories import Setup
from wachtlijst import services
from wachtlijst.models import Offer

pytestmark = pytest.mark.django_db(transaction=True)

ACCEPTORS = 30
GONE = "Sorry, deze plek is al vergeven."


def offered_place(n: int = ACCEPTORS):
    """`n` families with an appointment on day 12, all offered one free place on day 3."""
    setup = Setup()
    booked = []
    for i in range(n):
        minutes = 8 * 60 + 20 * (i + 1)
        appointment = setup.booked(n=12, at=time(minutes // 60, minutes % 60))
        services.join_waitlist(parent=appointment.parent, appointment_id=appointment.pk)
        booked.append(appointment)
    free = setup.slot(3)
    return setup, free, booked


def accept_all_at_once(booked):
    contenders = []
    for appointment in booked:
        client = Client(raise_request_exception=False)
        client.force_login(appointment.parent)
        offer = Offer.objects.get(parent=appointment.parent)
        contenders.append((client, reverse("wachtlijst:offer", args=[offer.token])))

    def accept(i):
        client, url = contenders[i]
        response = client.post(url, {"action": "accept"})
        return response.status_code, response.content.decode()

    return _run_parallel(len(contenders), accept)


def check_one_winner(results, free, booked):
    assert all(isinstance(r, tuple) for r in results), results
    statuses = [status for status, _ in results]
    assert statuses.count(302) == 1 and statuses.count(409) == len(booked) - 1, statuses
    assert all(GONE in body for status, body in results if status == 409)
    free.refresh_from_db()
    assert free.booked_count == 1
    moved = Appointment.objects.filter(status=Appointment.Status.MOVED)
    assert moved.count() == 1
    # The winner's old place is free again; every other family keeps theirs.
    assert Slot.objects.get(pk=moved.get().slot_id).booked_count == 0
    kept = Appointment.objects.filter(pk__in=[a.pk for a in booked], status="booked")
    assert kept.count() == len(booked) - 1
    assert Offer.objects.filter(slot=free, status=Offer.Status.ACCEPTED).count() == 1
    assert Offer.objects.filter(slot=free, status=Offer.Status.GONE).count() == len(booked) - 1


@pytest.fixture(autouse=True)
def _everyone_offered(settings):
    settings.WACHTLIJST_OFFERS_PER_PLACE = ACCEPTORS


def test_thirty_families_accept_one_place_at_once_exactly_one_gets_it():
    _setup, free, booked = offered_place()
    assert services.offer_places(slot_ids=[free.pk]) == ACCEPTORS
    results = accept_all_at_once(booked)
    check_one_winner(results, free, booked)
