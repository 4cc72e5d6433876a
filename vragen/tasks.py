from celery import shared_task

from vragen import services


@shared_task
def return_stale_waiting_questions_task() -> int:
    return services.return_stale_waiting_questions()
