"""A real Celery worker process for tests marked `worker`, plus a local SMTP sink.

The worker gets the pytest test database (DATABASE_URL) and the real Redis from REDIS_URL,
under a key prefix of its own so parallel test runs never take each other's tasks. Import
the fixtures into a conftest.py: `from tests.conftest_worker import celery_worker, smtp_sink`.
A test module can give the worker extra settings in a module-level dict `WORKER_ENV`.
"""

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from email import message_from_bytes
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Sink:
    """A local SMTP server that keeps what it receives. An outage: `stop()` (connections are
    refused) and `start()` again on the same port; `refusing = True` answers 451 to every
    recipient (the server is up but defers mail)."""

    port: int
    messages: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    refusing: bool = False
    handler: object = None
    controller: object = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        # A stopped controller's event loop is closed: a restart needs a new one.
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()
        self.controller = None

    def wait_for(self, count: int, timeout: float = 30) -> list:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.1)
        raise AssertionError(f"expected {count} e-mails, got {len(self.messages)}")


@pytest.fixture
def smtp_sink():
    from bench.common import free_port

    sink = Sink(port=free_port())

    class Handler:
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if sink.refusing:
                return "451 4.3.2 Try again later"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            with sink.lock:
                sink.messages.append(message_from_bytes(envelope.content))
            return "250 OK"

    sink.handler = Handler()
    sink.start()
    yield sink
    if sink.controller is not None:  # the test may have stopped it
        sink.stop()


def database_url() -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _use_broker(app, *, eager: bool, prefix: str | None) -> None:
    """Point this (pytest) process's Celery app at a broker key prefix, or back to eager."""
    app.conf.task_always_eager = eager
    options = dict(app.conf.broker_transport_options or {})
    options.pop("global_keyprefix", None)
    if prefix:
        options["global_keyprefix"] = prefix
    app.conf.broker_transport_options = options
    reset_producer_pool(app)


def reset_producer_pool(app) -> None:
    """Forget pooled broker connections, so the next publish uses the current settings."""
    from kombu import pools

    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()


@pytest.fixture
def celery_worker(smtp_sink, tmp_path, request):
    """Start `celery -A ouderportaal worker` against the test DB; stop it afterwards.

    Needs `@pytest.mark.django_db(transaction=True)` so the worker sees committed rows.
    """
    from ouderportaal.celery import app

    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("worker tests need REDIS_URL (make test starts Redis)")
    prefix = f"test-{uuid.uuid4().hex[:12]}:"
    pidfile = tmp_path / "worker.pid"
    logfile = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": redis_url,
        "CELERY_BROKER_KEYPREFIX": prefix,
        # Results only for tasks sent with ignore_result=False (`run_in_worker`).
        "CELERY_RESULT_BACKEND": redis_url,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_sink.port),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "LOG_LEVEL": "INFO",
        **getattr(request.module, "WORKER_ENV", {}),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "ouderportaal", "worker", "--pool=solo",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
         f"--pidfile={pidfile}", f"--logfile={logfile}"],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    _use_broker(app, eager=False, prefix=prefix)
    try:
        # Generous: on a loaded shared machine importing Django alone can take 15 s.
        deadline = time.monotonic() + 90
        while "ready." not in (logfile.read_text() if logfile.exists() else ""):
            if proc.poll() is not None or time.monotonic() > deadline:
                log = logfile.read_text() if logfile.exists() else "(no log written)"
                raise RuntimeError("worker did not start:\n" + log)
            time.sleep(0.1)
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        _use_broker(app, eager=True, prefix=None)
        if os.environ.get("SHOW_WORKER_LOG"):
            print(logfile.read_text())


def run_in_worker(task, *args, timeout: float = 60):
    """Send `task` to the test worker and wait until the worker reports it done.

    Returns the task's return value. A test that checks a second run changed nothing waits for
    that run to finish, instead of sleeping and hoping it has.
    """
    from celery.backends.redis import RedisBackend
    from celery.result import AsyncResult

    from ouderportaal.celery import app

    backend = RedisBackend(app=app, url=os.environ["REDIS_URL"])
    sent = task.apply_async(args, ignore_result=False)
    try:
        return AsyncResult(sent.id, app=app, backend=backend).get(timeout=timeout)
    finally:
        backend.client.delete(backend.get_key_for_task(sent.id))


def wait_until(predicate, timeout: float = 30, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError("condition not met in time")
