"""Which team a family belongs to, and whether a professional may see it. The one place for it.

A family's team is the team of the wijk its postcode lies in; else the team of the location
of its next appointment; else of its last one; else none yet. It is derived in SQL on every
read (`family_team_id`), never stored, so a changed postcode, wijk, location or booking counts
at once. A family without a team yet is shown to every team, flagged.
"""

from datetime import datetime

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, UUIDField
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from accounts.models import User
from afspraken.models import Appointment
from families.models import Family
from teams.exceptions import OutsideTeam
from teams.models import FamilyTeam, OutOfTeamAccess, PostcodeArea, Team, TeamMembership, Wijk


def family_team_id(family: str = "", *, now: datetime | None = None):
    """An expression for the id of the family's team (NULL: no team yet), to annotate any
    query. `family` is the path from the queried model to the family: "" when querying
    families, "family" for questions or appointments."""
    now = now or timezone.now()
    prefix = f"{family}__" if family else ""
    pk = f"{family}_id" if family else "pk"
    by_wijk = PostcodeArea.objects.filter(
        digits=Substr(OuterRef(f"{prefix}postcode"), 1, 4), wijk__team__isnull=False
    ).values("wijk__team_id")[:1]
    at_team_location = Appointment.objects.filter(
        family_id=OuterRef(pk),
        status__in=Appointment.HOLDS_PLACE,
        slot__location__team_locations__isnull=False,
    )
    team = "slot__location__team_locations__team_id"
    next_one = (
        at_team_location.filter(status=Appointment.Status.BOOKED, starts_at__gte=now)
        .order_by("starts_at")
        .values(team)[:1]
    )
    last_one = at_team_location.filter(starts_at__lt=now).order_by("-starts_at").values(team)[:1]
    return Coalesce(
        Subquery(by_wijk), Subquery(next_one), Subquery(last_one), output_field=UUIDField()
    )


def get_team_for_family(*, family_id) -> Team | None:
    team_id = (
        Family.objects.filter(pk=family_id)
        .annotate(team_id=family_team_id())
        .values_list("team_id", flat=True)
        .first()
    )
    return Team.objects.filter(pk=team_id).first() if team_id else None


def has_evening_hours(*, team_id=None) -> bool:
    """Whether someone works after EVENING_FROM, today or later: at one of the team's
    locations or as one of its members (`team_id`), or anywhere (None: a family without a
    team, whose requests every team sees). Only then is an evening call back one the team can
    keep."""
    from afspraken.models import Schedule
    from afspraken.selectors import EVENING_FROM

    today = timezone.localdate()
    schedules = Schedule.objects.filter(location__is_active=True, end_time__gt=EVENING_FROM).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )
    if team_id is not None:
        schedules = schedules.filter(
            Q(location__team_locations__team_id=team_id)
            | Q(professional__team_memberships__team_id=team_id)
        )
    return schedules.exists()


def family_has_evening_call_back(*, family_id) -> bool:
    """May this family ask to be called back in the evening? Only when its own team (by
    postcode or its appointments) has evening hours."""
    team = get_team_for_family(family_id=family_id) if family_id else None
    return has_evening_hours(team_id=team.pk if team else None)


def team_ids_of(user: User) -> frozenset:
    """The teams `user` works in (cached on the user object for the request)."""
    cached = user.__dict__.get("_team_ids")
    if cached is None:
        cached = frozenset(
            TeamMembership.objects.filter(user_id=user.pk).values_list("team_id", flat=True)
        )
        user.__dict__["_team_ids"] = cached
    return cached


def list_teams_of(user: User) -> QuerySet[Team]:
    return Team.objects.filter(pk__in=team_ids_of(user))


def list_teams() -> QuerySet[Team]:
    return Team.objects.all()


def list_wijken() -> QuerySet[Wijk]:
    return Wijk.objects.all()


def in_teams_q(team_ids, *, family: str = "family") -> Q:
    """Rows whose family (`family`: path to it) belongs to one of `team_ids` or to no team
    yet, by the stored copy (`FamilyTeam`): for lists, which show no names or texts."""
    # NOT EXISTS (a team row outside `team_ids`): PostgreSQL keeps walking the queue's index
    # in order and stops at the page, where "IN teams OR no row" made it sort every open row.
    elsewhere = FamilyTeam.objects.filter(family_id=OuterRef(f"{family}_id")).exclude(
        team_id__in=list(team_ids)
    )
    return ~Exists(elsewhere)


def in_teams_joined_q(team_ids, *, family: str = "family") -> Q:
    """`in_teams_q` through the stored team's LEFT JOIN (the one `stored_team_id` makes), for
    a list that shows that team anyway: PostgreSQL tests the joined row of each listed row."""
    # Under an OR (the queue's "or assigned to me") PostgreSQL cannot turn NOT EXISTS into an
    # anti-join and hashes every FamilyTeam row outside the teams instead: ~120 ms a page at
    # 300,000 children. The joined column costs one primary-key probe per row read.
    team = _stored_team_path(family)
    return Q(**{f"{team}__in": list(team_ids)}) | Q(**{f"{team}__isnull": True})


def stored_team_id(family: str = "family") -> F:
    """The stored team of the row's family (None: no team yet), to flag rows in lists."""
    return F(_stored_team_path(family))


def _stored_team_path(family: str) -> str:
    """The lookup path from a row to its family's stored team (`FamilyTeam`), LEFT JOINed."""
    return f"{family}__team_link__team_id"


def has_out_of_team_access(*, actor: User, family_id, now: datetime | None = None) -> bool:
    return OutOfTeamAccess.objects.filter(
        actor=actor, family_id=family_id, expires_at__gt=now or timezone.now()
    ).exists()


def out_of_team_access_q(*, actor: User, family: str = "family") -> Q:
    """Rows of families that `actor` opened with a stated reason that still holds."""
    grants = OutOfTeamAccess.objects.filter(
        actor=actor, family_id=OuterRef(f"{family}_id"), expires_at__gt=timezone.now()
    )
    return Q(Exists(grants))


def check_family_in_scope(*, actor: User, family_id) -> None:
    """Raise OutsideTeam unless the family belongs to one of `actor`'s teams, has no team
    yet, or `actor` stated a reason to open it (`teams.services.open_family_outside_team`)."""
    team = get_team_for_family(family_id=family_id)
    if team is None or team.pk in team_ids_of(actor):
        return
    if has_out_of_team_access(actor=actor, family_id=family_id):
        return
    raise OutsideTeam(family_id=family_id, team_name=team.name)
