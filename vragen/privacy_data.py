"""What the vragen app holds for the privacy registry (privacy/registry.py): questions and their
threads in the download, erased with the last parent, closed ones removed after their retention
period, admin pages of family data, and the questions a youth keeps from their parents (their
access-log rows stay off the parents' page too). Discovered by PrivacyConfig.ready.
"""

from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from privacy.registry import (
    Section,
    eraser,
    exporter,
    family_data,
    hidden_from_family,
    retention_rule,
)
from privacy.youth import youth_private_questions_q
from vragen.models import Message, Question
from vragen.selectors import list_questions_for_parent

family_data("vragen.question", family="family_id", child="child_id")
family_data("vragen.event", family="question__family_id", child="question__child_id")


@exporter("vragen")
def export_questions(*, user, family):
    if family is None or user is None or not user.is_parent:
        return []
    # The parent's own selector: what the parent may see is what they get (youth rights).
    questions = list(list_questions_for_parent(parent=user))
    rows = [
        {
            "reference": q.reference,
            "asked_at": q.created_at,
            "child": q.child.first_name if q.child else "",
            "topic": q.topic.name,
            "question": q.text,
            "answer_by": str(q.get_channel_display()),
            "status": str(q.get_status_display()),
            "closed_at": q.closed_at,
        }
        for q in questions
    ]
    messages = Message.objects.filter(question__in=questions).select_related("question", "author")
    thread = [
        {
            "question": m.question.reference,
            "sent_at": m.created_at,
            "kind": str(m.get_kind_display()),
            "from_jgz": bool(m.author and m.author.is_jgz_staff),
            "text": m.body,
        }
        for m in messages.order_by("question__created_at", "created_at")
    ]
    return [
        Section(
            "questions",
            str(_("Questions")),
            rows,
            labels={
                "reference": _("Reference number"),
                "asked_at": _("Asked at"),
                "child": _("Child"),
                "topic": _("Topic"),
                "question": _("Question"),
                "answer_by": _("How you want the answer"),
                "status": _("Status"),
                "closed_at": _("Closed at"),
            },
        ),
        Section(
            "messages",
            str(_("Messages with your questions")),
            thread,
            note=str(_("Professionals' own working notes are not part of this download.")),
            labels={
                "question": _("Question"),
                "sent_at": _("Sent at"),
                "kind": _("Kind of message"),
                "from_jgz": _("From JGZ"),
                "text": _("Text"),
            },
        ),
    ]


@eraser("vragen")
def erase_questions(*, user, family, family_removed):
    if family is None:
        return {}
    if not family_removed:
        return {}  # another parent stays: the family's questions stay with the family
    deleted, _details = Question.objects.filter(family=family).delete()
    return {"questions": deleted}


@hidden_from_family("vragen")
def youth_private_questions(*, family_id):
    condition = youth_private_questions_q()
    if condition is None:
        return {}
    ids = Question.objects.filter(condition, family_id=family_id).values_list("pk", flat=True)
    return {"vragen.question": [str(pk) for pk in ids]}


@retention_rule("closed_questions")
def old_closed_questions(*, now):
    cutoff = now - timedelta(days=settings.RETENTION_CLOSED_QUESTIONS_DAYS)
    return Question.objects.filter(status=Question.Status.CLOSED, closed_at__lt=cutoff)
