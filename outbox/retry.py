"""When to try a failed e-mail again, and when to give up: measured in time, not attempts.

Used by the outbox and by newsletter deliveries. The schedule (MAIL_RETRY_SCHEDULE_MINUTES,
e.g. 1, 2, 5, 10, 30, 60: the last step repeats) rides out an SMTP outage of minutes to hours;
after MAIL_GIVE_UP_AFTER_HOURS a message is marked failed (logged, visible in the admin).
"""

from datetime import datetime, timedelta

from django.conf import settings


def next_attempt_at(*, attempts: int, now: datetime) -> datetime:
    """When to try again after `attempts` failed attempts (1 = the first one failed)."""
    schedule = settings.MAIL_RETRY_SCHEDULE_MINUTES
    step = schedule[min(max(attempts, 1), len(schedule)) - 1]
    return now + timedelta(minutes=step)


def give_up_before(now: datetime) -> datetime:
    """Messages created (or editions started) before this are past retrying."""
    return now - timedelta(hours=settings.MAIL_GIVE_UP_AFTER_HOURS)


def gave_up(*, created_at: datetime, now: datetime) -> bool:
    return created_at < give_up_before(now)
