"""Planning links, definitions with versions, the end of care, answers and notes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from afspraken import services as booking
from afspraken.exceptions import MomentNotPlannable
from afspraken.models import Appointment, Slot
from contactmomenten import services
from contactmomenten.models import ChildMoment, ContactMomentVersion
from contactmomenten.selectors import family_schedule
from outbox.models import OutgoingEmail
from privacy.models import AccessLog
from tests.afspraken.factories import make_type
from tests.contactmomenten.factories import eight_week_setup, questions
from tests.factories import make_child, make_staff

pytestmark = pytest.mark.django_db


def _book(parent, child, slot, appointment_type, code="cb-8w", **kwargs):
    return booking.book_appointment(
        slot_id=slot.pk,
        appointment_type_id=appointment_type.pk,
        parent=parent,
        child_id=child.pk,
        moment_code=code,
        **kwargs,
    )


def test_booking_inside_the_window_plans_the_moment():
    parent, child, moment, atype, (slot,) = eight_week_setup()
    appointment = _book(parent, child, slot, atype)
    row = ChildMoment.objects.get(child=child, moment=moment)
    assert appointment.contact_moment_id == row.pk
    assert row.state == ChildMoment.State.PLANNED


def test_booking_outside_the_window_is_refused_and_leaves_the_place_free():
    parent, child, moment, atype, (slot,) = eight_week_setup(slot_days=(20,))
    with pytest.raises(MomentNotPlannable):
        _book(parent, child, slot, atype)
    assert not Appointment.objects.exists()
    assert Slot.objects.get(pk=slot.pk).booked_count == 0
    assert not ChildMoment.objects.filter(child=child).exists()


def test_booking_with_a_type_that_does_not_serve_the_moment_is_refused():
    parent, child, moment, atype, (slot,) = eight_week_setup()
    moment.appointment_types.set([make_type(name="Iets anders")])
    with pytest.raises(MomentNotPlannable):
        _book(parent, child, slot, atype)
    assert not Appointment.objects.exists()


def test_a_moment_is_planned_once():
    parent, child, moment, atype, (first, second) = eight_week_setup(slot_days=(3, 4))
    _book(parent, child, first, atype)
    with pytest.raises(MomentNotPlannable):
        _book(parent, child, second, atype)
    assert Appointment.objects.filter(status="booked").count() == 1


def test_moving_the_appointment_keeps_the_moment_link():
    parent, child, moment, atype, (first, second) = eight_week_setup(slot_days=(3, 4))
    appointment = _book(parent, child, first, atype)
    new = booking.reschedule_appointment(
        appointment_id=appointment.pk, new_slot_id=second.pk, actor=parent
    )
    row = ChildMoment.objects.get(child=child, moment=moment)
    assert new.contact_moment_id == row.pk
    assert row.state == ChildMoment.State.PLANNED


def test_cancelled_moment_can_be_planned_again():
    parent, child, moment, atype, (first, second) = eight_week_setup(slot_days=(3, 4))
    appointment = _book(parent, child, first, atype)
    booking.cancel_appointment(appointment_id=appointment.pk, actor=parent)
    assert ChildMoment.objects.get(child=child).state == ChildMoment.State.CANCELLED
    again = _book(parent, child, second, atype)
    assert again.contact_moment.state == ChildMoment.State.PLANNED


def test_attended_and_missed_are_recorded_on_the_moment():
    parent, child, moment, atype, (slot,) = eight_week_setup()
    appointment = _book(parent, child, slot, atype)
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now()
    )
    nurse = make_staff()
    booking.set_outcome(appointment_id=appointment.pk, actor=nurse, status="attended")
    assert ChildMoment.objects.get(child=child).state == ChildMoment.State.ATTENDED
    booking.set_outcome(appointment_id=appointment.pk, actor=nurse, status="no_show")
    assert ChildMoment.objects.get(child=child).state == ChildMoment.State.MISSED


def test_parent_cannot_book_a_home_visit_moment_online():
    parent, child, moment, atype, (slot,) = eight_week_setup()
    moment.where = "home"
    moment.save()
    with pytest.raises(MomentNotPlannable):
        _book(parent, child, slot, atype)


def test_changing_a_definition_changes_future_moments_only():
    parent, child, moment, atype, (slot,) = eight_week_setup()
    _book(parent, child, slot, atype)
    planned = ChildMoment.objects.get(child=child)
    before = services.snapshot(moment)
    moment.window_after_days = 21
    moment.save()
    services.record_definition_change(moment_id=moment.pk, before=before, actor=None)
    moment.refresh_from_db()
    assert moment.version == 2
    assert (
        ContactMomentVersion.objects.get(moment=moment, version=1).content["window_after_days"] == 7
    )
    planned.refresh_from_db()
    assert (planned.version, planned.window_closes) == (
        1,
        planned.window_opens + timedelta(days=14),
    )
    newborn = make_child(family=parent.family, date_of_birth=child.date_of_birth)
    plan = family_schedule(parent=parent, children=[newborn])[newborn.pk]
    view = next(v for v in plan.upcoming if v.moment.code == "cb-8w")
    assert view.window.closes - view.window.target == timedelta(days=21)


def test_wording_change_does_not_make_a_new_version():
    parent, child, moment, atype, slots = eight_week_setup()
    before = services.snapshot(moment)
    moment.name = "Consult 2 maanden"
    moment.save()
    services.record_definition_change(moment_id=moment.pk, before=before, actor=None)
    moment.refresh_from_db()
    assert moment.version == 1


def test_pregnancy_to_birth_keeps_the_prenatal_visit():
    from families.services import update_child

    parent, child, moment, atype, slots = eight_week_setup()
    expected = make_child(family=parent.family, due_in_days=70, first_name="Baby")
    plan = family_schedule(parent=parent, children=[expected])[expected.pk]
    assert [v.moment.code for v in plan.upcoming] == ["pre-hb"]
    nurse = make_staff()
    services.record_outreach(actor=nurse, child_id=expected.pk, code="pre-hb", action="called")
    update_child(
        child=expected, first_name="Mila", date_of_birth=timezone.localdate(), due_date=None
    )
    expected.refresh_from_db()
    plan = family_schedule(parent=parent, children=[expected])[expected.pk]
    codes = [v.moment.code for v in plan.upcoming]
    assert codes[:2] == ["hb-2w", "cb-4w"]
    assert ChildMoment.objects.filter(child=expected, moment__code="pre-hb").exists()


def test_answers_are_kept_with_the_question_as_asked():
    parent, child, moment, atype, (slot,) = eight_week_setup()
    appointment = _book(parent, child, slot, atype)
    first = questions(moment)[0]
    services.save_answers(
        parent=parent,
        child_moment_id=appointment.contact_moment_id,
        answers={first.pk: "Goed", 999999: "ignored"},
    )
    first.text = "Nieuwe tekst"
    first.save()
    (answer,) = appointment.contact_moment.answers.all()
    assert (answer.question_text, answer.answer) == ("Hoe gaat het met drinken?", "Goed")


def test_note_mail_has_a_link_but_never_the_note_or_answers():
    parent, child, moment, atype, (slot,) = eight_week_setup()
    appointment = _book(parent, child, slot, atype)
    services.save_answers(
        parent=parent,
        child_moment_id=appointment.contact_moment_id,
        answers={questions(moment)[1].pk: "Slaapt slecht sinds de verhuizing"},
    )
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now()
    )
    nurse = make_staff()
    booking.set_outcome(appointment_id=appointment.pk, actor=nurse, status="attended")
    OutgoingEmail.objects.all().delete()
    services.write_note(
        actor=nurse,
        appointment_id=appointment.pk,
        text="We spraken af: vaste bedtijd om 19:00",
        follow_up="call",
        follow_up_text="Bel over 2 weken",
    )
    (mail,) = OutgoingEmail.objects.filter(kind="contactmomenten_note")
    body = mail.subject + mail.body_text + mail.body_html
    assert "/contactmomenten/kind/" in body
    for secret in ("vaste bedtijd", "Bel over 2 weken", "verhuizing"):
        assert secret not in body
    assert AccessLog.objects.filter(actor=nurse, reason="what we agreed").exists()


def test_note_needs_an_attended_visit():
    from contactmomenten.exceptions import MomentError

    parent, child, moment, atype, (slot,) = eight_week_setup()
    appointment = _book(parent, child, slot, atype)
    with pytest.raises(MomentError):
        services.write_note(actor=make_staff(), appointment_id=appointment.pk, text="x")


def test_end_of_care_stops_newsletters_milestones_and_appointment_reminders():
    from afspraken.selectors import list_booked_appointments_starting_between
    from nieuwsbrieven.selectors import list_milestone_children

    parent, child, moment, atype, (slot,) = eight_week_setup()
    appointment = _book(parent, child, slot, atype)
    nurse = make_staff()
    services.end_care(actor=nurse, child_id=child.pk, status="deceased")
    child.refresh_from_db()
    now = timezone.now()
    assert not list_booked_appointments_starting_between(
        start=now, end=now + timedelta(days=30)
    ).filter(pk=appointment.pk)
    milestone_model = __import__("nieuwsbrieven.models", fromlist=["Milestone"]).Milestone
    milestone = milestone_model(age_months=0, title="Welkom")
    assert not list(
        list_milestone_children(milestone=milestone, today=timezone.localdate(), window_days=400)
    )
    assert family_schedule(parent=parent, children=[child]) == {}
    assert AccessLog.objects.filter(actor=nurse, reason="care status deceased").exists()


def test_moving_outside_the_window_is_refused_and_keeps_the_old_time():
    parent, child, moment, atype, (first, outside) = eight_week_setup(slot_days=(3, 20))
    appointment = _book(parent, child, first, atype)
    with pytest.raises(MomentNotPlannable):
        booking.reschedule_appointment(
            appointment_id=appointment.pk, new_slot_id=outside.pk, actor=parent
        )
    appointment.refresh_from_db()
    assert appointment.status == "booked" and appointment.contact_moment_id is not None


def test_end_of_care_withdraws_an_appointment_reminder_already_queued():
    from afspraken.reminders import send_reminder

    parent, child, moment, atype, (slot,) = eight_week_setup()
    appointment = _book(parent, child, slot, atype)
    day_before = appointment.starts_at - timedelta(days=1) + timedelta(minutes=1)
    assert send_reminder(appointment_id=appointment.pk, kind="day_before", now=day_before)
    reminder = OutgoingEmail.objects.get(kind="afspraken_reminder_day_before")
    assert reminder.status == "queued"
    services.end_care(actor=make_staff(), child_id=child.pk, status="deceased")
    reminder.refresh_from_db()
    assert reminder.status == "failed"
