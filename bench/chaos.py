"""`make chaos`: the mixed load of `make bench-region` while the services fail one by one.

Seeds and starts everything as bench/region.py does (gunicorn, a Celery worker with beat, an
SMTP sink, Locust headless; all on 127.0.0.1, against the PostgreSQL and Redis that
scripts/with-services.sh started for this run). After a warm-up of WARMUP seconds, for
CHAOS_SECONDS (default 600) it injects, on this schedule (seconds into the run, scaled by
CHAOS_SECONDS / 600 when shorter):

     30-330  the SMTP sink refuses every recipient (451)
     60      kill -9 one gunicorn worker
    120-150  kill -9 the Celery worker (with its beat and pool), started again at 150
    200-260  Redis stopped, started again at 260 (empty: it keeps nothing on disk)
    360      PostgreSQL restarted (pg_ctl restart -m fast)

Then it stops the load, waits (at most CHAOS_DRAIN_SECONDS) for the outbox to drain, and
counts from the client's request log, the database and the sink: questions and bookings the
client saw succeed against rows stored, mails at the sink against outbox rows (duplicates,
missing), every 5xx with its time and the outage window it fell in, and how long each
component took to recover. Prints a table and writes bench/out/chaos.json.
"""

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import region  # noqa: E402 - needs the path above

OUT = region.OUT
PY = region.PY
SECONDS = int(os.environ.get("CHAOS_SECONDS", "600"))
DRAIN_SECONDS = int(os.environ.get("CHAOS_DRAIN_SECONDS", "900"))
USERS = int(os.environ.get("CHAOS_USERS", "30"))
WORKERS = region.WORKERS
# Every simulated person logs in first (PBKDF2, ~0.5 s of a core each): before the injections.
WARMUP = 60
SCALE = min(1.0, SECONDS / 600)
# Grace after a component is back before a 5xx counts as outside its window.
GRACE = 5
SUCCEEDED = re.compile(
    r"^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}): INFO/[^]]+\] Task \S+ succeeded"
)
OUTBOX_ID = re.compile(r"<outbox-(\d+)@")
NEWSLETTER_ID = re.compile(r"<nieuwsbrief-(\d+)@")


def plan() -> list[tuple[float, str]]:
    steps = [
        (30, "smtp refuse"),
        (60, "gunicorn kill"),
        (120, "celery kill"),
        (150, "celery start"),
        (200, "redis stop"),
        (260, "redis start"),
        (330, "smtp accept"),
        (360, "postgres restart"),
    ]
    return [(round(at * SCALE, 1), action) for at, action in steps]


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.getuid() == 0 else cmd


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def _cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


class Services:
    """The servers under test, all local: what is stopped here is started here again."""

    def __init__(self, env: dict, smtp_port: int):
        self.pg_data = os.environ["WITH_SERVICES_PG_DATA"]
        self.pgbin = os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin")
        self.redis_dir = os.environ["WITH_SERVICES_REDIS_DIR"]
        self.redis_port = urlparse(os.environ["REDIS_URL"]).port
        self.env = env
        self.smtp_port = smtp_port
        self.refuse = OUT / "chaos-smtp-refuse"
        self.received = OUT / "chaos-received.jsonl"
        self.worker_log = OUT / "chaos-celery.log"
        self.worker = None
        self.sink = None

    def start_sink(self) -> None:
        self.refuse.unlink(missing_ok=True)
        self.received.unlink(missing_ok=True)
        self.sink = subprocess.Popen(
            [PY, str(ROOT / "bench" / "chaos_sink.py"), str(self.smtp_port),
             str(self.received), str(self.refuse)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    def start_worker(self) -> None:
        from bench.common import start_worker

        self.worker = start_worker(self.env, self.worker_log, loglevel="INFO")

    def kill_worker(self, sig=signal.SIGKILL) -> None:
        """The worker, its pool and its beat: the whole process group."""
        from bench.common import stop_worker

        stop_worker(self.worker, sig)

    def redis(self, action: str) -> None:
        if action == "stop":
            subprocess.run(
                ["redis-cli", "-p", str(self.redis_port), "shutdown", "nosave"],
                capture_output=True, timeout=20,
            )  # fmt: skip
        else:
            subprocess.run(
                ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
                 "--daemonize", "yes", "--save", "", "--appendonly", "no",
                 "--dir", self.redis_dir, "--logfile", f"{self.redis_dir}/redis.log"],
                check=True, timeout=20,
            )  # fmt: skip

    def redis_has_cache_key(self) -> bool:
        """Django's cache keys (":1:...") are in Redis again: the web is back on it."""
        import redis

        try:
            client = redis.Redis(port=self.redis_port, socket_timeout=1)
            return next(client.scan_iter(match=":1:*", count=1000), None) is not None
        except redis.RedisError:
            return False

    def restart_postgres(self) -> None:
        log = str(Path(self.pg_data).parent / "run" / "log")
        subprocess.run(
            _as_postgres([f"{self.pgbin}/pg_ctl", "-D", self.pg_data, "-l", log, "-m", "fast",
                          "-w", "-t", "60", "restart"]),
            check=True, capture_output=True, timeout=90,
        )  # fmt: skip

    def stop(self) -> None:
        if self.worker is not None and self.worker.poll() is None:
            self.kill_worker(signal.SIGTERM)
        if self.sink is not None:
            self.sink.terminate()
            self.sink.wait(timeout=10)
        self.refuse.unlink(missing_ok=True)


def gunicorn_workers() -> list[int]:
    masters = [pid for pid in _children(os.getpid()) if "gunicorn" in _cmdline(pid)]
    return sorted(pid for master in masters for pid in _children(master))


def run_chaos(base: str, users_file: Path, services: Services, log: Path) -> dict:
    """Locust for WARMUP + SECONDS, the injections on the plan; returns what happened when."""
    env = {**os.environ, "BENCH_REGION_USERS": str(users_file), "CHAOS_REQUESTS": str(log)}
    cmd = [
        str(Path(PY).parent / "locust"),
        "-f", str(ROOT / "bench" / "chaos_locustfile.py"),
        "--headless", "--only-summary",
        "-u", str(USERS), "-r", str(max(1, USERS // 10)),
        "-t", f"{WARMUP + SECONDS}s", "--stop-timeout", "10",
        "--host", base, "--loglevel", "WARNING",
    ]  # fmt: skip
    with open(OUT / "chaos-locust.log", "w") as locust_log:
        locust = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=locust_log, stderr=locust_log)
    t0 = time.time() + WARMUP
    events: dict = {"t0": t0}
    pending = plan()
    watch_gunicorn: list[int] | None = None
    watch_redis = False
    try:
        while locust.poll() is None:
            now = time.time()
            while pending and now >= t0 + pending[0][0]:
                _, action = pending.pop(0)
                events[action] = time.time()
                print(f"  {events[action] - t0:6.1f} s  {action}", flush=True)
                if action == "smtp refuse":
                    services.refuse.touch()
                elif action == "smtp accept":
                    services.refuse.unlink(missing_ok=True)
                elif action == "gunicorn kill":
                    watch_gunicorn = gunicorn_workers()
                    events["gunicorn killed pid"] = watch_gunicorn[0]
                    os.kill(watch_gunicorn[0], signal.SIGKILL)
                elif action == "celery kill":
                    services.kill_worker()
                elif action == "celery start":
                    services.start_worker()
                elif action == "redis stop":
                    services.redis("stop")
                elif action == "redis start":
                    services.redis("start")
                    events["redis started"] = time.time()
                    watch_redis = True
                elif action == "postgres restart":
                    services.restart_postgres()
                    events["postgres back"] = time.time()
            if watch_gunicorn is not None:
                current = gunicorn_workers()
                if len(current) == WORKERS and set(current) - set(watch_gunicorn):
                    events["gunicorn up"] = time.time()
                    watch_gunicorn = None
            if watch_redis and services.redis_has_cache_key():
                events["redis cache key"] = time.time()
                watch_redis = False
            time.sleep(0.25)
        locust.wait()
    finally:
        if locust.poll() is None:
            locust.send_signal(signal.SIGINT)
            try:
                locust.wait(timeout=30)
            except subprocess.TimeoutExpired:
                locust.kill()
        services.refuse.unlink(missing_ok=True)
    events["load end"] = time.time()
    return events


def drain(started: float) -> float:
    """Wait (bounded) until no mail of this run is queued in the outbox; seconds waited."""
    from datetime import UTC, datetime

    from django.db import connection

    from outbox.models import OutgoingEmail

    connection.close()
    since = datetime.fromtimestamp(started, UTC)
    begin = time.time()
    while time.time() - begin < DRAIN_SECONDS:
        if not OutgoingEmail.objects.filter(
            status=OutgoingEmail.Status.QUEUED, created_at__gte=since
        ).exists():
            break
        time.sleep(5)
    return time.time() - begin


def _task_times(path: Path) -> list[float]:
    times = []
    if path.exists():
        for line in path.read_text(errors="replace").splitlines():
            found = SUCCEEDED.match(line)
            if found:
                at = time.mktime(time.strptime(found.group(1), "%Y-%m-%d %H:%M:%S"))
                times.append(at + int(found.group(2)) / 1000)
    return sorted(times)


def _first_after(times: list[float], after: float | None) -> float | None:
    if after is None:
        return None
    return next((t - after for t in times if t >= after), None)


def _end(request: dict) -> float:
    """When the answer (or the error) came: a request queued before an outage can fail in it."""
    return request["at"] + request["ms"] / 1000


def windows(events: dict) -> list[dict]:
    """Each outage: from the injection until the component was back (plus GRACE seconds)."""
    from django.conf import settings

    def span(name, start, end):
        if start is None or end is None:
            return None
        return {"name": name, "from": start - events["t0"], "to": end - events["t0"] + GRACE}

    tasks = _task_times(OUT / "chaos-celery.log")
    celery_back = events.get("celery start")
    if celery_back is not None:
        first = _first_after(tasks, celery_back)
        celery_back += first if first is not None else 0
    redis_back = events.get("redis start")
    if redis_back is not None:
        redis_back += settings.OUTAGE_RETRY_SECONDS
    found = [
        span("gunicorn worker killed", events.get("gunicorn kill"), events.get("gunicorn up")),
        span("celery worker down", events.get("celery kill"), celery_back),
        span("redis down", events.get("redis stop"), redis_back),
        span("postgres restart", events.get("postgres restart"), events.get("postgres back")),
        span("smtp refusing", events.get("smtp refuse"), events.get("smtp accept")),
    ]
    return [window for window in found if window]


def count(events: dict, log: Path, services: Services, drained: float) -> dict:
    from django.db import connection

    from afspraken.models import Appointment
    from outbox.models import OutgoingEmail
    from vragen.models import Question

    connection.close()
    t0 = events["t0"]
    requests = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    spans = windows(events)

    def window_of(at: float) -> str:
        rel = at - t0
        inside = [w["name"] for w in spans if w["from"] <= rel <= w["to"]]
        return ", ".join(inside) or "OUTSIDE every window"

    server_errors = [
        {"at": round(_end(r) - t0, 1), "page": r["name"], "status": r["status"],
         "window": window_of(_end(r))}
        for r in requests if r["status"] >= 500
    ]  # fmt: skip
    connection_errors = [
        {"at": round(_end(r) - t0, 1), "page": r["name"], "error": r["error"],
         "window": window_of(_end(r))}
        for r in requests if r["status"] == 0
    ]  # fmt: skip

    def seen(name: str) -> tuple[list[str], int]:
        ok = [r for r in requests if r["name"] == name and r["status"] == 200 and not r["error"]]
        return [r["landed"] for r in ok if r.get("landed")], len(ok)

    questions, questions_ok = seen("ask (send)")
    bookings, bookings_ok = seen("booking confirm (send)")
    stored_questions = set(
        str(pk) for pk in Question.objects.filter(pk__in=questions).values_list("pk", flat=True)
    )
    stored_bookings = set(
        str(pk) for pk in Appointment.objects.filter(pk__in=bookings).values_list("pk", flat=True)
    )

    from datetime import UTC, datetime

    since = datetime.fromtimestamp(t0 - WARMUP, UTC)
    rows = dict(OutgoingEmail.objects.filter(created_at__gte=since).values_list("pk", "status"))
    received = [
        json.loads(line)
        for line in services.received.read_text().splitlines()
        if line.strip()
    ] if services.received.exists() else []  # fmt: skip
    outbox_seen = Counter()
    newsletter_seen = Counter()
    other = 0
    for mail in received:
        if found := OUTBOX_ID.search(mail["message_id"]):
            outbox_seen[int(found.group(1))] += 1
        elif found := NEWSLETTER_ID.search(mail["message_id"]):
            newsletter_seen[int(found.group(1))] += 1
        else:
            other += 1
    missing = sorted(pk for pk in rows if pk not in outbox_seen)
    mail_times = sorted(mail["at"] for mail in received)

    tasks = _task_times(OUT / "chaos-celery.log")
    ok_times = sorted(_end(r) for r in requests if 200 <= r["status"] < 400)

    def recovery(component, since_event, measure, value):
        return {
            "component": component,
            "injected_at_s": round(events[since_event] - t0, 1) if since_event in events else None,
            "measure": measure,
            "seconds": round(value, 1) if value is not None else None,
        }

    kill = events.get("gunicorn kill")
    recoveries = [
        recovery("gunicorn worker (kill -9)", "gunicorn kill", "replacement worker up",
                 events["gunicorn up"] - kill if "gunicorn up" in events else None),
        recovery("gunicorn worker (kill -9)", "gunicorn kill", "first 2xx/3xx after the kill",
                 _first_after(ok_times, kill)),
        recovery("celery worker (kill -9, 30 s)", "celery kill", "restart -> first task done",
                 _first_after(tasks, events.get("celery start"))),
        recovery("redis (stopped 60 s)", "redis stop", "start -> first task done (broker)",
                 _first_after(tasks, events.get("redis start"))),
        recovery("redis (stopped 60 s)", "redis stop", "start -> cache back in Redis (web)",
                 events["redis cache key"] - events["redis started"]
                 if "redis cache key" in events else None),
        recovery("postgresql (restart)", "postgres restart", "restart took",
                 events["postgres back"] - events["postgres restart"]
                 if "postgres back" in events else None),
        recovery("postgresql (restart)", "postgres restart", "back -> first 2xx/3xx",
                 _first_after(ok_times, events.get("postgres back"))),
        recovery("postgresql (restart)", "postgres restart", "back -> first task done",
                 _first_after(tasks, events.get("postgres back"))),
        recovery("smtp (refusing 5 min)", "smtp refuse", "accepting -> first mail at the sink",
                 _first_after(mail_times, events.get("smtp accept"))),
    ]  # fmt: skip
    statuses = Counter(r["status"] for r in requests)
    return {
        "requests": len(requests),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "questions": {
            "client_saw_succeed": questions_ok,
            "with_id": len(questions),
            "stored": len(stored_questions),
            "lost": sorted(set(questions) - stored_questions),
        },
        "bookings": {
            "client_saw_succeed": bookings_ok,
            "with_id": len(bookings),
            "stored": len(stored_bookings),
            "lost": sorted(set(bookings) - stored_bookings),
        },
        "mail": {
            "outbox_rows": len(rows),
            "by_status": dict(Counter(rows.values())),
            "at_sink": len(received),
            "outbox_mails_at_sink": sum(outbox_seen.values()),
            "duplicates": sorted(pk for pk, n in outbox_seen.items() if n > 1)
            + [f"nieuwsbrief-{pk}" for pk, n in newsletter_seen.items() if n > 1],
            "missing": missing,
            "newsletter_mails_at_sink": sum(newsletter_seen.values()),
            "other_mails_at_sink": other,
            "drain_seconds": round(drained),
        },
        "server_errors": server_errors,
        "server_errors_outside_windows": sum(
            1 for e in server_errors if e["window"].startswith("OUTSIDE")
        ),
        "connection_errors": connection_errors,
        "windows": [{**w, "from": round(w["from"], 1), "to": round(w["to"], 1)} for w in spans],
        "recovery": recoveries,
    }


def report(result: dict) -> None:
    q, b, m = result["questions"], result["bookings"], result["mail"]
    print(
        f"\nchaos run: {result['seconds']} s of load after {WARMUP} s warm-up, {USERS} users, "
        f"{result['children']} children; load {result['load_before']} -> {result['load_after']}"
    )
    if result["scale"] < 1:
        print(f"outage windows scaled by {result['scale']:.2f} (CHAOS_SECONDS={SECONDS} < 600)")
    print(f"requests {result['requests']}, statuses {result['statuses']}")
    print(f"\n{'check':<44}{'client / expected':>18}{'stored / at sink':>18}{'result':>10}")
    rows = [
        ("questions sent (client saw 200)", q["with_id"], q["stored"], f"{len(q['lost'])} lost"),
        ("bookings made (client saw 200)", b["with_id"], b["stored"], f"{len(b['lost'])} lost"),
        ("outbox mails of the run", m["outbox_rows"], m["outbox_mails_at_sink"],
         f"{len(m['duplicates'])} dup"),
        ("  missing at the sink after the drain", "", len(m["missing"]), ""),
        ("5xx responses", result["statuses"].get("500", 0) + sum(
            v for k, v in result["statuses"].items() if k.startswith("5") and k != "500"),
         "", f"{result['server_errors_outside_windows']} outside"),
        ("connection errors (no response)", len(result["connection_errors"]), "", ""),
    ]  # fmt: skip
    for name, a, b_, verdict in rows:
        print(f"{name:<44}{a!s:>18}{b_!s:>18}{verdict:>10}")
    print(
        f"(outbox drained {m['drain_seconds']} s after the load; by status {m['by_status']}; "
        f"newsletter mails {m['newsletter_mails_at_sink']}, other {m['other_mails_at_sink']})"
    )
    print(f"\n{'component':<32}{'at s':>7}  {'recovery measure':<38}{'seconds':>8}")
    for rec in result["recovery"]:
        value = "" if rec["seconds"] is None else rec["seconds"]
        at = rec["injected_at_s"]
        print(f"{rec['component']:<32}{at!s:>7}  {rec['measure']:<38}{value!s:>8}")
    print("\nwindows (s into the run): " + "; ".join(
        f"{w['name']} {w['from']}-{w['to']}" for w in result["windows"]))  # fmt: skip
    for error in result["server_errors"]:
        print(f"  5xx at {error['at']} s {error['page']} ({error['status']}): {error['window']}")
    errors = Counter((e["page"], e["window"]) for e in result["connection_errors"])
    for (page, window), n in sorted(errors.items()):
        print(f"  no response x{n} {page}: {window}")
    (OUT / "chaos.json").write_text(json.dumps(result, indent=2, default=str))
    print(f"written {OUT / 'chaos.json'}")


def main() -> None:
    for name in ("WITH_SERVICES_PG_DATA", "WITH_SERVICES_REDIS_DIR"):
        if not os.environ.get(name):
            sys.exit(
                "make chaos stops and starts its own servers: run it through "
                f"scripts/with-services.sh without DATABASE_URL/REDIS_URL ({name} unset)"
            )
    region._django()
    from django.db import connection

    from bench.common import free_port, gunicorn

    result = {"children": region.CHILDREN, "users": USERS, "seconds": SECONDS,
              "scale": SCALE, "load_before": region._load()}  # fmt: skip
    result.update(region.seed())
    users_file = region.accounts()
    connection.close()
    smtp_port = free_port()
    env = region.service_env(smtp_port)
    OUT.mkdir(exist_ok=True)
    log = OUT / "chaos-requests.jsonl"
    log.unlink(missing_ok=True)
    (OUT / "chaos-celery.log").unlink(missing_ok=True)
    services = Services(env, smtp_port)
    services.start_sink()
    services.start_worker()
    print(f"chaos: {SECONDS} s (+{WARMUP} s warm-up), {USERS} users; plan (s): "
          + ", ".join(f"{at:g} {action}" for at, action in plan()), flush=True)  # fmt: skip
    try:
        with gunicorn(env=env, workers=WORKERS) as base:
            events = run_chaos(base, users_file, services, log)
        drained = drain(events["t0"] - WARMUP)
    finally:
        services.stop()
    result["load_after"] = region._load()
    result["events"] = {k: round(v - events["t0"], 1) for k, v in events.items() if k != "t0"
                        and isinstance(v, float)}  # fmt: skip
    result.update(count(events, log, services, drained))
    report(result)


if __name__ == "__main__":
    main()
