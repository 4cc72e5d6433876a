"""queue_sms: a row first, sent after commit, never at night, never to a number that said STOP."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from sms import services
from sms.backends import locmem
from sms.models import OutgoingSms
from tests.factories import make_family

AMS = ZoneInfo("Europe/Amsterdam")
REMINDER = "Herinnering: je hebt morgen om 10:00 een afspraak bij de JGZ. Bel 030 630 54 00."


def _at(hour, minute=0, day=1):
    return datetime(2026, 12, day, hour, minute, tzinfo=AMS)


@pytest.mark.django_db
def test_queued_sms_is_stored_and_sent_after_commit(django_capture_on_commit_callbacks):
    family = make_family()
    with time_machine.travel(_at(10), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            sms = services.queue_sms(
                to="06 12345678", body=REMINDER, kind="appointment-reminder", family=family
            )
    sms.refresh_from_db()
    assert (sms.to, sms.status, sms.family, sms.attempts) == (
        "+31612345678",
        OutgoingSms.Status.SENT,
        family,
        1,
    )
    assert [(m.to, m.body, m.reference) for m in locmem.sent] == [
        ("+31612345678", REMINDER, str(sms.reference))
    ]
    assert locmem.sent[0].sender == "JGZ"


@pytest.mark.django_db
def test_sending_twice_sends_once():
    with time_machine.travel(_at(10), tick=False):
        sms = services.queue_sms(to="0612345678", body=REMINDER, kind="reminder")
        assert services.send_sms(sms_id=sms.pk) is True
        assert services.send_sms(sms_id=sms.pk) is False
    assert len(locmem.sent) == 1


@pytest.mark.django_db
def test_sms_queued_at_night_waits_for_the_morning(django_capture_on_commit_callbacks):
    with time_machine.travel(_at(23, 30), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            sms = services.queue_sms(to="0612345678", body=REMINDER, kind="reminder")
        assert services.flush_sms() == 0
    assert locmem.sent == []
    assert sms.next_attempt_at == _at(8, day=2)
    with time_machine.travel(_at(7, 59, day=2), tick=False):
        assert services.flush_sms() == 0
    with time_machine.travel(_at(8, 0, day=2), tick=False):
        assert services.flush_sms() == 1
    sms.refresh_from_db()
    assert sms.status == OutgoingSms.Status.SENT
    assert len(locmem.sent) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("to", "reason"),
    [("06-123", "valid phone number"), ("030 630 54 00", "mobile"), ("", "valid phone number")],
)
def test_unusable_number_raises_a_clear_value_error(to, reason):
    with pytest.raises(ValueError, match=reason):
        services.queue_sms(to=to, body=REMINDER, kind="reminder")
    assert not OutgoingSms.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "kind", "reason"),
    [
        ("", "reminder", "needs a text"),
        ("x" * 460, "reminder", "at most 459"),
        ("Morgen krijgt Sam de vaccinatie tegen mazelen.", "reminder", "medical detail"),
        ("De uitslag van de hielprik is binnen.", "reminder", "medical detail"),
        (REMINDER, "Herinnering!", "slug"),
    ],
)
def test_text_with_medical_detail_or_bad_shape_is_refused(body, kind, reason):
    with pytest.raises(ValueError, match=reason):
        services.queue_sms(to="0612345678", body=body, kind=kind)
    assert not OutgoingSms.objects.exists()


@pytest.mark.django_db
def test_number_that_said_stop_gets_a_row_but_no_sms(django_capture_on_commit_callbacks):
    services.opt_out(phone="+31612345678")
    with time_machine.travel(_at(10), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            sms = services.queue_sms(to="06 12345678", body=REMINDER, kind="reminder")
        services.flush_sms()
    sms.refresh_from_db()
    assert sms.status == OutgoingSms.Status.OPTED_OUT
    assert locmem.sent == []


@pytest.mark.django_db
def test_stop_after_queueing_stops_the_queued_sms():
    with time_machine.travel(_at(23), tick=False):
        sms = services.queue_sms(to="0612345678", body=REMINDER, kind="reminder")
    assert services.handle_inbound(sender="0031612345678", text="Stop") == "stop"
    with time_machine.travel(_at(9, day=2), tick=False):
        services.flush_sms()
    sms.refresh_from_db()
    assert sms.status == OutgoingSms.Status.OPTED_OUT
    assert locmem.sent == []
    assert services.handle_inbound(sender="+31612345678", text="START") == "start"
    assert not services.is_opted_out("+31612345678")
