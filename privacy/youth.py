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


def youth_private_questions_q(on: date | None = None):
    """Q for questions a youth past the private age asked themselves (None: rule switched off).

    Used by the parent-facing selectors in vragen/selectors.py as `.exclude(...)`.
    """
    from django.db.models import Q

    cutoff = private_questions_cutoff(on)
    if cutoff is None:
        return None
    return Q(youth_marker__isnull=False, child__date_of_birth__lte=cutoff)


def hide_youth_private_questions(queryset, on: date | None = None):
    condition = youth_private_questions_q(on)
    return queryset if condition is None else queryset.exclude(condition)


def is_hidden_from_parents(question) -> bool:
    """The youth's own question past the private age: its parents may not see it, nor get its
    e-mails ("answered", "closed"): the youth hears by phone or a planned call back."""
    condition = youth_private_questions_q()
    if condition is None:
        return False
    return type(question).objects.filter(condition, pk=question.pk).exists()
