"""`manage.py seed_region`: a region's worth of made-up data for trying and measuring figures.

Scale 1 is about 1,000,000 appointments and 300,000 questions over `--years` years, for
150,000 families; `--scale 0.01` is a hundredth. Everything is inserted in bulk (no services,
no e-mail), all names are invented, and every row is marked so `--clear` can remove it again.
Teams, wijken and postcodes come first, so the figures can be filtered per team and wijk.

`--children 300000` sizes a whole GGD region instead (~200,000 families, ~2,000,000
appointments and ~500,000 questions over `--years`), and adds what the scale bench needs: 4
locations and 30 professionals per 10,000 children with weekly schedules (evenings and
Saturdays) and free slots for the coming weeks, open questions in the triage queue, newsletter
subscriptions with the last year's deliveries, and `--log-days` of access-log rows (the
seeded staff workload per day; older history exists only as the figures' aggregates). The
bulk tables are written with INSERT ... SELECT in the database (no Python objects). It prints
the time, row counts and database size, and refuses to start when the disk is too small.
"""

import io
import random
import shutil
import time as clock
import uuid
from contextlib import contextmanager
from datetime import datetime, time, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

EMAIL_DOMAIN = "seed-region.example"
# Database bytes per child in region mode (measured: see README "Scale"), for the disk check.
BYTES_PER_CHILD = 25_000
FAMILY_PREFIX = "Regio "
BATCH = 5000
TEAMS = {
    "Team Noord": ["3551", "3552", "3553", "3554"],
    "Team Oost": ["3581", "3582", "3583", "3584"],
    "Team Zuid": ["3521", "3522", "3523", "3524"],
    "Team West": ["3531", "3532", "3533", "3534"],
}
NAMES = ["Noor", "Sem", "Emma", "Lucas", "Julia", "Daan", "Mila", "Finn", "Tess", "Levi"]


@contextmanager
def step(out, name: str):
    """Print how long `name` took, so a slow region run shows where its time went."""
    started, python = clock.monotonic(), clock.process_time()
    yield
    out.write(
        f"  {name}: {clock.monotonic() - started:.1f} s"
        f" ({clock.process_time() - python:.1f} s of it in Python)"
    )


@contextmanager
def bulk_load(*tables: str):
    """One transaction in which `tables` are filled without their secondary indexes and
    foreign keys: both are dropped first and re-created at the end from their own definitions.
    Building an index once (and checking a foreign key with one join) is many times cheaper
    than maintaining them row by row. Primary keys, unique and exclusion constraints stay.
    DDL is transactional in PostgreSQL: when anything fails, the rollback restores them all,
    and a foreign key or unique index that the new rows break fails the commit."""
    if connection.vendor != "postgresql":
        with transaction.atomic():
            yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        # Deferred foreign-key checks still queued for these tables (rows written earlier in
        # an enclosing transaction) would refuse the ALTER TABLEs: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)"
            " FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid = ANY(%s::regclass[])"
            " ORDER BY 1, 2",
            [list(tables)],
        )
        foreign_keys = cursor.fetchall()
        # Indexes that back no constraint of their own table (a foreign key's conindid is the
        # referenced table's index, hence the conrelid test).
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)"
            " FROM pg_index i WHERE i.indrelid = ANY(%s::regclass[]) AND NOT EXISTS ("
            " SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid"
            " AND c.conrelid = i.indrelid) ORDER BY 1",
            [list(tables)],
        )
        indexes = cursor.fetchall()
        for table, name, _definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
        yield
        for name, definition in indexes:
            cursor.execute(_index_sql(name, definition))
        for table, name, definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def _index_sql(name: str, definition: str) -> str:
    """The statement that re-creates index `name`: a model's own index or constraint the way
    its migration wrote it (PostgreSQL's re-printed WHERE clause would read differently),
    others (foreign-key and `_like` indexes) from their definition."""
    from django.apps import apps

    for model in apps.get_models():
        for item in (*model._meta.indexes, *model._meta.constraints):
            if item.name == name:
                with connection.schema_editor(atomic=False) as editor:
                    return str(item.create_sql(model, editor))
    # A partitioned table's index reads "ON ONLY": re-created plainly, it covers the
    # partitions again.
    return definition.replace(" ON ONLY ", " ON ", 1)


def copy_rows(model, rows) -> None:
    """Write `rows` (dicts of attribute name -> value) into `model`'s table with one COPY.
    Columns a row leaves out get the field's default, taken once (so `timezone.now` defaults
    are one moment for the lot), and every row gets a fresh uuid4 primary key when the model
    has one: what bulk_create would insert, without building model instances."""
    blank = model()
    fields = model._meta.concrete_fields
    defaults = [
        _copy_text(field.get_db_prep_save(field.pre_save(blank, True), connection))
        for field in fields
    ]
    pk = model._meta.pk
    fresh_pk = getattr(pk, "default", None) is uuid.uuid4
    buffer = io.StringIO()
    for row in rows:
        if fresh_pk:
            row[pk.attname] = uuid.uuid4()
        values = [
            _copy_text(row[field.attname]) if field.attname in row else default
            for field, default in zip(fields, defaults, strict=True)
        ]
        buffer.write("\t".join(values))
        buffer.write("\n")
    buffer.seek(0)
    columns = ", ".join(f'"{field.column}"' for field in fields)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {model._meta.db_table} ({columns}) FROM STDIN", buffer)


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class Command(BaseCommand):
    help = "Generate families, children, appointments and questions for a whole region."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=0.01)
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--clear", action="store_true", help="Remove earlier seeded rows.")
        parser.add_argument(
            "--children",
            type=int,
            default=0,
            help="Size a region by its children (300000 for a GGD region); overrides --scale.",
        )
        parser.add_argument(
            "--log-days", type=int, default=30, help="Days of access-log rows (region mode)."
        )

    def handle(self, *args, scale, years, seed, clear, children, log_days, **options):
        rng = random.Random(seed)  # noqa: S311 - made-up data, reproducible by seed
        started = clock.monotonic()
        if children:
            self._check_disk(children)
        if clear:
            self._clear()
        if children:
            region = Region(
                rng=rng,
                scale=children / 300_000,
                years=years,
                out=self.stdout,
                families_n=int(children / 1.8),  # 1.8 children a family on average
                appointments_n=int(children * 20 / 3),
                questions_n=int(children * 5 / 3),
            )
        else:
            region = Region(rng=rng, scale=scale, years=years, out=self.stdout)
        counts = region.build()
        if children:
            counts.update(RegionLoad(region, children=children, log_days=log_days).build())
        for name, n in counts.items():
            self.stdout.write(f"{name}: {n:,}")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
                self.stdout.write(f"database size: {cursor.fetchone()[0]}")
        self.stdout.write(f"seeded in {clock.monotonic() - started:.0f} s")

    def _check_disk(self, children: int) -> None:
        """Refuse when the database's disk cannot hold the region (with room to spare)."""
        path = "/"
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                try:
                    cursor.execute("SELECT current_setting('data_directory')")
                    path = cursor.fetchone()[0]
                except Exception:  # noqa: BLE001 - not allowed to read it: check the root disk
                    connection.rollback()
        needed = children * BYTES_PER_CHILD * 2  # the data, and as much again for WAL and indexes
        free = shutil.disk_usage(path).free
        if free < needed:
            raise CommandError(
                f"Not enough free disk for {children:,} children: {needed / 1e9:.1f} GB needed "
                f"(twice the expected size), {free / 1e9:.1f} GB free at {path}."
            )

    def _clear(self):
        from accounts.models import User
        from afspraken.models import Appointment, Slot
        from families.models import Family
        from vragen.models import Question

        Question.objects.filter(family__name__startswith=FAMILY_PREFIX).delete()
        Appointment.objects.filter(family__name__startswith=FAMILY_PREFIX).delete()
        Slot.objects.filter(professional__email__endswith=EMAIL_DOMAIN).delete()
        Family.objects.filter(name__startswith=FAMILY_PREFIX).delete()
        User.objects.filter(email__endswith=EMAIL_DOMAIN).delete()


class Region:
    def __init__(self, *, rng, scale, years, out, families_n=0, appointments_n=0, questions_n=0):
        self.rng, self.out = rng, out
        self.families_n = families_n or max(20, int(150_000 * scale))
        self.appointments_n = appointments_n or max(50, int(1_000_000 * scale))
        self.questions_n = questions_n or max(30, int(300_000 * scale))
        self.end = timezone.localdate()
        self.start = self.end - timedelta(days=365 * years)
        self.tz = timezone.get_current_timezone()

    def when(self, day, hour, minute=0):
        return timezone.make_aware(datetime.combine(day, time(hour, minute)), self.tz)

    def random_day(self):
        return self.start + timedelta(days=self.rng.randrange((self.end - self.start).days))

    def build(self) -> dict:
        started = clock.monotonic()
        from teams.services import refresh_family_teams

        out = self.out
        with step(out, "families"), bulk_load("families_family", "accounts_user", "families_child"):
            self._teams()
            self._staff_and_types()
            self._families()
        with step(out, "appointments"):
            self._appointments()
        with step(out, "questions"):
            self._questions()
        with step(out, "contact moments"):
            self._reach()
        with step(out, "family teams"):
            refresh_family_teams()
        self.out.write(
            f"families, appointments and questions in {clock.monotonic() - started:.0f} s"
        )
        return {
            "families": self.families_n,
            "appointments": self.appointments_n,
            "questions": self.questions_n,
        }

    def _teams(self):
        from afspraken.models import Location
        from teams.models import PostcodeArea, Team, TeamLocation, Wijk

        self.locations = []
        self.digits = []
        for name, digits in TEAMS.items():
            team, _ = Team.objects.get_or_create(name=name)
            wijk, _ = Wijk.objects.get_or_create(name=f"Wijk {name[5:]}", defaults={"team": team})
            for value in digits:
                PostcodeArea.objects.get_or_create(digits=value, defaults={"wijk": wijk})
                self.digits.append(value)
            for suffix in ("Centrum", "Park"):
                location, _ = Location.objects.get_or_create(
                    name=f"Consultatiebureau {name[5:]} {suffix}",
                    defaults={"address": f"{suffix}laan 1, Utrecht", "phone": "030 123 45 67"},
                )
                TeamLocation.objects.get_or_create(location=location, defaults={"team": team})
                self.locations.append(location)

    def _staff_and_types(self):
        from accounts.models import User
        from afspraken.models import AppointmentType

        self.nurses = [
            User.objects.get_or_create(
                email=f"vpk{i}@{EMAIL_DOMAIN}",
                defaults={"role": User.Role.NURSE, "first_name": "Vpk", "last_name": str(i)},
            )[0]
            for i in range(len(self.locations))
        ]
        self.types = [
            AppointmentType.objects.get_or_create(name=name, defaults={"capacity": 1})[0]
            for name in ("Consult", "Consult jeugdarts", "Vaccinatie", "Inloopspreekuur")
        ]

    def _families(self):
        from accounts.models import User
        from families.models import Child, Family

        rng = self.rng
        families = [
            Family(
                name=f"{FAMILY_PREFIX}{n}",
                postcode=f"{rng.choice(self.digits)} {rng.choice('ABCDEFGH')}{rng.choice('KLMNP')}",
            )
            for n in range(self.families_n)
        ]
        Family.objects.bulk_create(families, batch_size=BATCH)
        parents = [
            User(
                email=f"ouder{n}@{EMAIL_DOMAIN}",
                password="!seeded",  # noqa: S106 - an unusable password: nobody logs in
                role=User.Role.PARENT,
                family=family,
            )
            for n, family in enumerate(families)
        ]
        User.objects.bulk_create(parents, batch_size=BATCH)
        children = []
        for family in families:
            for _i in range(rng.choice((1, 1, 2, 2, 3))):
                born = self.end - timedelta(days=rng.randrange(18 * 365))
                children.append(
                    Child(family=family, first_name=rng.choice(NAMES), date_of_birth=born)
                )
        Child.objects.bulk_create(children, batch_size=BATCH)
        self.families, self.parents, self.children = families, parents, children
        self.out.write(f"families, parents and {len(children):,} children made")

    def _appointments(self):
        if connection.vendor == "postgresql":
            return self._appointments_in_database()
        return self._appointments_in_python()

    def _appointments_in_database(self):
        """The same distribution as `_appointments_in_python`, generated by PostgreSQL in
        batches of 200,000 (a region's two million in minutes, no Python objects)."""
        run = f"{self.rng.getrandbits(64):x}"
        staff = [nurse.pk for nurse in self.nurses]
        locations = [str(location.pk) for location in self.locations]
        types = [str(kind.pk) for kind in self.types]
        made = 0
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(%s)", [self.rng.random() * 2 - 1])
            self._family_table(cursor)
            with bulk_load("afspraken_slot", "afspraken_appointment"):
                while made < self.appointments_n:
                    n = min(200_000, self.appointments_n - made)
                    self._appointment_batch(cursor, run, made, n, staff, locations, types)
                    made += n
            cursor.execute("DROP TABLE seed_fams")
        self.out.write(f"{made:,} appointments made")

    def _family_table(self, cursor):
        """seed_fams(n, family_id, parent_id): the seeded families numbered from 1."""
        cursor.execute(
            "CREATE TEMP TABLE seed_fams AS SELECT n, f::uuid AS family_id, p AS parent_id"
            " FROM unnest(%s::text[], %s::bigint[]) WITH ORDINALITY AS x(f, p, n)",
            [[str(family.pk) for family in self.families], [parent.pk for parent in self.parents]],
        )
        cursor.execute("CREATE INDEX ON seed_fams (n)")

    def _appointment_batch(self, cursor, run, first, n, staff, locations, types):
        cursor.execute(
            "CREATE TEMP TABLE seed_batch AS"
            " WITH p AS (SELECT g AS n, %(start)s::date + floor(random() * %(days)s)::int AS d0,"
            " floor(random() * %(nstaff)s)::int + 1 AS i,"
            " floor(random() * %(nfam)s)::int + 1 AS k,"
            " random() AS r, random() AS r2, random() AS r3, random() AS r4, random() AS r5"
            " FROM generate_series(%(lo)s, %(hi)s) g),"
            " q AS (SELECT *, CASE WHEN extract(dow FROM d0) = 0 THEN d0 - 1 ELSE d0 END AS d"
            " FROM p)"
            " SELECT *, (d + make_time(CASE WHEN extract(dow FROM d) BETWEEN 1 AND 5"
            " THEN (ARRAY[9,10,11,13,14,15,16,18,19])[1 + floor(r2 * 9)::int]"
            " ELSE (ARRAY[9,10,11])[1 + floor(r2 * 3)::int] END,"
            " (ARRAY[0,20,40])[1 + floor(r3 * 3)::int], 0)) AT TIME ZONE %(tz)s AS starts,"
            " CASE WHEN r < 0.80 THEN 'attended' WHEN r < 0.86 THEN 'no_show'"
            " WHEN r < 0.96 THEN 'cancelled' ELSE 'cancelled_by_jgz' END AS status FROM q",
            {
                "start": self.start,
                "days": (self.end - self.start).days,
                "nstaff": len(staff),
                "nfam": len(self.families),
                "lo": first + 1,
                "hi": first + n,
                "tz": str(self.tz),
            },
        )
        ids = {"run": run, "staff": staff, "locations": locations, "types": types}
        # Columns added to Appointment later (NOT NULL with a plain default) get that default.
        extra_columns, extra_values, defaults = _model_defaults("afspraken.Appointment", SEEDED)
        cursor.execute(
            "INSERT INTO afspraken_slot (id, schedule_id, professional_id, location_id,"
            " starts_at, ends_at, capacity, booked_count, is_group, is_active, needs_attention)"
            " SELECT md5(%(run)s || 's' || n)::uuid, NULL::uuid, (%(staff)s::bigint[])[i],"
            " (%(locations)s::uuid[])[i], starts, starts + interval '20 minutes', 1,"
            " CASE WHEN status IN ('attended', 'no_show') THEN 1 ELSE 0 END, false, true, false"
            " FROM seed_batch"
            # An empty place next to 15% of them: supply without use.
            " UNION ALL SELECT md5(%(run)s || 'e' || n)::uuid, NULL::uuid,"
            " (%(staff)s::bigint[])[i], (%(locations)s::uuid[])[i], starts + interval '20 minutes',"
            " starts + interval '40 minutes', 1, 0, false, true, false"
            " FROM seed_batch WHERE r5 < 0.15",
            ids,
        )
        cursor.execute(
            "INSERT INTO afspraken_appointment (id, slot_id, appointment_type_id, family_id,"  # noqa: S608 - the model's own columns
            " child_id, parent_id, booked_by_id, starts_at, ends_at, status, note, token,"
            " ical_uid, ical_sequence, cancel_reason, created_at, changed_at" + extra_columns + ")"
            " SELECT md5(%(run)s || 'a' || b.n)::uuid, md5(%(run)s || 's' || b.n)::uuid,"
            " (%(types)s::uuid[])[1 + floor(r4 * array_length(%(types)s::uuid[], 1))::int],"
            " f.family_id, NULL, f.parent_id,"
            " CASE WHEN r2 < 0.7 THEN f.parent_id ELSE (%(staff)s::bigint[])[i] END,"
            " starts, starts + interval '20 minutes', status, '', md5(%(run)s || 't' || b.n),"
            " 'seed-' || %(run)s || '-' || b.n || '@seed-region.example', 0, '',"
            " starts - (1 + floor(r3 * 39)::int) * interval '1 day',"
            " CASE WHEN status LIKE 'cancelled%%' THEN starts - interval '30 hours' END"
            + extra_values
            + " FROM seed_batch b JOIN seed_fams f ON f.n = b.k",
            {**ids, **defaults},
        )
        cursor.execute("DROP TABLE seed_batch")

    def _appointments_in_python(self):
        from afspraken.models import Appointment, Slot

        rng = self.rng
        status = Appointment.Status
        outcomes = [status.ATTENDED] * 80 + [status.NO_SHOW] * 6 + [status.CANCELLED] * 10
        outcomes += [status.CANCELLED_BY_JGZ] * 4
        made = 0
        while made < self.appointments_n:
            n = min(BATCH, self.appointments_n - made)
            slots, appointments = [], []
            for _i in range(n):
                i = rng.randrange(len(self.locations))
                day = self.random_day()
                if day.weekday() == 6:
                    day -= timedelta(days=1)
                hour = rng.choice(
                    (9, 10, 11, 13, 14, 15, 16, 18, 19) if day.weekday() < 5 else (9, 10, 11)
                )
                starts = self.when(day, hour, rng.choice((0, 20, 40)))
                slot = Slot(
                    professional=self.nurses[i],
                    location=self.locations[i],
                    starts_at=starts,
                    ends_at=starts + timedelta(minutes=20),
                    capacity=1,
                )
                slots.append(slot)
                if rng.random() < 0.15:  # an empty place next to it: supply without use
                    slots.append(
                        Slot(
                            professional=slot.professional,
                            location=slot.location,
                            starts_at=slot.ends_at,
                            ends_at=slot.ends_at + timedelta(minutes=20),
                            capacity=1,
                        )
                    )
                k = rng.randrange(len(self.families))
                state = status.BOOKED if day >= self.end else rng.choice(outcomes)
                if state in Appointment.HOLDS_PLACE:
                    slot.booked_count = 1
                appointments.append(
                    Appointment(
                        slot=slot,
                        appointment_type=rng.choice(self.types),
                        family=self.families[k],
                        parent=self.parents[k],
                        booked_by=self.parents[k] if rng.random() < 0.7 else self.nurses[i],
                        starts_at=starts,
                        ends_at=slot.ends_at,
                        status=state,
                        ical_uid=f"seed-{made}-{len(appointments)}@{EMAIL_DOMAIN}",
                        created_at=starts - timedelta(days=rng.randrange(1, 40)),
                        changed_at=starts - timedelta(hours=rng.choice((2, 30, 100, 400)))
                        if state in Appointment.CANCELLED_STATUSES
                        else None,
                    )
                )
            Slot.objects.bulk_create(slots, batch_size=BATCH)
            Appointment.objects.bulk_create(appointments, batch_size=BATCH)
            made += n
        self.out.write(f"{made:,} appointments made")

    def _questions(self):
        if connection.vendor == "postgresql":
            return self._questions_in_database()
        return self._questions_in_python()

    def _questions_in_database(self):
        """The same distribution as `_questions_in_python`, generated by PostgreSQL in batches
        of 100,000: question, the nurse's answer, feedback on 30% of the closed ones."""
        from onderwerpen.models import Topic

        topics = list(Topic.objects.values_list("pk", flat=True))
        made = 0
        with connection.cursor() as cursor:
            self._family_table(cursor)
            with bulk_load("vragen_question", "vragen_message", "vragen_feedback"):
                while made < self.questions_n:
                    n = min(100_000, self.questions_n - made)
                    self._question_batch(cursor, made, n, topics)
                    made += n
            cursor.execute("DROP TABLE seed_fams")
        self.out.write(f"{made:,} questions made")

    def _question_batch(self, cursor, first, n, topics):
        cursor.execute(
            "CREATE TEMP TABLE seed_q AS"
            " WITH p AS (SELECT g AS n, %(start)s::date + floor(random() * %(days)s)::int AS d0,"
            " floor(random() * %(nfam)s)::int + 1 AS k, random() AS r, random() AS r2,"
            " random() AS r3, random() AS r4, random() AS r5, random() AS r6"
            " FROM generate_series(%(lo)s, %(hi)s) g),"
            " q AS (SELECT *, (d0 - CASE extract(dow FROM d0) WHEN 6 THEN 1 WHEN 0 THEN 2"
            " ELSE 0 END) AS d FROM p)"
            " SELECT *, (d + make_time(7 + floor(r2 * 15)::int, floor(r3 * 60)::int, 0))"
            " AT TIME ZONE %(tz)s AS asked,"
            " (ARRAY[1,2,2,2,2,2,2,3,3,3,5])[1 + floor(r4 * 11)::int] AS urgency,"
            " r5 < 0.9 AS closed FROM q",
            {
                "start": self.start,
                "days": (self.end - self.start).days,
                "nfam": len(self.families),
                "lo": first + 1,
                "hi": first + n,
                "tz": str(self.tz),
            },
        )
        q_columns, q_values, q_defaults = _model_defaults("vragen.Question", QUESTION_SEEDED)
        cursor.execute(
            "INSERT INTO vragen_question (id, reference, text, channel, call_back_phone,"  # noqa: S608 - the model's own columns
            " call_back_part_of_day, is_alarm, status, urgency, created_at, queued_at,"
            " deadline_at, closed_at, close_reason, close_count, unread_by_parent, asked_by_id,"
            " family_id, topic_id" + q_columns + ")"
            " SELECT md5('seed-q-' || b.n)::uuid, 'R' || lpad(b.n::text, 9, '0'),"
            " 'Vraag uit de testregio.', 'online', '', '', urgency = 1 AND r6 < 0.3,"
            " CASE WHEN closed THEN 'closed' ELSE 'answered' END, urgency, asked, asked,"
            " asked + CASE urgency WHEN 1 THEN interval '8 hours' WHEN 2 THEN interval"
            " '16 hours' WHEN 3 THEN interval '48 hours' END,"
            " CASE WHEN closed THEN asked + (10 + floor(r6 * 2390)::int) * interval '1 minute'"
            " + interval '1 day' END, CASE WHEN closed THEN 'answered' ELSE '' END,"
            " CASE WHEN closed THEN 1 ELSE 0 END, false, f.parent_id, f.family_id,"
            " (%(topics)s::bigint[])[1 + floor(r * array_length(%(topics)s::bigint[], 1))::int]"
            + q_values
            + " FROM seed_q b JOIN seed_fams f ON f.n = b.k",
            {"topics": topics, **q_defaults},
        )
        cursor.execute(
            "INSERT INTO vragen_message (kind, body, created_at, author_id, question_id)"
            " SELECT 'answer', 'Antwoord uit de testregio.',"
            " asked + (10 + floor(r6 * 2390)::int) * interval '1 minute', %s,"
            " md5('seed-q-' || n)::uuid FROM seed_q",
            [self.nurses[0].pk],
        )
        cursor.execute(
            "INSERT INTO vragen_feedback (round, helped, created_at, question_id)"
            " SELECT 1, r3 < 0.85, asked + interval '2 days', md5('seed-q-' || n)::uuid"
            " FROM seed_q WHERE closed AND r2 < 0.3"
        )
        cursor.execute("DROP TABLE seed_q")

    def _questions_in_python(self):
        from onderwerpen.models import Topic
        from vragen.models import Feedback, Message, Question, Urgency

        rng = self.rng
        topics = list(Topic.objects.values_list("pk", flat=True))
        hours = {Urgency.URGENT: 4, Urgency.ONE_DAY: 8, Urgency.THREE_DAYS: 24}
        made = 0
        while made < self.questions_n:
            n = min(BATCH, self.questions_n - made)
            questions, messages, feedback = [], [], []
            for _i in range(n):
                k = rng.randrange(len(self.families))
                day = self.random_day()
                while day.weekday() >= 5:
                    day -= timedelta(days=1)
                asked = self.when(day, rng.randrange(7, 22), rng.randrange(60))
                urgency = rng.choice([1] + [2] * 6 + [3] * 3 + [5])
                deadline = (
                    asked + timedelta(hours=hours.get(urgency, 0) * 2) if urgency in hours else None
                )
                answered = asked + timedelta(minutes=rng.randrange(10, 60 * 40))
                closed = rng.random() < 0.9
                question = Question(
                    reference=f"R{made + len(questions):09d}",
                    family=self.families[k],
                    asked_by=self.parents[k],
                    topic_id=rng.choice(topics),
                    text="Vraag uit de testregio.",
                    urgency=urgency,
                    is_alarm=urgency == 1 and rng.random() < 0.3,
                    status=Question.Status.CLOSED if closed else Question.Status.ANSWERED,
                    created_at=asked,
                    queued_at=asked,
                    deadline_at=deadline,
                    closed_at=answered + timedelta(days=1) if closed else None,
                    close_reason=Question.CloseReason.ANSWERED if closed else "",
                    close_count=1 if closed else 0,
                )
                questions.append(question)
                messages.append(
                    Message(
                        question=question,
                        author=self.nurses[0],
                        kind=Message.Kind.ANSWER,
                        body="Antwoord uit de testregio.",
                        created_at=answered,
                    )
                )
                if closed and rng.random() < 0.3:
                    feedback.append(
                        Feedback(question=question, round=1, helped=rng.random() < 0.85)
                    )
            Question.objects.bulk_create(questions, batch_size=BATCH)
            Message.objects.bulk_create(messages, batch_size=BATCH)
            Feedback.objects.bulk_create(feedback, batch_size=BATCH)
            made += n
        self.out.write(f"{made:,} questions made")

    def _reach(self):
        from contactmomenten.models import ChildMoment, ContactMoment

        rng = self.rng
        moments = list(ContactMoment.objects.filter(target_unit__in=["weeks", "months"]))
        if not moments:
            return
        state = ChildMoment.State
        states = [state.ATTENDED] * 85 + [state.MISSED] * 5 + [state.INVITED] * 7
        states += [state.NOT_NEEDED] * 3
        rows = []
        for child in self.children:
            for moment in rng.sample(moments, min(3, len(moments))):
                opens = child.date_of_birth + timedelta(days=30 * moment.target_value)
                if opens > self.end:
                    continue
                rows.append(
                    {
                        "child_id": child.pk,
                        "moment_id": moment.pk,
                        "version": moment.version,
                        "window_opens": opens,
                        "window_closes": opens + timedelta(days=28),
                        "state": rng.choice(states),
                        "outreach": rng.choice(["", "", "", "called"]),
                    }
                )
        with bulk_load("contactmomenten_childmoment"):
            copy_rows(ChildMoment, rows)
        self.out.write(f"{len(rows):,} children's contact moments made")


# Appointment columns the SQL above fills itself.
SEEDED = {
    "id", "slot_id", "appointment_type_id", "family_id", "child_id", "parent_id",
    "booked_by_id", "starts_at", "ends_at", "status", "note", "token", "ical_uid",
    "ical_sequence", "cancel_reason", "created_at", "changed_at",
}  # fmt: skip


def _model_defaults(label: str, seeded: set) -> tuple[str, str, dict]:
    """`, col, ...`, `, %(d_col)s, ...` and their values: every NOT NULL column of the model
    that `seeded` does not name, with its field default (so a new column does not break us)."""
    from django.apps import apps

    columns, values, params = "", "", {}
    for field in apps.get_model(label)._meta.concrete_fields:
        value = None if field.null or field.column in seeded else field.get_default()
        if value is None:  # nullable, filled above, or no default ('' for text fields)
            continue
        columns += f", {field.column}"
        values += f", %(d_{field.column})s"
        params[f"d_{field.column}"] = field.get_db_prep_save(value, connection=connection)
    return columns, values, params


QUESTION_SEEDED = {
    "id", "reference", "text", "channel", "call_back_phone", "call_back_part_of_day",
    "is_alarm", "status", "urgency", "created_at", "queued_at", "deadline_at", "closed_at",
    "close_reason", "close_count", "unread_by_parent", "asked_by_id", "family_id", "topic_id",
}  # fmt: skip


class RegionLoad:
    """Region mode's additions (see the module docstring), after `Region.build`."""

    def __init__(self, region: Region, *, children: int, log_days: int):
        self.region, self.rng, self.out = region, region.rng, region.out
        self.children = children
        self.log_days = log_days
        self.professionals_n = max(4, children * 30 // 10_000)
        self.locations_n = max(2, children * 4 // 10_000)

    def build(self) -> dict:
        counts, out = {}, self.out
        with step(out, "professionals and future slots"), transaction.atomic():
            counts["professionals"] = self._professionals()
            counts["future slots"], counts["future appointments"] = self._future_slots()
            counts["open questions"] = self._open_questions()
        with step(out, "question events"):
            counts["question events"] = self._events()
        with step(out, "newsletters"):
            counts["subscriptions"], counts["deliveries"] = self._newsletters()
        with step(out, "access log"):
            counts["access-log rows"] = self._access_log()
        with step(out, "analyze"), connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return counts

    def _professionals(self) -> int:
        from accounts.models import User
        from afspraken.models import Location, Schedule

        region = self.region
        extra = [
            Location(
                name=f"Consultatiebureau regio {n}",
                address=f"Regiostraat {n}, Utrecht",
                phone="030 123 45 67",
            )
            for n in range(max(0, self.locations_n - len(region.locations)))
        ]
        Location.objects.bulk_create(extra, batch_size=BATCH)
        self.locations = region.locations + extra
        start = len(region.nurses)
        more = [
            User(
                email=f"vpk{i}@{EMAIL_DOMAIN}",
                password="!seeded",  # noqa: S106 - unusable; the bench sets its own
                role=User.Role.NURSE,
                first_name="Vpk",
                last_name=str(i),
            )
            for i in range(start, self.professionals_n)
        ]
        User.objects.bulk_create(more, batch_size=BATCH)
        self.professionals = region.nurses + more
        today = timezone.localdate()
        schedules = []
        for n, professional in enumerate(self.professionals):
            location = self.locations[n % len(self.locations)]
            # Two mornings a week; a third of them one evening, a sixth Saturday morning.
            days = [(n % 5, time(9), time(12)), ((n + 2) % 5, time(13), time(16))]
            if n % 3 == 0:
                days.append(((n + 1) % 5, time(18), time(21)))
            if n % 6 == 0:
                days.append((5, time(9), time(12)))
            for weekday, begin, end in days:
                schedules.append(
                    Schedule(
                        professional=professional,
                        location=location,
                        weekday=weekday,
                        start_time=begin,
                        end_time=end,
                        valid_from=today - timedelta(days=7),
                    )
                )
        Schedule.objects.bulk_create(schedules, batch_size=BATCH)
        through = Schedule.types.through
        through.objects.bulk_create(
            [
                through(schedule_id=schedule.pk, appointmenttype_id=region.types[0].pk)
                for schedule in schedules
            ],
            batch_size=BATCH,
        )
        self.schedules = schedules
        return len(self.professionals)

    def _future_slots(self) -> tuple[int, int]:
        """Slots for the coming two weeks from the schedules; a third of them booked."""
        from afspraken.models import Appointment, Slot

        region, rng = self.region, self.rng
        today = timezone.localdate()
        slots, appointments = [], []
        for day_offset in range(1, 15):
            day = today + timedelta(days=day_offset)
            for schedule in self.schedules:
                if schedule.weekday != day.weekday():
                    continue
                at = region.when(day, schedule.start_time.hour)
                end = region.when(day, schedule.end_time.hour)
                while at < end:
                    slot = Slot(
                        schedule=schedule,
                        professional=schedule.professional,
                        location=schedule.location,
                        starts_at=at,
                        ends_at=at + timedelta(minutes=20),
                        capacity=1,
                    )
                    slots.append(slot)
                    if rng.random() < 0.33:
                        slot.booked_count = 1
                        k = rng.randrange(len(region.families))
                        appointments.append(
                            Appointment(
                                slot=slot,
                                appointment_type=region.types[0],
                                family=region.families[k],
                                parent=region.parents[k],
                                booked_by=region.parents[k],
                                starts_at=slot.starts_at,
                                ends_at=slot.ends_at,
                                status=Appointment.Status.BOOKED,
                                ical_uid=f"seed-future-{len(appointments)}@{EMAIL_DOMAIN}",
                                created_at=timezone.now() - timedelta(days=rng.randrange(1, 30)),
                            )
                        )
                    at += timedelta(minutes=20)
        Slot.objects.bulk_create(slots, batch_size=BATCH)
        Appointment.objects.bulk_create(appointments, batch_size=BATCH)
        return len(slots), len(appointments)

    def _open_questions(self) -> int:
        """The triage queue: questions asked in the last days, open or waiting."""
        from onderwerpen.models import Topic
        from vragen.models import Question

        region, rng = self.region, self.rng
        topics = list(Topic.objects.values_list("pk", flat=True))
        now = timezone.now()
        questions = []
        for n in range(max(20, self.children // 300)):
            k = rng.randrange(len(region.families))
            asked = now - timedelta(minutes=rng.randrange(10, 60 * 24 * 3))
            questions.append(
                Question(
                    reference=f"Q{n:09d}",
                    family=region.families[k],
                    asked_by=region.parents[k],
                    topic_id=rng.choice(topics),
                    text="Open vraag uit de testregio over slapen en eten.",
                    urgency=rng.choice([2] * 6 + [3] * 3 + [5]),
                    status=rng.choice([Question.Status.OPEN] * 4 + [Question.Status.WAITING]),
                    created_at=asked,
                    queued_at=asked,
                    deadline_at=asked + timedelta(days=2),
                )
            )
        Question.objects.bulk_create(questions, batch_size=BATCH)
        return len(questions)

    def _events(self) -> int:
        """A timeline for every seeded question: asked, and closed when it was."""
        with bulk_load("vragen_event"), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO vragen_event (question_id, at, kind, from_value, to_value)"
                " SELECT id, created_at, 'created', '', '' FROM vragen_question"
                " WHERE reference LIKE 'R%%' OR reference LIKE 'Q%%'"
                " UNION ALL SELECT id, closed_at, 'status', 'answered', 'closed'"
                " FROM vragen_question WHERE closed_at IS NOT NULL AND reference LIKE 'R%%'"
            )
            return cursor.rowcount

    def _newsletters(self) -> tuple[int, int]:
        """40% of parents subscribed; twelve monthly editions of the last year, delivered."""
        with bulk_load("nieuwsbrieven_subscription", "nieuwsbrieven_delivery"):
            return self._newsletters_in(timezone.now())

    def _newsletters_in(self, now) -> tuple[int, int]:
        from nieuwsbrieven.models import Edition

        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO nieuwsbrieven_subscription (id, parent_id, email, status,"
                " milestones, key, requested_at, consented_at, consent_version, consent_text)"
                " SELECT gen_random_uuid(), u.id, u.email, 'active', true,"
                " substr(md5(u.id::text), 1, 32), %s, %s, 'seed', 'seed'"
                " FROM accounts_user u WHERE u.email LIKE %s AND u.role = 'parent'"
                " AND u.id %% 5 < 2",
                [now - timedelta(days=400), now - timedelta(days=400), f"%@{EMAIL_DOMAIN}"],
            )
            subscriptions = cursor.rowcount
        editions = Edition.objects.bulk_create(
            [
                Edition(
                    title=f"Regio-nieuwsbrief {n + 1}",
                    body="Nieuws uit de testregio.",
                    phase=Edition.Phase.CHILD,
                    age_from_months=0,
                    age_to_months=216,
                    status=Edition.Status.SENT,
                    scheduled_at=now - timedelta(days=30 * (12 - n)),
                    fanned_out_at=now - timedelta(days=30 * (12 - n)),
                    finished_at=now - timedelta(days=30 * (12 - n)) + timedelta(minutes=10),
                )
                for n in range(12)
            ]
        )
        deliveries = 0
        for edition in editions:
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO nieuwsbrieven_delivery (edition_id, subscription_id, child_name,"
                    " status, attempts, claim, next_attempt_at, sent_at, last_error)"
                    " SELECT %s, s.id, 'Kind', 'sent', 1, '', %s, %s, ''"
                    " FROM nieuwsbrieven_subscription s WHERE s.consent_version = 'seed'",
                    [edition.pk, edition.finished_at, edition.finished_at],
                )
                deliveries += cursor.rowcount
        return subscriptions, deliveries

    def _access_log(self) -> int:
        """`log_days` days of staff page views: ~80,000 rows a day for 300,000 children."""
        per_day = max(100, self.children * 80_000 // 300_000)
        since = timezone.now() - timedelta(days=self.log_days)
        if connection.vendor != "postgresql":
            return 0
        with connection.cursor() as cursor:
            cursor.execute("SELECT privacy_accesslog_create_partitions(3, %s)", [since])
        made = 0
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE seed_kids AS SELECT row_number() OVER () AS n, id, family_id"
                " FROM families_child"
            )
            cursor.execute("CREATE INDEX ON seed_kids (n)")
            cursor.execute("SELECT count(*) FROM seed_kids")
            kids = cursor.fetchone()[0]
            with bulk_load("privacy_accesslog"):
                for day in range(self.log_days):
                    start = since + timedelta(days=day)
                    cursor.execute(
                        "INSERT INTO privacy_accesslog (at, actor_email, actor_role, action,"
                        " record_type, record_ids, child_ids, family_ids, reason)"
                        " SELECT %s + (g * interval '1 second' * 86400 / %s),"
                        " 'vpk' || (g %% %s) || '@' || %s, 'nurse',"
                        " (ARRAY['view','view','view','search','change'])[1 + g %% 5],"
                        " (ARRAY['vragen.question','afspraken.appointment',"
                        "'families.family'])[1 + g %% 3], ARRAY[k.id::text],"
                        " ARRAY[k.id], ARRAY[k.family_id], ''"
                        " FROM generate_series(1, %s) g"
                        " JOIN seed_kids k ON k.n = 1 + (g::bigint * 7919 + %s) %% %s",
                        [
                            start,
                            per_day,
                            self.professionals_n,
                            EMAIL_DOMAIN,
                            per_day,
                            day * 104729,
                            kids,
                        ],
                    )
                    made += cursor.rowcount
            cursor.execute("DROP TABLE seed_kids")
        return made
