from tests.conftest_worker import celery_worker, smtp_sink  # noqa: F401
from tests.sms.fake_provider import spryng  # noqa: F401
