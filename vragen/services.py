"""Everything that changes a question. Each service locks the question row first, asks
`vragen.workflow` whether the step is allowed, records the change on the timeline and sends
e-mails (link only) after commit."""

import logging
import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, connection, models, transaction
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from accounts.roles import Capability
from families.models import Child
from onderwerpen.models import Topic
from outbox.services import queue_email
from privacy.models import AccessLog
from privacy.services import record_access
from privacy.youth import is_hidden_from_parents
from vragen import alarms, selectors, workflow
from vragen.deadlines import describe_moment, load_calendar
from vragen.exceptions import FeedbackRefused, NotAllowed, QuestionError, TransitionRefused
from vragen.models import (
    AlarmRule,
    AlarmRuleChange,
    Event,
    Feedback,
    InternalNote,
    Message,
    Question,
    TriageDecision,
    Urgency,
    UrgencyDeadline,
)
from vragen.selectors import COUNTS_VERSION_KEY
from vragen.workflow import Action, Actor

logger = logging.getLogger(__name__)
FEEDBACK_SALT = "vragen.feedback"
_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out on the phone


# --- Alarm rules ------------------------------------------------------------------------------


def compile_alarm_rule(rule: AlarmRule) -> alarms.CompiledRule:
    return alarms.compile_rule(
        key=rule.pk,
        audience=rule.audience,
        younger_than_months=rule.younger_than_months,
        word_lists=[rule.words, rule.and_words, rule.and_also_words],
        ignore=rule.ignore,
    )


def alarm_context(*, tokens: list[str], family_id, child: Child | None) -> alarms.AlarmContext:
    """Who the question may be about, from the family data (one query for the family)."""
    today = timezone.localdate()
    family = []
    if child is None and family_id is not None:
        family = list(
            Child.objects.filter(family_id=family_id).values_list("date_of_birth", "due_date")
        )
    return alarms.build_context(
        tokens=tokens,
        today=today,
        child_birth=child.date_of_birth if child else None,
        child_due=child.due_date if child else None,
        about_parent=child is None,
        family=family,
    )


def find_alarm_rules(*, text: str, family_id, child: Child | None = None) -> list[AlarmRule]:
    """The active alarm rules that `text` matches, for a question about `child` (None: about
    the parent) in family `family_id`. A rule whose words no longer compile is skipped and
    logged: the admin form refuses such words, so it only happens after a code change."""
    tokens = alarms.tokenize(text)
    context = alarm_context(tokens=tokens, family_id=family_id, child=child)
    found = []
    for rule in selectors.list_active_alarm_rules():
        try:
            compiled = compile_alarm_rule(rule)
        except alarms.PatternError:
            logger.error("Alarm rule %s does not compile; skipped", rule.pk)
            continue
        if compiled.matches(tokens, context):
            found.append(rule)
    return found


def numbers_to_call(rules: list[AlarmRule]) -> list[str]:
    """The numbers the matched rules ask for, in AlarmRule.CALL_FIELDS order; 112 always."""
    wanted = {flag for rule in rules for flag in AlarmRule.CALL_FIELDS if getattr(rule, flag)}
    return [flag for flag in AlarmRule.CALL_FIELDS if flag in wanted or flag == "call_112"]


def _rule_snapshot(rule: AlarmRule) -> dict:
    return {name: getattr(rule, name) for name in AlarmRule.CONTENT_FIELDS}


def _require_perm(actor: User, perm: str) -> None:
    if not actor.has_perm(perm):
        raise NotAllowed(perm)


@transaction.atomic
def save_alarm_rule(*, actor: User, rule: AlarmRule) -> AlarmRule:
    """Save a rule the admin form has validated (words compile, test sentences pass) and record
    the change with its content before and after. Only who may change rules (the jeugdarts)."""
    created = rule._state.adding
    _require_perm(actor, "vragen.add_alarmrule" if created else "vragen.change_alarmrule")
    before = None
    if not created:
        old = AlarmRule.objects.select_for_update().get(pk=rule.pk)
        before = _rule_snapshot(old)
    rule.changed_at = timezone.now()
    rule.changed_by = actor
    rule.save()
    after = _rule_snapshot(rule)
    if before != after:
        AlarmRuleChange.objects.create(
            rule=rule,
            rule_name=rule.name,
            action=AlarmRuleChange.Action.CREATED if created else AlarmRuleChange.Action.CHANGED,
            changed_by=actor,
            changed_by_name=actor.display_name,
            changed_at=rule.changed_at,
            before=before,
            after=after,
        )
    return rule


@transaction.atomic
def delete_alarm_rule(*, actor: User, rule: AlarmRule) -> None:
    _require_perm(actor, "vragen.delete_alarmrule")
    AlarmRuleChange.objects.create(
        rule=None,
        rule_name=rule.name,
        action=AlarmRuleChange.Action.DELETED,
        changed_by=actor,
        changed_by_name=actor.display_name,
        before=_rule_snapshot(rule),
    )
    rule.delete()


# --- Deadlines ---------------------------------------------------------------------------------


def deadline_for(*, urgency: int, start: datetime) -> datetime | None:
    """`start` plus the manager-set working hours of this urgency (None: no deadline)."""
    hours = (
        UrgencyDeadline.objects.filter(urgency=urgency)
        .values_list("working_hours", flat=True)
        .first()
    )
    if hours is None:
        return None
    return load_calendar().add_working_hours(start, hours)


def describe_promise(question: Question) -> str:
    """The answer time in words, e.g. 'dinsdag 12:00'; empty when there is no deadline."""
    return describe_moment(question.deadline_at) if question.deadline_at else ""


# --- Helpers -----------------------------------------------------------------------------------


def _new_reference() -> str:
    for _attempt in range(10):
        ref = "V" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _i in range(7))
        if not Question.objects.filter(reference=ref).exists():
            return ref
    raise QuestionError("Could not make a unique reference number.")


def _lock(question_id) -> Question:
    """The question row, locked until the end of the surrounding transaction."""
    return Question.objects.select_for_update().get(pk=question_id)


def counts_changed() -> None:
    """Invalidate the cached queue counts (selectors.count_by_status)."""
    try:
        cache.incr(COUNTS_VERSION_KEY)
    except ValueError:
        cache.set(COUNTS_VERSION_KEY, 1, timeout=None)
    except Exception:  # noqa: BLE001 - the counts expire by themselves within 30 s
        logger.warning("Cache unavailable; queue counts may lag up to 30 s")


def _event(question: Question, *, actor: User | None, kind: str, old="", new="") -> Event:
    """Record one change on the timeline; the queue counts are refreshed after commit."""
    transaction.on_commit(counts_changed)
    return Event.objects.create(
        question=question,
        actor=actor,
        kind=kind,
        from_value=str(old)[:120],
        to_value=str(new)[:120],
    )


def _deadline_text(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _move(
    question: Question, *, action: Action, actor_kind: Actor, actor: User | None
) -> list[str]:
    """Apply one workflow step to a locked question; returns the fields it changed."""
    old = question.status
    new = workflow.next_status(status=old, action=action, actor=actor_kind)
    now = timezone.now()
    fields = ["status"]
    question.status = new
    if new == Question.Status.CLOSED:
        question.closed_at = now
        question.close_count += 1
        fields += ["closed_at", "close_count"]
    elif old == Question.Status.CLOSED:
        question.closed_at = None
        question.close_reason = ""
        fields += ["closed_at", "close_reason"]
    if new == Question.Status.WAITING:
        question.waiting_since = now
        fields.append("waiting_since")
    elif old == Question.Status.WAITING:
        question.waiting_since = None
        fields.append("waiting_since")
    if new != Question.Status.CALL_BACK and question.call_back_date:
        question.call_back_date = None
        fields.append("call_back_date")
    if new in workflow.REQUEUE_ON_ENTER and old != new:
        # Back in the queue: waiting time and deadline start again from now.
        old_deadline = question.deadline_at
        question.queued_at = now
        question.deadline_at = deadline_for(urgency=question.urgency, start=now)
        fields += ["queued_at", "deadline_at"]
        if old_deadline != question.deadline_at:
            _event(
                question,
                actor=actor,
                kind=Event.Kind.DEADLINE,
                old=_deadline_text(old_deadline),
                new=_deadline_text(question.deadline_at),
            )
    if old != new:
        _event(question, actor=actor, kind=Event.Kind.STATUS, old=old, new=new)
    return fields


def _refresh_search(question: Question) -> None:
    """Rebuild the Dutch full-text vector: question text (weight A) and thread (weight B)."""
    if connection.vendor != "postgresql":
        return
    thread = "\n".join(question.messages.values_list("body", flat=True))
    Question.objects.filter(pk=question.pk).update(
        search_vector=SearchVector(
            models.Value(question.text, output_field=models.TextField()),
            weight="A",
            config="dutch",
        )
        + SearchVector(
            models.Value(thread, output_field=models.TextField()), weight="B", config="dutch"
        )
    )


def _question_url(question: Question) -> str:
    return settings.SITE_URL + reverse("vragen:detail", kwargs={"question_id": question.pk})


def _mail_parent(question: Question, *, template: str, extra: dict | None = None) -> None:
    """E-mail the asking parent a link. Never any text of the question, answer or notes.

    Nothing for a youth's own question that is hidden from the parents: even "answered" would
    tell them there is a question they cannot see.
    """
    if question.asked_by is None or not question.asked_by.email:
        return
    if is_hidden_from_parents(question):
        return
    queue_email(
        to=question.asked_by.email,
        template=f"vragen/{template}",
        context={"reference": question.reference, "url": _question_url(question), **(extra or {})},
        kind=f"vragen_{template}",
    )


def _log_change(actor: User, question: Question, reason: str) -> None:
    record_access(
        actor=actor,
        action=AccessLog.Action.CHANGE,
        record_type=Question,
        record_ids=[question.pk],
        child_ids=[question.child_id],
        family_ids=[question.family_id],
        reason=reason,
    )


def _require_staff(actor: User) -> None:
    if not actor.has_capability(Capability.CLINICAL):
        raise NotAllowed("professionals who handle questions only")


def _require_own(parent: User, question: Question) -> None:
    if not parent.is_parent or parent.family_id is None or parent.family_id != question.family_id:
        raise NotAllowed("not your question")


# --- Parent ------------------------------------------------------------------------------------


@transaction.atomic
def submit_question(
    *,
    parent: User,
    topic: Topic,
    text: str,
    channel: str,
    child: Child | None = None,
    call_back_phone: str = "",
    call_back_part_of_day: str = "",
    appointment=None,
) -> Question:
    """A parent's new question. A matching alarm rule makes it urgent (top of the queue)."""
    if not parent.is_parent or parent.family_id is None:
        raise NotAllowed("only a parent with a family can ask")
    if child is not None and child.family_id != parent.family_id:
        raise NotAllowed("not your child")
    if appointment is not None and appointment.family_id != parent.family_id:
        raise NotAllowed("not your appointment")
    fired = find_alarm_rules(text=text, family_id=parent.family_id, child=child)
    is_alarm = bool(fired)
    urgency = Urgency.URGENT if is_alarm else Urgency.ONE_DAY
    now = timezone.now()
    is_call_back = channel == Question.Channel.CALL_BACK
    question = Question.objects.create(
        reference=_new_reference(),
        family_id=parent.family_id,
        child=child,
        asked_by=parent,
        topic=topic,
        text=text.strip(),
        channel=channel,
        call_back_phone=call_back_phone.strip() if is_call_back else "",
        call_back_part_of_day=call_back_part_of_day if is_call_back else "",
        appointment=appointment if channel == Question.Channel.APPOINTMENT else None,
        is_alarm=is_alarm,
        alarm_rule=fired[0] if fired else None,
        alarm_rule_name=fired[0].name if fired else "",
        urgency=urgency,
        created_at=now,
        queued_at=now,
        deadline_at=deadline_for(urgency=urgency, start=now),
    )
    _event(question, actor=parent, kind=Event.Kind.CREATED, new=question.status)
    if is_alarm:
        TriageDecision.objects.create(
            question=question, urgency=urgency, deadline_at=question.deadline_at, decided_at=now
        )
        _event(question, actor=None, kind=Event.Kind.URGENCY, new=urgency)
    _refresh_search(question)
    from outbox.services import recipient_language

    # The promise goes into the parent's e-mail: in the language that e-mail is in.
    with translation.override(recipient_language(parent.email)):
        promise = describe_promise(question)
    _mail_parent(question, template="received", extra={"promise": promise})
    return question


@transaction.atomic
def reply_as_parent(*, parent: User, question_id, body: str) -> Question:
    """The parent adds to the thread; an answered or waiting question goes back to the queue."""
    question = _lock(question_id)
    _require_own(parent, question)
    _move(question, action=Action.PARENT_REPLY, actor_kind=Actor.PARENT, actor=parent)
    question.save()
    Message.objects.create(question=question, author=parent, kind=Message.Kind.PARENT, body=body)
    _event(question, actor=parent, kind=Event.Kind.MESSAGE, new=Message.Kind.PARENT)
    _refresh_search(question)
    return question


@transaction.atomic
def mark_solved(*, parent: User, question_id) -> Question:
    question = _lock(question_id)
    _require_own(parent, question)
    _move(question, action=Action.SOLVE, actor_kind=Actor.PARENT, actor=parent)
    question.close_reason = Question.CloseReason.SOLVED_BY_PARENT
    question.save()
    return question


def mark_read_by_parent(*, question: Question) -> None:
    """Clear the unread marker (a conditional UPDATE: no lock needed, no write when read)."""
    if question.unread_by_parent:
        Question.objects.filter(pk=question.pk, unread_by_parent=True).update(
            unread_by_parent=False
        )
        question.unread_by_parent = False


def make_feedback_token(question: Question) -> str:
    return signing.TimestampSigner(salt=FEEDBACK_SALT).sign_object(
        {"q": str(question.pk), "r": question.close_count}
    )


def read_feedback_token(token: str) -> tuple[str, int]:
    """(question id, closure round) of a valid token; FeedbackRefused when expired or forged."""
    max_age = settings.VRAGEN_FEEDBACK_VALID_DAYS * 24 * 3600
    try:
        data = signing.TimestampSigner(salt=FEEDBACK_SALT).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired:
        raise FeedbackRefused("expired") from None
    except signing.BadSignature:
        raise FeedbackRefused("invalid") from None
    return data["q"], int(data["r"])


@transaction.atomic
def give_feedback(*, token: str, helped: bool) -> Question:
    """'Helped' or 'not helped', once per closure; 'not helped' puts it back in the queue."""
    question_id, closure = read_feedback_token(token)
    question = Question.objects.select_for_update().filter(pk=question_id).first()
    if question is None:
        raise FeedbackRefused("invalid")
    if question.status != Question.Status.CLOSED or question.close_count != closure:
        raise FeedbackRefused("used")
    try:
        with transaction.atomic():
            Feedback.objects.create(question=question, round=closure, helped=helped)
    except IntegrityError:
        raise FeedbackRefused("used") from None
    _event(question, actor=question.asked_by, kind=Event.Kind.FEEDBACK, new=int(helped))
    if not helped:
        _move(question, action=Action.REOPEN, actor_kind=Actor.PARENT, actor=question.asked_by)
        question.save()
    return question


# --- Staff -------------------------------------------------------------------------------------


@transaction.atomic
def set_urgency(*, actor: User, question_id, urgency: int) -> Question:
    """New urgency; the deadline is recounted from when the question entered the queue."""
    _require_staff(actor)
    question = _lock(question_id)
    if not question.is_open:
        raise TransitionRefused(status=question.status, action="set_urgency")
    old, old_deadline = question.urgency, question.deadline_at
    question.urgency = urgency
    question.triaged_at = timezone.now()
    question.deadline_at = deadline_for(urgency=urgency, start=question.queued_at)
    question.save(update_fields=["urgency", "triaged_at", "deadline_at"])
    TriageDecision.objects.create(
        question=question,
        urgency=urgency,
        deadline_at=question.deadline_at,
        decided_by=actor,
        decided_at=question.triaged_at,
    )
    if old != urgency:
        _event(question, actor=actor, kind=Event.Kind.URGENCY, old=old, new=urgency)
    if old_deadline != question.deadline_at:
        _event(
            question,
            actor=actor,
            kind=Event.Kind.DEADLINE,
            old=_deadline_text(old_deadline),
            new=_deadline_text(question.deadline_at),
        )
    _log_change(actor, question, "urgency")
    return question


@transaction.atomic
def assign_question(*, actor: User, question_id, assignee: User | None) -> Question:
    """Take (assignee = actor), hand over or release. Changes only the assignee: never the
    deadline or the waiting time, so taking a question cannot hide that it is late. Managers
    may hand questions over too (`accounts.services.hand_over_work`) without reading them."""
    if not actor.has_capability(Capability.ADMIN):
        _require_staff(actor)
    if assignee is not None and not assignee.has_capability(Capability.CLINICAL):
        raise NotAllowed("assignee must be an active professional who handles questions")
    question = _lock(question_id)
    if question.assignee_id == (assignee.pk if assignee else None):
        return question
    old = question.assignee.display_name if question.assignee else ""
    question.assignee = assignee
    question.save(update_fields=["assignee"])
    _event(
        question,
        actor=actor,
        kind=Event.Kind.ASSIGNEE,
        old=old,
        new=assignee.display_name if assignee else "",
    )
    _log_change(actor, question, "assign")
    return question


def _staff_message(
    *, actor: User, question_id, action: Action, kind: str, body: str, mail: str
) -> Question:
    _require_staff(actor)
    question = _lock(question_id)
    _move(question, action=action, actor_kind=Actor.STAFF, actor=actor)
    question.unread_by_parent = True
    if question.assignee_id is None:
        question.assignee = actor
        _event(question, actor=actor, kind=Event.Kind.ASSIGNEE, new=actor.display_name)
    question.save()
    Message.objects.create(question=question, author=actor, kind=kind, body=body.strip())
    _event(question, actor=actor, kind=Event.Kind.MESSAGE, new=kind)
    _refresh_search(question)
    _log_change(actor, question, action)
    _mail_parent(question, template=mail)
    return question


@transaction.atomic
def answer_question(*, actor: User, question_id, body: str) -> Question:
    return _staff_message(
        actor=actor,
        question_id=question_id,
        action=Action.ANSWER,
        kind=Message.Kind.ANSWER,
        body=body,
        mail="answered",
    )


@transaction.atomic
def request_information(*, actor: User, question_id, body: str) -> Question:
    """Ask the parent for more; the question waits (and returns to the queue after
    VRAGEN_INFO_WAIT_DAYS without a reply)."""
    return _staff_message(
        actor=actor,
        question_id=question_id,
        action=Action.ASK_INFO,
        kind=Message.Kind.INFO_REQUEST,
        body=body,
        mail="info_requested",
    )


@transaction.atomic
def plan_call_back(
    *, actor: User, question_id, on: date, part_of_day: str, phone: str, message: str
) -> Question:
    """Put the question on the call list of `on`; the parent reads when we will call."""
    _require_staff(actor)
    if on < timezone.localdate():
        raise QuestionError("call back date in the past")
    question = _lock(question_id)
    old = question.call_back_date
    _move(question, action=Action.PLAN_CALL_BACK, actor_kind=Actor.STAFF, actor=actor)
    question.call_back_date = on
    question.call_back_part_of_day = part_of_day
    question.call_back_phone = phone.strip()
    question.unread_by_parent = True
    if question.assignee_id is None:
        # Whoever plans the call makes it, unless a colleague already has the question; so the
        # call list and a handover know whose call it is.
        question.assignee = actor
        _event(question, actor=actor, kind=Event.Kind.ASSIGNEE, new=actor.display_name)
    question.save()
    _event(
        question,
        actor=actor,
        kind=Event.Kind.CALL_BACK,
        old=old.isoformat() if old else "",
        new=f"{on.isoformat()} {part_of_day}",
    )
    Message.objects.create(
        question=question, author=actor, kind=Message.Kind.CALL_BACK, body=message.strip()
    )
    _log_change(actor, question, "call_back")
    _mail_parent(question, template="answered")
    return question


@transaction.atomic
def add_internal_note(*, actor: User, question_id, body: str) -> InternalNote:
    """A note for colleagues only: never shown to parents, never in an e-mail."""
    _require_staff(actor)
    question = _lock(question_id)
    note = InternalNote.objects.create(question=question, author=actor, body=body.strip())
    _event(question, actor=actor, kind=Event.Kind.NOTE)
    _log_change(actor, question, "note")
    return note


@transaction.atomic
def close_question(*, actor: User, question_id, reason: str) -> Question:
    _require_staff(actor)
    question = _lock(question_id)
    _move(question, action=Action.CLOSE, actor_kind=Actor.STAFF, actor=actor)
    question.close_reason = reason
    question.save()
    _log_change(actor, question, "close")
    _mail_parent(
        question,
        template="closed",
        extra={
            "feedback_url": settings.SITE_URL
            + reverse("vragen:feedback", kwargs={"token": make_feedback_token(question)}),
            "valid_days": settings.VRAGEN_FEEDBACK_VALID_DAYS,
        },
    )
    return question


def hand_over_questions(*, actor: User, from_user: User, to_user: User) -> dict[str, int]:
    """Give a colleague every open question assigned to `from_user`, call backs included. Each
    goes through `assign_question` (timeline entry, access log), so the deadline and waiting
    time stay as they were. Call inside the handover's transaction."""
    rows = list(
        Question.objects.filter(
            status__in=[s.value for s in Question.OPEN_STATUSES], assignee=from_user
        ).values_list("pk", "status")
    )
    for question_id, _status in rows:
        assign_question(actor=actor, question_id=question_id, assignee=to_user)
    call_backs = sum(status == Question.Status.CALL_BACK for _pk, status in rows)
    return {"questions": len(rows), "call_backs": call_backs}


# --- System ------------------------------------------------------------------------------------


def return_stale_waiting_questions(*, now: datetime | None = None) -> int:
    """Questions waiting for the parent longer than VRAGEN_INFO_WAIT_DAYS go back to the
    queue. One short transaction per question; locked rows are skipped (another worker has
    them), and the status is checked again under the lock, so running twice is harmless."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.VRAGEN_INFO_WAIT_DAYS)
    ids = list(
        Question.objects.filter(
            status=Question.Status.WAITING, waiting_since__lt=cutoff
        ).values_list("pk", flat=True)[:1000]
    )
    moved = 0
    for question_id in ids:
        with transaction.atomic():
            question = (
                Question.objects.select_for_update(skip_locked=True)
                .filter(pk=question_id, status=Question.Status.WAITING, waiting_since__lt=cutoff)
                .first()
            )
            if question is None:
                continue
            _move(question, action=Action.INFO_TIMEOUT, actor_kind=Actor.SYSTEM, actor=None)
            question.save()
            moved += 1
    return moved
