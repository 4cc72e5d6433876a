"""`make bench-profile`: time and profile each key page through the test client.

Not a load test: one process asks each page REPEAT times (after WARMUP requests) through
Django's test client with the full middleware, on a database seeded by `seed_region`
(`--children PROFILE_CHILDREN`, default 30,000, seeded when the database holds no region).
Per page it prints the median and mean milliseconds per request and the number of SQL
queries of one request; with PROFILE_TOP=N it also writes a cProfile listing of the N most
expensive functions per page to bench/out/profile-<page>.txt. The machine's load average is
printed with the figures (the machine is shared). Nothing is sent over the network.

    DATABASE_URL=postgres://… .venv/bin/python bench/profile_pages.py [page …]
"""

import cProfile
import io
import json
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
CHILDREN = int(os.environ.get("PROFILE_CHILDREN", "30000"))
REPEAT = int(os.environ.get("PROFILE_REPEAT", "20"))
BUDGET = float(os.environ.get("PROFILE_SECONDS", "15"))  # per page; at least 3 requests
WARMUP = int(os.environ.get("PROFILE_WARMUP", "3"))
TOP = int(os.environ.get("PROFILE_TOP", "0"))
QUESTION_LINK = re.compile(r"/vragen/triage/([0-9a-f-]{36})/")
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _setup() -> None:
    """Production settings (DEBUG off, as the bench's gunicorn runs), the test client's host."""
    from bench.common import BENCH_SECRET_KEY

    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "ouderportaal.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": BENCH_SECRET_KEY,
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()


def _seed() -> None:
    from django.core.management import call_command

    from families.models import Family

    call_command("migrate", verbosity=0, interactive=False)
    if not Family.objects.filter(name__startswith="Regio ").exists():
        call_command("seed_region", children=CHILDREN, log_days=2)


def _people() -> tuple:
    """A seeded parent with a child, and a seeded nurse in a team with open questions."""
    from django.test import Client

    from accounts.models import User
    from accounts.services import activate_totp
    from afspraken.models import AppointmentType, Location
    from bench.common import join_teams
    from families.models import Child
    from vragen.models import Question

    parent = (
        User.objects.filter(email__startswith="ouder", email__endswith="@seed-region.example")
        .exclude(family=None)
        .order_by("pk")
        .first()
    )
    child = Child.objects.filter(family_id=parent.family_id).first()
    nurse = (
        User.objects.filter(email__startswith="vpk", email__endswith="@seed-region.example")
        .order_by("pk")
        .first()
    )
    join_teams([nurse.pk])
    if not nurse.authenticator_set.exists():
        activate_totp(user=nurse, secret=TOTP_SECRET)
    open_question = None
    client = Client()
    client.force_login(nurse)
    listed = QUESTION_LINK.findall(client.get("/vragen/triage/").text)
    if listed:  # a question of this nurse's queue, as the load bench picks one
        open_question = Question.objects.get(pk=listed[0])
    return {
        "parent": parent,
        "nurse": nurse,
        "child": child,
        "type": AppointmentType.objects.get(name="Consult"),
        "location": Location.objects.order_by("pk").first(),
        "question": open_question,
    }


def pages(people: dict) -> list[tuple[str, str, str]]:
    """(name, who, url) of every key page."""
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    nurse = people["nurse"].pk
    booking = (
        f"/afspraken/maken/tijden/?child={people['child'].pk}&type={people['type'].pk}"
        f"&location={people['location'].pk}&week={monday.isoformat()}"
    )
    found = [
        ("health", "", "/health/"),
        ("parent home", "parent", "/gezin/"),
        ("booking start", "parent", "/afspraken/maken/"),
        ("booking week", "parent", booking),
        ("agenda day", "nurse", f"/afspraken/agenda/?professional={nurse}"),
        ("agenda week", "nurse", f"/afspraken/agenda/?view=week&professional={nurse}"),
        ("triage queue", "nurse", "/vragen/triage/"),
        ("triage queue (filters)", "nurse", "/vragen/triage/?urgency=3&status=open"),
        ("triage queue (search)", "nurse", "/vragen/triage/?q=slapen"),
        ("planning list", "nurse", "/contactmomenten/planning/"),
        ("planning list (all teams)", "nurse", "/contactmomenten/planning/?team="),
    ]
    if people["question"] is not None:
        found.append(("staff question", "nurse", f"/vragen/triage/{people['question'].pk}/"))
    return found


def measure(client, url: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUP):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    count = len(queries.captured_queries)  # now: the next request clears the log
    times = []
    profile = cProfile.Profile() if TOP else None
    begin = time.perf_counter()
    for n in range(REPEAT):
        if n >= 3 and time.perf_counter() - begin > BUDGET:
            break
        started = time.perf_counter()
        client.get(url)
        times.append(1000 * (time.perf_counter() - started))
    for _ in range(3 if profile else 0):  # apart: the profiler slows the timed requests
        profile.enable()
        client.get(url)
        profile.disable()
    result = {
        "median_ms": round(statistics.median(times), 1),
        "mean_ms": round(statistics.fmean(times), 1),
        "queries": count,
        "requests": len(times),
    }
    if profile:
        listing = io.StringIO()
        pstats.Stats(profile, stream=listing).sort_stats("cumulative").print_stats(TOP)
        result["profile"] = listing.getvalue()
    return result


def main(only: list[str]) -> int:
    _setup()
    from django.test import Client

    from bench.common import load_average
    from families.models import Child

    _seed()
    people = _people()
    clients = {"": Client()}
    for who in ("parent", "nurse"):
        clients[who] = Client()
        clients[who].force_login(people[who])
    results = {
        "load_before": load_average(),
        "children": Child.objects.count(),
        "repeat": REPEAT,
        "pages": [],
    }
    print(f"{'page':<28}{'median ms':>10}{'mean ms':>9}{'queries':>9}", flush=True)
    for name, who, url in pages(people):
        if only and name not in only:
            continue
        figures = measure(clients[who], url)
        profile = figures.pop("profile", None)
        if profile:
            OUT.mkdir(exist_ok=True)
            slug = name.replace(" ", "-").replace("(", "").replace(")", "")
            (OUT / f"profile-{slug}.txt").write_text(profile)
        results["pages"].append({"page": name, **figures})
        print(
            f"{name:<28}{figures['median_ms']:>10}{figures['mean_ms']:>9}{figures['queries']:>9}",
            flush=True,
        )
    results["load_after"] = load_average()
    print(
        f"\n{results['children']} children; {REPEAT} requests a page; load average "
        f"{results['load_before']} before, {results['load_after']} after"
    )
    OUT.mkdir(exist_ok=True)
    (OUT / "profile-pages.json").write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
