"""Youth rights (WGBO): from 12 a child shares in decisions, from 16 they decide alone.

The rule is applied where questions are read for parents (vragen/selectors.py) and shown on
the family page (the `youth_notice` template tag); the ages are settings.
"""

from datetime import date

from django.conf import settings
from django.utils import timezone

from families.ages import add_months


def born_on_or_before(age_years: int, on: date | None = None) -> date:
    """Children born on or before this date are at least `age_years` old on `on`."""
    return add_months(on or timezone.localdate(), -12 * age_years)


def shows_youth_notice(child, on: date | None = None) -> bool:
    age = child.age_in_years(on)
    return (
        bool(settings.YOUTH_NOTICE_FROM_AGE)
        and age is not None
        and (age >= settings.YOUTH_NOTICE_FROM_AGE)
    )


def private_questions_cutoff(on: date | None = None) -> date | None:
    """Date of birth on or before which a youth's own questions are hidden from parents.

    None when the setting is 0 (hiding switched off).
    """
    if not settings.YOUTH_PRIVATE_QUESTIONS_FROM_AGE:
        return None
    return born_on_or_before(settings.YOUTH_PRIVATE_QUESTIONS_FROM_AGE, on)
