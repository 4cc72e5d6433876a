"""Quiet hours: when no SMS may arrive. Pure functions, in local (Europe/Amsterdam) time.

A window is (start, end) in wall-clock time; start > end means it runs over midnight
(21:00-08:00). A message due inside a window waits for the window's end, the next morning.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

Window = tuple[time, time]


def parse_time(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def default_window() -> Window:
    return parse_time(settings.SMS_QUIET_HOURS_START), parse_time(settings.SMS_QUIET_HOURS_END)


def _inside(moment: time, window: Window) -> bool:
    start, end = window
    if start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def _window_end(local: datetime, window: Window) -> datetime:
    start, end = window
    day = local.date()
    if start > end and local.time() >= start:
        day += timedelta(days=1)
    # make_aware on the wall-clock time: the morning is 08:00 on both sides of a DST change.
    return timezone.make_aware(datetime.combine(day, end), local.tzinfo)


def next_allowed(moment: datetime, windows: list[Window] | None = None) -> datetime:
    """The first moment at or after `moment` outside every quiet window."""
    windows = windows if windows is not None else [default_window()]
    local = timezone.localtime(moment)
    for _round in range(len(windows) + 2):  # overlapping windows: each can push once
        for window in windows:
            if _inside(local.time(), window):
                local = _window_end(local, window)
                break
        else:
            return local
    return local


def is_quiet(moment: datetime, windows: list[Window] | None = None) -> bool:
    return next_allowed(moment, windows) != timezone.localtime(moment)
