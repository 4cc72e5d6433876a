"""`manage.py seed_region`: a region's worth of made-up data for trying and measuring figures.

Scale 1 is about 1,000,000 appointments and 300,000 questions over `--years` years, for
150,000 families; `--scale 0.01` is a hundredth. Everything is inserted in bulk (no services,
no e-mail), all names are invented, and every row is marked so `--clear` can remove it again.
Teams, wijken and postcodes come first, so the figures can be filtered per team and wijk.
"""

import random
from datetime import datetime, time, timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

EMAIL_DOMAIN = "seed-region.example"
FAMILY_PREFIX = "Regio "
BATCH = 5000
TEAMS = {
    "Team Noord": ["3551", "3552", "3553", "3554"],
    "Team Oost": ["3581", "3582", "3583", "3584"],
    "Team Zuid": ["3521", "3522", "3523", "3524"],
    "Team West": ["3531", "3532", "3533", "3534"],
}
NAMES = ["Noor", "Sem", "Emma", "Lucas", "Julia", "Daan", "Mila", "Finn", "Tess", "Levi"]


class Command(BaseCommand):
    help = "Generate families, children, appointments and questions for a whole region."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=0.01)
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--clear", action="store_true", help="Remove earlier seeded rows.")

    def handle(self, *args, scale, years, seed, clear, **options):
        rng = random.Random(seed)  # noqa: S311 - made-up data, reproducible by seed
        if clear:
            self._clear()
        counts = Region(rng=rng, scale=scale, years=years, out=self.stdout).build()
        for name, n in counts.items():
            self.stdout.write(f"{name}: {n:,}")

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
    def __init__(self, *, rng, scale, years, out):
        self.rng, self.out = rng, out
        self.families_n = max(20, int(150_000 * scale))
        self.appointments_n = max(50, int(1_000_000 * scale))
        self.questions_n = max(30, int(300_000 * scale))
        self.end = timezone.localdate()
        self.start = self.end - timedelta(days=365 * years)
        self.tz = timezone.get_current_timezone()

    def when(self, day, hour, minute=0):
        return timezone.make_aware(datetime.combine(day, time(hour, minute)), self.tz)

    def random_day(self):
        return self.start + timedelta(days=self.rng.randrange((self.end - self.start).days))

    def build(self) -> dict:
        with transaction.atomic():
            self._teams()
            self._staff_and_types()
            self._families()
        self._appointments()
        self._questions()
        self._reach()
        from teams.services import refresh_family_teams

        refresh_family_teams()
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
                    ChildMoment(
                        child=child,
                        moment=moment,
                        version=moment.version,
                        window_opens=opens,
                        window_closes=opens + timedelta(days=28),
                        state=rng.choice(states),
                        outreach=rng.choice(["", "", "", "called"]),
                    )
                )
        ChildMoment.objects.bulk_create(rows, batch_size=BATCH)
        self.out.write(f"{len(rows):,} children's contact moments made")
