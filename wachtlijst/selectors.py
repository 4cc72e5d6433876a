"""Read side of the waiting list, scoped to the actor."""

from datetime import datetime

from django.db.models import Count, Prefetch
from django.http import Http404

from accounts.models import User
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


def offer_counts(*, since: datetime | None = None) -> dict[str, int]:
    """Offers per status for the figures: `made` (all), `accepted`, `expired`, `gone`, ..."""
    qs = Offer.objects.all()
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    counts = dict(qs.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return {"made": sum(counts.values()), **{s: counts.get(s, 0) for s in Offer.Status.values}}
