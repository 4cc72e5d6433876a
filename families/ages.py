"""Age arithmetic on dates. Pure functions: no database, no clock (callers pass `on`)."""

from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

PREGNANCY_DAYS = 280  # 40 weeks from the first day of the last period to the due date


def months_between(born: date, on: date) -> int:
    """Whole months lived on `on`; a child born on 31 January is one month old on 28/29 Feb."""
    months = (on.year - born.year) * 12 + (on.month - born.month)
    if on.day < born.day and not _is_last_day_of_month(on):
        months -= 1
    return max(months, 0)


def _is_last_day_of_month(day: date) -> bool:
    return (day + timedelta(days=1)).month != day.month


def add_months(start: date, months: int) -> date:
    """The date `months` after `start`, clamped to the month's end (29 Feb + 12 months = 28 Feb)."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, min(start.day, day))
        except ValueError:
            continue
    raise ValueError("unreachable")


def pregnancy_week(due_date: date, on: date) -> int:
    """Completed weeks of pregnancy on `on` (0..42), counted back from the due date."""
    days = PREGNANCY_DAYS - (due_date - on).days
    return max(0, min(days // 7, 42))


def describe(born: date | None, due: date | None, on: date) -> str:
    """Age in plain Dutch/English words: '3 weken', '5 maanden', '2 jaar en 4 maanden'."""
    if born is None:
        if due is None:
            return ""
        if due < on:
            return _("expected %(date)s (date passed)") % {"date": due.strftime("%d-%m-%Y")}
        week = pregnancy_week(due, on)
        return ngettext("pregnancy: %(weeks)d week", "pregnancy: %(weeks)d weeks", week) % {
            "weeks": week
        }
    if born > on:
        return _("not born yet")
    days = (on - born).days
    if days < 7 * 8:
        weeks = days // 7
        if weeks == 0:
            return ngettext("%(days)d day", "%(days)d days", days) % {"days": days}
        return ngettext("%(weeks)d week", "%(weeks)d weeks", weeks) % {"weeks": weeks}
    months = months_between(born, on)
    if months < 24:
        return ngettext("%(months)d month", "%(months)d months", months) % {"months": months}
    years, rest = divmod(months, 12)
    if rest == 0 or years >= 6:
        return ngettext("%(years)d year", "%(years)d years", years) % {"years": years}
    return _("%(years)d years and %(months)d months") % {"years": years, "months": rest}
