"""How a figure is shown. One rule for every table, chart and CSV: a number under
`SMALL` is shown as "< 10" and never as a percentage, so nobody can be recognised."""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

SMALL = 10


@dataclass(frozen=True)
class Value:
    text: str
    # The number a chart may draw; None when hidden by the small-number rule or empty.
    number: float | None = None


def small() -> Value:
    return Value(_("< 10"))


def count(n: int) -> Value:
    return small() if n < SMALL else Value(number_format(n, force_grouping=True), n)


def share(part: int, whole: int) -> Value:
    """A percentage only when both the part and the whole are at least `SMALL`."""
    if whole < SMALL or part < SMALL:
        return small()
    pct = round(100 * part / whole)
    return Value(f"{pct}%", pct)


def hours(minutes: float | None, n: int) -> Value:
    """A quantile of working minutes over `n` answers, shown in working hours (one decimal)."""
    if n < SMALL or minutes is None:
        return small()
    value = round(minutes / 60, 1)
    return Value(number_format(value, decimal_pos=1), value)


def average(total: int, n: int) -> Value:
    if n < SMALL:
        return small()
    value = round(total / n, 1)
    return Value(number_format(value, decimal_pos=1), value)
