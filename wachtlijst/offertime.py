"""When an offer is sent and until when it holds: pure functions on the Amsterdam wall clock.

An offer runs only in daytime hours (`WACHTLIJST_DAY_START`..`WACHTLIJST_DAY_END`): one made
at night waits for the morning, and one sent at 20:30 with two hours' validity keeps the rest
after the next morning's start. Wall-clock arithmetic, so a DST change never shortens an offer.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def _local(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at), timezone.get_default_timezone())


def send_time(now: datetime, *, day_start: time, day_end: time) -> datetime:
    """`now` in daytime, else the next day start."""
    local = timezone.localtime(now)
    if local.time() < day_start:
        return _local(local.date(), day_start)
    if local.time() >= day_end:
        return _local(local.date() + timedelta(days=1), day_start)
    return now


def deadline(sent_at: datetime, *, hours: float, day_start: time, day_end: time) -> datetime:
    """`hours` of daytime after `sent_at` (which must lie in daytime)."""
    left = timedelta(hours=hours)
    local = timezone.localtime(send_time(sent_at, day_start=day_start, day_end=day_end))
    day, at = local.date(), local.replace(tzinfo=None)
    while True:
        end_today = datetime.combine(day, day_end)
        if at + left <= end_today:
            return timezone.make_aware(at + left, timezone.get_default_timezone())
        left -= end_today - at
        day += timedelta(days=1)
        at = datetime.combine(day, day_start)
