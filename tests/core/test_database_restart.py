"""PostgreSQL restarted (or failed over) under a running web and worker.

A restart ends every open connection. Web and worker keep their connections between requests
and tasks (DATABASE_CONN_MAX_AGE), so the first request or task after the restart must notice
the dead connection and open a new one, not answer 500 or fail the task.
"""

import pytest
import requests
from django.db import connection

from bench.common import gunicorn
from outbox.tasks import flush_outbox_task
from tests.conftest_worker import (  # noqa: F401 - the worker fixture
    celery_worker,
    database_url,
    run_in_worker,
    wait_until,
)
from tests.core.test_outage_stack import Browser
from tests.factories import make_parent

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

WORKER_ENV = {"DATABASE_CONN_MAX_AGE": "60"}


def _end_other_connections() -> list[tuple]:
    """What a restart does to the connections web and worker hold open."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchall()


@pytest.mark.usefixtures("celery_worker", "deployed_hashers")
def test_web_and_worker_reconnect_after_their_connections_end():
    parent = make_parent()
    env = {
        "DATABASE_URL": database_url(),
        "DATABASE_CONN_MAX_AGE": "60",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_HSTS_SECONDS": "0",
    }
    with gunicorn(env=env, workers=1) as base:
        wait_until(lambda: requests.get(base + "/health/", timeout=5).ok, timeout=60)
        mum = Browser(base)
        assert mum.log_in(parent.email).status_code == 302
        assert run_in_worker(flush_outbox_task) == 0
        assert mum.get("/gezin/").status_code == 200

        ended = _end_other_connections()
        assert ended, "the web holds its connection between requests"

        home = mum.get("/gezin/")
        assert home.status_code == 200, "first page after the restart"
        assert parent.first_name in home.text
        assert run_in_worker(flush_outbox_task) == 0, "first task after the restart"
