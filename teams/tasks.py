from celery import shared_task

from teams import services


@shared_task
def refresh_family_teams_task() -> int:
    return services.refresh_family_teams()


@shared_task
def refresh_recently_started_task() -> int:
    return services.refresh_recently_started()
