"""Waiting list services on the real database: matching, offers, expiry, accepting."""

from datetime import time, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from afspraken import services as booking
from afspraken.models import Appointment, Slot
from outbox.models import OutgoingEmail
from tests.afspraken.factories import (
    make_location,
    make_schedule,
    make_slot,
    make_type,
    parent_with_child,
)
from tests.contactmomenten.factories import eight_week_setup
from tests.factories import make_child
from tests.wachtlijst.factories import Setup, day
from wachtlijst import services
from wachtlijst.exceptions import AlreadyWaiting, OfferExpired, OfferGone
from wachtlijst.models import Entry, Offer
from wachtlijst.selectors import offer_counts

pytestmark = pytest.mark.django_db


def _offers(parent):
    return list(Offer.objects.filter(parent=parent))


def _cancel(appointment, capture):
    with capture(execute=True):
        booking.cancel_appointment(appointment_id=appointment.pk, actor=appointment.parent)


def _join(appointment, **kwargs):
    return services.join_waitlist(
        parent=appointment.parent, appointment_id=appointment.pk, **kwargs
    )


# --- Matching --------------------------------------------------------------------------------


def test_a_cancelled_place_is_offered_to_the_family_waiting_for_an_earlier_evening(
    django_capture_on_commit_callbacks, mailoutbox, weekday_morning
):
    setup = Setup()
    waiting = setup.booked(n=12)
    _join(waiting, part="evening")
    other = setup.booked(n=3)
    _cancel(other, django_capture_on_commit_callbacks)
    [offer] = _offers(waiting.parent)
    assert offer.slot_id == other.slot_id
    assert offer.status == Offer.Status.OPEN
    assert offer.expires_at == offer.sent_at + timedelta(hours=2)
    [mail] = [m for m in mailoutbox if m.to == [waiting.parent.email]]
    assert mail.subject == "Er is een plek vrijgekomen voor je"
    assert f"/wachtlijst/aanbod/{offer.token}/" in mail.body
    # The link accepts the place: once sent, the outbox keeps no copy of it.
    stored = OutgoingEmail.objects.get(to=waiting.parent.email, kind="wachtlijst_offer")
    assert offer.token not in stored.body_text


@pytest.mark.parametrize(
    ("part", "at", "offered"),
    [
        ("evening", time(18, 30), True),
        ("evening", time(10, 0), False),
        ("outside_office", time(7, 30), True),
        ("daytime", time(18, 30), False),
        ("", time(10, 0), True),
    ],
)
def test_the_time_of_day_filter_decides_which_places_are_offered(part, at, offered):
    setup = Setup()
    waiting = setup.booked(n=12)
    entry = _join(waiting, part=part)
    # A weekday: Saturdays and evenings are separate wishes.
    n = next(n for n in range(3, 10) if day(n).weekday() < 5)
    free = setup.slot(n, at)
    assert services.offer_places(slot_ids=[free.pk]) == int(offered)
    assert Offer.objects.filter(entry=entry).exists() is offered


def test_a_saturday_wish_gets_only_saturday_places():
    setup = Setup()
    waiting = setup.booked(n=20)
    entry = _join(waiting, part="saturday")
    saturday = next(n for n in range(3, 10) if day(n).weekday() == 5)
    friday = saturday - 1
    assert services.offer_places(slot_ids=[setup.slot(friday, time(10, 0)).pk]) == 0
    assert services.offer_places(slot_ids=[setup.slot(saturday, time(10, 0)).pk]) == 1
    assert Offer.objects.get(entry=entry).slot.starts_at == day(saturday, time(10, 0))


def test_a_place_at_another_location_is_not_offered_to_a_family_that_chose_one():
    setup = Setup()
    elsewhere = make_schedule(types=[setup.type], location=make_location())
    waiting = setup.booked(n=12)
    entry = _join(waiting, location_id=setup.location.pk)
    other_place = make_slot(schedule=elsewhere, starts_at=day(3))
    assert services.offer_places(slot_ids=[other_place.pk]) == 0
    anywhere = _join(setup.booked(n=12, at=time(19, 0)))
    assert services.offer_places(slot_ids=[other_place.pk]) == 1
    assert Offer.objects.get(slot=other_place).entry == anywhere
    assert not entry.offers.exists()


def test_only_an_earlier_place_is_offered_for_a_booked_appointment():
    setup = Setup()
    waiting = setup.booked(n=5)
    _join(waiting)
    assert services.offer_places(slot_ids=[setup.slot(7).pk]) == 0
    assert services.offer_places(slot_ids=[setup.slot(3).pk]) == 1


def test_a_place_overlapping_the_childs_other_appointment_is_not_offered():
    setup = Setup()
    parent, child = parent_with_child()
    waiting = setup.booked(n=12, parent=parent, child=child)
    _join(waiting)
    # The child already sees the doctor (another type) at that time on day 3.
    doctor = Setup()
    doctor.booked(n=3, parent=parent, child=child)
    clash = setup.slot(3, time(18, 40))
    assert services.offer_places(slot_ids=[clash.pk]) == 0
    assert services.offer_places(slot_ids=[setup.slot(4).pk]) == 1


def test_places_outside_the_contact_moments_window_are_not_offered():
    # Target in 20 days: the window runs from day 13 to day 27.
    parent, child, moment, appointment_type, slots = eight_week_setup(
        days_to_target=20, slot_days=(25, 10, 15)
    )
    booked_slot, before_window, inside = slots
    booked = booking.book_appointment(
        slot_id=booked_slot.pk,
        appointment_type_id=appointment_type.pk,
        parent=parent,
        child_id=child.pk,
        moment_code=moment.code,
    )
    entry = _join(booked)
    assert services.offer_places(slot_ids=[before_window.pk]) == 0
    assert services.offer_places(slot_ids=[inside.pk]) == 1
    assert Offer.objects.get(entry=entry).slot == inside


def test_a_family_without_a_booking_waits_inside_the_moments_window():
    parent, child, moment, appointment_type, slots = eight_week_setup(slot_days=(20, 4))
    outside, inside = slots
    entry = services.join_waitlist(
        parent=parent,
        child_id=child.pk,
        appointment_type_id=appointment_type.pk,
        moment_code=moment.code,
    )
    assert services.offer_places(slot_ids=[outside.pk]) == 0
    assert services.offer_places(slot_ids=[inside.pk]) == 1
    offer = Offer.objects.get(entry=entry)
    appointment = services.accept_offer(offer_id=offer.pk)
    assert appointment.slot == inside
    assert appointment.contact_moment.moment == moment


def test_the_first_family_to_join_is_offered_first(settings):
    settings.WACHTLIJST_OFFERS_PER_PLACE = 1
    setup = Setup()
    first = _join(setup.booked(n=12, at=time(19, 0)))
    second = _join(setup.booked(n=12, at=time(19, 30)))
    services.offer_places(slot_ids=[setup.slot(3).pk])
    assert first.offers.exists() and not second.offers.exists()


def test_a_family_joins_once_per_appointment():
    setup = Setup()
    waiting = setup.booked(n=12)
    _join(waiting)
    with pytest.raises(AlreadyWaiting):
        _join(waiting, part="evening")


# --- One open offer per parent --------------------------------------------------------------


def test_a_parent_never_holds_two_open_offers(settings):
    setup = Setup()
    parent, child = parent_with_child()
    sibling = make_child(family=parent.family)
    _join(setup.booked(n=12, parent=parent, child=child))
    _join(setup.booked(n=12, at=time(19, 0), parent=parent, child=sibling))
    made = services.offer_places(slot_ids=[setup.slot(3).pk, setup.slot(4).pk])
    assert made == 1
    assert Offer.objects.filter(parent=parent, status__in=Offer.LIVE).count() == 1


def test_the_database_refuses_a_second_open_offer_for_a_parent():
    setup = Setup()
    waiting = setup.booked(n=12)
    entry = _join(waiting)
    Offer.objects.create(entry=entry, parent=waiting.parent, slot=setup.slot(3))
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.create(entry=entry, parent=waiting.parent, slot=setup.slot(4))


# --- Night, expiry ---------------------------------------------------------------------------


def test_an_offer_made_at_night_is_sent_in_the_morning_and_holds_from_then(settings):
    settings.WACHTLIJST_DAY_START, settings.WACHTLIJST_DAY_END = time(8, 0), time(21, 0)
    setup = Setup()
    waiting = setup.booked(n=12)
    _join(waiting)
    free = setup.slot(5)
    night = day(1, time(23, 10))
    assert services.offer_places(slot_ids=[free.pk], now=night) == 1
    offer = Offer.objects.get(parent=waiting.parent)
    assert offer.status == Offer.Status.PENDING
    assert not OutgoingEmail.objects.filter(kind="wachtlijst_offer").exists()
    assert services.send_due_offers(now=day(2, time(6, 0))) == 0
    morning = day(2, time(8, 0))
    assert services.send_due_offers(now=morning) == 1
    offer.refresh_from_db()
    assert offer.status == Offer.Status.OPEN
    assert offer.sent_at == morning and offer.expires_at == day(2, time(10, 0))
    assert OutgoingEmail.objects.filter(to=waiting.parent.email, kind="wachtlijst_offer").exists()


def test_an_expired_offer_goes_to_the_next_family(settings):
    settings.WACHTLIJST_OFFERS_PER_PLACE = 1
    setup = Setup()
    first = _join(setup.booked(n=12, at=time(19, 0)))
    second = _join(setup.booked(n=12, at=time(19, 30)))
    free = setup.slot(3)
    services.offer_places(slot_ids=[free.pk])
    offer = first.offers.get()
    result = services.process_offers(now=offer.expires_at + timedelta(minutes=1))
    assert result.expired == 1
    offer.refresh_from_db()
    assert offer.status == Offer.Status.EXPIRED
    assert second.offers.get().slot == free
    with pytest.raises(OfferExpired):
        services.accept_offer(offer_id=offer.pk)


def test_an_offer_never_outlasts_the_booking_notice():
    setup = Setup()
    _join(setup.booked(n=12))
    soon = make_slot(schedule=setup.schedule, starts_at=timezone.now() + timedelta(hours=3))
    services.offer_places(slot_ids=[soon.pk])
    offer = Offer.objects.get(slot=soon)
    assert offer.expires_at == soon.starts_at - timedelta(hours=2)


# --- Accepting -------------------------------------------------------------------------------


def test_accepting_moves_the_appointment_and_frees_the_old_place_in_one_transaction():
    setup = Setup()
    waiting = setup.booked(n=12)
    _join(waiting)
    free = setup.slot(3)
    services.offer_places(slot_ids=[free.pk])
    offer = Offer.objects.get(parent=waiting.parent)
    with transaction.atomic():
        moved = services.accept_offer(offer_id=offer.pk)
        # Before the commit: the new place is taken and the old one is free, together.
        assert Slot.objects.get(pk=free.pk).booked_count == 1
        assert Slot.objects.get(pk=waiting.slot_id).booked_count == 0
        assert Appointment.objects.get(pk=waiting.pk).status == Appointment.Status.MOVED
        transaction.set_rollback(True)
    # Rolled back: neither half stays.
    assert Slot.objects.get(pk=free.pk).booked_count == 0
    assert Slot.objects.get(pk=waiting.slot_id).booked_count == 1
    assert Appointment.objects.get(pk=waiting.pk).status == Appointment.Status.BOOKED
    moved = services.accept_offer(offer_id=offer.pk)
    assert moved.slot == free and moved.ical_uid == waiting.ical_uid
    assert Entry.objects.get(appointment=waiting).status == Entry.Status.BOOKED
    assert OutgoingEmail.objects.filter(to=waiting.parent.email, kind="afspraken_rescheduled")


def test_the_old_place_freed_by_an_accepted_offer_is_offered_in_turn(
    django_capture_on_commit_callbacks,
):
    setup = Setup()
    waiting = setup.booked(n=12)
    _join(waiting)
    behind = setup.booked(n=14)
    _join(behind)
    free = setup.slot(3)
    services.offer_places(slot_ids=[free.pk])
    offer = Offer.objects.get(parent=waiting.parent, slot=free)
    Offer.objects.filter(parent=behind.parent).delete()  # the second family waits for day 12
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_offer(offer_id=offer.pk)
    assert Offer.objects.get(parent=behind.parent).slot_id == waiting.slot_id


def test_the_second_family_to_accept_is_told_the_place_is_gone():
    setup = Setup()
    first = setup.booked(n=12, at=time(19, 0))
    second = setup.booked(n=12, at=time(19, 30))
    _join(first), _join(second)
    free = setup.slot(3)
    assert services.offer_places(slot_ids=[free.pk]) == 2
    services.accept_offer(offer_id=Offer.objects.get(parent=first.parent).pk)
    late = Offer.objects.get(parent=second.parent)
    assert late.status == Offer.Status.GONE
    with pytest.raises(OfferGone):
        services.accept_offer(offer_id=late.pk)
    assert Appointment.objects.get(pk=second.pk).status == Appointment.Status.BOOKED
    assert Entry.objects.get(appointment=second).status == Entry.Status.WAITING


def test_declining_passes_the_place_to_the_next_family(
    django_capture_on_commit_callbacks, settings
):
    settings.WACHTLIJST_OFFERS_PER_PLACE = 1
    setup = Setup()
    first = _join(setup.booked(n=12, at=time(19, 0)))
    second = _join(setup.booked(n=12, at=time(19, 30)))
    free = setup.slot(3)
    services.offer_places(slot_ids=[free.pk])
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_offer(offer_id=first.offers.get().pk)
    assert second.offers.get().slot == free
    first.refresh_from_db()
    assert first.status == Entry.Status.WAITING


# --- Group meetings --------------------------------------------------------------------------


def test_a_full_meeting_has_its_own_waiting_list(django_capture_on_commit_callbacks):
    group = make_type(name="Peuterpraat", capacity=2, duration_minutes=90)
    meeting = make_slot(schedule=make_schedule(types=[group]), minutes=90)
    seated = [parent_with_child()[0] for _ in range(2)]
    places = [
        booking.book_appointment(slot_id=meeting.pk, appointment_type_id=group.pk, parent=p)
        for p in seated
    ]
    waiting, _child = parent_with_child()
    entry = services.join_waitlist(parent=waiting, meeting_id=meeting.pk)
    other_meeting = make_slot(schedule=make_schedule(types=[group]), minutes=90)
    assert services.offer_places(slot_ids=[other_meeting.pk]) == 0
    _cancel(places[0], django_capture_on_commit_callbacks)
    offer = entry.offers.get()
    assert offer.slot == meeting
    appointment = services.accept_offer(offer_id=offer.pk)
    assert appointment.slot == meeting and appointment.family == waiting.family


# --- Figures ---------------------------------------------------------------------------------


def test_offer_counts_tell_made_and_accepted():
    setup = Setup()
    first = setup.booked(n=12, at=time(19, 0))
    second = setup.booked(n=12, at=time(19, 30))
    _join(first), _join(second)
    services.offer_places(slot_ids=[setup.slot(3).pk])
    services.accept_offer(offer_id=Offer.objects.get(parent=first.parent).pk)
    counts = offer_counts()
    assert counts["made"] == 2 and counts["accepted"] == 1 and counts["gone"] == 1


def test_a_family_that_lets_offers_pass_leaves_the_list_after_the_maximum(settings):
    settings.WACHTLIJST_MAX_OFFERS = 2
    setup = Setup()
    entry = _join(setup.booked(n=12))
    for n in (3, 4):
        services.offer_places(slot_ids=[setup.slot(n).pk])
        services.decline_offer(offer_id=entry.offers.get(status=Offer.Status.OPEN).pk)
    assert services.offer_places(slot_ids=[setup.slot(5).pk]) == 0
    entry.refresh_from_db()
    assert entry.status == Entry.Status.ENDED


def test_leaving_gives_an_open_offer_to_the_next_family(
    django_capture_on_commit_callbacks, settings
):
    settings.WACHTLIJST_OFFERS_PER_PLACE = 1
    setup = Setup()
    first = setup.booked(n=12, at=time(19, 0))
    second = setup.booked(n=12, at=time(19, 30))
    entry, _second = _join(first), _join(second)
    free = setup.slot(3)
    services.offer_places(slot_ids=[free.pk])
    with django_capture_on_commit_callbacks(execute=True):
        services.leave_waitlist(parent=first.parent, entry_id=entry.pk)
    assert entry.offers.get().status == Offer.Status.DECLINED
    assert Offer.objects.get(parent=second.parent).slot == free
