from celery import shared_task

from sms import services


# No autoretry: a failed attempt is recorded on the row with its next_attempt_at, and the
# periodic flush hands it out again then (Celery's own backoff gives up within a minute).
@shared_task
def send_sms_task(sms_id: int) -> bool:
    return services.send_sms(sms_id=sms_id)


@shared_task
def flush_sms_task() -> int:
    return services.flush_sms()
