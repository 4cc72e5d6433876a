"""Age bands staff filter lists by (the question queue, the planning list): one definition.

A band is a range of whole months of age on a given day, or "pregnancy" (no birth date yet).
`child_age_q` builds the filter for any query that reaches a child by `path`.
"""

from datetime import date

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from families.ages import add_months

PREGNANCY = "pregnancy"
CHOICES = [
    (PREGNANCY, _("Pregnancy")),
    ("0-1", _("0 to 1 year")),
    ("1-4", _("1 to 4 years")),
    ("4-12", _("4 to 12 years")),
    ("12-18", _("12 to 18 years")),
]
MONTHS = {"0-1": (0, 12), "1-4": (12, 48), "4-12": (48, 144), "12-18": (144, 228)}


def child_age_q(band: str, today: date, *, path: str = "") -> Q:
    """Children (at `path`, e.g. "child" from a question; "" for Child itself) in `band`."""
    prefix = f"{path}__" if path else ""
    if band == PREGNANCY:
        return Q(**{f"{prefix}date_of_birth__isnull": True})
    low, high = MONTHS[band]
    return Q(
        **{
            f"{prefix}date_of_birth__lte": add_months(today, -low),
            f"{prefix}date_of_birth__gt": add_months(today, -high),
        }
    )
