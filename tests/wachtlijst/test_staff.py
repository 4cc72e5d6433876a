"""Staff see who waits, per location and type, with the offers that are open (logged); parents
who chose text messages get their offers by SMS."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from afspraken import services as booking
from families.models import Family
from outbox.models import OutgoingEmail
from privacy.fields import contains_id
from privacy.models import AccessLog
from sms import services as sms_services
from teams.models import PostcodeArea, Team, TeamMembership, Wijk
from teams.services import refresh_family_teams
from tests.factories import make_staff
from tests.sms.fake_provider import spryng  # noqa: F401
from tests.wachtlijst.factories import Setup
from wachtlijst import services
from wachtlijst.models import Offer

pytestmark = pytest.mark.django_db


def _waiting_with_offer(capture):
    setup = Setup()
    waiting = setup.booked(n=12)
    services.join_waitlist(parent=waiting.parent, appointment_id=waiting.pk, part="evening")
    other = setup.booked(n=3)
    with capture(execute=True):
        booking.cancel_appointment(appointment_id=other.pk, actor=other.parent)
    return setup, waiting


def test_staff_see_who_waits_per_location_with_open_offers_and_it_is_logged(
    client, django_capture_on_commit_callbacks
):
    setup, waiting = _waiting_with_offer(django_capture_on_commit_callbacks)
    Family.objects.filter(pk=waiting.family_id).update(name="Bakker")
    quiet = setup.booked(n=14)
    services.join_waitlist(parent=quiet.parent, appointment_id=quiet.pk)
    staff = make_staff(role=User.Role.ASSISTANT)
    client.force_login(staff)
    response = client.get(reverse("wachtlijst:staff_list"), {"location": setup.location.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert setup.location.name in html and setup.type.name in html
    assert "Bakker" in html, html[html.find("<h1") :]
    assert "2 wachtenden" in html and "1 aanbod open" in html
    log = AccessLog.objects.get(actor=staff, reason="waiting list")
    assert AccessLog.objects.filter(contains_id("family_ids", waiting.family_id), pk=log.pk)
    assert AccessLog.objects.filter(contains_id("family_ids", quiet.family_id), pk=log.pk)


def test_staff_see_only_families_of_their_own_teams(client, django_capture_on_commit_callbacks):
    setup, waiting = _waiting_with_offer(django_capture_on_commit_callbacks)
    north, south = Team.objects.create(name="Noord"), Team.objects.create(name="Zuid")
    PostcodeArea.objects.create(digits="3561", wijk=Wijk.objects.create(name="O", team=north))
    Family.objects.filter(pk=waiting.family_id).update(name="Bakker", postcode="3561 AB")
    refresh_family_teams()
    outsider = make_staff(role=User.Role.ASSISTANT)
    TeamMembership.objects.create(team=south, user=outsider)
    client.force_login(outsider)
    html = client.get(reverse("wachtlijst:staff_list")).content.decode()
    assert "Bakker" not in html and "Er wacht niemand" in html


def test_an_offer_goes_by_sms_to_a_family_that_chose_it(
    spryng,  # noqa: F811
    weekday_morning,
    django_capture_on_commit_callbacks,
):
    setup = Setup()
    waiting = setup.booked(n=12)
    Family.objects.filter(pk=waiting.family_id).update(phone="+31612345678", message_channel="sms")
    services.join_waitlist(parent=waiting.parent, appointment_id=waiting.pk, part="evening")
    other = setup.booked(n=3)
    with django_capture_on_commit_callbacks(execute=True):
        booking.cancel_appointment(appointment_id=other.pk, actor=other.parent)
    offer = Offer.objects.get(parent=waiting.parent)
    sms_services.flush_sms()
    [message] = spryng.messages
    assert message["recipients"] == ["31612345678"]
    assert f"/wachtlijst/aanbod/{offer.token}/" in message["body"]
    assert re.search(r"Bel \d", message["body"])  # how to reach a person
    # SMS only, as chosen: no e-mail with the offer.
    assert not OutgoingEmail.objects.filter(to=waiting.parent.email, kind="wachtlijst_offer")


def test_staff_list_queries_do_not_grow_with_the_families_waiting(
    client, django_capture_on_commit_callbacks, time_machine
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # The clock stands still: the idle-timeout session write (once a minute, not per row)
    # cannot land in one measurement and not the other.
    time_machine.move_to(timezone.now(), tick=False)

    setup, _ = _waiting_with_offer(django_capture_on_commit_callbacks)
    staff = make_staff(role=User.Role.ASSISTANT)
    client.force_login(staff)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("wachtlijst:staff_list")).status_code == 200
        return len(queries)

    count()  # the first request after logging in also saves the session
    few = count()
    for n in range(20, 30):
        waiting = setup.booked(n=n)
        services.join_waitlist(parent=waiting.parent, appointment_id=waiting.pk)
    assert count() == few
