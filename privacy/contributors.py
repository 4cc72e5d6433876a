"""The portal's own contributors to the privacy registries (see privacy/registry.py).

Apps that were added later (questions, appointments, newsletters) are read through
`apps.get_model`, so this module works whether or not their models exist yet.
"""

from datetime import date, timedelta

from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from privacy.registry import (
    Section,
    eraser,
    exporter,
    family_data,
    hidden_from_family,
    retention_rule,
)


def _value(value):
    """Plain values for both files of the download; dates stay dates (shown in local time)."""
    if value is None or isinstance(value, (bool, int, float, str, date)):
        return value
    return str(value)


def rows_of(queryset, fields: list[str]) -> list[dict]:
    """Rows of model fields; a field with choices gives its label, never the stored code."""
    model_fields = {name: queryset.model._meta.get_field(name) for name in fields}
    choices = {name: dict(f.flatchoices) for name, f in model_fields.items() if f.choices}
    return [
        {
            name: str(choices[name].get(row[name], row[name]))
            if name in choices
            else _value(row[name])
            for name in fields
        }
        for row in queryset.values(*fields)
    ]


def labels_of(model, fields: list[str]) -> dict:
    return {name: capfirst(model._meta.get_field(name).verbose_name) for name in fields}


# --- accounts -------------------------------------------------------------------------------------
@exporter("accounts")
def export_account(*, user, family):
    from allauth.mfa.models import Authenticator

    account = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": user.phone,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "two_step_verification": Authenticator.objects.filter(user=user).exists(),
    }
    labels = {
        "email": _("E-mail address"),
        "first_name": _("First name"),
        "last_name": _("Last name"),
        "phone": _("Phone number"),
        "date_joined": _("Account created"),
        "last_login": _("Last login"),
        "two_step_verification": _("Two-step verification"),
    }
    return [Section("account", str(_("Your account")), [account], labels=labels)]


# --- families ------------------------------------------------------------------------------------
@exporter("families")
def export_family(*, user, family):
    if family is None:
        return []
    parents = [
        {"name": parent.display_name, "is_you": parent.pk == user.pk}
        for parent in family.parents.order_by("date_joined")
    ]
    child_fields = ["first_name", "date_of_birth", "due_date", "created_at"]
    invitation_fields = ["email", "created_at", "expires_at", "accepted_at"]
    return [
        Section(
            "family",
            str(_("Family")),
            [{"name": family.name, "created_at": family.created_at}],
            labels=labels_of(type(family), ["name", "created_at"]),
        ),
        Section(
            "parents",
            str(_("Parents and carers")),
            parents,
            labels={"name": _("Name"), "is_you": _("This is you")},
        ),
        Section(
            "children",
            str(_("Children")),
            rows_of(family.children.all(), child_fields),
            labels=labels_of(family.children.model, child_fields),
        ),
        Section(
            "invitations",
            str(_("Invitations")),
            rows_of(family.invitations.all(), invitation_fields),
            labels=labels_of(family.invitations.model, invitation_fields),
        ),
    ]


@eraser("families")
def erase_family(*, user, family, family_removed):
    if family is None:
        return {}
    counts = {"invitations": family.invitations.filter(invited_by=user).count()}
    if family_removed:
        counts["children"] = family.children.count()
        family.delete()  # children and invitations cascade
    else:
        family.invitations.filter(invited_by=user).delete()
    return counts


# --- outbox --------------------------------------------------------------------------------------
@exporter("outbox")
def export_emails(*, user, family):
    from outbox.models import OutgoingEmail

    emails = OutgoingEmail.objects.filter(to__iexact=user.email).order_by("created_at")
    fields = ["created_at", "subject", "status", "sent_at"]
    return [
        Section(
            "emails",
            str(_("E-mails we sent you")),
            rows_of(emails, fields),
            labels=labels_of(OutgoingEmail, fields),
        )
    ]


@eraser("outbox")
def erase_emails(*, user, family, family_removed):
    from outbox.models import OutgoingEmail

    deleted, _details = OutgoingEmail.objects.filter(to__iexact=user.email).delete()
    return {"emails": deleted}


# --- privacy -------------------------------------------------------------------------------------
@exporter("privacy")
def export_access_log(*, user, family):
    if family is None:
        return []
    from privacy.selectors import list_access_for_family

    rows = [
        {
            "at": entry.at,
            "role": entry.role_label,
            "action": entry.action_label,
            "what": entry.what_label,
            "children": ", ".join(entry.children),
            "by": entry.actor_label,
        }
        for entry in list_access_for_family(
            family_id=family.pk,
            children=dict(family.children.values_list("pk", "first_name")),
        )
    ]
    labels = {
        "at": _("When"),
        "role": _("Role"),
        "action": _("Action"),
        "what": _("What"),
        "by": _("Who"),
    }
    return [Section("access_log", str(_("Who looked at our data")), rows, labels=labels)]


@retention_rule("access_log")
def old_access_log(*, now):
    from privacy.models import AccessLog
    from privacy.services import access_log_cutoff

    return AccessLog.objects.filter(at__lt=access_log_cutoff(now))


# --- vragen (questions) ---------------------------------------------------------------------------
@exporter("vragen")
def export_questions(*, user, family):
    if family is None or not user.is_parent:
        return []
    from vragen.models import Message
    from vragen.selectors import list_questions_for_parent

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
    from vragen.models import Question

    if not family_removed:
        return {}  # another parent stays: the family's questions stay with the family
    deleted, _details = Question.objects.filter(family=family).delete()
    return {"questions": deleted}


@hidden_from_family("vragen")
def youth_private_questions(*, family_id):
    from privacy.youth import youth_private_questions_q
    from vragen.models import Question

    condition = youth_private_questions_q()
    if condition is None:
        return {}
    ids = Question.objects.filter(condition, family_id=family_id).values_list("pk", flat=True)
    return {"vragen.question": [str(pk) for pk in ids]}


@retention_rule("closed_questions")
def old_closed_questions(*, now):
    from vragen.models import Question

    cutoff = now - timedelta(days=settings.RETENTION_CLOSED_QUESTIONS_DAYS)
    return Question.objects.filter(status=Question.Status.CLOSED, closed_at__lt=cutoff)


# --- afspraken (appointments) ---------------------------------------------------------------------
@exporter("afspraken")
def export_appointments(*, user, family):
    if family is None:
        return []
    from afspraken.models import Appointment

    appointments = (
        Appointment.objects.filter(family=family)
        .select_related("appointment_type", "slot__location", "child")
        .order_by("starts_at")
    )
    rows = [
        {
            "starts_at": a.starts_at,
            "ends_at": a.ends_at,
            "type": a.appointment_type.name,
            "location": a.slot.location.name,
            "child": a.child.first_name if a.child else "",
            "status": str(a.get_status_display()),
            "topics": ", ".join(t.name for t in a.topics.all()),
            "note": a.note,
            "cancel_reason": a.cancel_reason,
        }
        for a in appointments
    ]
    labels = {
        "starts_at": _("Starts at"),
        "ends_at": _("Ends at"),
        "type": _("Kind of appointment"),
        "location": _("Location"),
        "child": _("Child"),
        "status": _("Status"),
        "topics": _("What you want to discuss"),
        "note": _("Note"),
        "cancel_reason": _("Reason for cancelling"),
    }
    return [Section("appointments", str(_("Appointments")), rows, labels=labels)]


@eraser("afspraken")
def erase_appointments(*, user, family, family_removed):
    """Cancel future appointments (frees the places), so the clinic is not waiting for nobody."""
    from django.utils import timezone

    from afspraken import services as afspraken_services
    from afspraken.models import Appointment

    now = timezone.now()
    future = Appointment.objects.filter(status=Appointment.Status.BOOKED, starts_at__gt=now)
    future = future.filter(family=family) if family_removed else future.filter(parent=user)
    cancelled = 0
    for appointment_id in list(future.values_list("pk", flat=True)):
        cancelled += afspraken_services.cancel_for_account_deletion(appointment_id=appointment_id)
    return {"cancelled": cancelled}


@retention_rule("past_appointments")
def old_past_appointments(*, now):
    from afspraken.models import Appointment

    cutoff = now - timedelta(days=settings.RETENTION_PAST_APPOINTMENTS_DAYS)
    return Appointment.objects.filter(ends_at__lt=cutoff)


# --- nieuwsbrieven (newsletters) ------------------------------------------------------------------
@exporter("nieuwsbrieven")
def export_newsletters(*, user, family):
    from nieuwsbrieven.models import Delivery, Subscription

    subscription = Subscription.objects.filter(parent=user).first()
    if subscription is None:
        return []
    deliveries = Delivery.objects.filter(subscription=subscription).select_related("edition")
    return [
        Section(
            "newsletter_subscription",
            str(_("Newsletter")),
            [
                {
                    "email": subscription.email,
                    "status": str(subscription.get_status_display()),
                    "milestones": subscription.milestones,
                    "requested_at": subscription.requested_at,
                    "consented_at": subscription.consented_at,
                    "consent_text": subscription.consent_text,
                    "unsubscribed_at": subscription.unsubscribed_at,
                }
            ],
            labels={
                "email": _("E-mail address"),
                "status": _("Status"),
                "milestones": _("Milestone messages"),
                "requested_at": _("Requested at"),
                "consented_at": _("Consent given at"),
                "consent_text": _("Consent text"),
                "unsubscribed_at": _("Unsubscribed at"),
            },
        ),
        Section(
            "newsletters_sent",
            str(_("Newsletters sent to you")),
            [
                {"title": d.edition.title, "child": d.child_name, "sent_at": d.sent_at}
                for d in deliveries.order_by("sent_at")
            ],
            labels={"title": _("Title"), "child": _("Child"), "sent_at": _("Sent at")},
        ),
    ]


@eraser("nieuwsbrieven")
def erase_newsletters(*, user, family, family_removed):
    from nieuwsbrieven.models import Subscription

    deleted, _details = Subscription.objects.filter(parent=user).delete()  # deliveries cascade
    return {"subscriptions": deleted}


# --- family data shown in the admin ---------------------------------------------------------------
def _families_of_recipients(queryset):
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(email__in=queryset.values("to"), family__isnull=False)
        .values_list("family_id", flat=True)
    )


family_data("families.family", family="pk", child="children__id")
family_data("families.child", family="family_id", child="pk")
family_data("families.invitation", family="family_id")
family_data("accounts.user", family="family_id")
family_data("outbox.outgoingemail", family=_families_of_recipients)
family_data("vragen.question", family="family_id", child="child_id")
family_data("vragen.event", family="question__family_id", child="question__child_id")
family_data("afspraken.appointment", family="family_id", child="child_id")
family_data("afspraken.followup", family="appointment__family_id", child="appointment__child_id")
family_data("afspraken.reminder", family="appointment__family_id", child="appointment__child_id")
family_data("nieuwsbrieven.subscription", family="parent__family_id")
family_data("nieuwsbrieven.delivery", family="subscription__parent__family_id", child="child_id")
family_data("nieuwsbrieven.milestonedelivery", family="child__family_id", child="child_id")
family_data("privacy.youthquestion", family="question__family_id", child="question__child_id")
