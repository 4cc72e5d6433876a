import os
import uuid

import pytest

# live_server and Playwright's sync page share one thread in browser tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.factories import make_family, make_parent, make_staff  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """A fresh Redis key space per test: rate limits and used TOTP codes never leak."""
    if os.environ.get("REDIS_URL"):
        settings.CACHES = {
            "default": {**settings.CACHES["default"], "KEY_PREFIX": uuid.uuid4().hex}
        }


@pytest.fixture(autouse=True)
def _no_remembered_outage():
    """A test that took Redis or the broker away must not leave its outage to the next test."""
    yield
    from core import broker, cache

    broker._down_until = 0.0
    cache._down_until.clear()


@pytest.fixture(autouse=True)
def _dutch_by_default():
    """Every test starts in Dutch: a language activated by an earlier test never leaks in."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    """Tasks run in-process unless a test starts a real worker (tests marked `worker`)."""
    from ouderportaal.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = True


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The deployed hasher (Argon2id) costs about 50 ms of a core per password, PBKDF2 about
    half a second; tests about hashing, or whose users log in to a server process of their own,
    use `deployed_hashers`."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def deployed_hashers(settings):
    """The password hashers as deployed (the project's settings, else Django's default)."""
    import importlib

    from django.conf import global_settings

    module = importlib.import_module(
        os.environ.get("DJANGO_SETTINGS_MODULE", "ouderportaal.settings")
    )
    settings.PASSWORD_HASHERS = getattr(
        module, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS
    )


@pytest.fixture(autouse=True)
def _sms_in_memory(settings):
    """SMS go to `sms.backends.locmem.sent` (like mail.outbox), emptied for every test."""
    from sms.backends import locmem

    settings.SMS_BACKEND = "sms.backends.locmem.SmsBackend"
    locmem.sent.clear()
    yield
    locmem.sent.clear()


@pytest.fixture
def parent(db):
    return make_parent()


@pytest.fixture
def other_parent(db):
    return make_parent(email="ander@example.org", family=make_family(name="Anders"))


@pytest.fixture
def nurse(db):
    return make_staff()


@pytest.fixture
def manager(db):
    from accounts.models import User

    return make_staff(email="manager@example.org", role=User.Role.MANAGER)


@pytest.fixture
def parent_client(client, parent):
    client.force_login(parent)
    return client


@pytest.fixture
def nurse_client(client, nurse):
    client.force_login(nurse)
    return client


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            # Anything not on loopback goes to a closed port: tests talk only to 127.0.0.1.
            "--proxy-server=http://127.0.0.1:9",
        ],
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    # A cheap phone: 360 px wide.
    return {**browser_context_args, "viewport": {"width": 360, "height": 740}, "locale": "nl-NL"}
