"""The contact schedule as arithmetic: target dates and windows from a child's dates.

Pure functions: no database, no clock (callers pass `on`). Dates only, in the portal's local
calendar: a window opens and closes on whole days, so a DST change never moves it. The times
at which invitations go out are made from these dates in `due_at` (wall clock, DST-safe).

A born child follows the moments with an age target; an expected child (due date, no date of
birth) only the pregnancy moments. When the parent enters the birth date, the same child row
switches to the age moments; rows of what already happened (the prenatal visit) stay.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

from families.ages import PREGNANCY_DAYS, add_months

DAYS, WEEKS, MONTHS, YEARS, PREGNANCY_WEEK = "days", "weeks", "months", "years", "pregnancy_week"
UNITS = (DAYS, WEEKS, MONTHS, YEARS, PREGNANCY_WEEK)


@dataclass(frozen=True, slots=True)
class Definition:
    """What the arithmetic needs of a contact moment definition."""

    code: str
    target_value: int
    target_unit: str
    window_before_days: int
    window_after_days: int
    target_plus_days: int = 0

    @property
    def is_prenatal(self) -> bool:
        return self.target_unit == PREGNANCY_WEEK


@dataclass(frozen=True, slots=True)
class Window:
    code: str
    target: date
    opens: date
    closes: date

    def is_open(self, on: date) -> bool:
        return self.opens <= on <= self.closes

    def contains(self, day: date) -> bool:
        return self.opens <= day <= self.closes


def target_date(definition: Definition, *, born: date | None, due: date | None) -> date | None:
    """The target day ("richtdatum") for this child, or None when the moment is not theirs.

    Months and years are calendar months from the birth date, clamped at the month's end: a
    child born on 31 January is 1 month on 28 (or 29) February, and one born on 29 February
    has birthdays on 28 February in other years.
    """
    if definition.is_prenatal:
        if born is not None or due is None:
            return None
        conception_ref = due - timedelta(days=PREGNANCY_DAYS)
        day = conception_ref + timedelta(weeks=definition.target_value)
    else:
        if born is None:
            return None
        unit, value = definition.target_unit, definition.target_value
        if unit == DAYS:
            day = born + timedelta(days=value)
        elif unit == WEEKS:
            day = born + timedelta(weeks=value)
        elif unit == MONTHS:
            day = add_months(born, value)
        elif unit == YEARS:
            day = add_months(born, 12 * value)
        else:
            raise ValueError(f"unknown unit {unit!r}")
    return day + timedelta(days=definition.target_plus_days)


def window_for(definition: Definition, *, born: date | None, due: date | None) -> Window | None:
    target = target_date(definition, born=born, due=due)
    if target is None:
        return None
    opens = target - timedelta(days=definition.window_before_days)
    if not definition.is_prenatal and born is not None:
        opens = max(opens, born)  # nothing before the birth itself
    closes = target + timedelta(days=definition.window_after_days)
    return Window(code=definition.code, target=target, opens=opens, closes=closes)


def windows_for_child(
    definitions: list[Definition], *, born: date | None, due: date | None
) -> list[Window]:
    """Every moment of this child, in order of the day its window opens."""
    found = [window_for(d, born=born, due=due) for d in definitions]
    return sorted((w for w in found if w is not None), key=lambda w: (w.opens, w.target, w.code))


def birth_range_with_window_open(definition: Definition, on: date) -> tuple[date, date] | None:
    """Dates of birth (or for pregnancy moments: due dates) whose window may be open on `on`.

    Slightly wide on purpose (month lengths vary); `window_for(...).is_open(on)` decides
    exactly. Lets a scan over 300,000 children select a few hundred rows by an index range.
    """
    slack = 4  # days: the most a month-based target can differ from a 30-day estimate
    if definition.is_prenatal:
        # opens = due - 280 + 7w + plus - before <= on  ->  due <= on + 280 - 7w - plus + before
        base = PREGNANCY_DAYS - 7 * definition.target_value - definition.target_plus_days
        return (
            on + timedelta(days=base - definition.window_after_days),
            on + timedelta(days=base + definition.window_before_days),
        )
    approx = _approx_days(definition)
    earliest = on - timedelta(days=approx + definition.window_after_days + slack)
    latest = on - timedelta(days=approx - definition.window_before_days - slack)
    return earliest, min(latest, on)


def range_with_window_open(definition: Definition, on: date) -> tuple[date, date] | None:
    """Exactly the dates of birth (or for pregnancy moments: due dates) whose window is open
    on `on`, as a closed range; None when there are none.

    A window's start and end never move back when the date moves forward, so the children
    with an open window form one range: `birth_range_with_window_open` narrowed day by day
    at both ends (a few days at most) with `window_for` itself.
    """
    first, last = birth_range_with_window_open(definition, on)
    while first <= last and _window_of_date(definition, first).closes < on:
        first += timedelta(days=1)
    while first <= last and _window_of_date(definition, last).opens > on:
        last -= timedelta(days=1)
    return (first, last) if first <= last else None


def last_date_closing_by(definition: Definition, closes: date, first: date, last: date) -> date:
    """The latest date of birth (due date) in `first`..`last` whose window closes on or before
    `closes`; the day before `first` when there is none."""
    low, high = -1, (last - first).days  # closes(first + low) <= closes < closes(first + high + 1)
    while low < high:  # windows close later as the date moves on: halve the range
        middle = (low + high + 1) // 2
        if _window_of_date(definition, first + timedelta(days=middle)).closes <= closes:
            low = middle
        else:
            high = middle - 1
    return first + timedelta(days=low)


def dates_with_window(definition: Definition, window: Window, *, around: date) -> list[date]:
    """The dates of birth (due dates) near `around` whose window is exactly `window`: one,
    or up to four at month ends (29, 30, 31 January are all one month on 28 February)."""
    return [
        day
        for day in (around + timedelta(days=n) for n in range(-3, 4))
        if _window_of_date(definition, day) == window
    ]


def _window_of_date(definition: Definition, day: date) -> Window:
    if definition.is_prenatal:
        return window_for(definition, born=None, due=day)
    return window_for(definition, born=day, due=None)


def _approx_days(definition: Definition) -> int:
    unit, value = definition.target_unit, definition.target_value
    per_unit = {DAYS: 1, WEEKS: 7, MONTHS: 30.4375, YEARS: 365.25}[unit]
    return round(value * per_unit) + definition.target_plus_days


def due_at(day: date, at: time, tz=None) -> datetime:
    """`day` at wall-clock time `at` in the portal's time zone, as UTC (DST-safe)."""
    tz = tz or timezone.get_default_timezone()
    return timezone.make_aware(datetime.combine(day, at), tz).astimezone(UTC)


def reminder_day(window: Window, days_before_close: int) -> date | None:
    """The day the single reminder is due; None when the window is too short to need one."""
    day = window.closes - timedelta(days=days_before_close)
    return day if day > window.opens else None
