"""One way to show a moment in staff lists and timelines: "di 1 dec 15:04"."""

from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format


def moment(value) -> str:
    """Weekday, day, month in lower case and time, in local time ("di 1 dec 15:04"); the year
    only when it is not this year ("wo 3 dec 2025 09:00"). A date without time: "di 1 dec"."""
    if not value:
        return ""
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        year = " Y" if local.year != timezone.localdate().year else ""
        return date_format(local, f"D j b{year} H:i")
    if isinstance(value, date):
        year = " Y" if value.year != timezone.localdate().year else ""
        return date_format(value, f"D j b{year}")
    return str(value)
