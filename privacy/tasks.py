from celery import shared_task

from privacy import services


@shared_task
def apply_retention_task() -> int:
    """Nightly: write the dry-run report, then apply it (unless RETENTION_DRY_RUN_ONLY)."""
    return services.apply_retention().pk
