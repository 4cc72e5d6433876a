"""Reads for newsletters: who gets an edition or a milestone, and sending progress."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, QuerySet
from django.utils import timezone

from families import ages
from families.models import Child
from nieuwsbrieven.exceptions import InvalidLink
from nieuwsbrieven.models import Delivery, Edition, Milestone, Subscription
from nieuwsbrieven.tokens import read_token


def get_subscription_by_token(*, token: str, purpose: str) -> Subscription:
    """The subscription a signed link names, or InvalidLink (tampered, or key replaced)."""
    subscription_id, key = read_token(token, purpose)
    subscription = Subscription.objects.filter(pk=subscription_id, key=key).first()
    if subscription is None:
        raise InvalidLink
    return subscription


def get_subscription_for_parent(*, parent) -> Subscription | None:
    return Subscription.objects.filter(parent=parent).first()


def child_in_phase(child_dob: date | None, due: date | None, edition: Edition, day: date) -> bool:
    """Is this child in the edition's phase on `day`? The single definition of targeting."""
    if edition.phase == Edition.Phase.PREGNANCY:
        if due is None or child_dob is not None or due < day:
            return False
        week = ages.pregnancy_week(due, day)
        return edition.week_from <= week < edition.week_to
    if child_dob is None or child_dob > day:
        return False
    months = ages.months_between(child_dob, day)
    return edition.age_from_months <= months < edition.age_to_months


def _candidate_children(edition: Edition, day: date) -> QuerySet[Child]:
    """A slightly wide date window in SQL; `child_in_phase` decides exactly (month ends)."""
    # Only children still in the JGZ's care: nothing about a child who died, a pregnancy that
    # ended or a child who moved out of the region.
    in_care = Child.objects.filter(care_status=Child.CareStatus.ACTIVE)
    if edition.phase == Edition.Phase.PREGNANCY:
        latest_due = day + timedelta(days=ages.PREGNANCY_DAYS - 7 * edition.week_from + 7)
        return in_care.filter(
            date_of_birth__isnull=True, due_date__gte=day, due_date__lte=latest_due
        )
    oldest = ages.add_months(day, -edition.age_to_months) - timedelta(days=3)
    youngest = ages.add_months(day, -edition.age_from_months) + timedelta(days=3)
    return in_care.filter(date_of_birth__gte=oldest, date_of_birth__lte=youngest)


def iter_edition_recipients(*, edition: Edition, day: date) -> Iterator[tuple[str, str, str]]:
    """(subscription id, child id, child name) per active subscriber, at most one per parent.

    A parent with two children in range gets the edition once, naming the youngest.
    """
    children = (
        _candidate_children(edition, day)
        .filter(
            family__parents__newsletter_subscription__status=Subscription.Status.ACTIVE,
        )
        .order_by("-date_of_birth", "due_date", "first_name")
        .values_list(
            "pk",
            "first_name",
            "date_of_birth",
            "due_date",
            "family__parents__newsletter_subscription__pk",
        )
    )
    seen: set = set()
    for child_id, name, dob, due, subscription_id in children.iterator(chunk_size=5000):
        if subscription_id in seen or not child_in_phase(dob, due, edition, day):
            continue
        seen.add(subscription_id)
        yield str(subscription_id), str(child_id), name


def get_current_edition_for(*, subscription: Subscription, day: date):
    """(edition, child): the latest edition already out whose phase fits one of the family's
    children on `day`, youngest child first (as the fan-out names them); None when none fits."""
    family_id = subscription.parent.family_id
    if family_id is None:
        return None
    children = list(
        Child.objects.filter(family_id=family_id).order_by(
            "-date_of_birth", "due_date", "first_name"
        )
    )
    editions = list(
        Edition.objects.filter(
            status__in=[Edition.Status.SENDING, Edition.Status.SENT],
            scheduled_at__lte=timezone.now(),
        ).order_by("-scheduled_at")[:100]
    )
    for child in children:
        for edition in editions:
            if child_in_phase(child.date_of_birth, child.due_date, edition, day):
                return edition, child
    return None


def list_milestone_children(
    *, milestone: Milestone, today: date, window_days: int
) -> Iterator[tuple[str, str, str]]:
    """(subscription id, child id, child name) for children who reached the milestone age in
    the last `window_days` days, once per subscribed parent who wants milestone messages."""
    oldest = ages.add_months(today - timedelta(days=window_days), -milestone.age_months)
    youngest = ages.add_months(today, -milestone.age_months)
    rows = Child.objects.filter(
        care_status=Child.CareStatus.ACTIVE,
        date_of_birth__gte=oldest - timedelta(days=3),
        date_of_birth__lte=youngest + timedelta(days=3),
        family__parents__newsletter_subscription__status=Subscription.Status.ACTIVE,
        family__parents__newsletter_subscription__milestones=True,
    ).values_list("pk", "first_name", "date_of_birth", "family__parents__newsletter_subscription")
    for child_id, name, dob, subscription_id in rows:
        reached = ages.add_months(dob, milestone.age_months)
        if today - timedelta(days=window_days) <= reached <= today:
            yield str(subscription_id), str(child_id), name


@dataclass(frozen=True)
class Progress:
    sent: int = 0
    failed: int = 0
    total: int = 0


def edition_progress(*, edition_ids) -> dict:
    """Sent, failed and total deliveries of these editions only (the admin's page of them).

    One grouped query over those editions' rows, found through the index that leads with the
    edition (the once-per-subscription constraint); never an aggregate of the whole table.
    """
    counts: dict = {}
    rows = (
        Delivery.objects.filter(edition_id__in=list(edition_ids))
        .order_by()
        .values_list("edition_id", "status")
        .annotate(n=Count("pk"))
    )
    for edition_id, status, n in rows:
        counts.setdefault(edition_id, {})[status] = n
    return {
        edition_id: Progress(
            sent=by_status.get(Delivery.Status.SENT, 0),
            failed=by_status.get(Delivery.Status.FAILED, 0),
            total=sum(by_status.values()),
        )
        for edition_id, by_status in counts.items()
    }
