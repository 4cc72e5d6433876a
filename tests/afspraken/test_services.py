"""Booking, rescheduling, cancelling and outcomes, against PostgreSQL."""

from datetime import time, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from afspraken import services
from afspraken.exceptions import (
    AlreadyBooked,
    ChildAlreadyBooked,
    NotBookable,
    NotChangeable,
    OutsideBookingWindow,
    PastCutoff,
    SlotUnavailable,
)
from afspraken.ical import build_ics
from afspraken.models import Appointment, AppointmentChange, FollowUp, Slot
from outbox.models import OutgoingEmail
from tests.afspraken.factories import (
    local_dt,
    make_schedule,
    make_slot,
    make_type,
    parent_with_child,
    slot_type,
    topic,
)
from tests.factories import make_child, make_staff

pytestmark = pytest.mark.django_db


def _book(slot, parent, child=None, **kwargs):
    return services.book_appointment(
        slot_id=slot.pk,
        appointment_type_id=kwargs.pop("type_id", None) or slot_type(slot).pk,
        parent=parent,
        child_id=child.pk if child else None,
        **kwargs,
    )


def test_booking_takes_a_place_and_queues_confirmation_with_ics():
    slot = make_slot()
    parent, child = parent_with_child()
    appointment = _book(
        slot, parent, child, topics=[topic("Slapen").pk, 987654], note=" Slaapt slecht "
    )
    slot.refresh_from_db()
    assert slot.booked_count == 1
    assert appointment.topic_labels == ["Slapen"]
    assert appointment.note == "Slaapt slecht"
    assert appointment.has_topics
    email = OutgoingEmail.objects.get(kind="afspraken_confirmation")
    assert email.to == parent.email
    assert email.attachments[0]["mimetype"] == "text/calendar; method=REQUEST"
    assert "18:30" in email.body_text


def test_booking_taken_slot_is_refused():
    slot = make_slot()
    parent, child = parent_with_child()
    other, other_child = parent_with_child()
    _book(slot, parent, child)
    with pytest.raises(SlotUnavailable):
        _book(slot, other, other_child)


def test_booking_in_the_past_within_notice_or_beyond_horizon_is_refused():
    parent, child = parent_with_child()
    now = timezone.now()
    for starts in (
        now - timedelta(hours=1),
        now + timedelta(minutes=90),
        now + timedelta(weeks=9),
    ):
        slot = make_slot(starts_at=starts)
        with pytest.raises(OutsideBookingWindow):
            _book(slot, parent, child)


def test_booking_type_not_offered_in_slot_is_refused():
    slot = make_slot()
    parent, child = parent_with_child()
    with pytest.raises(NotBookable):
        _book(slot, parent, child, type_id=make_type().pk)


def test_booking_type_not_online_is_refused_for_parents_but_staff_may():
    offline = make_type(bookable_online=False)
    slot = make_slot(schedule=make_schedule(types=[offline]))
    parent, child = parent_with_child()
    with pytest.raises(NotBookable):
        _book(slot, parent, child)
    nurse = make_staff()
    appointment = _book(slot, parent, child, booked_by=nurse, online=False)
    assert appointment.booked_by == nurse


def test_booking_child_outside_age_range_is_refused():
    baby_type = make_type(min_age_months=0, max_age_months=6)
    slot = make_slot(schedule=make_schedule(types=[baby_type]))
    parent, child = parent_with_child(age_months=30)
    with pytest.raises(NotBookable):
        _book(slot, parent, child)


def test_booking_another_familys_child_is_refused():
    slot = make_slot()
    parent, _ = parent_with_child()
    _, other_child = parent_with_child()
    with pytest.raises(NotBookable):
        _book(slot, parent, other_child)


def test_child_cannot_have_two_overlapping_appointments():
    parent, child = parent_with_child()
    first = make_slot()
    second = make_slot(starts_at=first.starts_at + timedelta(minutes=10))
    _book(first, parent, child)
    with pytest.raises(ChildAlreadyBooked):
        _book(second, parent, child)


def test_database_refuses_overlap_even_without_the_service_check():
    """The exclusion constraint is the last guard (PostgreSQL)."""
    parent, child = parent_with_child()
    first = make_slot()
    second = make_slot(starts_at=first.starts_at + timedelta(minutes=10))
    a = _book(first, parent, child)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            slot=second,
            appointment_type=a.appointment_type,
            family=parent.family,
            child=child,
            parent=parent,
            starts_at=second.starts_at,
            ends_at=second.ends_at,
            ical_uid="x",
        )


def test_database_refuses_more_bookings_than_capacity():
    slot = make_slot()
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=slot.pk).update(booked_count=2)


def test_group_meeting_fills_up_per_parent_and_refuses_duplicate():
    group = make_type(name="Scheiden en ouderschap", capacity=2, duration_minutes=90)
    slot = make_slot(schedule=make_schedule(types=[group]), minutes=90)
    p1, _ = parent_with_child()
    p2, _ = parent_with_child()
    p3, _ = parent_with_child()
    a = _book(slot, p1)
    assert a.child is None
    with pytest.raises(AlreadyBooked):
        _book(slot, p1)
    _book(slot, p2)
    with pytest.raises(SlotUnavailable):
        _book(slot, p3)
    slot.refresh_from_db()
    assert (slot.booked_count, slot.seats_left) == (2, 0)


def test_cancel_frees_the_place_and_sends_ics_cancel():
    slot = make_slot()
    parent, child = parent_with_child()
    appointment = _book(slot, parent, child)
    services.cancel_appointment(appointment_id=appointment.pk, actor=parent, reason="Ziek")
    appointment.refresh_from_db()
    slot.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert appointment.cancel_reason == "Ziek"
    assert slot.booked_count == 0
    email = OutgoingEmail.objects.get(kind="afspraken_cancelled")
    assert "Maak een nieuwe afspraak" in email.body_text
    with pytest.raises(NotChangeable):
        services.cancel_appointment(appointment_id=appointment.pk, actor=parent)


def test_cancel_after_cutoff_is_refused():
    slot = make_slot(starts_at=timezone.now() + timedelta(hours=5))
    parent, child = parent_with_child()
    appointment = _book(slot, parent, child)
    with pytest.raises(PastCutoff):
        services.cancel_appointment(appointment_id=appointment.pk, actor=parent)


def test_reschedule_moves_to_new_slot_keeps_uid_and_topics():
    schedule = make_schedule()
    old_slot = make_slot(schedule=schedule)
    new_slot = make_slot(schedule=schedule, starts_at=old_slot.starts_at + timedelta(days=4))
    parent, child = parent_with_child()
    old = _book(old_slot, parent, child, topics=[topic("Groei")])
    new = services.reschedule_appointment(
        appointment_id=old.pk, new_slot_id=new_slot.pk, actor=parent
    )
    old.refresh_from_db()
    old_slot.refresh_from_db()
    new_slot.refresh_from_db()
    assert old.status == Appointment.Status.MOVED and old.moved_to == new
    assert (old_slot.booked_count, new_slot.booked_count) == (0, 1)
    assert new.ical_uid == old.ical_uid and new.ical_sequence == old.ical_sequence + 1
    assert new.token != old.token
    assert new.topic_labels == ["Groei"]
    assert b"SEQUENCE:1" in build_ics(appointment=new, method="REQUEST")


def test_reschedule_to_adjacent_overlapping_time_is_allowed():
    schedule = make_schedule()
    old_slot = make_slot(schedule=schedule)
    new_slot = make_slot(schedule=schedule, starts_at=old_slot.starts_at + timedelta(minutes=10))
    parent, child = parent_with_child()
    old = _book(old_slot, parent, child)
    new = services.reschedule_appointment(
        appointment_id=old.pk, new_slot_id=new_slot.pk, actor=parent
    )
    # The child's own appointment being moved does not count as a clash with the new time.
    old.refresh_from_db()
    old_slot.refresh_from_db()
    new_slot.refresh_from_db()
    assert old.status == Appointment.Status.MOVED and old.moved_to == new
    assert new.is_booked and new.slot_id == new_slot.pk and new.child_id == child.pk
    assert (old_slot.booked_count, new_slot.booked_count) == (0, 1)


def test_reschedule_to_full_slot_keeps_the_old_appointment():
    schedule = make_schedule()
    old_slot = make_slot(schedule=schedule)
    full = make_slot(schedule=schedule, starts_at=old_slot.starts_at + timedelta(days=1))
    other, other_child = parent_with_child()
    _book(full, other, other_child)
    parent, child = parent_with_child()
    old = _book(old_slot, parent, child)
    with pytest.raises(SlotUnavailable):
        services.reschedule_appointment(appointment_id=old.pk, new_slot_id=full.pk, actor=parent)
    old.refresh_from_db()
    old_slot.refresh_from_db()
    assert old.is_booked and old_slot.booked_count == 1


def test_reschedule_of_moved_appointment_is_refused():
    schedule = make_schedule()
    a = make_slot(schedule=schedule)
    b = make_slot(schedule=schedule, starts_at=a.starts_at + timedelta(days=1))
    c = make_slot(schedule=schedule, starts_at=a.starts_at + timedelta(days=2))
    parent, child = parent_with_child()
    old = _book(a, parent, child)
    services.reschedule_appointment(appointment_id=old.pk, new_slot_id=b.pk, actor=parent)
    with pytest.raises(NotChangeable):
        services.reschedule_appointment(appointment_id=old.pk, new_slot_id=c.pk, actor=parent)


def test_topics_editable_until_start_only():
    slot = make_slot()
    parent, child = parent_with_child()
    appointment = _book(slot, parent, child)
    assert not appointment.has_topics
    updated = services.update_topics(
        appointment_id=appointment.pk,
        actor=parent,
        topics=[topic("Voeding")],
        note="Fles of borst?",
    )
    assert updated.topic_labels == ["Voeding"]
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(NotChangeable):
        services.update_topics(appointment_id=appointment.pk, actor=parent, topics=[], note="")


def test_no_show_creates_a_follow_up_not_a_block():
    slot = make_slot()
    parent, child = parent_with_child()
    appointment = _book(slot, parent, child)
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=timezone.now() - timedelta(hours=1),
        ends_at=timezone.now() - timedelta(minutes=40),
    )
    nurse = make_staff()
    services.set_outcome(appointment_id=appointment.pk, actor=nurse, status="no_show")
    services.set_outcome(appointment_id=appointment.pk, actor=nurse, status="no_show")
    assert FollowUp.objects.filter(appointment=appointment).count() == 1
    # The family can still book.
    _book(make_slot(starts_at=slot.starts_at + timedelta(days=1)), parent, child)


def test_attended_before_start_is_refused():
    slot = make_slot()
    parent, child = parent_with_child()
    appointment = _book(slot, parent, child)
    with pytest.raises(NotChangeable):
        services.set_outcome(appointment_id=appointment.pk, actor=make_staff(), status="attended")


def test_cancel_by_jgz_frees_place_and_mails_rebook_link():
    slot = make_slot()
    parent, child = parent_with_child()
    appointment = _book(slot, parent, child)
    services.set_outcome(
        appointment_id=appointment.pk, actor=make_staff(), status="cancelled_jgz", reason="Ziek"
    )
    slot.refresh_from_db()
    assert slot.booked_count == 0
    email = OutgoingEmail.objects.get(kind="afspraken_cancelled_by_jgz")
    assert "/afspraken/maken/" in email.body_text


def test_parent_cannot_set_outcome():
    slot = make_slot()
    parent, child = parent_with_child()
    appointment = _book(slot, parent, child)
    with pytest.raises(NotChangeable):
        services.set_outcome(appointment_id=appointment.pk, actor=parent, status="cancelled_jgz")


def test_expected_child_fits_only_types_without_minimum_age():
    prenatal = make_type(name="Prenataal huisbezoek")
    slot = make_slot(schedule=make_schedule(types=[prenatal]))
    parent, _ = parent_with_child()
    expected = make_child(family=parent.family, due_in_days=40)
    _book(slot, parent, expected)
    baby = make_type(min_age_months=1)
    slot2 = make_slot(
        schedule=make_schedule(types=[baby]),
        starts_at=local_dt(timezone.localdate() + timedelta(days=5), time(10, 0)),
    )
    with pytest.raises(NotBookable):
        _book(slot2, parent, expected)


def test_question_linked_to_appointment_counts_as_said_what_to_discuss():
    from tests.vragen.factories import make_question

    slot = make_slot()
    parent, child = parent_with_child()
    appointment = _book(slot, parent, child)
    assert not Appointment.objects.get(pk=appointment.pk).has_topics
    make_question(parent=parent, child=child, channel="appointment", appointment=appointment)
    assert Appointment.objects.get(pk=appointment.pk).has_topics


def test_every_change_records_who_made_it():
    schedule = make_schedule()
    slot = make_slot(schedule=schedule)
    later = make_slot(schedule=schedule, starts_at=slot.starts_at + timedelta(days=1))
    parent, child = parent_with_child()
    nurse = make_staff(email="planner@example.org")
    appointment = services.book_appointment(
        slot_id=slot.pk,
        appointment_type_id=slot_type(slot).pk,
        parent=parent,
        child_id=child.pk,
        booked_by=nurse,
        online=False,
    )
    services.update_topics(appointment_id=appointment.pk, actor=parent, topics=[], note="Slapen")
    new = services.reschedule_appointment(
        appointment_id=appointment.pk, new_slot_id=later.pk, actor=parent
    )
    services.cancel_appointment(appointment_id=new.pk, actor=None)

    def history(appt):
        return [(c.action, c.by, c.user) for c in appt.changes.all()]

    Change = AppointmentChange
    assert history(appointment) == [
        (Change.Action.BOOKED, Change.By.STAFF, nurse),
        (Change.Action.TOPICS, Change.By.PARENT, parent),
        (Change.Action.MOVED, Change.By.PARENT, parent),
    ]
    assert history(new) == [
        (Change.Action.BOOKED, Change.By.PARENT, parent),
        (Change.Action.CANCELLED, Change.By.LINK, None),
    ]


def test_staff_outcome_is_recorded_with_the_professional():
    slot = make_slot()
    parent, child = parent_with_child()
    appointment = _book(slot, parent, child)
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=timezone.now() - timedelta(minutes=5)
    )
    nurse = make_staff(email="zuster@example.org")
    services.set_outcome(appointment_id=appointment.pk, actor=nurse, status="no_show")
    change = appointment.changes.get(action=AppointmentChange.Action.OUTCOME)
    assert (change.by, change.user, change.detail) == (AppointmentChange.By.STAFF, nurse, "no_show")


def test_handing_an_agenda_over_records_which_manager_did_it():
    ill = make_staff(email="ziek@example.org")
    colleague = make_staff(email="collega@example.org")
    manager = make_staff(email="manager@example.org")
    parent, child = parent_with_child()
    appointment = _book(make_slot(schedule=make_schedule(professional=ill)), parent, child)
    services.hand_over_agenda(actor=manager, from_user=ill, to_user=colleague)
    change = appointment.changes.get(action=AppointmentChange.Action.HANDED_OVER)
    assert (change.by, change.user) == (AppointmentChange.By.STAFF, manager)
    assert change.detail == f"to user {colleague.pk}"
