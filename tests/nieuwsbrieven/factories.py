"""Newsletter factories: small functions with safe defaults."""

import itertools
from datetime import timedelta

from django.utils import timezone

from nieuwsbrieven.models import Edition, Milestone, Subscription
from tests.factories import make_parent

_seq = itertools.count(1)


def make_subscription(*, parent=None, status=Subscription.Status.ACTIVE, **overrides):
    parent = parent or make_parent()
    active = status == Subscription.Status.ACTIVE
    return Subscription.objects.create(
        **{
            "parent": parent,
            "email": parent.email,
            "status": status,
            "consented_at": timezone.now() if active else None,
            "consent_version": "test",
            "milestones": True,
            **overrides,
        }
    )


def make_edition(*, age=(0, 12), weeks=None, scheduled_at=None, **overrides) -> Edition:
    ranges = (
        {"phase": Edition.Phase.PREGNANCY, "week_from": weeks[0], "week_to": weeks[1]}
        if weeks
        else {"phase": Edition.Phase.CHILD, "age_from_months": age[0], "age_to_months": age[1]}
    )
    return Edition.objects.create(
        **{
            "title": f"Nieuwsbrief {next(_seq)}",
            "body": "Tips voor **jou**.\n\n- slapen\n- eten",
            "status": Edition.Status.SCHEDULED,
            "scheduled_at": scheduled_at or timezone.now() - timedelta(minutes=1),
            **ranges,
            **overrides,
        }
    )


def make_milestone(*, age_months=48, **overrides) -> Milestone:
    return Milestone.objects.create(
        **{
            "name": f"Mijlpaal {next(_seq)}",
            "age_months": age_months,
            "title": "Je kind is 4",
            "body": "De JGZ gaat mee naar school.",
            **overrides,
        }
    )
