"""Read side of reach: the outreach worklist per team and wijk, its counts and CSV export.

A child is "not reached" (one item per child, with every reason that applies) when, within the
last BEREIK_LOOKBACK_DAYS:

- `window_closed`: a contact moment's window closed with nothing attended (or marked not needed);
- `no_show`: the family did not come and the follow-up ("call the family") is not done, and
  nothing was booked for the child since;
- `cancelled`: an appointment was cancelled and no new one was made within 14 days;
- `failed`: an invitation or reminder e-mail or text message to the family failed (bounced,
  refused, given up) and none was delivered since;
- `attention`: a professional flagged the family "extra aandacht".

A reason counts from its date (`since`); a case closed after that date (reached, or closed with
a reason) hides it. Query count does not grow with the number of children: one query per
contact moment definition (about 25) and a fixed number for the rest.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Capability
from afspraken.models import Appointment, FollowUp
from bereik.models import AttentionFlag, AttentionReason, OutreachAction, OutreachCase
from contactmomenten import schedule
from contactmomenten.models import ChildMoment
from contactmomenten.selectors import list_active_moments
from contactmomenten.services import child_window
from families import ages
from families.models import Child
from outbox.models import OutgoingEmail
from privacy.models import AccessLog
from privacy.services import record_list_access
from sms.models import OutgoingSms

WINDOW_CLOSED, NO_SHOW, CANCELLED, FAILED, ATTENTION = (
    "window_closed",
    "no_show",
    "cancelled",
    "failed",
    "attention",
)
REASON_LABELS = {
    WINDOW_CLOSED: _("check-up window closed, nothing attended"),
    NO_SHOW: _("did not come, no follow-up yet"),
    CANCELLED: _("cancelled, no new appointment in 14 days"),
    FAILED: _("invitation could not be delivered"),
    ATTENTION: _("extra attention"),
}
INVITATION_KINDS = ("contactmomenten_invitation", "contactmomenten_reminder")
SMS_INVITATION_KINDS = (
    "contactmomenten-invitation",
    "contactmomenten-reminder",
    "bereik-not-reached",
    "bereik-activation-code",
)
DONE_STATES = (ChildMoment.State.ATTENDED, ChildMoment.State.NOT_NEEDED)
LIVE = (Appointment.Status.BOOKED, Appointment.Status.ATTENDED)


@dataclass
class Reason:
    code: str
    since: date
    detail: str = ""

    @property
    def label(self):
        return REASON_LABELS[self.code]


@dataclass
class WorkItem:
    child: Child
    reasons: list[Reason] = field(default_factory=list)
    case: OutreachCase | None = None
    wijk: str = ""
    age: str = ""
    overdue_days: int = 0
    flags: list = field(default_factory=list)

    @property
    def since(self) -> date:
        return min(r.since for r in self.reasons)

    @property
    def pseudonym(self) -> str:
        return pseudonym(self.child)

    @property
    def family_id(self):
        return self.child.family_id

    @property
    def escalated(self) -> bool:
        return bool(self.case and self.case.escalated_at)


@dataclass
class Worklist:
    items: list[WorkItem]
    counts: list[dict]
    total: int


def pseudonym(child: Child) -> str:
    """The id in exports: the DD JGZ key when imported, else a keyed hash of the child's id."""
    imported = getattr(child, "imported", None) if hasattr(child, "imported") else None
    if imported is not None:
        return imported.key
    return "p-" + salted_hmac("bereik.pseudonym", str(child.pk)).hexdigest()[:16]


def _age_group(child: Child, today: date) -> int:
    """Most urgent first: pregnancies and babies, then toddlers, then older children."""
    if child.date_of_birth is None:
        return 0
    months = ages.months_between(child.date_of_birth, today)
    return 0 if months < 12 else 1 if months < 48 else 2


def _scope(qs: QuerySet, *, team_ids, wijk_digits, family: str = "family") -> QuerySet:
    from teams.selectors import in_teams_q

    if team_ids is not None:
        qs = qs.filter(in_teams_q(team_ids, family=family))
    if wijk_digits is not None:
        q = Q(pk__in=[])
        for digits in wijk_digits:
            q |= Q(**{f"{family}__postcode__startswith": digits})
        qs = qs.filter(q)
    return qs


def _in_care(prefix: str = "") -> Q:
    return Q(**{f"{prefix}care_status": Child.CareStatus.ACTIVE})


def _reasons(*, today: date, now: datetime, team_ids, wijk_digits) -> dict:
    """{child id: [Reason]} for every rule, scoped to the teams and wijk."""
    first = today - timedelta(days=settings.BEREIK_LOOKBACK_DAYS)
    found: dict = {}

    def add(child_id, reason: Reason):
        found.setdefault(child_id, []).append(reason)

    # 1. A window closed with nothing attended.
    for moment in list_active_moments():
        definition = moment.as_definition
        opened_first = schedule.birth_range_with_window_open(definition, first)
        opened_last = schedule.birth_range_with_window_open(definition, today - timedelta(days=1))
        low, high = opened_first[0], opened_last[1]
        done = ChildMoment.objects.filter(
            child=OuterRef("pk"), moment=moment, state__in=DONE_STATES
        )
        qs = Child.objects.filter(_in_care()).exclude(Exists(done))
        if definition.is_prenatal:
            qs = qs.filter(date_of_birth__isnull=True, due_date__gte=low, due_date__lte=high)
        else:
            qs = qs.filter(date_of_birth__gte=low, date_of_birth__lte=high)
        qs = _scope(qs, team_ids=team_ids, wijk_digits=wijk_digits)
        for child in qs.only("id", "family_id", "date_of_birth", "due_date"):
            window = child_window(child, moment)
            if window is not None and first <= window.closes < today:
                add(child.pk, Reason(WINDOW_CLOSED, window.closes + timedelta(days=1), moment.name))
    # 2. No-show without a follow-up done, nothing booked since.
    later = Appointment.objects.filter(
        child_id=OuterRef("child_id"), status__in=LIVE, created_at__gt=OuterRef("starts_at")
    )
    done = FollowUp.objects.filter(appointment=OuterRef("pk"), done_at__isnull=False)
    no_shows = (
        Appointment.objects.filter(
            status=Appointment.Status.NO_SHOW,
            child__isnull=False,
            starts_at__date__gte=first,
            starts_at__lte=now,
        )
        .filter(_in_care("child__"))
        .exclude(Exists(done))
        .exclude(Exists(later))
    )
    no_shows = _scope(no_shows, team_ids=team_ids, wijk_digits=wijk_digits)
    for child_id, starts_at in no_shows.values_list("child_id", "starts_at"):
        add(child_id, Reason(NO_SHOW, timezone.localtime(starts_at).date()))
    # 3. Cancelled without a new appointment within 14 days (or since).
    cancelled_at = Coalesce("changed_at", "created_at")
    cut = now - timedelta(days=settings.BEREIK_CANCELLED_GRACE_DAYS)
    cancelled = (
        Appointment.objects.annotate(cancelled_at=cancelled_at)
        .filter(
            status__in=Appointment.CANCELLED_STATUSES,
            child__isnull=False,
            cancelled_at__date__gte=first,
            cancelled_at__lte=cut,
        )
        .filter(_in_care("child__"))
        .exclude(
            Exists(
                Appointment.objects.filter(
                    child_id=OuterRef("child_id"),
                    status__in=(*LIVE, Appointment.Status.NO_SHOW),
                    created_at__gte=OuterRef("cancelled_at"),
                )
            )
        )
    )
    cancelled = _scope(cancelled, team_ids=team_ids, wijk_digits=wijk_digits)
    grace = timedelta(days=settings.BEREIK_CANCELLED_GRACE_DAYS)
    for child_id, at in cancelled.values_list("child_id", "cancelled_at"):
        add(child_id, Reason(CANCELLED, timezone.localtime(at + grace).date()))
    # 4 and 5 are about the family: they go on its youngest child in care.
    family_reasons: dict = {}
    failed = OutgoingEmail.objects.filter(
        status=OutgoingEmail.Status.FAILED,
        kind__in=INVITATION_KINDS,
        created_at__date__gte=first,
    )
    delivered_later = OutgoingEmail.objects.filter(
        to__iexact=OuterRef("to"),
        status=OutgoingEmail.Status.SENT,
        kind__in=INVITATION_KINDS,
        created_at__gt=OuterRef("created_at"),
    )
    failed = failed.exclude(Exists(delivered_later))
    parents = User.objects.filter(
        role=User.Role.PARENT, family__isnull=False, email__iexact=OuterRef("to")
    )
    rows = failed.annotate(family_id=Subquery(parents.values("family_id")[:1])).filter(
        family_id__isnull=False
    )
    for family_id, at in rows.values_list("family_id", "created_at"):
        family_reasons.setdefault(family_id, []).append(
            Reason(FAILED, timezone.localtime(at).date())
        )
    # The same for text messages, which name their family.
    texted_later = OutgoingSms.objects.filter(
        family_id=OuterRef("family_id"),
        status=OutgoingSms.Status.SENT,
        kind__in=SMS_INVITATION_KINDS,
        created_at__gt=OuterRef("created_at"),
    )
    failed_texts = _scope(
        OutgoingSms.objects.filter(
            status=OutgoingSms.Status.FAILED,
            kind__in=SMS_INVITATION_KINDS,
            family__isnull=False,
            created_at__date__gte=first,
        ).exclude(Exists(texted_later)),
        team_ids=team_ids,
        wijk_digits=wijk_digits,
    )
    for family_id, at in failed_texts.values_list("family_id", "created_at"):
        family_reasons.setdefault(family_id, []).append(
            Reason(FAILED, timezone.localtime(at).date(), str(_("text message")))
        )
    flags = AttentionFlag.objects.filter(removed_at__isnull=True).select_related("reason")
    flags = _scope(flags, team_ids=team_ids, wijk_digits=wijk_digits)
    for flag in flags:
        family_reasons.setdefault(flag.family_id, []).append(
            Reason(ATTENTION, timezone.localtime(flag.set_at).date(), flag.reason.name)
        )
    if family_reasons:
        youngest = _scope(
            Child.objects.filter(_in_care(), family_id__in=list(family_reasons)),
            team_ids=team_ids,
            wijk_digits=wijk_digits,
        ).order_by("family_id", "-date_of_birth", "-due_date")
        seen = set()
        for child_id, family_id in youngest.values_list("id", "family_id"):
            if family_id not in seen:
                seen.add(family_id)
                for reason in family_reasons[family_id]:
                    add(child_id, reason)
    return found


def _wijk_names() -> dict[str, str]:
    from teams.models import PostcodeArea

    return dict(PostcodeArea.objects.values_list("digits", "wijk__name"))


def list_worklist(
    *,
    actor: User,
    team_ids=None,
    wijk_id=None,
    today: date | None = None,
    limit: int = 200,
    log: bool = True,
) -> Worklist:
    """The outreach worklist of `actor`'s teams (or `team_ids`, a subset of them), optionally
    one wijk: most urgent first (youngest children, then longest overdue). Writes one access-
    log row per child shown."""
    from teams.models import PostcodeArea
    from teams.selectors import team_ids_of

    if not actor.has_capability(Capability.PLANNING):
        raise Http404
    now = timezone.now()
    today = today or timezone.localdate()
    own = team_ids_of(actor)
    teams = own if team_ids is None else frozenset(team_ids) & own
    wijk_digits = None
    if wijk_id:
        wijk_digits = list(
            PostcodeArea.objects.filter(wijk_id=wijk_id).values_list("digits", flat=True)
        )
    found = _reasons(today=today, now=now, team_ids=teams, wijk_digits=wijk_digits)
    cases = {}
    closed_last = {}
    for case in OutreachCase.objects.filter(child_id__in=list(found)).select_related(
        "escalated_to"
    ):
        if case.closed_at is None:
            cases[case.child_id] = case
        elif case.child_id not in closed_last or case.closed_at > closed_last[case.child_id]:
            closed_last[case.child_id] = case.closed_at
    children = {
        c.pk: c
        for c in Child.objects.filter(pk__in=list(found)).select_related(
            "family", "family__contact", "imported"
        )
    }
    wijken = _wijk_names()
    items = []
    for child_id, reasons in found.items():
        child = children.get(child_id)
        if child is None:
            continue
        closed = closed_last.get(child_id)
        if closed is not None:
            reasons = [r for r in reasons if r.since > timezone.localtime(closed).date()]
        if not reasons:
            continue
        item = WorkItem(child=child, reasons=sorted(reasons, key=lambda r: r.since))
        item.case = cases.get(child_id)
        item.wijk = wijken.get(child.family.postcode[:4], "")
        item.age = ages.describe(child.date_of_birth, child.due_date, today)
        item.overdue_days = (today - item.since).days
        items.append(item)
    items.sort(key=lambda i: (_age_group(i.child, today), -i.overdue_days, str(i.child.pk)))
    counts = _counts(items, wijken=wijken, team_ids=teams, wijk_digits=wijk_digits, today=today)
    shown = items[:limit]
    flags: dict = {}
    for flag in AttentionFlag.objects.filter(
        family_id__in={i.child.family_id for i in shown}, removed_at__isnull=True
    ).select_related("reason"):
        flags.setdefault(flag.family_id, []).append(flag)
    for item in shown:
        item.flags = flags.get(item.child.family_id, [])
    if log:
        log_children(actor=actor, children=[i.child for i in shown], reason="outreach worklist")
    return Worklist(items=shown, counts=counts, total=len(items))


def _counts(items, *, wijken, team_ids, wijk_digits, today) -> list[dict]:
    """Per wijk: open items, and children reached this month."""
    month_start = timezone.make_aware(datetime.combine(today.replace(day=1), datetime.min.time()))
    per: dict[str, dict] = {}
    for item in items:
        per.setdefault(item.wijk, {"wijk": item.wijk, "open": 0, "reached": 0})["open"] += 1
    reached = OutreachCase.objects.filter(
        closing=OutreachCase.Closing.REACHED, closed_at__gte=month_start
    )
    reached = _scope(reached, team_ids=team_ids, wijk_digits=wijk_digits, family="child__family")
    for postcode in reached.values_list("child__family__postcode", flat=True):
        wijk = wijken.get(postcode[:4], "")
        per.setdefault(wijk, {"wijk": wijk, "open": 0, "reached": 0})["reached"] += 1
    return sorted(per.values(), key=lambda c: (c["wijk"] == "", c["wijk"]))


def log_children(
    *, actor: User, children: list[Child], reason: str, action: str = AccessLog.Action.VIEW
) -> None:
    """The access log's list path: one row per child shown, in one INSERT."""
    for child in children:
        child.child_id = child.pk  # what record_list_access reads of each record
    record_list_access(actor=actor, records=children, reason=reason, action=action)


def list_attention_reasons() -> QuerySet[AttentionReason]:
    return AttentionReason.objects.filter(is_active=True)


def get_case_history(*, child_id) -> list[OutreachAction]:
    return list(
        OutreachAction.objects.filter(case__child_id=child_id)
        .select_related("by")
        .order_by("-at")[:20]
    )


def find_merge_families(*, email: str, key: str) -> tuple:
    """(family the parent made online, imported family with this child key); None if unknown.
    No data is shown before `services.plan_merge`, which checks the team and logs."""
    from bereik.models import ImportedChild

    parent = User.objects.filter(email__iexact=email.strip(), role=User.Role.PARENT).first()
    imported = ImportedChild.objects.filter(key=key.strip()).select_related("child").first()
    return (
        parent.family_id if parent else None,
        imported.child.family_id if imported else None,
    )
