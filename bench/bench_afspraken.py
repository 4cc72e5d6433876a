"""Appointments bench: free-slot listing with 50,000 slots, and 200 contenders for 10 places.

1. req/s of a parent's week listing (`/afspraken/maken/tijden/`) with 50,000 slots in the
   table, as a ratio to `/health/` (a one-query view) on the same gunicorn in the same run.
2. 200 parents post at once for 10 places (a group meeting with capacity 10) through
   gunicorn: prints bookings made vs places (must be equal) and the time until every request
   has its answer.
"""

import os
import re
import threading
import time
import urllib.parse
import urllib.request
from datetime import datetime, timedelta
from datetime import time as dtime

import django

from bench.common import BENCH_SECRET_KEY

SLOTS = 50_000
CONTENDERS = 200
PLACES = 10
PREFIX = "Bench "


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ouderportaal.settings")
    # Sessions made here must be valid in the gunicorn (the session hash uses the key).
    os.environ["DJANGO_SECRET_KEY"] = BENCH_SECRET_KEY
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _prepare():
    """Bench data, rebuilt each run: 25 locations x 2,000 slots, one parent, one group slot."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import User
    from afspraken.models import Appointment, AppointmentType, Location, Schedule, Slot
    from families.ages import add_months
    from families.models import Child, Family

    Appointment.objects.filter(slot__location__name__startswith=PREFIX).delete()
    Slot.objects.filter(location__name__startswith=PREFIX).delete()
    Schedule.objects.filter(location__name__startswith=PREFIX).delete()
    Location.objects.filter(name__startswith=PREFIX).delete()
    User.objects.filter(email__startswith="bench-").delete()
    Family.objects.filter(name__startswith=PREFIX).delete()

    nurse = User.objects.create_user(
        email="bench-nurse@example.org", role=User.Role.NURSE, first_name="Bench"
    )
    consult, _ = AppointmentType.objects.get_or_create(
        name=PREFIX + "consult", defaults={"duration_minutes": 20}
    )
    group, _ = AppointmentType.objects.get_or_create(
        name=PREFIX + "ouderbijeenkomst", defaults={"duration_minutes": 90, "capacity": PLACES}
    )
    tz = timezone.get_default_timezone()
    today = timezone.localdate()
    per_location = SLOTS // 25
    rows = []
    locations = []
    for n in range(25):
        location = Location.objects.create(
            name=f"{PREFIX}{n:02d}", address="Benchstraat 1", phone="030 000 00 00"
        )
        locations.append(location)
        schedule = Schedule.objects.create(
            professional=nurse,
            location=location,
            weekday=0,
            start_time=dtime(8, 0),
            end_time=dtime(20, 0),
            valid_from=today,
        )
        schedule.types.set([consult])
        day, made = today + timedelta(days=1), 0
        while made < per_location:
            for i in range(36):
                if made == per_location:
                    break
                starts = timezone.make_aware(
                    datetime.combine(day, dtime(8, 0)) + timedelta(minutes=20 * i), tz
                )
                rows.append(
                    Slot(
                        schedule=schedule,
                        professional=nurse,
                        location=location,
                        starts_at=starts,
                        ends_at=starts + timedelta(minutes=20),
                    )
                )
                made += 1
            day += timedelta(days=1)
    Slot.objects.bulk_create(rows, batch_size=5000)
    group_schedule = Schedule.objects.create(
        professional=nurse,
        location=locations[0],
        weekday=3,
        start_time=dtime(19, 30),
        end_time=dtime(21, 0),
        valid_from=today,
    )
    group_schedule.types.set([group])
    starts = timezone.make_aware(datetime.combine(today + timedelta(days=3), dtime(19, 30)), tz)
    group_slot = Slot.objects.create(
        schedule=group_schedule,
        professional=nurse,
        location=locations[0],
        starts_at=starts,
        ends_at=starts + timedelta(minutes=90),
        capacity=PLACES,
        is_group=True,
    )
    password = make_password("bench-password-123")
    parents = []
    for i in range(CONTENDERS):
        family = Family.objects.create(name=f"{PREFIX}{i}")
        parents.append(
            User(
                email=f"bench-parent{i}@example.org",
                role=User.Role.PARENT,
                family=family,
                password=password,
            )
        )
    User.objects.bulk_create(parents)
    parents = list(User.objects.filter(email__startswith="bench-parent").order_by("email"))
    child = Child.objects.create(
        family=parents[0].family, first_name="Bench", date_of_birth=add_months(today, -8)
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE afspraken_slot")
    return {
        "consult": consult,
        "location": locations[0],
        "child": child,
        "parents": parents,
        "group_slot": group_slot,
    }


def _session_cookie(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


class _Contender:
    """One parent with its own session: GET the page (CSRF token), then POST when told."""

    def __init__(self, base: str, session_id: str, slot_id):
        self.base, self.slot_id = base, slot_id
        self.opener = urllib.request.build_opener(_NoRedirect())
        request = urllib.request.Request(
            base + "/afspraken/bijeenkomsten/", headers={"Cookie": f"sessionid={session_id}"}
        )
        response = self.opener.open(request, timeout=30)
        html = response.read().decode()
        csrf_cookie = re.search(r"csrftoken=([^;]+)", response.headers.get("Set-Cookie", ""))
        self.cookie = f"sessionid={session_id}; csrftoken={csrf_cookie.group(1)}"
        self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        self.status = None

    def post(self):
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": self.token}).encode()
        request = urllib.request.Request(
            f"{self.base}/afspraken/bijeenkomsten/{self.slot_id}/",
            data=data,
            method="POST",
            headers={"Cookie": self.cookie},
        )
        try:
            self.status = self.opener.open(request, timeout=60).status
        except urllib.error.HTTPError as exc:
            self.status = exc.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def run() -> None:
    from bench.common import gunicorn, wrk_rps

    _setup_django()
    started = time.monotonic()
    data = _prepare()
    print(f"prepared {SLOTS:,} slots and {CONTENDERS} parents in {time.monotonic() - started:.1f}s")
    from django.db import connections
    from django.utils import timezone

    from afspraken.models import Appointment

    session = _session_cookie(data["parents"][0])
    week = (timezone.localdate() + timedelta(days=7)).isoformat()
    query = urllib.parse.urlencode(
        {
            "child": data["child"].pk,
            "type": data["consult"].pk,
            "location": data["location"].pk,
            "week": week,
        }
    )
    sessions = [_session_cookie(p) for p in data["parents"]]
    connections.close_all()
    with gunicorn() as base:
        listing_url = f"{base}/afspraken/maken/tijden/?{query}"
        check = urllib.request.Request(listing_url, headers={"Cookie": f"sessionid={session}"})
        response = urllib.request.build_opener(_NoRedirect()).open(check, timeout=10)
        body = response.read().decode()
        # A login redirect would make wrk measure the wrong page: insist on the real listing.
        assert response.status == 200 and "appt-slots" in body, "listing did not render"
        health = wrk_rps(base + "/health/")
        listing = wrk_rps(listing_url, headers={"Cookie": f"sessionid={session}"})
        print(f"/health/                      {health:8.0f} req/s")
        print(f"free-slot listing (50k slots) {listing:8.0f} req/s")
        print(f"ratio listing / health        {listing / health:8.2f}")

        contenders = [_Contender(base, sid, data["group_slot"].pk) for sid in sessions]
        barrier = threading.Barrier(len(contenders) + 1)

        def go(contender):
            barrier.wait()
            contender.post()

        threads = [threading.Thread(target=go, args=(c,)) for c in contenders]
        for t in threads:
            t.start()
        barrier.wait()
        t0 = time.monotonic()
        for t in threads:
            t.join()
        settle = time.monotonic() - t0
    made = Appointment.objects.filter(slot_id=data["group_slot"].pk, status="booked").count()
    statuses = [c.status for c in contenders]
    print(
        f"parallel booking: {CONTENDERS} contenders, {PLACES} places -> {made} bookings made "
        f"({statuses.count(302)} x 302, {statuses.count(409)} x 409), settled in {settle:.2f}s"
    )
    if made != PLACES:
        raise SystemExit(f"bookings made ({made}) != places ({PLACES})")
