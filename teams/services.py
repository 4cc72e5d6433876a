from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Capability
from families.models import Family
from privacy.models import AccessLog
from privacy.services import record_access
from teams.models import FamilyTeam, OutOfTeamAccess
from teams.selectors import family_team_id


@transaction.atomic
def open_family_outside_team(*, actor: User, family_id, reason: str) -> OutOfTeamAccess:
    """'Break the glass': let `actor` read another team's family for a while, for `reason`.

    The reason goes into the access log with the family, so the privacy officer sees who
    opened which family outside their team and why.
    """
    if not actor.has_capability(Capability.CLINICAL):
        raise PermissionDenied
    family = Family.objects.get(pk=family_id)
    now = timezone.now()
    access = OutOfTeamAccess.objects.create(
        actor=actor,
        family=family,
        reason=reason.strip()[:255],
        created_at=now,
        expires_at=now + timedelta(minutes=settings.TEAMS_OUT_OF_TEAM_ACCESS_MINUTES),
    )
    record_access(
        actor=actor,
        action=AccessLog.Action.VIEW,
        record_type=family,
        record_ids=[family.pk],
        family_ids=[family.pk],
        child_ids=family.children.values_list("pk", flat=True),
        reason=f"outside own team: {access.reason}",
    )
    return access


def refresh_family_teams(*, family_ids=None) -> int:
    """Store each family's team as `selectors.family_team_id` derives it now (all families
    when `family_ids` is None). Writes only what changed; returns how many families changed.
    Idempotent."""
    now = timezone.now()
    families = Family.objects.all()
    if family_ids is not None:
        families = families.filter(pk__in=list(family_ids))
    live = dict(families.annotate(team_id=family_team_id(now=now)).values_list("pk", "team_id"))
    stored_rows = FamilyTeam.objects.all()
    if family_ids is not None:
        stored_rows = stored_rows.filter(family_id__in=list(live))
    stored = dict(stored_rows.values_list("family_id", "team_id"))
    changed = [pk for pk, team_id in live.items() if stored.get(pk) != team_id]
    gone = [pk for pk in changed if live[pk] is None]
    FamilyTeam.objects.filter(family_id__in=gone).delete()
    FamilyTeam.objects.bulk_create(
        [
            FamilyTeam(family_id=pk, team_id=live[pk], refreshed_at=now)
            for pk in changed
            if live[pk] is not None
        ],
        update_conflicts=True,
        unique_fields=["family"],
        update_fields=["team", "refreshed_at"],
        batch_size=2000,
    )
    return len(changed)


def refresh_recently_started(*, now=None, hours: int = 2) -> int:
    """Families whose appointment has just started: their "next" appointment may now be a
    later one at another team's location. Run hourly (beat)."""
    from afspraken.models import Appointment

    now = now or timezone.now()
    family_ids = set(
        Appointment.objects.filter(
            starts_at__gte=now - timedelta(hours=hours), starts_at__lt=now
        ).values_list("family_id", flat=True)
    )
    return refresh_family_teams(family_ids=family_ids) if family_ids else 0
