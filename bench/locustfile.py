"""Mixed evening load for `make bench-region` (Locust, FastHttpUser): parents and staff.

Run by bench/region.py, which seeds the region, makes the bench accounts and writes their
details to the file in BENCH_REGION_USERS. Every simulated person logs in for real (the
login form; staff also the TOTP step), comes from an address of its own (X-Forwarded-For,
the bench's gunicorn trusts one proxy), then walks its pages with think times. Every
iteration also asks the baseline view (/bench/baseline/), the ratio's denominator.
Only ever aimed at the 127.0.0.1 gunicorn that bench/region.py starts.
"""

import base64
import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time
from datetime import date, timedelta

from locust import FastHttpUser, between, events, task
from locust.exception import StopUser

USERS = json.loads(open(os.environ["BENCH_REGION_USERS"]).read())  # noqa: SIM115
PARENTS = itertools.cycle(USERS["parents"])
STAFF = itertools.cycle(USERS["staff"])
ADDRESSES = itertools.count(1)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SLOT_LINK = re.compile(r"/afspraken/maken/([0-9a-f-]{36})/")
QUESTION_LINK = re.compile(r"/vragen/triage/([0-9a-f-]{36})/")
SEND_EVERY = 360  # seconds: 10 an hour, the default question and booking limits
LOGINS: list[float] = []
THINK = (
    float(os.environ.get("BENCH_THINK_MIN", "1")),
    float(os.environ.get("BENCH_THINK_MAX", "4")),
)


def totp(secret: str, at: float | None = None) -> str:
    key = base64.b32decode(secret)
    counter = struct.pack(">Q", int((at or time.time()) // 30))
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


def _csrf(text: str) -> str:
    found = CSRF.search(text or "")
    return found.group(1) if found else ""


class Person(FastHttpUser):
    abstract = True
    wait_time = between(*THINK)

    def on_start(self):
        n = next(ADDRESSES)
        self.address = f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"
        self.login()

    def get(self, path, name, **kwargs):
        headers = {"X-Forwarded-For": self.address}
        return self.client.get(path, name=name, headers=headers, **kwargs)

    def post(self, path, data, name, **kwargs):
        headers = {"X-Forwarded-For": self.address, "Referer": self.host + path}
        return self.client.post(path, data=data, name=name, headers=headers, **kwargs)

    def login(self):
        started = time.monotonic()
        page = self.get("/accounts/login/", "login")
        response = self.post(
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": _csrf(page.text),
                "login": self.account["email"],
                "password": USERS["password"],
            },
            "login",
        )
        # (FastHttpUser follows redirects; the page it ends on says where the login got.)
        if 'name="code"' in (response.text or ""):
            response = self.post(
                "/accounts/2fa/authenticate/",
                {"csrfmiddlewaretoken": _csrf(response.text), "code": totp(USERS["totp"])},
                "login (TOTP)",
            )
        if response.status_code != 200 or 'name="password"' in (response.text or ""):
            raise StopUser()
        LOGINS.append(time.monotonic() - started)

    def baseline(self):
        self.get("/bench/baseline/", "baseline")


class Parent(Person):
    """Home, questions list and thread, ask, booking week with filters, confirm, appointment."""

    weight = int(os.environ.get("BENCH_PARENT_WEIGHT", "13"))

    def on_start(self):
        self.account = next(PARENTS)
        # A parent sends a question or books now and then, not every few seconds: at most
        # what the rate limits allow a person (RATE_LIMIT_QUESTION, RATE_LIMIT_BOOKING: 10 an
        # hour), so a long run measures the pages instead of the 429 page.
        self.sent_at = {"ask": -SEND_EVERY, "book": -SEND_EVERY}
        super().on_start()

    def may_send(self, what: str) -> bool:
        now = time.monotonic()
        if now - self.sent_at[what] < SEND_EVERY:
            return False
        self.sent_at[what] = now
        return True

    @task(4)
    def look_around(self):
        self.baseline()
        self.get("/gezin/", "parent home")
        self.get("/vragen/", "questions list")
        if self.account["questions"]:
            self.get(f"/vragen/{random.choice(self.account['questions'])}/", "question thread")
        if self.account["appointments"]:
            self.get(f"/afspraken/{random.choice(self.account['appointments'])}/", "appointment")

    @task(1)
    def ask(self):
        page = self.get("/vragen/nieuw/", "ask")
        if not self.may_send("ask"):
            return
        self.post(
            "/vragen/nieuw/",
            {
                "csrfmiddlewaretoken": _csrf(page.text),
                "about": self.account["child"],
                "topic": random.choice(USERS["topics"]),
                "text": "Mijn kind slaapt slecht sinds een week, wat kunnen we doen?",
                "channel": "online",
            },
            "ask (send)",
        )

    @task(2)
    def book(self):
        self.get("/afspraken/maken/", "booking start")
        query = {
            "child": self.account["child"],
            "type": USERS["type"],
            "location": random.choice(USERS["locations"]),
        }
        if random.random() < 0.5:
            query["part"] = random.choice(["morning", "afternoon", "evening"])
        week = date.fromisoformat(USERS["today"])
        query["week"] = (week + timedelta(days=7 * random.randint(0, 1))).isoformat()
        listing = self.get(
            "/afspraken/maken/tijden/?" + "&".join(f"{k}={v}" for k, v in query.items()),
            "booking week",
        )
        slots = SLOT_LINK.findall(listing.text or "")
        if not slots or random.random() < 0.5 or not self.may_send("book"):
            return
        path = f"/afspraken/maken/{random.choice(slots)}/"
        path += f"?child={query['child']}&type={USERS['type']}"
        page = self.get(path, "booking confirm")
        with self.client.post(
            path,
            data={
                "csrfmiddlewaretoken": _csrf(page.text),
                "child": query["child"],
                "type": USERS["type"],
                "note": "",
            },
            name="booking confirm (send)",
            headers={"X-Forwarded-For": self.address, "Referer": self.host + path},
            catch_response=True,
        ) as response:
            if response.status_code == 409:  # another parent took the time first: fine
                response.success()


class Staff(Person):
    """Triage queue with filters and search, question page, agenda day and week, planning."""

    weight = int(os.environ.get("BENCH_STAFF_WEIGHT", "8"))

    def on_start(self):
        self.account = next(STAFF)
        super().on_start()

    @task(4)
    def queue(self):
        self.baseline()
        choice = random.random()
        if choice < 0.4:
            page = self.get("/vragen/triage/", "triage queue")
        elif choice < 0.8:
            urgency = random.choice([2, 3, 5])
            page = self.get(
                f"/vragen/triage/?urgency={urgency}&status=open", "triage queue (filters)"
            )
        else:
            page = self.get("/vragen/triage/?q=slapen", "triage queue (search)")
        listed = QUESTION_LINK.findall(page.text or "")  # what this nurse's queue shows
        if listed:
            self.get(f"/vragen/triage/{random.choice(listed)}/", "staff question")

    @task(3)
    def agenda(self):
        own = f"professional={self.account['id']}"
        self.get(f"/afspraken/agenda/?{own}", "agenda day")
        self.get(f"/afspraken/agenda/?view=week&{own}", "agenda week")

    @task(1)
    def planning(self):
        self.get("/contactmomenten/planning/", "planning list")


@events.test_stop.add_listener
def _write_logins(**kwargs):
    """Whole logins (form, password, TOTP for staff) in seconds, for bench/region.py: the
    page figures are taken after every user has logged in (--reset-stats)."""
    path = os.environ.get("BENCH_REGION_LOGINS")
    if path:
        with open(path, "w") as handle:
            json.dump(LOGINS, handle)
