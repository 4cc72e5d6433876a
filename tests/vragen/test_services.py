"""Services: submit, alarm rules, triage, answers, call backs, notes, closing, feedback."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.utils import timezone

from privacy.fields import contains_id
from privacy.models import AccessLog
from tests.factories import make_child, make_parent, make_staff
from tests.vragen.factories import make_question, topic
from vragen import selectors, services
from vragen.exceptions import FeedbackRefused, NotAllowed, TransitionRefused
from vragen.models import Event, Feedback, Question, Urgency

pytestmark = pytest.mark.django_db
S = Question.Status


def test_submit_gives_reference_deadline_and_timeline(parent):
    child = make_child(family=parent.family)
    question = make_question(parent=parent, child=child)
    assert question.reference.startswith("V") and len(question.reference) == 8
    assert question.status == S.OPEN and question.urgency == Urgency.ONE_DAY
    assert question.deadline_at > question.created_at
    assert list(question.events.values_list("kind", flat=True)) == [Event.Kind.CREATED]


def test_receipt_mail_has_link_but_not_the_question(parent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        question = make_question(parent=parent, text="Geheime tekst over Noor en haar slaap.")
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert question.reference in body and f"/vragen/{question.pk}/" in body
    assert "Geheime tekst" not in body and "Noor" not in body
    assert "uiterlijk" in body


def test_parent_cannot_ask_about_another_familys_child(parent):
    stranger = make_child()
    with pytest.raises(NotAllowed):
        make_question(parent=parent, child=stranger)


def test_staff_cannot_submit_a_parent_question(nurse):
    with pytest.raises(NotAllowed):
        make_question(parent=nurse)


@pytest.mark.parametrize(
    "text",
    [
        "Mijn baby is erg BENAUWD vannacht.",
        "Hij liep blauw aan, blauw  aanlopen bij het huilen.",
        "Ze denkt aan suïcide, wat moet ik doen?",
        "Ik vermoed mishandeling door de oppas.",
    ],
)
def test_alarm_rules_ignore_case_and_accents(parent, text):
    assert services.find_alarm_rules(text=text, family_id=parent.family_id)


def test_ordinary_question_matches_no_alarm_rule(parent):
    text = "Hoeveel slaap heeft een peuter nodig?"
    assert services.find_alarm_rules(text=text, family_id=parent.family_id) == []


def test_alarm_question_is_urgent_and_on_top_of_the_queue(parent, nurse):
    make_question(parent=parent, text="Hoeveel flesvoeding per dag?")
    alarm = make_question(parent=parent, text="Mijn baby is niet wakker te krijgen.")
    assert alarm.is_alarm and alarm.urgency == Urgency.URGENT
    first = selectors.list_queue(actor=nurse, filters=selectors.QueueFilters()).first()
    assert first == alarm


def test_queue_sorts_by_urgency_then_waiting_time(parent, nurse):
    with time_machine.travel(timezone.now() - timedelta(hours=3)):
        older = make_question(parent=parent)
    newer = make_question(parent=parent)
    urgent = make_question(parent=parent)
    services.set_urgency(actor=nurse, question_id=urgent.pk, urgency=Urgency.URGENT)
    queue = list(selectors.list_queue(actor=nurse, filters=selectors.QueueFilters()))
    assert queue == [urgent, older, newer]


def test_taking_a_question_never_changes_the_deadline(parent, nurse):
    question = make_question(parent=parent)
    deadline, queued = question.deadline_at, question.queued_at
    services.assign_question(actor=nurse, question_id=question.pk, assignee=nurse)
    colleague = make_staff()
    services.assign_question(actor=nurse, question_id=question.pk, assignee=colleague)
    question.refresh_from_db()
    assert question.assignee == colleague
    assert (question.deadline_at, question.queued_at) == (deadline, queued)
    events = list(question.events.filter(kind=Event.Kind.ASSIGNEE))
    assert [(e.from_value, e.to_value) for e in events][-1] == (
        nurse.display_name,
        colleague.display_name,
    )


def test_cannot_assign_to_a_parent(parent, nurse):
    question = make_question(parent=parent)
    with pytest.raises(NotAllowed):
        services.assign_question(actor=nurse, question_id=question.pk, assignee=parent)


def test_setting_urgency_recounts_deadline_and_records_from_to(parent, nurse):
    question = make_question(parent=parent)
    old_deadline = question.deadline_at
    services.set_urgency(actor=nurse, question_id=question.pk, urgency=Urgency.THREE_DAYS)
    question.refresh_from_db()
    assert question.deadline_at > old_deadline
    event = question.events.get(kind=Event.Kind.URGENCY)
    assert (event.actor, event.from_value, event.to_value) == (nurse, "2", "3")


def test_discuss_at_appointment_has_no_deadline(parent, nurse):
    question = make_question(parent=parent)
    services.set_urgency(actor=nurse, question_id=question.pk, urgency=Urgency.AT_APPOINTMENT)
    question.refresh_from_db()
    assert question.deadline_at is None and not question.is_overdue


def test_answer_marks_unread_mails_link_and_logs_access(
    parent, nurse, django_capture_on_commit_callbacks
):
    question = make_question(parent=parent)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_question(actor=nurse, question_id=question.pk, body="Probeer een ritme.")
    question.refresh_from_db()
    assert question.status == S.ANSWERED and question.unread_by_parent
    assert question.assignee == nurse
    assert "Probeer een ritme" not in mail.outbox[-1].body
    assert AccessLog.objects.filter(contains_id("record_ids", question.pk), actor=nurse).exists()


def test_internal_note_never_reaches_an_email(parent, nurse, django_capture_on_commit_callbacks):
    question = make_question(parent=parent)
    with django_capture_on_commit_callbacks(execute=True):
        services.add_internal_note(
            actor=nurse, question_id=question.pk, body="INTERN-GEHEIM zorgen over thuissituatie"
        )
        services.request_information(actor=nurse, question_id=question.pk, body="Sinds wanneer?")
        services.answer_question(actor=nurse, question_id=question.pk, body="Antwoord.")
        services.close_question(actor=nurse, question_id=question.pk, reason="answered")
    assert len(mail.outbox) == 3  # info request, answer, closed
    for message in mail.outbox:
        assert "INTERN-GEHEIM" not in message.body + message.subject
        for alternative, _mime in getattr(message, "alternatives", []):
            assert "INTERN-GEHEIM" not in alternative
    assert "INTERN-GEHEIM" not in question.events.values_list("to_value", flat=True)


def test_answering_a_closed_question_is_refused(parent, nurse):
    question = make_question(parent=parent)
    services.close_question(actor=nurse, question_id=question.pk, reason="duplicate")
    with pytest.raises(TransitionRefused):
        services.answer_question(actor=nurse, question_id=question.pk, body="Te laat")


def test_parent_reply_to_info_request_returns_it_to_the_queue(parent, nurse):
    question = make_question(parent=parent)
    services.request_information(actor=nurse, question_id=question.pk, body="Hoe oud?")
    question.refresh_from_db()
    assert question.status == S.WAITING and question.waiting_since
    services.reply_as_parent(parent=parent, question_id=question.pk, body="Acht maanden.")
    question.refresh_from_db()
    assert question.status == S.OPEN and question.waiting_since is None
    assert question.queued_at > question.created_at


def test_another_parent_cannot_reply(parent, other_parent):
    question = make_question(parent=parent)
    with pytest.raises(NotAllowed):
        services.reply_as_parent(parent=other_parent, question_id=question.pk, body="Hallo")


def test_waiting_question_returns_to_queue_after_five_days(parent, nurse):
    question = make_question(parent=parent)
    services.request_information(actor=nurse, question_id=question.pk, body="Hoe oud?")
    assert services.return_stale_waiting_questions(now=timezone.now() + timedelta(days=4)) == 0
    later = timezone.now() + timedelta(days=5, minutes=1)
    assert services.return_stale_waiting_questions(now=later) == 1
    assert services.return_stale_waiting_questions(now=later) == 0
    question.refresh_from_db()
    assert question.status == S.OPEN
    event = question.events.filter(kind=Event.Kind.STATUS).last()
    assert (event.actor, event.from_value, event.to_value) == (None, S.WAITING, S.OPEN)


def test_stale_waiting_task_runs_the_service(parent, nurse):
    from vragen.tasks import return_stale_waiting_questions_task

    question = make_question(parent=parent)
    services.request_information(actor=nurse, question_id=question.pk, body="Hoe oud?")
    Question.objects.filter(pk=question.pk).update(waiting_since=timezone.now() - timedelta(days=6))
    assert return_stale_waiting_questions_task.delay().get() == 1


def test_plan_call_back_puts_it_on_the_days_call_list(parent, nurse):
    question = make_question(
        parent=parent,
        channel="call_back",
        call_back_phone="0612345678",
        call_back_part_of_day="morning",
    )
    tomorrow = timezone.localdate() + timedelta(days=1)
    services.plan_call_back(
        actor=nurse,
        question_id=question.pk,
        on=tomorrow,
        part_of_day="afternoon",
        phone="0612345678",
        message="We bellen je morgenmiddag.",
    )
    assert list(selectors.list_call_backs(actor=nurse, on=tomorrow)) == [question]
    assert list(selectors.list_call_backs(actor=nurse, on=timezone.localdate())) == []
    services.answer_question(actor=nurse, question_id=question.pk, body="Gebeld, advies gegeven.")
    question.refresh_from_db()
    assert question.status == S.ANSWERED and question.call_back_date is None


def test_parent_marks_solved(parent):
    question = make_question(parent=parent)
    services.mark_solved(parent=parent, question_id=question.pk)
    question.refresh_from_db()
    assert question.status == S.CLOSED
    assert question.close_reason == Question.CloseReason.SOLVED_BY_PARENT


def _closed(parent, nurse):
    question = make_question(parent=parent)
    services.answer_question(actor=nurse, question_id=question.pk, body="Antwoord.")
    return services.close_question(actor=nurse, question_id=question.pk, reason="answered")


def test_feedback_helped_is_stored_once(parent, nurse):
    question = _closed(parent, nurse)
    token = services.make_feedback_token(question)
    services.give_feedback(token=token, helped=True)
    with pytest.raises(FeedbackRefused) as exc:
        services.give_feedback(token=token, helped=False)
    assert exc.value.reason == "used"
    assert Feedback.objects.get(question=question).helped is True


def test_feedback_not_helped_reopens_in_the_queue(parent, nurse):
    question = _closed(parent, nurse)
    services.give_feedback(token=services.make_feedback_token(question), helped=False)
    question.refresh_from_db()
    assert question.status == S.OPEN and question.closed_at is None
    assert question.deadline_at > timezone.now()
    assert question in selectors.list_queue(actor=nurse, filters=selectors.QueueFilters())


def test_feedback_link_expires_after_14_days(parent, nurse):
    question = _closed(parent, nurse)
    token = services.make_feedback_token(question)
    with time_machine.travel(timezone.now() + timedelta(days=14, minutes=1)):
        with pytest.raises(FeedbackRefused) as exc:
            services.give_feedback(token=token, helped=True)
    assert exc.value.reason == "expired"


def test_forged_feedback_token_is_refused():
    with pytest.raises(FeedbackRefused):
        services.give_feedback(token="abc:def:ghi", helped=False)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="Dutch full-text search")
def test_dutch_full_text_search_finds_questions_and_answers(parent, nurse):
    sleep = make_question(parent=parent, text="Mijn zoon wil niet slapen in zijn eigen bed.")
    food = make_question(
        parent=parent, text="Hoeveel groente mag mijn dochter eten?", topic=topic("Voeding")
    )
    services.answer_question(actor=nurse, question_id=food.pk, body="Geef gevarieerde maaltijden.")
    search = lambda q: list(  # noqa: E731
        selectors.list_queue(actor=nurse, filters=selectors.QueueFilters(status="", q=q))
    ) + list(
        selectors.list_queue(actor=nurse, filters=selectors.QueueFilters(status="answered", q=q))
    )
    assert search("bedden") == [sleep]  # stemmed: bedden -> bed
    assert search("maaltijd") == [food]  # found in the answer
    assert search("vaccinatie") == []


def test_staff_home_summary(parent, nurse):
    mine = make_question(parent=parent)
    services.assign_question(actor=nurse, question_id=mine.pk, assignee=nurse)
    make_question(parent=make_parent())
    Question.objects.update(deadline_at=timezone.now() - timedelta(minutes=1))
    summary = selectors.staff_home_summary(actor=nurse)
    assert summary["my_questions"] == [mine]
    assert summary["overdue_count"] == 2


def test_queue_counts_are_cached_and_refreshed_after_a_change(
    parent, nurse, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        question = make_question(parent=parent)
    assert selectors.count_by_status(actor=nurse)["open"] == 1
    with django_assert_num_queries(0):
        assert selectors.count_by_status(actor=nurse)["open"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.request_information(actor=nurse, question_id=question.pk, body="Hoe oud?")
    counts = selectors.count_by_status(actor=nurse)
    assert (counts["open"], counts["waiting"]) == (0, 1)


def test_triage_decisions_record_who_judged_the_urgency(parent, nurse):
    alarm = make_question(parent=parent, text="Hij is niet wakker te krijgen.")
    assert alarm.triage_decisions.get().decided_by is None
    services.set_urgency(actor=nurse, question_id=alarm.pk, urgency=Urgency.ONE_DAY)
    latest = alarm.triage_decisions.last()
    assert (latest.decided_by, latest.urgency) == (nurse, Urgency.ONE_DAY)
    alarm.refresh_from_db()
    assert latest.deadline_at == alarm.deadline_at


@pytest.mark.django_db(transaction=True)
def test_two_professionals_answering_at_once_one_wins():
    """The row lock serialises them; the second sees 'answered' and is refused."""
    import threading

    from django.db import connections

    from tests.vragen.factories import ensure_seeded

    ensure_seeded()
    parent, first, second = make_parent(), make_staff(), make_staff()
    question = make_question(parent=parent)
    barrier = threading.Barrier(2)
    results = []

    def answer(actor):
        barrier.wait()
        try:
            services.answer_question(actor=actor, question_id=question.pk, body="Antwoord")
            results.append("ok")
        except TransitionRefused:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=answer, args=(a,)) for a in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused"]
    assert question.messages.count() == 1


def test_search_fallback_without_postgresql_matches_substrings(parent, nurse, monkeypatch):
    from django.db import connection as conn

    question = make_question(parent=parent, text="Mijn zoon eet geen groente.")
    services.answer_question(actor=nurse, question_id=question.pk, body="Probeer kleine hapjes.")
    monkeypatch.setattr(conn, "vendor", "sqlite")
    filters = selectors.QueueFilters(status="answered", q="hapjes")
    assert list(selectors.list_queue(actor=nurse, filters=filters)) == [question]
