"""Invitations and reminders by e-mail, SMS or both, as the family chose on its messages page;
by SMS whatever was chosen when nobody in the family has an e-mail address."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from afspraken import reminders
from afspraken.models import Appointment
from contactmomenten import services as moments
from families.models import Family
from outbox.models import OutgoingEmail
from sms import services
from sms.models import OutgoingSms
from sms.selectors import get_channels
from tests.afspraken.factories import local_dt, make_slot, parent_with_child, slot_type
from tests.contactmomenten.factories import eight_week_setup
from tests.factories import make_family

pytestmark = pytest.mark.django_db
MOBILE = "+31612345678"


@pytest.mark.parametrize(
    ("channel", "phone", "has_email", "expected"),
    [
        ("email", MOBILE, True, (True, "")),
        ("sms", MOBILE, True, (False, MOBILE)),
        ("both", MOBILE, True, (True, MOBILE)),
        ("email", MOBILE, False, (False, MOBILE)),  # no e-mail address: SMS anyway
        ("sms", "", True, (True, "")),  # no number: e-mail after all
        ("sms", "+31306305400", True, (True, "")),  # a landline cannot get SMS
        ("email", "", False, (False, "")),  # nothing: staff call or write (outreach)
    ],
)
def test_channels_follow_the_choice_and_what_is_possible(channel, phone, has_email, expected):
    family = make_family(message_channel=channel, phone=phone)
    channels = get_channels(family=family, has_email=has_email)
    assert (channels.email, channels.sms_to) == expected


def test_number_that_said_stop_gets_e_mail_again():
    family = make_family(message_channel="sms", phone=MOBILE)
    services.handle_inbound(sender=MOBILE, text="stop")
    channels = get_channels(family=family, has_email=True)
    assert (channels.email, channels.sms_to) == (True, "")


def _appointment_at(starts_at, *, channel: str, phone: str = MOBILE) -> Appointment:
    slot = make_slot(starts_at=starts_at)
    parent, child = parent_with_child()
    Family.objects.filter(pk=parent.family_id).update(message_channel=channel, phone=phone)
    return Appointment.objects.create(
        slot=slot,
        appointment_type=slot_type(slot),
        family=parent.family,
        child=child,
        parent=parent,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=20),
        ical_uid=f"{slot.pk}@test",
        created_at=starts_at - timedelta(days=10),
    )


def test_day_before_reminder_goes_by_sms_only_when_the_family_chose_sms():
    appointment = _appointment_at(local_dt(date(2026, 6, 10), time(10, 30)), channel="sms")
    reminders.send_due_reminders(now=local_dt(date(2026, 6, 9), time(10, 30)))
    (sms,) = OutgoingSms.objects.all()
    assert (sms.to, sms.kind, sms.family_id) == (
        MOBILE,
        "afspraken-reminder-day-before",
        appointment.family_id,
    )
    assert "morgen om 10:30 een afspraak" in sms.body
    assert appointment.slot.location.name in sms.body
    # 24 hours before, online changes have closed: the location's number instead of the link.
    assert f"Kun je niet? Bel {appointment.slot.location.phone}." in sms.body
    assert not OutgoingEmail.objects.filter(kind="afspraken_reminder_day_before").exists()
    # The topics question needs the web form: no SMS, and no e-mail either for an SMS family.
    assert not OutgoingEmail.objects.filter(kind="afspraken_reminder_discuss").exists()


def test_both_gets_the_day_before_reminder_twice_over():
    _appointment_at(local_dt(date(2026, 6, 10), time(10, 30)), channel="both")
    reminders.send_due_reminders(now=local_dt(date(2026, 6, 9), time(10, 30)))
    assert OutgoingSms.objects.count() == 1
    assert OutgoingEmail.objects.filter(kind="afspraken_reminder_day_before").count() == 1


def test_invitation_by_sms_names_the_child_but_not_the_moment():
    parent, child, moment, atype, slots = eight_week_setup(days_to_target=5)
    Family.objects.filter(pk=parent.family_id).update(message_channel="sms", phone=MOBILE)
    assert moments.send_due_messages(now=local_dt(timezone.localdate(), time(10))) == 1
    (sms,) = OutgoingSms.objects.filter(kind="contactmomenten-invitation")
    assert "Noor" in sms.body
    assert moment.name.lower() not in sms.body.lower()
    assert f"/contactmomenten/kind/{child.pk}/cb-8w/" in sms.body
    assert "030 630 54 00" in sms.body  # how to reach a person
    assert not OutgoingEmail.objects.filter(kind="contactmomenten_invitation").exists()


def test_invitation_for_a_family_without_e_mail_asks_them_to_call():
    parent, child, moment, atype, slots = eight_week_setup(days_to_target=5)
    Family.objects.filter(pk=parent.family_id).update(phone=MOBILE)
    parent.email = ""
    parent.save(update_fields=["email"])
    assert moments.send_due_messages(now=local_dt(timezone.localdate(), time(10))) == 1
    (sms,) = OutgoingSms.objects.all()
    assert "Bel ons om een afspraak te maken: 030 630 54 00." in sms.body
    assert "http" not in sms.body


# --- The parent's messages page ----------


def test_parent_chooses_sms_with_a_number_as_typed(client, parent):
    client.force_login(parent)
    response = client.post(
        reverse("contactmomenten:preferences"),
        {"invitations": "on", "channel": "both", "phone": "06-12 34 56 78"},
    )
    assert response.status_code == 302
    family = Family.objects.get(pk=parent.family_id)
    assert (family.message_channel, family.phone) == ("both", MOBILE)
    page = client.get(reverse("contactmomenten:preferences")).content.decode()
    assert 'value="+31612345678"' in page
    assert "STOP" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"channel": "sms", "phone": ""}, "phone", "Vul je mobiele nummer in"),
        ({"channel": "sms", "phone": "06-123"}, "phone", "Dit telefoonnummer kunnen we niet"),
        ({"channel": "sms", "phone": "030 630 54 00"}, "phone", "Dit is geen mobiel nummer"),
        (
            {"channel": "sms", "phone": "0612345678", "quiet_from": "19:00"},
            "quiet_from",
            "Vul allebei de tijden in",
        ),
    ],
)
def test_unusable_choice_is_refused_in_dutch_and_keeps_the_text(
    client, parent, data, field, message
):
    client.force_login(parent)
    response = client.post(reverse("contactmomenten:preferences"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["form"][field].value() == data[field]
    assert Family.objects.get(pk=parent.family_id).phone == ""


def test_family_quiet_hours_hold_an_sms_back(client, parent):
    client.force_login(parent)
    client.post(
        reverse("contactmomenten:preferences"),
        {"channel": "sms", "phone": "0612345678", "quiet_from": "00:00", "quiet_until": "23:59"},
    )
    family = Family.objects.get(pk=parent.family_id)
    sms = services.queue_sms(to=family.phone, body="Tot morgen.", kind="t", family=family)
    assert sms.next_attempt_at > timezone.now()
    assert timezone.localtime(sms.next_attempt_at).time() in (time(23, 59), time(8, 0))
