"""Load demo data: realistic Dutch families, a nurse and a manager. Idempotent."""

import importlib
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import activate_totp, create_staff_user, set_role
from families.ages import add_months
from families.models import Child, Family

DEMO_PASSWORD = "ouderportaal-demo"  # noqa: S105 - documented demo login
DEMO_APPS = ("vragen", "afspraken", "teams", "nieuwsbrieven", "privacy", "contactmomenten")

# (family name, parent e-mail, parent first name, [(child, age in months or None, due in days)])
FAMILIES = [
    ("De Vries", "ouder@example.org", "Sanne", [("Noor", 8, None), ("Daan", 38, None)]),
    ("El Amrani", "fatima@example.org", "Fatima", [("Yasmin", 66, None), ("Adam", 160, None)]),
    ("Jansen", "kees@example.org", "Kees", [("Lotte", 196, None), ("Sem", 124, None)]),
    ("Bakker", "emma@example.org", "Emma", [("Baby Bakker", None, 70)]),
    ("Öztürk", "ayse@example.org", "Ayşe", [("Elif", 2, None), ("Mert", 27, None)]),
]
STAFF = [
    ("verpleegkundige@example.org", User.Role.NURSE, "Marieke", "Visser"),
    ("arts@example.org", User.Role.DOCTOR, "Jeroen", "de Boer"),
    ("assistent@example.org", User.Role.ASSISTANT, "Anouk", "Mulder"),
    ("manager@example.org", User.Role.MANAGER, "Petra", "Smit"),
    ("privacy@example.org", User.Role.PRIVACY_OFFICER, "Ruben", "Dekker"),
    ("redactie@example.org", User.Role.EDITOR, "Lieke", "Vermeulen"),
]


class Command(BaseCommand):
    help = "Load demo families, staff and content (idempotent). Refuses with DEBUG off."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("demo_data refuses to run with DEBUG off (use --force).")
        with transaction.atomic():
            staff = self._staff()
            families = self._families()
        for app in DEMO_APPS:
            try:
                module = importlib.import_module(f"{app}.demo")
            except ModuleNotFoundError:
                continue
            with transaction.atomic():
                module.load(staff=staff, families=families)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded. Logins (password: {DEMO_PASSWORD}):")
        )
        self.stdout.write("  parent: ouder@example.org")
        for email, role, _first, _last in STAFF:
            label = User.Role(role).label
            self.stdout.write(f"  {label}: {email}  (TOTP secret {settings.DEMO_TOTP_SECRET})")

    def _staff(self) -> dict[str, User]:
        staff = {}
        for email, role, first, last in STAFF:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = create_staff_user(
                    email=email,
                    password=DEMO_PASSWORD,
                    role=role,
                    first_name=first,
                    last_name=last,
                )
            else:
                set_role(user=user, role=role)
            activate_totp(user=user, secret=settings.DEMO_TOTP_SECRET)
            staff[role] = user
        return staff

    def _families(self) -> list[Family]:
        from allauth.account.models import EmailAddress

        today = timezone.localdate()
        families = []
        for name, email, first, children in FAMILIES:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email=email, password=DEMO_PASSWORD, first_name=first, last_name=name
                )
                set_role(user=user, role=User.Role.PARENT)
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            family = user.family
            if family is None:
                family = Family.objects.create(name=name)
                user.family = family
                user.save(update_fields=["family"])
            for child_name, months, due_in_days in children:
                if months is not None:
                    born = add_months(today, -months) - timedelta(days=3)
                    Child.objects.get_or_create(
                        family=family, first_name=child_name, defaults={"date_of_birth": born}
                    )
                else:
                    Child.objects.get_or_create(
                        family=family,
                        first_name=child_name,
                        defaults={"due_date": today + timedelta(days=due_in_days)},
                    )
            families.append(family)
        return families
