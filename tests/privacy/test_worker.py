"""The nightly retention task through a real Celery worker (the trigger allows its DELETE)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from privacy.models import AccessLog, RetentionReport
from tests.conftest_worker import wait_until
from tests.factories import make_staff

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_retention_task_reports_then_deletes_in_the_worker(celery_worker, settings):
    from privacy.tasks import apply_retention_task

    nurse = make_staff()
    for days in (settings.RETENTION_ACCESS_LOG_DAYS + 10, 1):
        AccessLog.objects.create(
            at=timezone.now() - timedelta(days=days),
            actor=nurse,
            actor_email=nurse.email,
            actor_role=nurse.role,
            action=AccessLog.Action.VIEW,
            record_type="families.child",
        )
    apply_retention_task.delay()
    wait_until(lambda: RetentionReport.objects.filter(applied_at__isnull=False).exists())
    report = RetentionReport.objects.get()
    assert report.counts["access_log"] == 1 and report.counts["access_log_deleted"] == 1
    assert AccessLog.objects.count() == 1
