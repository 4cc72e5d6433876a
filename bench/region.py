"""`make bench-region`: a whole region on one box under mixed evening load.

1. Seeds the region when the database holds none (`seed_region --children
   BENCH_REGION_CHILDREN`, default 3,000: iterate small; 300000 is a GGD region).
2. Makes the bench accounts: BENCH_REGION_PARENTS parents and BENCH_REGION_STAFF nurses of
   the seed get a password (staff also TOTP); their ids go to a JSON file for the locustfile.
3. Starts gunicorn (BENCH=1 routes the baseline view; trusts one proxy so every simulated
   person has an address of its own), a Celery worker with beat, and a local SMTP sink, all
   on 127.0.0.1.
4. Runs Locust headless (bench/locustfile.py, FastHttpUser) with BENCH_REGION_USERS users for
   BENCH_REGION_SECONDS, bounded; measures the load generator's own CPU.
5. Prints per page: requests, p50/p95/p99, errors, and the ratio to the baseline view
   (baseline mean response time / page mean: how many of this page one worker serves per
   baseline request), and writes bench/out/region.json.
"""

import csv
import json
import os
import secrets
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
PY = sys.executable
CHILDREN = int(os.environ.get("BENCH_REGION_CHILDREN", "3000"))
PARENTS = int(os.environ.get("BENCH_REGION_PARENTS", "300"))
STAFF = int(os.environ.get("BENCH_REGION_STAFF", "40"))
USERS = int(os.environ.get("BENCH_REGION_USERS", "120"))
SECONDS = int(os.environ.get("BENCH_REGION_SECONDS", "120"))
WORKERS = int(os.environ.get("BENCH_REGION_WORKERS", "3"))
PASSWORD = "bench-" + secrets.token_urlsafe(12)
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PAGES_PARENT = {
    "parent home", "questions list", "question thread", "ask", "ask (send)", "booking start",
    "booking week", "booking confirm", "booking confirm (send)", "appointment",
}  # fmt: skip


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ouderportaal.settings")
    import django

    django.setup()


def seed() -> dict:
    from django.core.management import call_command

    from families.models import Family

    call_command("migrate", verbosity=0, interactive=False)
    if Family.objects.filter(name__startswith="Regio ").exists():
        return {"seeded": "already"}
    started = time.monotonic()
    call_command(
        "seed_region",
        children=CHILDREN,
        log_days=int(os.environ.get("BENCH_REGION_LOG_DAYS", "7")),
    )
    return {"seed_seconds": round(time.monotonic() - started)}


def accounts() -> Path:
    """Bench passwords (one hash for all), verified addresses, TOTP for the staff."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import User
    from accounts.services import activate_totp
    from afspraken.models import Appointment, AppointmentType, Location
    from bench.common import join_teams
    from families.models import Child
    from onderwerpen.models import Topic
    from privacy.youth import hide_youth_private_questions
    from vragen.models import Question

    hashed = make_password(PASSWORD)
    parents = list(
        User.objects.filter(email__startswith="ouder", email__endswith="@seed-region.example")
        .order_by("pk")
        .values_list("pk", "email", "family_id")[:PARENTS]
    )
    staff = list(
        User.objects.filter(email__startswith="vpk", email__endswith="@seed-region.example")
        .order_by("pk")
        .values_list("pk", "email")[:STAFF]
    )
    ids = [pk for pk, *_ in parents] + [pk for pk, _ in staff]
    User.objects.filter(pk__in=ids).update(password=hashed)
    EmailAddress.objects.filter(user_id__in=ids).delete()
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=pk, email=email, verified=True, primary=True)
            for pk, email, *_ in parents + staff
        ]
    )
    for user in User.objects.filter(pk__in=[pk for pk, _ in staff]):
        if not user.authenticator_set.exists():
            activate_totp(user=user, secret=TOTP_SECRET)
    # Every nurse works in a team: without one, the triage queue lists no question of the
    # seeded families, and the bench found no question page to open.
    join_teams([pk for pk, _ in staff])
    families = [family for _, _, family in parents]
    children = dict(Child.objects.filter(family_id__in=families).values_list("family_id", "pk"))
    questions, appointments = {}, {}
    # Only questions a parent may open: from 16, a youth's own questions are theirs alone.
    visible = hide_youth_private_questions(Question.objects.filter(family_id__in=families))
    for family, pk in visible.values_list("family", "pk"):
        questions.setdefault(family, []).append(str(pk))
    for family, pk in Appointment.objects.filter(family_id__in=families).values_list(
        "family", "pk"
    ):
        appointments.setdefault(family, []).append(str(pk))
    today = timezone.localdate()
    users = {
        "password": PASSWORD,
        "totp": TOTP_SECRET,
        "today": (today - timedelta(days=today.weekday())).isoformat(),
        "type": str(AppointmentType.objects.get(name="Consult").pk),
        "locations": [str(pk) for pk in Location.objects.values_list("pk", flat=True)[:20]],
        "topics": [str(pk) for pk in Topic.objects.values_list("pk", flat=True)],
        "open_questions": [
            str(pk)
            for pk in Question.objects.filter(status="open").values_list("pk", flat=True)[:200]
        ],
        "parents": [
            {
                "email": email,
                "child": str(children[family]),
                "questions": questions.get(family, [])[:5],
                "appointments": appointments.get(family, [])[:5],
            }
            for _, email, family in parents
            if family in children
        ],
        "staff": [{"email": email, "id": pk} for pk, email in staff],
    }
    OUT.mkdir(exist_ok=True)
    path = OUT / "region-users.json"
    path.write_text(json.dumps(users))
    return path


def _cpu_seconds(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_load(base: str, users_file: Path) -> tuple[list[dict], float]:
    prefix = OUT / "region"
    logins = OUT / "region-logins.json"
    env = {**os.environ, "BENCH_REGION_USERS": str(users_file), "BENCH_REGION_LOGINS": str(logins)}
    cmd = [
        str(Path(PY).parent / "locust"),
        "-f", str(ROOT / "bench" / "locustfile.py"),
        "--headless", "--only-summary", "--reset-stats",
        "-u", str(USERS), "-r", str(max(1, USERS // 60)),
        "-t", f"{SECONDS}s", "--stop-timeout", "10",
        "--host", base, "--csv", str(prefix),
        "--loglevel", "WARNING",
    ]  # fmt: skip
    started = time.monotonic()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT)
    cpu = 0.0
    while proc.poll() is None:
        try:
            cpu = _cpu_seconds(proc.pid)
        except OSError:
            break
        time.sleep(1)
    wall = time.monotonic() - started
    with open(f"{prefix}_stats.csv") as handle:
        rows = list(csv.DictReader(handle))
    times = sorted(json.loads(logins.read_text())) if logins.exists() else []
    if times:
        rows.append(
            {
                "Name": "login (whole, during ramp-up)",
                "Request Count": len(times),
                "Failure Count": 0,
                "Requests/s": 0,
                "Average Response Time": 1000 * sum(times) / len(times),
                "50%": 1000 * times[len(times) // 2],
                "95%": 1000 * times[int(len(times) * 0.95)],
                "99%": 1000 * times[int(len(times) * 0.99)],
            }
        )
    return rows, cpu / wall


def _who(name: str) -> str:
    if name in PAGES_PARENT:
        return "parent"
    return "" if "login" in name or name == "baseline" else "staff"


def report(rows: list[dict], generator_cpu: float, extra: dict) -> dict:
    by_name = {
        row["Name"]: row
        for row in rows
        if row["Name"] != "Aggregated" and int(row["Request Count"] or 0)
    }
    baseline = float(by_name.get("baseline", {}).get("Average Response Time") or 0)
    pages = []
    for name, row in sorted(by_name.items()):
        mean = float(row["Average Response Time"] or 0)
        pages.append(
            {
                "page": name,
                "who": "parent"
                if name in PAGES_PARENT
                else ""
                if "login" in name or name == "baseline"
                else "staff",
                "requests": int(row["Request Count"]),
                "errors": int(row["Failure Count"]),
                "req_s": round(float(row["Requests/s"]), 1),
                "p50_ms": float(row["50%"] or 0),
                "p95_ms": float(row["95%"] or 0),
                "p99_ms": float(row["99%"] or 0),
                "ratio": round(baseline / mean, 2) if mean and baseline else None,
            }
        )
    total = next(row for row in rows if row["Name"] == "Aggregated")
    result = {
        **extra,
        "total_req_s": round(float(total["Requests/s"]), 1),
        "total_errors": int(total["Failure Count"]),
        "p95_ms": float(total["95%"] or 0),
        "generator_cpu_cores": round(generator_cpu, 2),
        "pages": pages,
    }
    print(f"\n{'page':<26}{'who':<8}{'requests':>9}{'req/s':>8}{'p50':>7}{'p95':>7}"
          f"{'p99':>7}{'errors':>8}{'ratio':>7}")  # fmt: skip
    for page in pages:
        print(
            f"{page['page']:<26}{page['who']:<8}{page['requests']:>9}{page['req_s']:>8}"
            f"{page['p50_ms']:>7.0f}{page['p95_ms']:>7.0f}{page['p99_ms']:>7.0f}"
            f"{page['errors']:>8}{page['ratio'] if page['ratio'] is not None else '':>7}"
        )
    print(
        f"\ntotal {result['total_req_s']} req/s, p95 {result['p95_ms']:.0f} ms, errors "
        f"{result['total_errors']}; load generator {result['generator_cpu_cores']} cores; "
        f"access log {extra.get('access_log_rows_per_hour', '?')} rows/h at this load"
    )
    (OUT / "region.json").write_text(json.dumps(result, indent=2))
    print(f"written {OUT / 'region.json'}")
    return result


def service_env(smtp_port: int) -> dict:
    """For gunicorn and the worker: the baseline view, one trusted proxy (every simulated
    person has an address of its own), kept connections, mail to the local sink."""
    return {
        "BENCH": "1",
        "TRUSTED_PROXY_COUNT": "1",
        "DATABASE_CONN_MAX_AGE": "60",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
    }


def main() -> None:
    _django()
    from django.db import connection

    from bench.common import free_port, gunicorn, load_average, start_worker, stop_worker

    extra = {
        "children": CHILDREN,
        "users": USERS,
        "seconds": SECONDS,
        "load_before": load_average(),
    }
    extra.update(seed())
    users_file = accounts()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        extra["database_size"] = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM privacy_accesslog")
        log_before = cursor.fetchone()[0]
    connection.close()
    smtp_port = free_port()
    env = service_env(smtp_port)
    OUT.mkdir(exist_ok=True)
    sink = subprocess.Popen(
        [PY, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{smtp_port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker = start_worker(env, OUT / "celery.log")
    try:
        with gunicorn(env=env, workers=WORKERS) as base:
            rows, generator_cpu = run_load(base, users_file)
    finally:
        stop_worker(worker)
        sink.terminate()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM privacy_accesslog")
        written = cursor.fetchone()[0] - log_before
    extra["access_log_rows_per_hour"] = round(written * 3600 / SECONDS)
    extra["load_after"] = load_average()
    report(rows, generator_cpu, extra)


if __name__ == "__main__":
    main()
