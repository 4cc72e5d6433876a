"""Shared bench helpers: a gunicorn on a free port, wrk against it, ratios in one run."""

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
# Made per run: production mode refuses any key written in the repository.
BENCH_SECRET_KEY = secrets.token_urlsafe(50)


def load_average() -> str:
    """The machine's load average (1, 5, 15 minutes): reported with every figure."""
    with open("/proc/loadavg") as handle:
        return " ".join(handle.read().split()[:3])


def start_worker(env: dict, logfile: Path, loglevel: str = "WARNING") -> subprocess.Popen:
    """A Celery worker with beat, on 127.0.0.1's Redis and database from `env`, in a process
    group of its own (worker, pool, beat), so `stop_worker` stops all of it."""
    env = {**os.environ, **env, "DJANGO_SECRET_KEY": BENCH_SECRET_KEY, "DJANGO_DEBUG": "0"}
    return subprocess.Popen(
        [str(Path(PY).parent / "celery"), "-A", "ouderportaal", "worker", "--beat",
         "--concurrency", "1", "--loglevel", loglevel, f"--logfile={logfile}"],
        env=env, cwd=ROOT, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def stop_worker(worker: subprocess.Popen, sig=signal.SIGTERM) -> None:
    """Signal the worker's whole process group and wait until it is gone (SIGKILL after 30 s),
    so a worker started next never meets one still shutting down."""
    try:
        os.killpg(worker.pid, sig)
    except ProcessLookupError:
        pass
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_wrk() -> str:
    if not shutil.which("wrk"):
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL
        )
    return shutil.which("wrk")


@contextmanager
def gunicorn(env: dict | None = None, workers: int = 2):
    """Serve the project with gunicorn (DEBUG off, the bench database) on a free port."""
    port = free_port()
    full_env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": BENCH_SECRET_KEY,
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "LOG_LEVEL": "WARNING",
        **(env or {}),
    }
    proc = subprocess.Popen(
        [
            PY,
            "-m",
            "gunicorn",
            "ouderportaal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=full_env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/health/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)


def wrk_rps(
    url: str, *, seconds: int = 8, connections: int = 8, headers: dict | None = None
) -> float:
    """Requests per second that wrk measured; fails if any response was not 2xx/3xx."""
    cmd = [ensure_wrk(), "-t1", f"-c{connections}", f"-d{seconds}s"]
    for key, value in (headers or {}).items():
        cmd += ["-H", f"{key}: {value}"]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx or 3xx responses" in out:
        raise RuntimeError(f"wrk saw errors for {url}:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def join_teams(user_ids) -> int:
    """Put bench professionals without a team into one, as every nurse works in a team: the
    team of the location of their schedule, else the teams in turn. Without a team the
    triage queue shows a nurse only families without a team, and the seeded region has none.
    Returns how many joined."""
    from afspraken.models import Schedule
    from teams.models import Team, TeamLocation, TeamMembership

    teams = list(Team.objects.order_by("name"))
    if not teams:
        return 0
    by_location = dict(TeamLocation.objects.values_list("location_id", "team_id"))
    members = set(TeamMembership.objects.values_list("user_id", flat=True))
    where = dict(Schedule.objects.filter(professional_id__in=user_ids).values_list(
        "professional_id", "location_id"
    ))  # fmt: skip
    joined = [
        TeamMembership(
            user_id=pk,
            team_id=by_location.get(where.get(pk)) or teams[n % len(teams)].pk,
        )
        for n, pk in enumerate(user_ids)
        if pk not in members
    ]
    TeamMembership.objects.bulk_create(joined)
    return len(joined)
