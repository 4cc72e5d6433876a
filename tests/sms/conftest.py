from tests.conftest_worker import celery_worker, smtp_sink  # noqa: F401
