"""Small factory functions with safe defaults; a test sets only what it is about."""

import itertools
import time
from datetime import date, timedelta

from django.utils import timezone

from accounts.models import RoleChange, User
from accounts.services import activate_totp, change_roles, set_role
from families.models import Child, Family

PASSWORD = "correct-horse-battery-9"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
_seq = itertools.count(1)


def make_family(**overrides) -> Family:
    return Family.objects.create(**{"name": f"Familie {next(_seq)}", **overrides})


def make_parent(
    *, email: str | None = None, family: Family | None = None, verified=True, **overrides
) -> User:
    from allauth.account.models import EmailAddress

    email = email or f"ouder{next(_seq)}@example.org"
    user = User.objects.create_user(email=email, password=PASSWORD, **overrides)
    set_role(user=user, role=User.Role.PARENT)
    user.family = family or make_family()
    user.save(update_fields=["family"])
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def make_staff(
    *,
    email: str | None = None,
    role: str = User.Role.NURSE,
    extra_roles=(),
    mfa: bool = True,
    **overrides,
) -> User:
    from allauth.account.models import EmailAddress

    email = email or f"medewerker{next(_seq)}@example.org"
    user = User.objects.create_user(
        email=email,
        password=PASSWORD,
        first_name=overrides.pop("first_name", "Marieke"),
        last_name=overrides.pop("last_name", "Visser"),
        **overrides,
    )
    change_roles(
        actor=None, user=user, role=role, extra_roles=extra_roles, source=RoleChange.Source.COMMAND
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if mfa:
        activate_totp(user=user, secret=TOTP_SECRET)
    return user


def make_child(
    *,
    family: Family | None = None,
    age_months: int | None = 14,
    due_in_days: int | None = None,
    **overrides,
) -> Child:
    from families.ages import add_months

    family = family or make_family()
    today = timezone.localdate()
    if due_in_days is not None:
        dates = {"due_date": today + timedelta(days=due_in_days)}
    elif "date_of_birth" in overrides:
        dates = {}
    else:
        dates = {"date_of_birth": add_months(today, -age_months)}
    return Child.objects.create(
        family=family, **{"first_name": f"Kind{next(_seq)}", **dates, **overrides}
    )


def totp_code(secret: str = TOTP_SECRET) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def born_on(day: date, family: Family | None = None, **overrides) -> Child:
    return make_child(family=family, date_of_birth=day, **overrides)
