"""Redis stopped under a running stack: gunicorn, a Celery worker and beat of the test's own.

The stack gets a Redis server of its own (other test workers keep theirs), the pytest database
and an SMTP sink, and runs with DJANGO_DEBUG=0 as in production. With Redis stopped a parent
asks a question and books, a nurse logs in with a code and opens the queue; when Redis is back
the mails of the outage go out once, through the periodic flush that beat kept due.
"""

import os
import re
import secrets
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from outbox.models import OutgoingEmail
from tests.afspraken.factories import make_slot, slot_type
from tests.afspraken.factories import topic as afspraken_topic
from tests.conftest_worker import database_url, wait_until
from tests.factories import PASSWORD, make_child, make_parent, make_staff, totp_code
from tests.vragen.factories import topic
from vragen.models import Question

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
WORKER_FLAGS = ["--without-gossip", "--without-mingle", "--without-heartbeat"]


class Stack:
    def __init__(self, redis_url: str, smtp_port: int, directory):
        from bench.common import free_port

        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.directory = directory
        self.env = {
            **os.environ,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "SECURE_HSTS_SECONDS": "0",
            "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "DATABASE_URL": database_url(),
            "DATABASE_CONN_MAX_AGE": "0",
            "REDIS_URL": redis_url,
            "CELERY_BROKER_URL": redis_url,
            "CELERY_BROKER_KEYPREFIX": "",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "OUTAGE_RETRY_SECONDS": "5",
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }
        self.processes: dict[str, subprocess.Popen] = {}

    def log(self, name: str) -> str:
        path = self.directory / f"{name}.log"
        return path.read_text() if path.exists() else ""

    def _start(self, name: str, args: list[str]) -> None:
        with open(self.directory / f"{name}.log", "w") as log:
            self.processes[name] = subprocess.Popen(
                [sys.executable, "-m", *args], cwd=ROOT, env=self.env, stdout=log, stderr=log
            )

    def start(self) -> None:
        self._start("web", ["gunicorn", "ouderportaal.wsgi", "--bind", f"127.0.0.1:{self.port}",
                            "--workers", "1", "--threads", "4"])  # fmt: skip
        self._start("worker", ["celery", "-A", "ouderportaal", "worker", "--pool=solo",
                               "--loglevel=INFO", *WORKER_FLAGS])  # fmt: skip
        self._start("beat", ["celery", "-A", "ouderportaal", "beat", "--loglevel=INFO",
                             f"--schedule={self.directory / 'beat-schedule'}"])  # fmt: skip
        started = time.monotonic()
        deadline = started + 180  # three Django processes starting on a busy machine
        while not self._answers() or "ready." not in self.log("worker"):
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} stopped:\n{self.log(name)}")
            if time.monotonic() > deadline:
                raise RuntimeError("stack did not start:\n" + self.log("web") + self.log("worker"))
            time.sleep(0.2)
        print(f"stack started in {time.monotonic() - started:.1f} s")

    def _answers(self) -> bool:
        try:
            return requests.get(self.base + "/health/", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def stop(self) -> None:
        for process in self.processes.values():
            process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class Browser:
    """A requests session that fills in the CSRF token like a browser's form would."""

    def __init__(self, base: str):
        self.base = base
        self.session = requests.Session()

    def get(self, path: str) -> requests.Response:
        return self.session.get(self.base + path, allow_redirects=False, timeout=30)

    def post(self, path: str, data: dict) -> requests.Response:
        if "csrftoken" not in self.session.cookies:
            self.get(path)
        token = self.session.cookies["csrftoken"]
        return self.session.post(
            self.base + path,
            data={"csrfmiddlewaretoken": token, **data},
            headers={"Referer": self.base + path},
            allow_redirects=False,
            timeout=30,
        )

    def log_in(self, email: str) -> requests.Response:
        self.get("/accounts/login/")
        return self.post("/accounts/login/", {"login": email, "password": PASSWORD})


def _due_flush(name: str) -> None:
    """A daily outbox flush whose run is due now (its last run was two days ago)."""
    PeriodicTask.objects.create(
        name=name,
        task="outbox.tasks.flush_outbox_task",
        interval=IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.DAYS)[0],
        last_run_at=timezone.now() - timedelta(days=2),
    )


def _timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def test_portal_keeps_working_with_redis_stopped_and_mails_follow(
    own_redis, smtp_sink, tmp_path, deployed_hashers
):
    parent = make_parent()
    child = make_child(family=parent.family)
    nurse = make_staff()
    slot = make_slot()
    question_topic, talk_about = topic(), afspraken_topic()
    stack = Stack(own_redis.url, smtp_sink.port, tmp_path)
    stack.start()
    try:
        assert requests.get(stack.base + "/ready/", timeout=10).status_code == 200
        _due_flush("warm-up: beat has sent a job before the outage, as a running beat has")
        wait_until(lambda: "Sending due task warm-up" in stack.log("beat"), timeout=60)
        mum = Browser(stack.base)
        assert mum.log_in(parent.email).status_code == 302  # Redis in use: allauth's throttle

        own_redis.stop()
        assert requests.get(stack.base + "/health/", timeout=10).status_code == 200
        ready = requests.get(stack.base + "/ready/", timeout=10)
        assert ready.status_code == 503 and ready.json()["redis"] == "down"

        asked, ask_seconds = _timed(
            lambda: mum.post(
                "/vragen/nieuw/",
                {
                    "about": "parent",
                    "topic": question_topic.pk,
                    "channel": "online",
                    "text": "Onze dochter wordt elke nacht om drie uur wakker.",
                },
            )  # fmt: skip
        )
        assert asked.status_code == 302, asked.text[:500]
        booked, book_seconds = _timed(
            lambda: mum.post(
                f"/afspraken/maken/{slot.pk}/",
                {"child": child.pk, "type": slot_type(slot).pk, "topics": [talk_about.pk]},
            )
        )
        assert booked.status_code == 302, booked.text[:500]
        print(f"with Redis down: ask {ask_seconds:.2f} s, book {book_seconds:.2f} s")

        nurse_browser = Browser(stack.base)
        response = nurse_browser.log_in(nurse.email)
        assert response.status_code == 302 and "/2fa/" in response.headers["Location"]
        response = nurse_browser.post("/accounts/2fa/authenticate/", {"code": totp_code()})
        assert response.status_code == 302
        queue = nurse_browser.get("/vragen/triage/")
        assert queue.status_code == 200
        assert Question.objects.get(asked_by=parent).reference in queue.text

        # The outage's mails wait in the outbox; beat's flush falls due during the outage.
        outage_mails = list(OutgoingEmail.objects.values_list("pk", flat=True))
        assert len(outage_mails) == 2
        assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"queued"}
        OutgoingEmail.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=4))
        _due_flush("daily flush, due during the outage")
        wait_until(lambda: "stays due" in stack.log("beat"), timeout=60)

        own_redis.start()
        smtp_sink.wait_for(2, timeout=90)
        time.sleep(3)  # a duplicate would arrive by now
        assert len(smtp_sink.messages) == 2
        assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"sent"}
        assert requests.get(stack.base + "/ready/", timeout=10).status_code == 200
        assert "Internal Server Error" not in stack.log("web")
        assert not re.search(r"Gossip|mingle: searching", stack.log("worker"))
    finally:
        stack.stop()
        if os.environ.get("SHOW_WORKER_LOG"):
            for name in ("web", "worker", "beat"):
                print(f"--- {name}\n{stack.log(name)}")
