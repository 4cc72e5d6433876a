"""Invitations and reminders: due at 09:00 local on the right day, each exactly once."""

import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from afspraken import services as booking
from contactmomenten import services
from contactmomenten.models import ChildMoment, FamilyPreferences, MomentMessage
from families.models import Child
from outbox.models import OutgoingEmail
from tests.afspraken.factories import local_dt, make_slot
from tests.contactmomenten.factories import eight_week_setup
from tests.factories import make_parent

pytestmark = pytest.mark.django_db


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return local_dt(day, time(hour, minute))


def _invitations():
    return OutgoingEmail.objects.filter(kind="contactmomenten_invitation")


def test_invitation_goes_out_at_nine_on_the_day_the_window_opens():
    parent, child, moment, atype, slots = eight_week_setup(days_to_target=7)
    today = timezone.localdate()
    assert services.send_due_messages(now=_at(today, 8, 59)) == 0
    assert services.send_due_messages(now=_at(today, 9, 0)) == 1
    (mail,) = _invitations()
    assert mail.to == parent.email
    assert mail.subject == "Het is tijd voor het consult 8 weken van Noor — plan je afspraak"
    assert f"/contactmomenten/kind/{child.pk}/cb-8w/" in mail.body_text
    assert ChildMoment.objects.get(child=child).state == ChildMoment.State.INVITED


def test_invitation_is_sent_once_however_often_the_scan_runs():
    parent, child, moment, atype, slots = eight_week_setup(days_to_target=5)
    now = _at(timezone.localdate(), 10)
    assert services.send_due_messages(now=now) == 1
    assert services.send_due_messages(now=now + timedelta(minutes=15)) == 0
    assert _invitations().count() == 1
    assert MomentMessage.objects.count() == 1


def test_both_parents_get_the_invitation():
    parent, child, moment, atype, slots = eight_week_setup(days_to_target=5)
    other = make_parent(family=parent.family)
    services.send_due_messages(now=_at(timezone.localdate(), 10))
    assert set(_invitations().values_list("to", flat=True)) == {parent.email, other.email}


def test_no_invitation_for_a_moment_already_planned():
    parent, child, moment, atype, (slot,) = eight_week_setup(days_to_target=5)
    booking.book_appointment(
        slot_id=slot.pk,
        appointment_type_id=atype.pk,
        parent=parent,
        child_id=child.pk,
        moment_code="cb-8w",
    )
    assert services.send_due_messages(now=_at(timezone.localdate(), 10)) == 0
    assert not _invitations().exists()


def test_no_invitation_when_the_family_opted_out():
    parent, child, moment, atype, slots = eight_week_setup(days_to_target=5)
    FamilyPreferences.objects.create(family=parent.family, invitations=False)
    assert services.send_due_messages(now=_at(timezone.localdate(), 10)) == 0


def test_no_invitation_about_a_child_no_longer_in_care():
    parent, child, moment, atype, slots = eight_week_setup(days_to_target=5)
    Child.objects.filter(pk=child.pk).update(care_status="moved_out")
    assert services.send_due_messages(now=_at(timezone.localdate(), 10)) == 0


def test_invitation_waits_until_a_place_in_the_window_can_be_booked():
    parent, child, moment, atype, (slot,) = eight_week_setup(days_to_target=5, slot_days=(30,))
    now = _at(timezone.localdate(), 10)
    assert services.send_due_messages(now=now) == 0
    make_slot(schedule=slot.schedule, starts_at=_at(timezone.localdate() + timedelta(days=4), 18))
    assert services.send_due_messages(now=now) == 1


def test_reminder_once_two_weeks_before_a_long_window_closes():
    parent, child, moment, atype, slots = eight_week_setup(days_to_target=7)
    moment.window_after_days = 21  # window: today .. today + 28
    moment.save()
    today = timezone.localdate()
    services.send_due_messages(now=_at(today, 10))
    reminder_day = today + timedelta(days=28 - 14)
    assert services.send_due_messages(now=_at(reminder_day, 8)) == 0
    assert services.send_due_messages(now=_at(reminder_day, 9)) == 1
    assert services.send_due_messages(now=_at(reminder_day + timedelta(days=1), 9)) == 0
    (mail,) = OutgoingEmail.objects.filter(kind="contactmomenten_reminder")
    assert mail.subject.startswith("Herinnering: plan het consult 8 weken van Noor")


def test_no_reminder_once_the_moment_is_planned():
    parent, child, moment, atype, (slot,) = eight_week_setup(days_to_target=7, slot_days=(20,))
    moment.window_after_days = 21
    moment.save()
    today = timezone.localdate()
    services.send_due_messages(now=_at(today, 10))
    booking.book_appointment(
        slot_id=slot.pk,
        appointment_type_id=atype.pk,
        parent=parent,
        child_id=child.pk,
        moment_code="cb-8w",
    )
    assert services.send_due_messages(now=_at(today + timedelta(days=14), 10)) == 0


def test_invitation_due_time_is_nine_local_across_dst():
    from contactmomenten.schedule import Window

    spring = Window("x", date(2027, 3, 28), date(2027, 3, 28), date(2027, 4, 11))
    autumn = Window("x", date(2027, 10, 31), date(2027, 10, 31), date(2027, 11, 14))
    assert services.invitation_time(spring) == datetime(2027, 3, 28, 7, tzinfo=UTC)
    assert services.invitation_time(autumn) == datetime(2027, 10, 31, 8, tzinfo=UTC)


def test_messages_never_carry_answers_or_notes():
    parent, child, moment, atype, slots = eight_week_setup(days_to_target=5)
    services.send_due_messages(now=_at(timezone.localdate(), 10))
    (mail,) = _invitations()
    for word in ("drinken", "slaapt", "afgesproken"):
        assert word not in (mail.body_text + mail.body_html).lower()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_scans_send_one_invitation():
    parent, child, moment, atype, slots = eight_week_setup(days_to_target=5)
    now = _at(timezone.localdate(), 10)
    barrier = threading.Barrier(2)
    results = []

    def scan():
        try:
            barrier.wait()
            results.append(services.send_due_messages(now=now))
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 1]
    assert _invitations().count() == 1


def test_from_sixteen_the_moment_belongs_to_the_youth_not_the_parent():
    from contactmomenten.models import ContactMoment
    from contactmomenten.selectors import family_schedule
    from families.ages import add_months
    from tests.factories import make_child

    parent, child, moment, atype, slots = eight_week_setup()
    youth_moment = ContactMoment.objects.create(
        code="test-16j",
        name="Gesprek 16 jaar",
        target_value=16,
        target_unit="years",
        window_before_days=30,
        window_after_days=30,
    )
    youth_moment.appointment_types.set([atype])
    born = add_months(timezone.localdate(), -192)
    teen = make_child(family=parent.family, first_name="Lotte", date_of_birth=born)
    view = next(
        v
        for v in family_schedule(parent=parent, children=[teen])[teen.pk].upcoming
        if v.moment.code == "test-16j"
    )
    assert view.with_youth and not view.can_plan
    services.send_due_messages(now=_at(timezone.localdate(), 10))
    assert not MomentMessage.objects.filter(child_moment__child=teen).exists()


def test_three_day_appointment_reminder_asks_for_the_answers_by_link_only():
    from afspraken.reminders import send_reminder

    parent, child, moment, atype, (slot,) = eight_week_setup(slot_days=(4,))
    appointment = booking.book_appointment(
        slot_id=slot.pk,
        appointment_type_id=atype.pk,
        parent=parent,
        child_id=child.pk,
        moment_code="cb-8w",
    )
    now = appointment.starts_at - timedelta(days=3) + timedelta(minutes=1)
    assert send_reminder(appointment_id=appointment.pk, kind="discuss", now=now)
    mail = OutgoingEmail.objects.get(kind="afspraken_reminder_discuss")
    assert f"/contactmomenten/kind/{child.pk}/cb-8w/" in mail.body_text
    assert "drinken" not in mail.body_text.lower()


def test_end_of_care_withdraws_invitations_still_waiting_in_the_outbox():
    from families.models import Family
    from sms.models import OutgoingSms
    from tests.factories import make_staff

    parent, child, moment, atype, slots = eight_week_setup(days_to_target=5)
    Family.objects.filter(pk=parent.family_id).update(message_channel="both", phone="+31612345678")
    assert services.send_due_messages(now=_at(timezone.localdate(), 10)) == 2
    (mail,) = _invitations()
    (text,) = OutgoingSms.objects.filter(kind="contactmomenten-invitation")
    assert mail.status == text.status == "queued"
    services.end_care(actor=make_staff(), child_id=child.pk, status="deceased")
    mail.refresh_from_db()
    text.refresh_from_db()
    # Nothing about the child leaves after the end of care; the admin still shows why.
    assert mail.status == text.status == "failed"
    assert "care for this child ended" in mail.last_error


def test_end_of_care_leaves_invitations_of_a_sibling_alone():
    from tests.factories import make_child, make_staff

    parent, child, moment, atype, slots = eight_week_setup(days_to_target=5)
    make_child(family=parent.family, first_name="Daan", date_of_birth=child.date_of_birth)
    assert services.send_due_messages(now=_at(timezone.localdate(), 10)) == 2
    services.end_care(actor=make_staff(), child_id=child.pk, status="moved_out")
    assert sorted(_invitations().values_list("status", flat=True)) == ["failed", "queued"]
