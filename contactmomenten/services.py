"""Write side of the contact schedule: planning links, invitations and reminders, answers,
what was agreed, outreach by staff, message preferences and the end of care.

Exactly once (STYLE.md §5/§6): an invitation or reminder is a `MomentMessage` row, unique per
child moment and kind, written together with its outbox e-mails while the `ChildMoment` row
is locked. Two scans at once: the second waits for the lock, then finds the row.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Capability
from afspraken.exceptions import MomentNotPlannable
from afspraken.hooks import YouthContact
from afspraken.models import Appointment
from contactmomenten import schedule, youth
from contactmomenten.exceptions import MomentError
from contactmomenten.models import (
    ChildMoment,
    ContactMoment,
    ContactMomentVersion,
    FamilyPreferences,
    MomentMessage,
    PreConsultAnswer,
    VisitNote,
)
from families.models import Child
from nieuwsbrieven import services as newsletters
from outbox.services import queue_email, withdraw
from privacy.models import AccessLog
from privacy.services import record_access
from sms.selectors import get_channels
from sms.services import queue_templated
from sms.services import withdraw as withdraw_sms
from teams.selectors import family_has_evening_call_back

logger = logging.getLogger(__name__)


# --- Definitions (managers) -----------------------------------------------------------------------


def snapshot(moment: ContactMoment) -> dict:
    content = {f: getattr(moment, f) for f in ("code", "name", *ContactMoment.VERSIONED_FIELDS)}
    content["appointment_types"] = sorted(
        str(pk) for pk in moment.appointment_types.values_list("pk", flat=True)
    )
    content["questions"] = list(
        moment.questions.filter(is_active=True).values_list("text", flat=True)
    )
    return content


@transaction.atomic
def record_definition_change(*, moment_id, before: dict, actor: User | None) -> ContactMoment:
    """After a manager saved a definition: if what matters changed, raise the version and keep
    the old content. Children's rows keep the window they had (see models.ChildMoment), so a
    change reaches only moments that have not happened yet."""
    moment = ContactMoment.objects.select_for_update().get(pk=moment_id)
    after = snapshot(moment)
    if {k: v for k, v in after.items() if k != "name"} == {
        k: v for k, v in before.items() if k != "name"
    }:
        return moment
    ContactMomentVersion.objects.get_or_create(
        moment=moment,
        version=moment.version,
        defaults={"content": before, "replaced_by": actor},
    )
    moment.version += 1
    moment.changed_at = timezone.now()
    moment.save(update_fields=["version", "changed_at"])
    return moment


# --- Windows ----------


def child_window(child: Child, moment: ContactMoment, row: ChildMoment | None = None):
    """The row's stored window (what applied then), else the current definition's."""
    if row is not None:
        return schedule.Window(
            code=moment.code,
            target=row.window_opens,
            opens=row.window_opens,
            closes=row.window_closes,
        )
    return schedule.window_for(moment.as_definition, born=child.date_of_birth, due=child.due_date)


def _get_or_create_row(*, child: Child, moment: ContactMoment, state: str) -> ChildMoment | None:
    """The child's row for this moment, locked; created (with the current window) if absent."""
    row = ChildMoment.objects.select_for_update().filter(child=child, moment=moment).first()
    if row is not None:
        return row
    window = child_window(child, moment)
    if window is None:
        return None
    try:
        with transaction.atomic():
            ChildMoment.objects.create(
                child=child,
                moment=moment,
                version=moment.version,
                window_opens=window.opens,
                window_closes=window.closes,
                state=state,
            )
    except IntegrityError:
        pass  # a concurrent request made it: lock theirs below
    return ChildMoment.objects.select_for_update().get(child=child, moment=moment)


# --- The link with bookings (registered in afspraken.hooks) -------------------------------------


class MomentLink:
    """What afspraken calls inside its booking transaction; see afspraken/hooks.py."""

    def plan(
        self, *, appointment: Appointment, code: str, youth_contact: YouthContact | None = None
    ) -> ChildMoment:
        child = Child.objects.select_for_update().filter(pk=appointment.child_id).first()
        moment = (
            ContactMoment.objects.filter(code=code, is_active=True)
            .prefetch_related("appointment_types")
            .first()
        )
        if child is None or moment is None or not child.in_care:
            raise MomentNotPlannable
        if appointment.appointment_type_id not in {t.pk for t in moment.appointment_types.all()}:
            raise MomentNotPlannable
        by_staff = appointment.booked_by is not None and appointment.booked_by.is_jgz_staff
        if not by_staff and (moment.arranged_by_jgz or youth.arranged_with_youth(child, moment)):
            raise MomentNotPlannable
        row = _get_or_create_row(child=child, moment=moment, state=ChildMoment.State.PLANNED)
        if row is None:
            raise MomentNotPlannable
        if (
            row.state in ChildMoment.DONE_OR_PLANNED
            and row.appointments.filter(
                status__in=[Appointment.Status.BOOKED, Appointment.Status.ATTENDED]
            )
            .exclude(pk=appointment.pk)
            .exists()
        ):
            raise MomentNotPlannable
        if row.state in (ChildMoment.State.ATTENDED, ChildMoment.State.NOT_NEEDED):
            raise MomentNotPlannable
        day = timezone.localtime(appointment.starts_at).date()
        if not row.window_opens <= day <= row.window_closes:
            raise MomentNotPlannable
        _set_state(row, ChildMoment.State.PLANNED)
        if youth_contact is not None and youth.arranged_with_youth(child, moment):
            row.youth_email, row.youth_phone = youth_contact.email, youth_contact.phone
            row.save(update_fields=["youth_email", "youth_phone"])
        if by_staff:
            # "Afspraak gemaakt voor ouder": the planning list shows who arranged it.
            row.outreach = ChildMoment.Outreach.BOOKED_FOR_PARENT
            row.outreach_at, row.outreach_by = timezone.now(), appointment.booked_by
            row.save(update_fields=["outreach", "outreach_at", "outreach_by"])
        return row

    def youth_contact(self, *, appointment: Appointment) -> YouthContact | None:
        """From 16 the moment's confirmation and reminders are the youth's (WGBO): to the
        address and number the professional noted, never to the parents."""
        row = appointment.contact_moment
        if row is None or not youth.arranged_with_youth(appointment.child, row.moment):
            return None
        return YouthContact(email=row.youth_email, phone=row.youth_phone)

    def questions_url(self, *, appointment: Appointment) -> str:
        row = appointment.contact_moment
        if row is None or youth.arranged_with_youth(appointment.child, row.moment):
            return ""  # from 16 the questions are for the youth, not the parent
        if not row.moment.questions.filter(is_active=True).exists():
            return ""
        return moment_url(appointment.child, row.moment)

    def choices(self) -> list[tuple[str, str]]:
        return [
            (m.code, m.name)
            for m in ContactMoment.objects.filter(is_active=True).order_by(
                "target_unit", "target_value", "target_plus_days"
            )
        ]

    def window(self, *, child: Child, code: str) -> tuple[date, date] | None:
        moment = ContactMoment.objects.filter(code=code, is_active=True).first()
        if moment is None:
            return None
        row = ChildMoment.objects.filter(child=child, moment=moment).first()
        window = child_window(child, moment, row)
        return (window.opens, window.closes) if window else None

    def changed(self, *, appointment: Appointment) -> None:
        row = (
            ChildMoment.objects.select_for_update().filter(pk=appointment.contact_moment_id).first()
        )
        if row is None:
            return
        state = {
            Appointment.Status.ATTENDED: ChildMoment.State.ATTENDED,
            Appointment.Status.NO_SHOW: ChildMoment.State.MISSED,
            Appointment.Status.CANCELLED: ChildMoment.State.CANCELLED,
            Appointment.Status.CANCELLED_BY_JGZ: ChildMoment.State.CANCELLED,
        }.get(appointment.status)
        if state is not None:
            _set_state(row, state)


def _set_state(row: ChildMoment, state: str) -> None:
    if row.state != state:
        row.state, row.state_changed_at = state, timezone.now()
        row.save(update_fields=["state", "state_changed_at"])


# --- Invitations and reminders ----------


@dataclass(frozen=True)
class Due:
    child_id: object
    moment_id: int
    kind: str


def invitation_time(window: schedule.Window) -> datetime:
    return schedule.due_at(window.opens, settings.CONTACTMOMENTEN_SEND_TIME)


def reminder_time(window: schedule.Window) -> datetime | None:
    day = schedule.reminder_day(window, settings.CONTACTMOMENTEN_REMINDER_DAYS_BEFORE_CLOSE)
    return None if day is None else schedule.due_at(day, settings.CONTACTMOMENTEN_SEND_TIME)


def is_message_due(window: schedule.Window, kind: str, now: datetime) -> bool:
    today = timezone.localtime(now).date()
    if today > window.closes:
        return False
    if kind == MomentMessage.Kind.INVITATION:
        return now >= invitation_time(window)
    at = reminder_time(window)
    return at is not None and now >= at


def send_due_messages(*, now: datetime | None = None) -> int:
    """The periodic scan: invitations when a window opens, one reminder before it closes.

    Per definition one range query over the children (index on date of birth), one for their
    rows and one for free places; each due message is then claimed under a row lock.
    """
    from contactmomenten import selectors

    now = now or timezone.now()
    sent = 0
    for due in selectors.list_due_messages(now=now):
        sent += send_moment_message(
            child_id=due.child_id, moment_id=due.moment_id, kind=due.kind, now=now
        )
    return sent


def send_moment_message(*, child_id, moment_id, kind: str, now: datetime | None = None) -> int:
    """Send one invitation or reminder if still due; returns the number of e-mails queued.

    Everything is checked again under the row lock: planned meanwhile, opted out, care ended,
    already sent (the unique constraint is the last guard).
    """
    from contactmomenten import selectors

    now = now or timezone.now()
    try:
        with transaction.atomic():
            child = Child.objects.select_related("family").filter(pk=child_id).first()
            moment = ContactMoment.objects.filter(pk=moment_id, is_active=True).first()
            if child is None or moment is None or not selectors.may_message(child, moment):
                return 0
            row = ChildMoment.objects.select_for_update().filter(child=child, moment=moment).first()
            if kind == MomentMessage.Kind.REMINDER and row is None:
                return 0  # a reminder follows an invitation, never stands alone
            window = child_window(child, moment, row)
            if window is None or not is_message_due(window, kind, now):
                return 0
            if row is not None and row.state != ChildMoment.State.INVITED:
                return 0  # planned, done, missed or cancelled: no invitation or reminder
            if row is None:
                row = _get_or_create_row(
                    child=child, moment=moment, state=ChildMoment.State.INVITED
                )
            if MomentMessage.objects.filter(child_moment=row, kind=kind).exists():
                return 0
            count = _queue_moment_mail(
                child=child, moment=moment, window=window, kind=kind, row=row
            )
            MomentMessage.objects.create(child_moment=row, kind=kind, sent_at=now, recipients=count)
            return count
    except IntegrityError:
        return 0  # another scan wrote it between our check and insert


def _recipients(family_id) -> list[str]:
    return list(
        User.objects.filter(family_id=family_id, role=User.Role.PARENT, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def moment_url(child: Child, moment: ContactMoment) -> str:
    return settings.SITE_URL + reverse(
        "contactmomenten:moment", kwargs={"child_id": child.pk, "code": moment.code}
    )


def _queue_moment_mail(*, child, moment, window, kind: str, row: ChildMoment) -> int:
    """E-mail to each parent, and/or one SMS to the family's number, as the family chose (SMS
    without any e-mail address). The SMS names no moment: some are vaccinations. The outbox
    rows are linked to `row` so the end of care can withdraw them. Returns the number of
    messages queued."""
    emails = _recipients(child.family_id)
    channels = get_channels(family=child.family, has_email=bool(emails))
    texts = []
    if channels.sms_to:
        sms = queue_templated(
            to=channels.sms_to,
            template=f"contactmomenten_{kind}",
            context={
                "child_name": child.first_name,
                "closes": window.closes,
                "link": moment_url(child, moment) if emails else "",
            },
            kind=f"contactmomenten-{kind}",
            family=child.family,
        )
        texts = [sms] if sms is not None else []
    if not channels.email:
        emails = []
    queued = [
        queue_email(
            to=address,
            template=f"contactmomenten/{kind}",
            context={
                "child_name": child.first_name,
                "moment_name": moment.name,
                "closes": window.closes,
                "link": moment_url(child, moment),
            },
            kind=f"contactmomenten_{kind}",
        )
        for address in emails
    ]
    if queued:
        row.emails.add(*queued)
    if texts:
        row.texts.add(*texts)
    return len(queued) + len(texts)


def withdraw_queued_messages(*, child_id) -> int:
    """Invitations and reminders about the child still waiting in the outbox never go out
    (kept there as failed with the reason), appointment reminders included. Returns how many
    were stopped."""
    from afspraken.models import Reminder

    reason = "Not sent: care for this child ended."
    appointment_reminders = Reminder.objects.filter(
        appointment__child_id=child_id, email__isnull=False
    ).values_list("email_id", flat=True)
    email_ids = ChildMoment.emails.through.objects.filter(
        childmoment__child_id=child_id
    ).values_list("outgoingemail_id", flat=True)
    sms_ids = ChildMoment.texts.through.objects.filter(childmoment__child_id=child_id).values_list(
        "outgoingsms_id", flat=True
    )
    return withdraw(email_ids=[*email_ids, *appointment_reminders], reason=reason) + withdraw_sms(
        sms_ids=sms_ids, reason=reason
    )


# --- Parents ----------


@transaction.atomic
def save_answers(*, parent: User, child_moment_id, answers: dict) -> ChildMoment:
    """The parent's answers to the pre-consult questions ({question id: text}); empty = none.

    Only while the moment is planned and before the visit starts.
    """
    row = (
        ChildMoment.objects.select_for_update()
        .select_related("moment", "child")
        .filter(pk=child_moment_id, child__family_id=parent.family_id)
        .first()
    )
    if row is None or row.state != ChildMoment.State.PLANNED:
        raise MomentError("state")
    if youth.arranged_with_youth(row.child, row.moment):
        raise MomentError("youth")  # from 16 the questions are the youth's, not the parent's
    questions = {q.pk: q for q in row.moment.questions.filter(is_active=True)}
    for question_id, text in answers.items():
        question = questions.get(question_id)
        if question is None:
            continue
        text = (text or "").replace("\x00", "").strip()[:500]
        if not text:
            PreConsultAnswer.objects.filter(child_moment=row, question=question).delete()
            continue
        PreConsultAnswer.objects.update_or_create(
            child_moment=row,
            question=question,
            defaults={
                "question_text": question.text,
                "position": question.position,
                "answer": text,
                "answered_at": timezone.now(),
            },
        )
    return row


@transaction.atomic
def request_callback(
    *, parent: User, child_id, code: str, phone: str, part_of_day: str = ""
) -> ChildMoment:
    """ "Bel me terug" for a moment the JGZ arranges (home visit, school): parents cannot book
    it themselves, so they leave a number and the planning list shows the request.

    Only for the parent's own child in care, a moment whose window has not closed, that is not
    planned or done, and that is not arranged with the youth themselves (16+).
    """
    child = (
        Child.objects.select_for_update().filter(pk=child_id, family_id=parent.family_id).first()
    )
    moment = ContactMoment.objects.filter(code=code, is_active=True).first()
    if child is None or not parent.family_id or moment is None or not child.in_care:
        raise MomentError("not_found")
    if not moment.arranged_by_jgz or youth.arranged_with_youth(child, moment):
        raise MomentError("self_booked")
    window = child_window(child, moment)
    if window is None or window.closes < timezone.localdate():
        raise MomentError("closed")
    if part_of_day not in ("", *ChildMoment.PartOfDay.values):
        raise MomentError("part_of_day")
    if part_of_day == ChildMoment.PartOfDay.EVENING and not family_has_evening_call_back(
        family_id=child.family_id
    ):
        raise MomentError("part_of_day")  # nobody in the family's team works in the evening
    row = _get_or_create_row(child=child, moment=moment, state=ChildMoment.State.INVITED)
    if row is None or row.state in ChildMoment.DONE_OR_PLANNED:
        raise MomentError("state")
    row.callback_requested_at = timezone.now()
    row.callback_phone = phone.strip()[:30]
    row.callback_part_of_day = part_of_day
    row.save(update_fields=["callback_requested_at", "callback_phone", "callback_part_of_day"])
    return row


@transaction.atomic
def set_preferences(
    *, parent: User, invitations: bool, channel: dict | None = None
) -> FamilyPreferences:
    """Save which messages the family gets; `channel` (channel, phone, quiet_from,
    quiet_until) also saves how they come (`families.services.set_message_channel`)."""
    from families.services import set_message_channel

    if not parent.family_id:
        raise MomentError("no_family")
    prefs, _ = FamilyPreferences.objects.update_or_create(
        family_id=parent.family_id,
        defaults={"invitations": invitations, "changed_at": timezone.now()},
    )
    if channel is not None:
        set_message_channel(family=parent.family, **channel)
    return prefs


def plan_sibling_after(*, parent: User, appointment_id, child_id, code: str) -> Appointment:
    """Book a brother's or sister's same moment in the place right after this appointment
    (twins back to back). The booking itself is afspraken' own, with the moment's checks."""
    from afspraken import services as booking
    from afspraken.exceptions import SlotUnavailable
    from afspraken.selectors import get_free_slot_right_after

    first = (
        Appointment.objects.select_related("slot")
        .filter(pk=appointment_id, family_id=parent.family_id, status=Appointment.Status.BOOKED)
        .first()
    )
    if first is None:
        raise MomentError("not_found")
    slot = get_free_slot_right_after(appointment=first)
    if slot is None:
        raise SlotUnavailable
    return booking.book_appointment(
        slot_id=slot.pk,
        appointment_type_id=first.appointment_type_id,
        parent=parent,
        child_id=child_id,
        moment_code=code,
    )


# --- Staff ----------


@transaction.atomic
def write_note(
    *,
    actor: User,
    appointment_id,
    text: str,
    follow_up: str = "",
    follow_up_text: str = "",
    follow_up_link: str = "",
) -> VisitNote:
    """'Wat we hebben afgesproken' after the visit. The parent gets an e-mail with a link only."""
    if not actor.has_capability(Capability.CLINICAL):
        raise MomentError("forbidden")
    appointment = (
        Appointment.objects.select_related("child", "contact_moment__moment")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None or appointment.contact_moment is None:
        raise MomentError("no_moment")
    if appointment.status != Appointment.Status.ATTENDED:
        raise MomentError("not_attended")
    row = ChildMoment.objects.select_for_update().get(pk=appointment.contact_moment_id)
    note, created = VisitNote.objects.update_or_create(
        child_moment=row,
        defaults={
            "text": text.strip()[:2000],
            "follow_up": follow_up,
            "follow_up_text": follow_up_text.strip()[:300],
            "follow_up_link": follow_up_link.strip(),
            "written_by": actor,
            "written_at": timezone.now(),
        },
    )
    record_access(
        actor=actor,
        action=AccessLog.Action.CREATE if created else AccessLog.Action.CHANGE,
        record_type=note,
        record_ids=[note.pk],
        child_ids=[appointment.child_id],
        family_ids=[appointment.family_id],
        reason="what we agreed",
    )
    # From 16 what was agreed belongs to the youth: no e-mail to the parent.
    if created and not youth.arranged_with_youth(appointment.child, row.moment):
        for address in _recipients(appointment.family_id):
            queue_email(
                to=address,
                template="contactmomenten/note",
                context={
                    "child_name": appointment.child.first_name,
                    "link": moment_url(appointment.child, row.moment),
                },
                kind="contactmomenten_note",
            )
    return note


OUTREACH_ACTIONS = tuple(ChildMoment.Outreach.values)


@transaction.atomic
def record_outreach(*, actor: User, child_id, code: str, action: str) -> ChildMoment:
    """A planning-list action: called, not reachable, invitation sent again, booked for parent."""
    if not actor.has_capability(Capability.PLANNING) or action not in OUTREACH_ACTIONS:
        raise MomentError("forbidden")
    child = Child.objects.select_related("family").filter(pk=child_id).first()
    moment = ContactMoment.objects.filter(code=code, is_active=True).first()
    if child is None or moment is None or not child.in_care:
        raise MomentError("not_found")
    row = _get_or_create_row(child=child, moment=moment, state=ChildMoment.State.INVITED)
    if row is None:
        raise MomentError("not_found")
    now = timezone.now()
    row.outreach, row.outreach_at, row.outreach_by = action, now, actor
    row.save(update_fields=["outreach", "outreach_at", "outreach_by"])
    if action == ChildMoment.Outreach.INVITED_AGAIN:
        window = child_window(child, moment, row)
        _queue_moment_mail(
            child=child, moment=moment, window=window, kind=MomentMessage.Kind.INVITATION, row=row
        )
    record_access(
        actor=actor,
        action=AccessLog.Action.CHANGE,
        record_type=row,
        record_ids=[row.pk],
        child_ids=[child.pk],
        family_ids=[child.family_id],
        reason=f"outreach {action}",
    )
    return row


@transaction.atomic
def end_care(*, actor: User, child_id, status: str) -> Child:
    """Died, pregnancy ended, moved out: every message about this child stops at once.

    Scans (invitations, reminders, newsletters, milestones) select only children in care, and
    each send checks again under its lock, so nothing queued after this commit goes out.
    Newsletter deliveries and milestone mails already fanned out but not yet sent are
    stopped here too.
    `actor` is None for the population import.
    """
    if status not in Child.CareStatus.values:
        raise MomentError("forbidden")
    # actor None: the population import (bereik), a system process with its own import record.
    if actor is not None and not actor.has_capability(Capability.PLANNING):
        raise MomentError("forbidden")
    child = Child.objects.select_for_update().filter(pk=child_id).first()
    if child is None:
        raise MomentError("not_found")
    child.care_status = status
    child.care_ended_at = None if status == Child.CareStatus.ACTIVE else timezone.now()
    child.save(update_fields=["care_status", "care_ended_at"])
    if not child.in_care:
        newsletters.stop_for_child(child_id=child.pk)
        withdraw_queued_messages(child_id=child.pk)
    record_access(
        actor=actor,
        action=AccessLog.Action.CHANGE,
        record_type=child,
        record_ids=[child.pk],
        child_ids=[child.pk],
        family_ids=[child.family_id],
        reason=f"care status {status}",
    )
    return child


@transaction.atomic
def record_attended_elsewhere(*, child_id, codes) -> int:
    """Moments the DD JGZ says were attended (the population import, by stable code).
    Idempotent: a row already attended is left alone; a moment that is not this child's (no
    window for its dates) is skipped. Returns how many rows changed."""
    child = Child.objects.select_for_update().filter(pk=child_id).first()
    if child is None:
        return 0
    changed = 0
    for moment in ContactMoment.objects.filter(code__in=list(codes)):
        row = _get_or_create_row(child=child, moment=moment, state=ChildMoment.State.ATTENDED)
        if row is not None and row.state != ChildMoment.State.ATTENDED:
            _set_state(row, ChildMoment.State.ATTENDED)
            changed += 1
    return changed


def first_free_day(window, free_days: set[date], today: date) -> date | None:
    start = max(window.opens, today + timedelta(days=0))
    days = sorted(d for d in free_days if start <= d <= window.closes)
    return days[0] if days else None
