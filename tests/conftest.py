import fcntl
import os
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

# live_server and Playwright's sync page share one thread in browser tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.factories import make_family, make_parent, make_staff  # noqa: E402
from tests.on_sqlite import copy_sqlite, migrate_sqlite  # noqa: E402


@contextmanager
def once_per_run(tmp_path_factory, name: str, while_waiting=None):
    """Held by one xdist worker at a time; yields a directory every worker of this run shares,
    so work done under it (when its result is not there yet) is done once per run. A worker
    that finds the lock taken first calls `while_waiting`, if given."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's own directory, holding each worker's basetemp
    with (shared / f"{name}.lock").open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if while_waiting is not None:
                while_waiting()
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield shared


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A SQLite file with every migration applied, made once per run: each test on SQLite
    copies it instead of migrating (131 migrations cost ~48 s of a core) on its own."""
    with once_per_run(tmp_path_factory, "sqlite") as shared:
        path = shared / "migrated.sqlite3"
        if not path.exists():
            work = Path(tempfile.mkdtemp(dir=shared))
            migrate_sqlite(work / "db.sqlite3")
            copy_sqlite(work / "db.sqlite3", work / "copy.sqlite3")
            (work / "copy.sqlite3").rename(path)  # whole or not at all
        return path


@pytest.fixture(scope="session")
def _database_from_template(
    request,
    django_db_modify_db_settings,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    tmp_path_factory,
):
    """Under xdist on PostgreSQL: the first worker migrates a template database, every worker's
    test database is a copy of it (CREATE DATABASE ... TEMPLATE), which pytest-django then
    keeps as with --reuse-db (its migrate finds nothing left to do). The migrations (~48 s of a
    core) run once per run instead of once per worker; the worker that waits migrates the
    SQLite file of the SQLite tests meanwhile, if the run has any."""
    from django.db import connections

    worker = getattr(request.config, "workerinput", {}).get("workerid")
    connection = connections["default"]
    if not (worker and connection.vendor == "postgresql" and django_db_use_migrations):
        return
    if not django_db_keepdb:
        return  # pytest-django makes and drops a database per worker
    test_name = connection.settings_dict["TEST"]["NAME"]
    template = test_name.removesuffix(f"_{worker}") + "_template"
    quote = connection.ops.quote_name

    def migrate_sqlite_meanwhile():
        if any("migrated_sqlite" in item.fixturenames for item in request.session.items):
            request.getfixturevalue("migrated_sqlite")

    with (
        once_per_run(tmp_path_factory, "postgresql", migrate_sqlite_meanwhile) as shared,
        django_db_blocker.unblock(),
    ):
        ready = shared / "postgresql-template-ready"
        if django_db_createdb:
            # pytest-django makes each worker's database anew; the next run's template too.
            if not ready.exists():
                with connection.creation._nodb_cursor() as cursor:
                    cursor.execute(f"DROP DATABASE IF EXISTS {quote(template)}")
                ready.touch()
            return
        if not ready.exists():
            _migrate_template(connection, template)
            ready.touch()
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(test_name)}")
            cursor.execute(f"CREATE DATABASE {quote(test_name)} TEMPLATE {quote(template)}")


def _migrate_template(connection, template: str) -> None:
    """Create (or, kept from an earlier run, bring up to date) and migrate `template`; leave no
    connection to it open, as PostgreSQL copies only a database nobody is connected to."""
    from django.conf import settings

    name, test_name = connection.settings_dict["NAME"], connection.settings_dict["TEST"]["NAME"]
    connection.settings_dict["TEST"]["NAME"] = template
    try:
        connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False, keepdb=True
        )
    finally:
        connection.close()
        connection.settings_dict["NAME"] = settings.DATABASES["default"]["NAME"] = name
        connection.settings_dict["TEST"]["NAME"] = test_name


@pytest.fixture(scope="session")
def django_db_setup(_database_from_template, django_db_setup):
    """pytest-django's, on a worker database copied from the template when there is one."""
    return


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
