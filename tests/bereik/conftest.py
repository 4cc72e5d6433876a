from tests.sms.fake_provider import spryng  # noqa: F401
