"""The parent's pages: joining, the offer link, leaving."""

from datetime import time

import pytest
from django.urls import reverse

from afspraken.models import Appointment
from tests.factories import make_parent, make_staff
from tests.wachtlijst.factories import Setup
from wachtlijst import services
from wachtlijst.models import Entry, Offer

pytestmark = pytest.mark.django_db


def _offer_for(setup, waiting):
    services.join_waitlist(parent=waiting.parent, appointment_id=waiting.pk)
    services.offer_places(slot_ids=[setup.slot(3).pk])
    return Offer.objects.get(parent=waiting.parent)


def test_a_parent_joins_from_their_appointment_for_evenings(client):
    setup = Setup()
    waiting = setup.booked(n=12)
    client.force_login(waiting.parent)
    detail = client.get(reverse("afspraken:detail", args=[waiting.pk]))
    assert "Eerder als er plek komt" in detail.content.decode()
    url = reverse("wachtlijst:join") + f"?appointment={waiting.pk}"
    page = client.get(url)
    assert page.status_code == 200
    assert "Je afspraak nu:" in page.content.decode()
    response = client.post(url, {"appointment": waiting.pk, "part": "evening"}, follow=True)
    assert "Je staat op de wachtlijst" in response.content.decode()
    entry = Entry.objects.get(appointment=waiting)
    assert entry.part == "evening" and entry.status == Entry.Status.WAITING


def test_an_unknown_time_of_day_keeps_the_form_with_a_dutch_message(client):
    setup = Setup()
    waiting = setup.booked(n=12)
    client.force_login(waiting.parent)
    response = client.post(reverse("wachtlijst:join"), {"appointment": waiting.pk, "part": "nacht"})
    assert response.status_code == 400
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not Entry.objects.exists()


def test_joining_twice_is_a_409_in_dutch(client):
    setup = Setup()
    waiting = setup.booked(n=12)
    client.force_login(waiting.parent)
    data = {"appointment": waiting.pk, "part": ""}
    client.post(reverse("wachtlijst:join"), data)
    response = client.post(reverse("wachtlijst:join"), data)
    assert response.status_code == 409
    assert "Je staat hiervoor al op de wachtlijst." in response.content.decode()


def test_another_familys_appointment_cannot_be_put_on_the_list(client):
    setup = Setup()
    waiting = setup.booked(n=12)
    client.force_login(make_parent())
    response = client.post(reverse("wachtlijst:join"), {"appointment": waiting.pk})
    assert response.status_code == 404


def test_the_offer_link_accepts_and_shows_the_moved_appointment(client):
    setup = Setup()
    waiting = setup.booked(n=12)
    offer = _offer_for(setup, waiting)
    client.force_login(waiting.parent)
    url = reverse("wachtlijst:offer", args=[offer.token])
    page = client.get(url)
    assert "Ja, ik wil deze plek" in page.content.decode()
    response = client.post(url, {"action": "accept"})
    new = Appointment.objects.get(moved_from=waiting)
    assert response.status_code == 302
    assert response.url == reverse("afspraken:detail", args=[new.pk])


def test_the_offer_link_of_another_family_is_a_404_and_staff_get_none(client):
    setup = Setup()
    offer = _offer_for(setup, setup.booked(n=12))
    url = reverse("wachtlijst:offer", args=[offer.token])
    client.force_login(make_parent())
    assert client.get(url).status_code == 404
    client.force_login(make_staff())
    assert client.get(url).status_code == 404


def test_a_late_acceptor_keeps_their_appointment_and_reads_why(client):
    setup = Setup()
    first = setup.booked(n=12, at=time(19, 0))
    second = setup.booked(n=12, at=time(19, 30))
    for waiting in (first, second):
        services.join_waitlist(parent=waiting.parent, appointment_id=waiting.pk)
    services.offer_places(slot_ids=[setup.slot(3).pk])
    services.accept_offer(offer_id=Offer.objects.get(parent=first.parent).pk)
    late = Offer.objects.get(parent=second.parent)
    client.force_login(second.parent)
    response = client.post(reverse("wachtlijst:offer", args=[late.token]), {"action": "accept"})
    assert response.status_code == 409
    assert "Sorry, deze plek is al vergeven." in response.content.decode()
    assert Appointment.objects.get(pk=second.pk).status == Appointment.Status.BOOKED


def test_a_parent_leaves_the_waiting_list(client):
    setup = Setup()
    waiting = setup.booked(n=12)
    entry = services.join_waitlist(parent=waiting.parent, appointment_id=waiting.pk)
    client.force_login(waiting.parent)
    page = client.get(reverse("wachtlijst:mine"))
    assert "Haal me van de wachtlijst" in page.content.decode()
    client.post(reverse("wachtlijst:leave", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.status == Entry.Status.LEFT
