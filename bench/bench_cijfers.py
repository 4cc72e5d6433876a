"""Figures bench: every figures page on a seeded region, read from the aggregate tables.

Seeds a region with `manage.py seed_region` (`BENCH_CIJFERS_SCALE`, default 0.05: 50,000
appointments and 15,000 questions; 1 is the full 1,000,000 / 300,000), rebuilds the
aggregates, then times each figures page for a manager over one year with the comparison on
(the widest ordinary view) and counts its queries. Each page must answer in under 300 ms
(median of 5, in process, after one warm-up) with a bounded number of queries.
"""

import os
import statistics
import time
from datetime import timedelta

import django

AREAS = ("vragen", "afspraken", "bereik", "nieuwsbrieven", "tevredenheid")
BUDGET_MS = 300
MAX_QUERIES = 40


def run() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ouderportaal.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import RoleChange, User
    from accounts.services import activate_totp, change_roles
    from afspraken.models import Appointment
    from cijfers.services import rebuild_figures
    from vragen.models import Question

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0, interactive=False)
    scale = float(os.environ.get("BENCH_CIJFERS_SCALE", "0.05"))
    started = time.perf_counter()
    call_command("seed_region", scale=scale, years=5, clear=True, verbosity=0)
    seeded = time.perf_counter() - started
    started = time.perf_counter()
    rebuild_figures()
    rebuilt = time.perf_counter() - started
    print(
        f"seeded {Appointment.objects.count():,} appointments and "
        f"{Question.objects.count():,} questions in {seeded:.0f} s; "
        f"rebuild_figures (2 years inside retention) {rebuilt:.1f} s"
    )

    manager, created = User.objects.get_or_create(email="bench-cijfers@example.org")
    change_roles(
        actor=None,
        user=manager,
        role=User.Role.MANAGER,
        extra_roles=[],
        source=RoleChange.Source.COMMAND,
    )
    if created:
        activate_totp(user=manager, secret=settings.DEMO_TOTP_SECRET)
    client = Client()
    client.force_login(manager)
    end = timezone.localdate()
    query = {"start": (end - timedelta(days=365)).isoformat(), "end": end.isoformat()}
    query["compare"] = "on"
    failures = 0
    baseline = []
    for _i in range(6):
        started = time.perf_counter()
        client.get("/health/")
        baseline.append((time.perf_counter() - started) * 1000)
    # The machine is shared: the one-query /health/ view in the same run is the yardstick.
    print(f"{'/health/ (baseline)':28} {statistics.median(baseline[1:]):6.0f} ms")
    for area in AREAS:
        url = f"/cijfers/{area}/"
        client.get(url, query)
        timings = []
        for _i in range(5):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url, query)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        ms = statistics.median(timings)
        ok = ms < BUDGET_MS and len(queries) <= MAX_QUERIES
        failures += not ok
        print(
            f"{url:28} {ms:6.0f} ms  {len(queries):3d} queries  "
            f"{'ok' if ok else 'TOO SLOW'} (budget {BUDGET_MS} ms, {MAX_QUERIES} queries)"
        )
    print("figures pages: all within budget" if not failures else f"{failures} page(s) over budget")
