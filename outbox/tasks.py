from celery import shared_task

from outbox import services


# No autoretry: a failed attempt is recorded on the row with its next_attempt_at, and the
# periodic flush hands it out again then (minutes to hours; Celery's backoff gives up in ~30 s).
@shared_task
def send_email_task(email_id: int) -> bool:
    return services.send_email(email_id=email_id)


@shared_task
def flush_outbox_task() -> int:
    return services.flush_outbox()


@shared_task
def purge_old_bodies_task() -> int:
    return services.purge_old_bodies()
