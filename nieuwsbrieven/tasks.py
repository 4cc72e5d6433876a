"""Newsletter tasks: they take ids, call one service, and are safe to run twice."""

from celery import shared_task

from nieuwsbrieven import services


@shared_task
def send_due_editions_task() -> int:
    """Beat, every few minutes: start due editions, resume unfinished ones."""
    return services.send_due_editions()


# No autoretry: rows that could not be sent wait for their next_attempt_at, and the periodic
# scan hands them out again (retries over minutes to hours, see outbox/retry.py).
@shared_task
def send_chunk_task(edition_id: int, first_id: int, last_id: int) -> int:
    return services.send_chunk(edition_id=edition_id, first_id=first_id, last_id=last_id)


@shared_task
def send_milestones_task() -> int:
    """Beat, daily: milestone messages (once per milestone, child and parent)."""
    return services.send_milestones()
