from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task
def clear_sessions_task() -> int:
    """Nightly: delete expired sessions (what `manage.py clearsessions` does), in batches so the
    session table is never locked for long. Returns the number removed."""
    removed = 0
    while True:
        ids = list(
            Session.objects.filter(expire_date__lt=timezone.now()).values_list(
                "session_key", flat=True
            )[:5000]
        )
        if not ids:
            return removed
        removed += Session.objects.filter(session_key__in=ids).delete()[0]
