"""The aggregate tables and the figures read from them, on hand-counted data sets."""

from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from afspraken.models import Appointment
from cijfers import aggregates, selectors, services
from cijfers.models import AppointmentDay, QuestionDay, SlotDay
from tests.afspraken.factories import make_schedule, make_type
from tests.cijfers.factories import (
    MONDAY,
    TODAY,
    at,
    family_with_child,
    make_raw_question,
)
from tests.factories import make_family

pytestmark = pytest.mark.django_db

TUESDAY = MONDAY + timedelta(days=1)
SATURDAY = MONDAY + timedelta(days=5)


def _questions():
    """20 questions on Monday 09:00, answered after 15, 30, ... 300 working minutes; the
    promise is 11:30 (150 minutes): questions 1-10 in time. Even ones say "helped"."""
    family = make_family()
    for i in range(1, 21):
        make_raw_question(
            family=family,
            asked=at(MONDAY, 9),
            deadline=at(MONDAY, 11, 30),
            answered=at(MONDAY, 9) + timedelta(minutes=15 * i),
            helped=i % 2 == 0,
        )
    # Three alarm questions, one unanswered with its promise passed.
    for answered in (at(MONDAY, 10), at(TUESDAY, 10), None):
        make_raw_question(
            family=family,
            topic_name="Huilen",
            urgency=1,
            is_alarm=True,
            asked=at(MONDAY, 16),
            deadline=at(MONDAY, 17),
            answered=answered,
        )


def _filters(**kw):
    return selectors.Filters(start=MONDAY, end=MONDAY + timedelta(days=6), **kw)


def _row(table, label):
    return dict(table.rows)[label]


def test_question_figures_per_topic_match_the_hand_count():
    _questions()
    aggregates.recompute("questions", MONDAY, TODAY)

    topic, urgency, team, alarm = selectors.question_tables(_filters())
    cells = [v.text for v in _row(topic, "Slapen")]
    # 20 asked; 10 of 20 in time; median: the 10th of 15..300 = 150 min; p90: the 18th = 270.
    assert cells == ["20", "50%", "2,5", "4,5", "50%"]
    # Three alarm questions: every figure is a small number.
    assert [v.text for v in _row(alarm, "Alle alarmvragen")] == ["< 10"] * 5


def test_alarm_questions_are_counted_per_rule_that_fired():
    family = make_family()
    for i in range(12):
        make_raw_question(
            family=family,
            urgency=1,
            is_alarm=True,
            alarm_rule_name="Koorts bij een baby jonger dan 3 maanden",
            asked=at(MONDAY, 9),
            answered=at(MONDAY, 9, 10 + 2 * i),
        )
    for _i in range(2):
        make_raw_question(
            family=family,
            urgency=1,
            is_alarm=True,
            alarm_rule_name="Geweld thuis",
            asked=at(MONDAY, 10),
        )
    make_raw_question(family=family, asked=at(MONDAY, 11))  # no alarm
    aggregates.recompute("questions", MONDAY, TODAY)
    alarm = selectors.question_tables(_filters())[3]
    assert [label for label, _values in alarm.rows] == [
        "Alle alarmvragen",
        "Geweld thuis",
        "Koorts bij een baby jonger dan 3 maanden",
    ]
    assert _row(alarm, "Alle alarmvragen")[0].text == "14"
    assert _row(alarm, "Geweld thuis")[0].text == "< 10"
    # 12 answered after 10, 12 .. 32 minutes: median the 6th (20 min = 0,3 h); no promise.
    assert [v.text for v in _row(alarm, "Koorts bij een baby jonger dan 3 maanden")][:3] == [
        "12",
        "< 10",
        "0,3",
    ]


def test_alarm_answer_time_counts_only_working_hours():
    _questions()
    aggregates.recompute("questions", MONDAY, MONDAY)

    rows = QuestionDay.objects.filter(is_alarm=True).get()
    # Asked Monday 16:00: answered 10:00 the next day is 1 + 1 = 2 working hours (120 min);
    # "answered" Monday 10:00 lies before asking: 0. The third has no answer yet.
    assert sorted(rows.answer_minutes) == [0, 120]
    assert (rows.asked, rows.answered, rows.due, rows.in_time) == (3, 2, 3, 1)


def test_recompute_twice_gives_the_same_rows():
    _questions()
    aggregates.recompute("questions", MONDAY, TODAY)
    first = list(QuestionDay.objects.order_by("topic_id").values_list("asked", "answer_minutes"))
    aggregates.recompute("questions", MONDAY, TODAY)
    second = list(QuestionDay.objects.order_by("topic_id").values_list("asked", "answer_minutes"))
    assert first == second and QuestionDay.objects.count() == 2


def test_rebuild_keeps_days_older_than_retention(settings):
    from vragen.models import Question

    settings.RETENTION_CLOSED_QUESTIONS_DAYS = 10
    _questions()
    aggregates.recompute("questions", MONDAY, TODAY)
    # Retention deletes the raw questions; the aggregates of those days are the record now.
    Question.objects.all().delete()
    services.rebuild_figures(today=TODAY)
    assert QuestionDay.objects.filter(day=MONDAY).get(topic__name="Slapen").asked == 20


def test_rebuild_recomputes_days_inside_retention():
    _questions()
    aggregates.recompute("questions", MONDAY, TODAY)
    QuestionDay.objects.update(asked=999)
    services.rebuild_figures(today=TODAY)
    assert QuestionDay.objects.get(topic__name="Slapen").asked == 20


def test_periodic_refresh_picks_up_a_late_answer(settings):
    settings.CIJFERS_REFRESH_DAYS = 45
    family = make_family()
    question = make_raw_question(family=family, asked=at(MONDAY, 9), deadline=at(MONDAY, 12))
    services.refresh_figures(today=TODAY)
    assert QuestionDay.objects.get().answered == 0
    question.messages.create(kind="answer", body="Antwoord", created_at=at(MONDAY, 11))
    services.refresh_figures(today=TODAY)
    row = QuestionDay.objects.get()
    assert (row.answered, row.in_time, row.answer_minutes) == (1, 1, [120])


def _appointments():
    """Office hours Tuesday 09:00: 12 attended and 10 no-shows of type A. Evening 18:00:
    10 booked of type B. Saturday 10:00: 3 attended of type B. Cancellations of type A by
    the parent: 4 the same morning, 4 three days before, 4 two weeks before; 2 by JGZ."""
    consult, evening = make_type(name="Consult A"), make_type(name="Avondspreekuur B")
    office = make_schedule(types=[consult])
    late = make_schedule(types=[evening], location=office.location)
    made = []

    def add(day, hour, minute, status, schedule, changed_days=None):
        parent, child = family_with_child()
        starts = at(day, hour, minute)
        extra = {}
        if changed_days is not None:
            extra["changed_at"] = starts - timedelta(days=changed_days)
        made.append(
            Appointment.objects.create(
                slot=_slot(schedule, starts),
                appointment_type=schedule.types.first(),
                family=parent.family,
                parent=parent,
                child=child,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=20),
                ical_uid=f"{len(made)}@test",
                status=status,
                **extra,
            )
        )

    S = Appointment.Status
    for i in range(12):
        add(TUESDAY, 9 + i // 3, (i % 3) * 20, S.ATTENDED, office)
    for i in range(10):
        add(TUESDAY, 13 + i // 3, (i % 3) * 20, S.NO_SHOW, office)
    for i in range(10):
        add(TUESDAY, 18 + i // 3, (i % 3) * 20, S.BOOKED, late)
    for i in range(3):
        add(SATURDAY, 10, i * 20, S.ATTENDED, late)
    for i, days in enumerate([0.1] * 4 + [3] * 4 + [14] * 4):
        add(MONDAY + timedelta(days=2), 9 + i // 3, (i % 3) * 20, S.CANCELLED, office, days)
    for i in range(2):
        add(MONDAY + timedelta(days=2), 14, i * 20, S.CANCELLED_BY_JGZ, office, 1)
    return made


def _slot(schedule, starts):
    from afspraken.models import Slot

    return Slot.objects.create(
        schedule=schedule,
        professional_id=schedule.professional_id,
        location_id=schedule.location_id,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=20),
        capacity=1,
        booked_count=0,
    )


def test_appointment_figures_match_the_hand_count(settings):
    from afspraken.models import Slot

    _appointments()
    # Booked places (attended, no-show, booked) fill their slot.
    for slot in Slot.objects.all():
        slot.booked_count = slot.appointments.filter(status__in=Appointment.HOLDS_PLACE).count()
        slot.save(update_fields=["booked_count"])
    aggregates.recompute("appointments", MONDAY, TODAY)

    supply, per_type, per_time, per_wijk, cancellations, _waitlist = selectors.appointment_tables(
        _filters()
    )
    # Office: 22 held + 14 cancelled slots = 36 places, 22 used, 61%. Evening: 10 of 10.
    # Saturday: 3 places (< 10).
    assert [v.text for v in _row(supply, "Kantoortijd")] == ["36", "22", "61%"]
    assert [v.text for v in _row(supply, "Avond")] == ["10", "10", "100%"]
    assert [v.text for v in _row(supply, "Zaterdag")] == ["< 10", "< 10", "< 10"]
    # Type A: 12 attended + 10 no-show = 22 expected, 10 no-shows, 45%.
    assert [v.text for v in _row(per_type, "Consult A")] == ["22", "10", "45%"]
    # Morning: 9 attended on Tuesday (09:00-11:40) + 3 on Saturday, no no-shows.
    # Afternoon: 3 attended (12:00-12:40) + 10 no-shows = 13, 10 of 13 = 77%.
    assert [v.text for v in _row(per_time, "Middag")] == ["13", "10", "77%"]
    assert [v.text for v in _row(per_time, "Ochtend")] == ["12", "< 10", "< 10"]
    # Cancelled by the parent: 12 of 22 + 12 + 2 = 36 (33%); 4 / 4 / 4 by notice; 2 by JGZ.
    assert [v.text for v in _row(cancellations, "Consult A")] == [
        "12",
        "33%",
        "< 10",
        "< 10",
        "< 10",
        "< 10",
    ]
    notice = AppointmentDay.objects.aggregate(
        day=Sum("cancelled_within_day"),
        week=Sum("cancelled_within_week"),
        more=Sum("cancelled_earlier"),
    )
    assert notice == {"day": 4, "week": 4, "more": 4}
    assert SlotDay.objects.filter(part="saturday").get().places == 3


def test_comparison_shows_the_previous_period_beside_each_figure():
    _questions()
    aggregates.recompute("questions", MONDAY - timedelta(days=14), TODAY)
    topic = selectors.question_tables(_filters(compare=True))[0]
    labels = [c.label for c in topic.columns]
    assert labels[:2] == ["Vragen", "Vragen (periode ervoor)"]
    assert [v.text for v in _row(topic, "Slapen")][:2] == ["20", "–"]


def test_a_professional_sees_only_their_own_team(nurse):
    from teams.models import FamilyTeam, Team, TeamMembership

    _questions()
    mine, other = Team.objects.create(name="Noord"), Team.objects.create(name="Zuid")
    TeamMembership.objects.create(team=mine, user=nurse)
    family = make_family()
    FamilyTeam.objects.create(family=family, team=other, refreshed_at=timezone.now())
    for _i in range(12):
        make_raw_question(family=family, asked=at(MONDAY, 9))
    aggregates.recompute("questions", MONDAY, TODAY)

    scoped = _filters(team_ids=selectors.allowed_team_ids(nurse))
    assert selectors.question_tables(scoped)[0].rows == []
    everyone = selectors.question_tables(_filters())[2]
    assert [v.text for v in _row(everyone, "Zuid")][0] == "12"


def _offers(schedule, appointment_type, statuses, day):
    """One waiting-list entry and offer per status, each for its own family and slot."""
    from wachtlijst.models import Entry, Offer

    for i, status in enumerate(statuses):
        parent, child = family_with_child()
        entry = Entry.objects.create(
            family=parent.family, parent=parent, child=child, appointment_type=appointment_type
        )
        starts = at(day, 9) + timedelta(minutes=20 * i)
        Offer.objects.create(
            entry=entry,
            parent=parent,
            slot=_slot(schedule, starts),
            status=status,
            created_at=at(day, 8),
        )


def test_waitlist_table_counts_places_offered_and_accepted(client, manager, nurse):
    from teams.models import Team, TeamLocation, TeamMembership

    consult, evening = make_type(name="Consult A"), make_type(name="Avondspreekuur B")
    office = make_schedule(types=[consult])
    late = make_schedule(types=[evening], location=office.location)
    _offers(office, consult, ["accepted"] * 12 + ["expired"] * 6 + ["declined"] * 2, TUESDAY)
    _offers(late, evening, ["accepted"] * 3, TUESDAY)
    _offers(office, consult, ["accepted"] * 5, MONDAY - timedelta(days=3))  # before the period

    waitlist = selectors.appointment_tables(_filters())[-1]
    assert waitlist.key == "waitlist"
    # Consult A: 20 offered, 12 accepted = 60%. Type B: 3 offered (< 10, no percentage).
    assert [v.text for v in _row(waitlist, "Consult A")] == ["20", "12", "60%"]
    assert [v.text for v in _row(waitlist, "Avondspreekuur B")] == ["< 10", "< 10", "< 10"]
    assert "Consult A;20;12;60%" in _csv_of(client, manager, "afspraken", "waitlist")

    # A professional of a team without this location sees no offers.
    mine = Team.objects.create(name="Noord")
    TeamMembership.objects.create(team=mine, user=nurse)
    assert (
        selectors.appointment_tables(_filters(team_ids=selectors.allowed_team_ids(nurse)))[-1].rows
        == []
    )
    TeamLocation.objects.create(team=mine, location=office.location)
    scoped = selectors.appointment_tables(_filters(team_ids=selectors.allowed_team_ids(nurse)))
    assert [v.text for v in _row(scoped[-1], "Consult A")][0] == "20"


def _csv_of(client, manager, area, table):
    from django.urls import reverse

    client.force_login(manager)
    response = client.get(
        reverse("cijfers:csv", kwargs={"area": area, "table": table}),
        {"start": MONDAY.isoformat(), "end": (MONDAY + timedelta(days=6)).isoformat()},
    )
    assert response.status_code == 200
    return response.content.decode()


def test_reach_splits_planned_online_by_the_parent_from_planned_by_staff():
    """25 children whose 8-week window opened on Monday: 12 planned by the parent online, 10
    by staff on the parent's behalf, 3 not planned. Planned online: 12 / 22 = 55%."""
    from contactmomenten.models import ChildMoment
    from tests.afspraken.factories import make_appointment
    from tests.contactmomenten.factories import moment_cb8w
    from tests.factories import make_staff

    moment = moment_cb8w()
    nurse = make_staff()
    for i in range(25):
        parent, child = family_with_child()
        row = ChildMoment.objects.create(
            child=child,
            moment=moment,
            version=1,
            window_opens=MONDAY,
            window_closes=MONDAY + timedelta(days=14),
            state="planned" if i < 22 else "invited",
        )
        if i < 22:
            make_appointment(
                starts_at=at(TUESDAY, 9) + timedelta(minutes=20 * i),
                parent=parent,
                child=child,
                contact_moment=row,
                booked_by=parent if i < 12 else nurse,
            )
    aggregates.recompute("reach", MONDAY, TODAY)
    per_moment = selectors.reach_tables(_filters())[0]
    labels = [c.key for c in per_moment.columns]
    values = dict(zip(labels, [v.text for v in _row(per_moment, moment.name)], strict=True))
    assert values["children"] == "25" and values["planned"] == "22"
    assert values["online"] == "55%"
    # Five planned online (under 10): no percentage, so nobody can be recognised.
    from afspraken.models import Appointment

    online_ids = list(Appointment.objects.exclude(booked_by=nurse).values_list("pk", flat=True))
    Appointment.objects.filter(pk__in=online_ids[5:]).delete()
    aggregates.recompute("reach", MONDAY, TODAY)
    per_moment = selectors.reach_tables(_filters())[0]
    online = [v.text for v in _row(per_moment, moment.name)][labels.index("online")]
    assert online == "< 10"
