"""The nurse's day on one screen: urgent and alarm questions first, today's agenda, the overdue
count only when there is one, the first line of each question and readable Dutch dates."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.formats import moment
from tests.factories import make_child, make_parent
from tests.vragen.factories import make_question
from vragen import services
from vragen.models import Event, Question, Urgency

pytestmark = pytest.mark.django_db
AT = timezone.make_aware(datetime(2026, 12, 1, 15, 4))  # a Tuesday


def _at(question, when=AT, **fields):
    Question.objects.filter(pk=question.pk).update(queued_at=when, created_at=when, **fields)
    question.refresh_from_db()
    return question


def test_moment_is_short_dutch_and_lower_case():
    assert moment(AT).startswith("di 1 dec")
    assert moment(AT).endswith("15:04")
    last_year = AT.replace(year=timezone.localdate().year - 1, month=3, day=4)
    assert str(last_year.year) in moment(last_year)
    assert moment(AT.date()).startswith("di 1 dec")


def test_home_lists_urgent_and_alarm_questions_before_my_own(nurse_client, nurse, parent):
    mine = make_question(parent=parent, text="Hoe vaak moet ik de fles geven?")
    services.assign_question(actor=nurse, question_id=mine.pk, assignee=nurse)
    urgent = make_question(parent=parent, text="Mijn zoon is al twee dagen suf.")
    services.set_urgency(actor=nurse, question_id=urgent.pk, urgency=Urgency.URGENT)
    alarm = _at(make_question(parent=parent, text="Hij is benauwd"), is_alarm=True)
    html = nurse_client.get(reverse("staff_home")).content.decode()
    urgent_block = html.split('id="urgent-title"', 1)[1].split("</section>", 1)[0]
    assert alarm.reference in urgent_block and urgent.reference in urgent_block
    assert mine.reference not in urgent_block
    assert html.index(urgent.reference) < html.index(mine.reference)
    assert "Mijn zoon is al twee dagen suf." in urgent_block  # the first line


def test_home_shows_todays_own_agenda(nurse_client, nurse):
    from afspraken.models import Appointment, Slot
    from afspraken.services import book_appointment
    from tests.afspraken.factories import make_schedule, make_slot, slot_type

    slot = make_slot(schedule=make_schedule(professional=nurse))
    parent = make_parent()
    child = make_child(family=parent.family, age_months=3, first_name="Noor")
    appointment = book_appointment(
        slot_id=slot.pk, appointment_type_id=slot_type(slot).pk, parent=parent, child_id=child.pk
    )
    # Moved to today (booking itself refuses times this close).
    today = timezone.make_aware(datetime.combine(timezone.localdate(), time(0, 30)))
    Slot.objects.filter(pk=slot.pk).update(starts_at=today, ends_at=today + timedelta(minutes=20))
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=today, ends_at=today + timedelta(minutes=20)
    )
    html = nurse_client.get(reverse("staff_home")).content.decode()
    agenda = html.split('id="agenda-home-title"', 1)[1].split("</section>", 1)[0]
    assert "00:30" in agenda and "Noor" in agenda


def test_overdue_count_shows_only_when_above_zero(nurse_client, parent):
    question = make_question(parent=parent)
    for url in (reverse("staff_home"), reverse("vragen:queue")):
        html = nurse_client.get(url).content.decode()
        assert "text-overdue" not in html, url
    Question.objects.filter(pk=question.pk).update(deadline_at=timezone.now() - timedelta(hours=1))
    services.counts_changed()
    for url in (reverse("staff_home"), reverse("vragen:queue")):
        html = nurse_client.get(url).content.decode()
        assert "text-overdue" in html, url


def test_queue_shows_the_first_line_and_readable_dates(nurse_client, parent):
    question = _at(make_question(parent=parent, text="Noor slaapt slecht.\nZe is 8 maanden."))
    html = nurse_client.get(reverse("vragen:queue")).content.decode()
    row = html.split(question.reference, 1)[1].split("</tr>", 1)[0]
    assert "Noor slaapt slecht." in row and "8 maanden" not in row
    assert "di 1 dec" in row and "15:04" in row
    assert "Dec" not in row  # lower case, as Dutch writes it


def test_timeline_uses_the_same_style(nurse_client, nurse, parent):
    question = make_question(parent=parent)
    Event.objects.filter(question=question).update(at=AT)
    Event.objects.create(
        question=question,
        actor=nurse,
        kind=Event.Kind.DEADLINE,
        from_value="2026-12-01 15:04",
        to_value="2026-12-02 12:00",
        at=AT,
    )
    html = nurse_client.get(reverse("vragen:staff_question", args=[question.pk])).content.decode()
    timeline = html.split('id="timeline-title"', 1)[1]
    assert "di 1 dec" in timeline and "15:04" in timeline
    assert "wo 2 dec" in timeline and "12:00" in timeline
    assert "2026-12-02" not in timeline


def test_lists_that_show_first_lines_log_the_read(nurse_client, nurse, parent):
    from privacy.fields import contains_id
    from privacy.models import AccessLog

    question = make_question(parent=parent)
    services.set_urgency(actor=nurse, question_id=question.pk, urgency=Urgency.URGENT)
    for url, reason in ((reverse("vragen:queue"), "queue"), (reverse("staff_home"), "staff home")):
        nurse_client.get(url)
        assert AccessLog.objects.filter(
            contains_id("record_ids", question.pk),
            contains_id("family_ids", parent.family_id),
            actor=nurse,
            reason=reason,
        ).exists(), url
