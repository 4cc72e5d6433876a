"""Deadlines in working hours: opening hours per weekday, minus Dutch public holidays and
closed days. `WorkingCalendar` is pure (no database, no clock); `load_calendar` reads it."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import holidays
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# Expands per year on first use; the library follows changes in Dutch law (e.g. Koningsdag
# moving to the 26th when the 27th is a Sunday).
_DUTCH_HOLIDAYS = holidays.country_holidays("NL")
_MAX_DAYS = 400


@dataclass(frozen=True)
class WorkingCalendar:
    hours: dict[int, tuple[time, time]]
    closed: frozenset[date] = field(default_factory=frozenset)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.hours and day not in self.closed and day not in _DUTCH_HOLIDAYS

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """The moment `hours` working hours after `start` (aware, in the current time zone).

        Counts in local wall-clock time per day, so a DST switch in the night never shifts
        an opening hour; a deadline ending exactly at closing time stays on that day.
        """
        tz = timezone.get_current_timezone()
        local = timezone.localtime(start, tz)
        remaining = timedelta(hours=hours)
        day, cursor = local.date(), local.time().replace(tzinfo=None)
        for _i in range(_MAX_DAYS):
            if self.is_working_day(day):
                opens, closes = self.hours[day.weekday()]
                begin = max(cursor, opens)
                if begin < closes:
                    begin_dt = datetime.combine(day, begin)  # noqa: DTZ001 - local wall time
                    available = datetime.combine(day, closes) - begin_dt  # noqa: DTZ001
                    if remaining <= available:
                        return timezone.make_aware(begin_dt + remaining, tz)
                    remaining -= available
            day, cursor = day + timedelta(days=1), time.min
        raise ValueError("No working hours in the coming year: check the opening hours.")

    def working_hours_between(self, start: datetime, end: datetime) -> float:
        """Working hours from `start` to `end` (0 when `end` is not later): the inverse of
        `add_working_hours`, so figures count answer times the way deadlines are promised."""
        tz = timezone.get_current_timezone()
        begin, finish = timezone.localtime(start, tz), timezone.localtime(end, tz)
        if finish <= begin:
            return 0.0
        total = timedelta()
        day = begin.date()
        while day <= finish.date():
            if self.is_working_day(day):
                opens, closes = self.hours[day.weekday()]
                lo = max(opens, begin.time().replace(tzinfo=None)) if day == begin.date() else opens
                hi = (
                    min(closes, finish.time().replace(tzinfo=None))
                    if day == finish.date()
                    else closes
                )
                if hi > lo:
                    total += datetime.combine(day, hi) - datetime.combine(day, lo)  # noqa: DTZ001
            day += timedelta(days=1)
        return total.total_seconds() / 3600


def load_calendar() -> WorkingCalendar:
    from vragen.models import ClosedDay, OpeningHours

    today = timezone.localdate()
    return WorkingCalendar(
        hours={oh.weekday: (oh.opens_at, oh.closes_at) for oh in OpeningHours.objects.all()},
        closed=frozenset(
            ClosedDay.objects.filter(date__gte=today - timedelta(days=1)).values_list(
                "date", flat=True
            )
        ),
    )


def describe_moment(moment: datetime, *, now: datetime | None = None) -> str:
    """'today 16:00', 'tomorrow 12:00', 'tuesday 12:00' or 'tuesday 3 March 12:00'."""
    local = timezone.localtime(moment)
    today = timezone.localtime(now).date() if now else timezone.localdate()
    clock = local.strftime("%H:%M")
    days = (local.date() - today).days
    if days == 0:
        return _("today %(time)s") % {"time": clock}
    if days == 1:
        return _("tomorrow %(time)s") % {"time": clock}
    # Dutch day and month names are lowercase, also where a catalogue capitalises "Tuesday".
    day = date_format(local, "l" if 1 < days < 7 else "l j F")
    if (get_language() or "").startswith("nl"):
        day = day.lower()
    return f"{day} {clock}"
