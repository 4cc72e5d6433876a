import pytest

from tests.sms.fake_provider import spryng  # noqa: F401


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """These tests make many accounts and never log in with a password: a cheap hasher keeps
    each account from costing seconds of PBKDF2 on a shared machine."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
