from smtplib import SMTPException

from celery import shared_task

from outbox import services


@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=services.MAX_ATTEMPTS,
)
def send_email_task(email_id: int) -> bool:
    return services.send_email(email_id=email_id)


@shared_task
def flush_outbox_task() -> int:
    return services.flush_outbox()
