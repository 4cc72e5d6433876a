from celery import shared_task

from cijfers import services


@shared_task(soft_time_limit=60 * 30, time_limit=60 * 35)
def refresh_figures_task() -> int:
    return services.refresh_figures().days


@shared_task
def send_survey_invitations_task() -> int:
    return services.send_survey_invitations()


@shared_task
def clear_old_remarks_task() -> int:
    return services.clear_old_remarks()
