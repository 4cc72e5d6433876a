"""Questions bench: the staff triage queue with 100,000 questions in the table.

Prints req/s of the queue page (`/vragen/triage/`, first page: open questions by urgency
then waiting time, counts per status) as a ratio to `/health/` (a one-query view) on the
same gunicorn in the same run. About 30% of the questions are open, the rest closed or
answered, so the partial index on open questions carries the sort.
"""

import os
import random
import time
import urllib.request
from datetime import timedelta

import django

from bench.common import BENCH_SECRET_KEY

QUESTIONS = 100_000
FAMILIES = 2_000
PREFIX = "Bench vragen "
REF_PREFIX = "X"  # real references start with "V"
# gunicorn runs with DEBUG off and this key; the session cookie must be signed with it too.
SECRET_KEY = BENCH_SECRET_KEY


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ouderportaal.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _clean():
    from django.db import connection

    from accounts.models import User
    from families.models import Family

    with connection.cursor() as cursor:
        for table in ("vragen_event", "vragen_message", "vragen_internalnote", "vragen_feedback"):
            cursor.execute(
                f"DELETE FROM {table} WHERE question_id IN "  # noqa: S608 - fixed table names
                "(SELECT id FROM vragen_question WHERE reference LIKE %s)",
                [REF_PREFIX + "%"],
            )
        cursor.execute("DELETE FROM vragen_question WHERE reference LIKE %s", [REF_PREFIX + "%"])
    User.objects.filter(email__startswith="bench-vragen-").delete()
    Family.objects.filter(name__startswith=PREFIX).delete()


def _prepare():
    """Rebuilt each run: 2,000 families with a child each, 100,000 questions, one nurse."""
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from accounts.services import activate_totp, set_role
    from families.ages import add_months
    from families.models import Child, Family
    from onderwerpen.models import Topic
    from vragen.models import Question, Urgency

    _clean()
    nurse = User.objects.create_user(email="bench-vragen-nurse@example.org", first_name="Bench")
    set_role(user=nurse, role=User.Role.NURSE)
    activate_totp(user=nurse, secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    families = Family.objects.bulk_create(
        [Family(name=f"{PREFIX}{i}") for i in range(FAMILIES)], batch_size=1000
    )
    today = timezone.localdate()
    rng = random.Random(42)
    children = Child.objects.bulk_create(
        [
            Child(
                family=family,
                first_name="Kind",
                date_of_birth=add_months(today, -rng.randint(0, 200)),
            )
            for family in families
        ],
        batch_size=1000,
    )
    topics = list(Topic.objects.all())
    now = timezone.now()
    S = Question.Status
    statuses = [S.CLOSED] * 6 + [S.ANSWERED, S.OPEN, S.OPEN, S.WAITING]
    batch = []
    for i in range(QUESTIONS):
        status = rng.choice(statuses)
        f = i % FAMILIES
        asked = now - timedelta(minutes=rng.randint(1, 60 * 24 * 365))
        batch.append(
            Question(
                reference=f"{REF_PREFIX}{i:07d}",
                family=families[f],
                child=children[f] if i % 5 else None,
                topic=rng.choice(topics),
                text="Een vraag over slapen, eten of groeien.",
                status=status,
                urgency=rng.choice(list(Urgency.values)),
                assignee=nurse if i % 50 == 0 else None,
                created_at=asked,
                queued_at=asked,
                deadline_at=asked + timedelta(hours=rng.randint(4, 72)),
                waiting_since=asked if status == S.WAITING else None,
                closed_at=asked + timedelta(days=2) if status == S.CLOSED else None,
            )
        )
        if len(batch) == 10_000:
            Question.objects.bulk_create(batch)
            batch = []
    if batch:
        Question.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        # What autovacuum does in production: statistics, and the visibility map that lets
        # the counts per status read only the partial index.
        cursor.execute("VACUUM ANALYZE vragen_question")
    return nurse


def _session_cookie(user) -> str:
    from django.test import Client, override_settings

    with override_settings(SECRET_KEY=SECRET_KEY):
        client = Client()
        client.force_login(user)
        return client.cookies["sessionid"].value


def run() -> None:
    from bench.common import gunicorn, wrk_rps

    _setup_django()
    started = time.monotonic()
    nurse = _prepare()
    print(f"prepared {QUESTIONS:,} questions in {time.monotonic() - started:.1f}s")
    from django.db import connections

    session = _session_cookie(nurse)
    connections.close_all()
    headers = {"Cookie": f"sessionid={session}"}
    try:
        with gunicorn(env={"DJANGO_SECRET_KEY": SECRET_KEY}) as base:
            queue_url = f"{base}/vragen/triage/"
            body = (
                urllib.request.urlopen(urllib.request.Request(queue_url, headers=headers))
                .read()
                .decode()
            )
            assert "vragen-queue" in body, "the queue did not render for the bench nurse"
            health = wrk_rps(base + "/health/")
            queue = wrk_rps(queue_url, headers=headers)
    finally:
        _clean()
    print(f"/health/                         {health:8.0f} req/s")
    print(f"triage queue (100k questions)    {queue:8.0f} req/s")
    print(f"ratio queue / health             {queue / health:8.2f}")
