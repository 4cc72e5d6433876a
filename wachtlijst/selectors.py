"""Read side of the waiting list, scoped to the actor."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from accounts.models import User
from accounts.roles import Capability
from privacy.services import record_list_access
from wachtlijst.models import Entry, Offer


def list_entries_for_parent(*, parent: User) -> list[Entry]:
    """The family's waiting entries, newest first, each with its open offer (if any)."""
    if not parent.family_id:
        return []
    live = Offer.objects.filter(status__in=Offer.LIVE).select_related("slot__location")
    return list(
        Entry.objects.filter(family_id=parent.family_id, status=Entry.Status.WAITING)
        .select_related("child", "appointment_type", "appointment", "location", "meeting")
        .prefetch_related(Prefetch("offers", queryset=live, to_attr="live_offers"))
        .order_by("-created_at")
    )


def get_offer_by_token(*, token: str, user: User | None = None) -> Offer:
    """The offer behind an e-mail link (the token is the key). A logged-in parent of another
    family, and staff (they have no business with a family's offer), get 404."""
    offer = (
        Offer.objects.select_related(
            "slot__location",
            "entry__appointment_type",
            "entry__appointment__slot__location",
            "entry__child",
            "appointment",
        )
        .filter(token=token)
        .first()
    )
    if offer is None:
        raise Http404
    if user is not None and user.is_authenticated:
        if not user.is_parent or user.family_id != offer.entry.family_id:
            raise Http404
    return offer


def offer_counts(
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    team_ids=None,
    per_type: bool = False,
) -> dict:
    """Offers per status for the figures: `made` (all), `accepted`, `expired`, `gone`, ...

    Offers made in [since, until); `team_ids` keeps offers of places at those teams'
    locations. `per_type=True` gives {appointment type id: counts} instead of one total.
    """
    qs = Offer.objects.all()
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    if until is not None:
        qs = qs.filter(created_at__lt=until)
    if team_ids is not None:
        qs = qs.filter(slot__location__team_locations__team_id__in=list(team_ids)).distinct()
    if not per_type:
        return _with_made(dict(qs.values_list("status").annotate(n=Count("id", distinct=True))))
    grouped: dict = {}
    rows = qs.values_list("entry__appointment_type_id", "status").annotate(
        n=Count("id", distinct=True)
    )
    for type_id, status, n in rows.order_by():
        grouped.setdefault(type_id, {})[status] = n
    return {type_id: _with_made(counts) for type_id, counts in grouped.items()}


def _with_made(counts: dict) -> dict[str, int]:
    return {"made": sum(counts.values()), **{s: counts.get(s, 0) for s in Offer.Status.values}}


@dataclass
class StaffGroup:
    """Who waits for one appointment type (or one group meeting) at one location."""

    location: str
    what: str
    entries: list[Entry] = field(default_factory=list)

    @property
    def offers_open(self) -> int:
        return sum(1 for entry in self.entries if entry.live_offers)


def list_waitlist_for_staff(
    *, actor: User, location_id=None, type_id=None, limit: int = 300
) -> list[StaffGroup]:
    """Everyone waiting in `actor`'s teams (families without a team too), per location and
    appointment type, longest waiting first, with their open offer. Planners only (404
    otherwise); one access-log row for the page."""
    from teams.selectors import in_teams_q, team_ids_of

    if not actor.has_capability(Capability.PLANNING):
        raise Http404
    live = Offer.objects.filter(status__in=Offer.LIVE).select_related("slot__location")
    qs = (
        Entry.objects.filter(status=Entry.Status.WAITING)
        .filter(in_teams_q(team_ids_of(actor)))
        .select_related(
            "family", "child", "appointment_type", "appointment__slot", "location", "meeting"
        )
        .select_related("meeting__location")
        .prefetch_related(Prefetch("offers", queryset=live, to_attr="live_offers"))
        .order_by("created_at")
    )
    if location_id:
        # Who would be offered a place there: that location's own, and "any location".
        qs = qs.filter(
            Q(location_id=location_id)
            | Q(location__isnull=True, meeting__isnull=True)
            | Q(meeting__location_id=location_id)
        )
    if type_id:
        qs = qs.filter(appointment_type_id=type_id)
    entries = list(qs[:limit])
    groups: dict[tuple, StaffGroup] = {}
    for entry in entries:
        place = entry.meeting.location if entry.meeting else entry.location
        key = (place.name if place else "", entry.appointment_type.name, entry.meeting_id)
        if key not in groups:
            groups[key] = StaffGroup(location=key[0], what=key[1])
        groups[key].entries.append(entry)
    record_list_access(actor=actor, records=entries, reason="waiting list")
    return sorted(groups.values(), key=lambda g: (g.location == "", g.location, g.what))
