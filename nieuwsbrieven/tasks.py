"""Newsletter tasks: they take ids, call one service, and are safe to run twice."""

from smtplib import SMTPException

from celery import shared_task

from nieuwsbrieven import services

RETRY = {
    "autoretry_for": (SMTPException, OSError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task
def send_due_editions_task() -> int:
    """Beat, every few minutes: start due editions, resume unfinished ones."""
    return services.send_due_editions()


@shared_task(**RETRY)
def send_chunk_task(edition_id: int, first_id: int, last_id: int) -> int:
    return services.send_chunk(edition_id=edition_id, first_id=first_id, last_id=last_id)


@shared_task
def send_milestones_task() -> int:
    """Beat, daily: milestone messages (once per milestone, child and parent)."""
    return services.send_milestones()
