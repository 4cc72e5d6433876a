"""Newsletter throughput and crash safety (issue 5).

1. Send one edition to 100,000 generated parents through 2 Celery worker processes into
   Postfix's smtp-sink; print messages/s next to a plain smtplib loop over one connection
   into the same kind of sink in the same run, as a ratio.
2. Send a second edition, SIGKILL one worker mid-send, restart it, let the periodic scan
   resume, then count duplicates and missed messages at the sink (both must be 0).

Runs in its own database (created next to DATABASE_URL's) and its own Redis key prefix.
Size: BENCH_NIEUWSBRIEVEN_PARENTS (default 100000). One parent in 100 has an address on an
internationalised domain (sent as IDNA) and one in 1,000 a non-ASCII local part: smtp-sink does
not offer SMTPUTF8, so those fail one by one, as against any server without it.
BENCH_NIEUWSBRIEVEN_TLS=1: every connection (the loop's too) goes through stunnel (installed
with apt when missing) in front of the sink, SMTP over TLS with a certificate from a test CA
that the client verifies (EMAIL_USE_SSL, EMAIL_SSL_CAFILE).
Django's SMTP backend is compared only up to 20,000 parents (it sends ~126 msg/s here).
BENCH_NIEUWSBRIEVEN_CRASH=0 leaves out run 2 (the crash run).
"""

import os
import re
import shutil
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from bench.common import BENCH_SECRET_KEY, PY, ROOT, free_port

PARENTS = int(os.environ.get("BENCH_NIEUWSBRIEVEN_PARENTS", "100000"))
TLS = os.environ.get("BENCH_NIEUWSBRIEVEN_TLS", "0") == "1"
CRASH = os.environ.get("BENCH_NIEUWSBRIEVEN_CRASH", "1") == "1"
BASELINE_MESSAGES = min(20000, PARENTS)
MESSAGE_ID = re.compile(rb"Message-ID: <nieuwsbrief-(\d+)@")


def _psql_connect(url: str):
    import psycopg2

    conn = psycopg2.connect(url)
    conn.autocommit = True
    return conn


def ensure_smtp_sink() -> str:
    if not shutil.which("smtp-sink"):
        # Postfix ships smtp-sink; "No configuration" and policy-rc.d keep Postfix itself off.
        subprocess.run(
            ["debconf-set-selections"],
            input=b"postfix postfix/main_mailer_type select No configuration\n",
            check=True,
        )
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "postfix"],
            check=True,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
    return shutil.which("smtp-sink")


def ensure_stunnel() -> str:
    if not shutil.which("stunnel4") and not shutil.which("stunnel"):
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "stunnel4"],
            check=True,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
    return shutil.which("stunnel4") or shutil.which("stunnel")


def make_test_ca(folder: Path) -> tuple[Path, Path, Path]:
    """A test CA and a server certificate it signed for 127.0.0.1: (ca, cert, key) files."""
    import ipaddress
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.now(UTC)

    def build(subject, issuer, public, signer, *, ca: bool, san=None):
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(hours=1))
            .not_valid_after(now + timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if san:
            builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
        return builder.sign(signer, hashes.SHA256())

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = build("Bench test CA", "Bench test CA", ca_key.public_key(), ca_key, ca=True)
    san = [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    cert = build("127.0.0.1", "Bench test CA", key.public_key(), ca_key, ca=False, san=san)
    files = folder / "ca.pem", folder / "cert.pem", folder / "key.pem"
    files[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    files[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    files[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return files


def _wait_listening(port: int) -> None:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)


def connect(port: int) -> smtplib.SMTP:
    """An SMTP client connection as the workers make it: over TLS, verified, in TLS mode."""
    if not TLS:
        return smtplib.SMTP("127.0.0.1", port, timeout=30)
    import ssl

    context = ssl.create_default_context(cafile=os.environ["BENCH_CA_FILE"])
    return smtplib.SMTP_SSL("127.0.0.1", port, context=context, timeout=30)


@contextmanager
def smtp_sink(workdir: Path, name: str):
    """smtp-sink on a free port, appending every message to a dump file; with TLS, stunnel in
    front of it (the port yielded is then stunnel's)."""
    port = free_port()
    dump = workdir / f"{name}.dump"
    procs = [
        subprocess.Popen(
            [ensure_smtp_sink(), "-u", "nobody", "-D", str(dump), f"127.0.0.1:{port}", "1024"]
        )
    ]
    _wait_listening(port)
    if TLS:
        front = free_port()
        config = workdir / f"stunnel-{name}.conf"
        config.write_text(
            "foreground = yes\npid =\nsyslog = no\ndebug = 3\n"
            f"output = {workdir / f'stunnel-{name}.log'}\n"
            f"[smtps]\naccept = 127.0.0.1:{front}\nconnect = 127.0.0.1:{port}\n"
            f"cert = {os.environ['BENCH_CERT_FILE']}\nkey = {os.environ['BENCH_KEY_FILE']}\n"
        )
        # Its log goes to the file; stderr only repeats the probes that connect without TLS.
        procs.append(subprocess.Popen([ensure_stunnel(), str(config)], stderr=subprocess.DEVNULL))
        _wait_listening(front)
        port = front
    for _ in range(50):
        try:
            connect(port).quit()
            break
        except OSError:
            time.sleep(0.1)
    try:
        yield port, dump
    finally:
        for proc in reversed(procs):
            proc.terminate()
            proc.wait(timeout=10)


def received_ids(dump: Path) -> list[int]:
    """Message ids in the sink's dump, read in blocks (a million messages are ~5 GB)."""
    if not dump.exists():
        return []
    ids: list[int] = []
    tail = b""
    with dump.open("rb") as f:
        while block := f.read(1 << 24):
            data = tail + block
            cut = data.rfind(b"\n")  # a header line never spans the cut
            ids += [int(m) for m in MESSAGE_ID.findall(data, 0, cut + 1)]
            tail = data[cut + 1 :]
    ids += [int(m) for m in MESSAGE_ID.findall(tail)]
    return ids


def create_database(base_url: str) -> str:
    parsed = urlparse(base_url)
    name = f"{parsed.path.lstrip('/')}_nbbench"
    admin = _psql_connect(urlunparse(parsed._replace(path="/postgres")))
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return urlunparse(parsed._replace(path=f"/{name}"))


def drop_database(url: str) -> None:
    parsed = urlparse(url)
    admin = _psql_connect(urlunparse(parsed._replace(path="/postgres")))
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{parsed.path.lstrip("/")}" WITH (FORCE)')
    admin.close()


def generate(conn, parents: int) -> None:
    """Families with one baby each and a confirmed subscription per parent, in SQL."""
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO families_family (id, name, postcode, phone, message_channel, created_at)"
            " SELECT md5('f' || g)::uuid, 'Gezin ' || g, '', '', 'email', now()"
            " FROM generate_series(1, %s) g",
            [parents],
        )
        cur.execute(
            "INSERT INTO accounts_user (password, is_superuser, is_staff, is_active, date_joined,"
            " first_name, last_name, email, role, phone, preferred_language, family_id) "
            "SELECT '!', false, false, true, now(), '', '', CASE"
            " WHEN g %% 1000 = 0 THEN 'zoë.' || g || '@bench.example'"
            " WHEN g %% 100 = 0 THEN 'ouder' || g || '@bücher-bench.example'"
            " ELSE 'ouder' || g || '@bench.example' END,"
            " 'parent', '', '', md5('f' || g)::uuid FROM generate_series(1, %s) g",
            [parents],
        )
        cur.execute(
            "INSERT INTO families_child (id, family_id, first_name, date_of_birth, care_status,"
            " created_at) SELECT md5('c' || g)::uuid, md5('f' || g)::uuid, 'Kind' || g,"
            " current_date - (10 + g %% 300), 'active', now() FROM generate_series(1, %s) g",
            [parents],
        )
        cur.execute(
            "INSERT INTO nieuwsbrieven_subscription (id, parent_id, email, status, milestones,"
            " key, requested_at, consented_at, consent_version, consent_text) "
            "SELECT md5('s' || u.id)::uuid, u.id, u.email, 'active', true,"
            " substr(md5(u.email), 1, 16), now(), now(), 'bench', '' FROM accounts_user u"
        )
        cur.execute("ANALYZE")


def add_edition(conn, title: str) -> int:
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO nieuwsbrieven_edition (title, title_nl, body, body_nl, phase,"
            " age_from_months, age_to_months, scheduled_at, status, created_at) VALUES (%s, %s,"
            " %s, %s, 'child', 0, 12, now() - interval '1 minute', 'scheduled', now())"
            " RETURNING id",
            [title, title, BODY, BODY],
        )
        return cur.fetchone()[0]


BODY = (
    "In het eerste jaar verandert je baby elke week.\n\n"
    "- **Slapen**: leg je baby op de rug, in een eigen bedje.\n"
    "- **Voeding**: twijfel je over borstvoeding of flesvoeding? Vraag het ons.\n"
    "- **Huilen**: huilt je baby veel? Bel ons gerust.\n\n"
    "Wat wil je bespreken bij de volgende afspraak? Zet het vooraf in het portaal. " * 3
)


def counts(conn, edition_id: int) -> dict:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT status, count(*) FROM nieuwsbrieven_delivery WHERE edition_id = %s "
            "GROUP BY status",
            [edition_id],
        )
        return dict(cur.fetchall())


class Workers:
    """Two `celery worker --pool=solo` processes: two worker processes, as in production."""

    def __init__(self, env: dict, workdir: Path):
        self.env = env
        self.workdir = workdir
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, name: str) -> None:
        log = self.workdir / f"worker-{name}.log"
        self.procs[name] = subprocess.Popen(
            [PY, "-m", "celery", "-A", "ouderportaal", "worker", "--pool=solo",
             f"--hostname={name}@bench", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "--loglevel=WARNING", f"--logfile={log}",
             f"--pidfile={self.workdir / f'worker-{name}.pid'}"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,  # the root warning; the log file has the rest
        )  # fmt: skip

    def kill(self, name: str) -> None:
        proc = self.procs.pop(name)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        (self.workdir / f"worker-{name}.pid").unlink(missing_ok=True)

    def stop_all(self) -> None:
        for proc in self.procs.values():
            proc.send_signal(signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.procs.clear()


def scan(env: dict) -> None:
    """What beat runs every few minutes: start due editions, resume unfinished ones."""
    subprocess.run(
        [PY, "-c", "import django; django.setup(); from nieuwsbrieven.services import "
         "send_due_editions; send_due_editions()"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip


def sample_message(env: dict) -> bytes:
    """One real rendered newsletter, for the baseline loop (same size and shape)."""
    out = subprocess.run(
        [PY, "-c", "import django, sys; django.setup()\n"
         "from nieuwsbrieven import rendering, smtp\n"
         "t = rendering.build_template(kind='edition', title='Het eerste jaar', body=sys.argv[1])\n"
         "m = rendering.personalise(t, child_name='Noor', subscription_id='0' * 32, key='k')\n"
         "sys.stdout.buffer.write(smtp.build_bytes(m, to='ouder@bench.example',"
         " message_id='<nieuwsbrief-0@bench>', from_email='Ouderportaal <noreply@bench>'))",
         BODY],
        cwd=ROOT, env=env, check=True, capture_output=True,
    ).stdout  # fmt: skip
    return out


def baseline_rate(port: int, message: bytes, n: int) -> float:
    conn = connect(port)
    started = time.perf_counter()
    for _ in range(n):
        conn.sendmail("noreply@bench", ["ouder@bench.example"], message)
    elapsed = time.perf_counter() - started
    conn.quit()
    return n / elapsed


def poll_interval(total: int) -> float:
    """Seconds between progress counts: each count reads every delivery of the edition, so
    at a million the poll would take a good part of a core from the send it measures. Up to
    4 s at a million, under 2 % of the send's time."""
    return max(0.2, total / 250_000)


def finished(conn, edition_id: int) -> int:
    """Deliveries whose fate is known: sent, or failed (the addresses that need SMTPUTF8)."""
    states = counts(conn, edition_id)
    return states.get("sent", 0) + states.get("failed", 0)


def wait_sent(conn, edition_id: int, total: int, timeout: float, on_progress=None) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        done = finished(conn, edition_id)
        if on_progress:
            on_progress(done)
        if done >= total:
            return time.perf_counter()
        time.sleep(poll_interval(total))
    raise RuntimeError(f"edition {edition_id}: only {counts(conn, edition_id)} after {timeout}s")


def wait_fanned_out(conn, edition_id: int, timeout: float = 300) -> tuple[float, int]:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        # The edition turns "sending" in the fan-out's own transaction: polling that row
        # costs nothing, where counting a million uncommitted deliveries would slow the
        # fan-out being measured.
        with conn.cursor() as cur:
            cur.execute("SELECT status FROM nieuwsbrieven_edition WHERE id = %s", [edition_id])
            status = cur.fetchone()[0]
        if status != "scheduled":
            at = time.perf_counter()
            with conn.cursor() as cur:
                cur.execute(
                    "SELECT count(*) FROM nieuwsbrieven_delivery WHERE edition_id = %s",
                    [edition_id],
                )
                return at, cur.fetchone()[0]
        time.sleep(0.05)
    raise RuntimeError("fan-out did not happen")


# Our pipelined client (nieuwsbrieven/smtp.py) and Django's SMTP backend, one connection per
# chunk (a subclass, so nieuwsbrieven.smtp.uses_raw_smtp() is False and the chunk goes through
# services._send_backend).
CLIENTS = [
    ("pipelined client", "django.core.mail.backends.smtp.EmailBackend"),
    ("Django backend", "bench.django_backend.EmailBackend"),
]
if PARENTS > 20000:
    CLIENTS = CLIENTS[:1]


def crash_run(conn, env: dict, workers: "Workers", workdir: Path, client: str) -> None:
    """Kill a worker (SIGKILL) at 40 % sent, restart it, let the scan resume; count the
    duplicates and missed messages at the sink (both must be 0)."""
    with smtp_sink(workdir, "run2") as (port, dump):
        env["EMAIL_PORT"] = str(port)
        workers.start("a")
        workers.start("b")
        edition = add_edition(conn, f"Het eerste jaar (crash, {client})")
        scan(env)
        _t, total = wait_fanned_out(conn, edition)
        killed = False

        def kill_midway(done: int) -> None:
            nonlocal killed
            if not killed and done >= total * 0.4:
                workers.kill("a")
                killed = True
                print(f"killed worker a (SIGKILL) at {done} sent; restarting it", flush=True)
                workers.start("a")

        deadline = time.perf_counter() + 900 + PARENTS / 500
        while finished(conn, edition) < total:
            kill_midway(finished(conn, edition))
            if killed:
                time.sleep(2)
                scan(env)  # beat's periodic scan hands out what the dead worker held
            else:
                time.sleep(poll_interval(total))
            if time.perf_counter() > deadline:
                raise RuntimeError(f"run 2 stuck: {counts(conn, edition)}")
        time.sleep(1)
        workers.stop_all()
    with conn.cursor() as cur:
        cur.execute("SELECT id FROM nieuwsbrieven_delivery WHERE edition_id = %s", [edition])
        expected = {row[0] for row in cur.fetchall()}
        cur.execute(
            "SELECT id FROM nieuwsbrieven_delivery WHERE edition_id = %s AND status = 'failed'",
            [edition],
        )
        refused = {row[0] for row in cur.fetchall()}  # need SMTPUTF8: never reach this sink
    ids = [i for i in received_ids(dump) if i in expected]
    duplicates = len(ids) - len(set(ids))
    missed = len(expected - refused - set(ids))
    print(f"crash run ({client}): {counts(conn, edition)}")
    print(f"duplicates: {duplicates} (must be 0)  missed: {missed} (must be 0)", flush=True)


def run() -> None:
    base_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not base_url.startswith("postgres") or not redis_url:
        print("bench_nieuwsbrieven needs DATABASE_URL (PostgreSQL) and REDIS_URL: use make bench")
        return
    workdir = Path(tempfile.mkdtemp(prefix="nbbench-"))
    os.chmod(workdir, 0o777)  # smtp-sink drops to "nobody" before writing its dump
    db_url = create_database(base_url)
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "DATABASE_CONN_MAX_AGE": "600",
        "CELERY_BROKER_URL": redis_url,
        "CELERY_BROKER_KEYPREFIX": f"nbbench-{uuid.uuid4().hex[:8]}:",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "DEFAULT_FROM_EMAIL": "Ouderportaal <noreply@bench.example>",
        "LOG_LEVEL": "WARNING",
        # Production mode: DEBUG would record every SQL query in memory.
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": BENCH_SECRET_KEY,
        "SECURE_SSL_REDIRECT": "0",
        # A claim older than this belongs to a dead worker (production: 15 minutes).
        "NIEUWSBRIEVEN_CLAIM_TIMEOUT": "5",
    }
    if TLS:
        ca, cert, key = make_test_ca(workdir)
        os.environ.update(BENCH_CA_FILE=str(ca), BENCH_CERT_FILE=str(cert), BENCH_KEY_FILE=str(key))
        env.update(EMAIL_USE_SSL="1", EMAIL_SSL_CAFILE=str(ca))
    workers = Workers(env, workdir)
    try:
        subprocess.run(
            [PY, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        conn = _psql_connect(db_url)
        started = time.perf_counter()
        generate(conn, PARENTS)
        print(f"generated {PARENTS} parents in {time.perf_counter() - started:.1f}s", flush=True)

        # Baseline: a plain smtplib loop over one connection, same message size, measured
        # right before and right after each newsletter run (the machine is shared: the ratio
        # is to the mean of the two).
        message = sample_message(env)

        def loop() -> float:
            with smtp_sink(workdir, "baseline") as (port, dump):
                rate = baseline_rate(port, message, BASELINE_MESSAGES)
            dump.unlink(missing_ok=True)
            return rate

        mode = "over TLS (stunnel, verified)" if TLS else "plain TCP"
        print(f"{os.popen('uptime').read().strip()}; {mode}", flush=True)

        # Run 1: throughput through 2 worker processes, with our pipelined client and with
        # Django's SMTP backend over one connection per chunk (EMAIL_BACKEND below).
        for client, backend in CLIENTS:
            before = loop()
            print(f"plain smtplib loop: {before:.0f} msg/s ({len(message)} bytes each)")
            with smtp_sink(workdir, f"run1-{client}") as (port, dump):
                env["EMAIL_PORT"] = str(port)
                env["EMAIL_BACKEND"] = backend
                workers.start("a")
                workers.start("b")
                edition = add_edition(conn, f"Het eerste jaar (meting, {client})")
                t0 = time.perf_counter()
                scan(env)
                t1, total = wait_fanned_out(conn, edition)
                t2 = wait_sent(conn, edition, total, timeout=900 + PARENTS / 500)
                load = os.popen("uptime").read().strip()
                workers.stop_all()
            after = loop()
            loop_rate = (before + after) / 2
            states = counts(conn, edition)
            rate = states.get("sent", 0) / (t2 - t1)
            ids = received_ids(dump)
            dump.unlink(missing_ok=True)
            print(f"plain smtplib loop after: {after:.0f} msg/s; mean {loop_rate:.0f} msg/s")
            print(f"fan-out of {total} deliveries: {t1 - t0:.1f}s; fan-out + send {t2 - t0:.1f}s")
            print(
                f"newsletter ({client}): {rate:.0f} msg/s through 2 workers; ratio to the loop "
                f"{rate / loop_rate:.2f} (aim >= 0.9); {states}; received {len(ids)}, "
                f"unique {len(set(ids))}; at the end: {load}",
                flush=True,
            )

        # Run 2: kill a worker mid-send, restart it, let the scan resume.
        for client, backend in CLIENTS if CRASH else []:
            env["EMAIL_BACKEND"] = backend
            crash_run(conn, env, workers, workdir, client)
        conn.close()
    finally:
        workers.stop_all()
        drop_database(db_url)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    run()
