"""Logins, logouts, failed logins and failed second-factor codes are recorded (NEN 7510)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from privacy.models import SecurityEvent
from tests.factories import PASSWORD, make_parent, make_staff, totp_code

pytestmark = pytest.mark.django_db
Kind = SecurityEvent.Kind


def _login(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_parent_login_and_logout_are_recorded(client):
    parent = make_parent()
    _login(client, parent.email)
    client.post(reverse("account_logout"))
    events = list(SecurityEvent.objects.order_by("at", "pk"))
    assert [(e.kind, e.user_id, e.email) for e in events] == [
        (Kind.LOGIN, parent.pk, parent.email),
        (Kind.LOGOUT, parent.pk, parent.email),
    ]


def test_failed_login_records_the_address_typed_and_where_from(client):
    parent = make_parent()
    _login(client, parent.email, password="wrong-password")
    event = SecurityEvent.objects.get()
    assert event.kind == Kind.LOGIN_FAILED and event.email == parent.email
    assert event.user is None and event.ip_address == "127.0.0.1"


def test_wrong_second_factor_code_is_recorded_and_the_right_one_logs_in(client):
    nurse = make_staff()
    _login(client, nurse.email)
    wrong = "000000" if totp_code() != "000000" else "111111"
    client.post(reverse("mfa_authenticate"), {"code": wrong})
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    kinds = list(SecurityEvent.objects.order_by("at", "pk").values_list("kind", "user_id"))
    assert kinds == [(Kind.MFA_FAILED, nurse.pk), (Kind.LOGIN, nurse.pk)]


def test_privacy_officer_reads_security_events_and_a_manager_does_not(client, manager):
    _login(client, "niemand@example.org", password="geen-wachtwoord")
    officer = make_staff(role=User.Role.MANAGER, email="po@example.org")
    officer.groups.add(Group.objects.get(name="Privacy officers"))
    url = reverse("admin:privacy_securityevent_changelist")
    client.force_login(manager)
    assert client.get(url).status_code == 403
    client.force_login(User.objects.get(pk=officer.pk))
    response = client.get(url)
    assert response.status_code == 200 and "niemand@example.org" in response.text


def test_security_events_past_retention_are_removed(settings):
    from privacy.services import apply_retention

    old = SecurityEvent.objects.create(
        kind=Kind.LOGIN_FAILED,
        email="x@example.org",
        at=timezone.now() - timedelta(days=settings.RETENTION_SECURITY_EVENTS_DAYS + 1),
    )
    recent = SecurityEvent.objects.create(kind=Kind.LOGIN_FAILED, email="y@example.org")
    report = apply_retention(dry_run=False)
    assert report.counts["security_events_deleted"] == 1
    assert not SecurityEvent.objects.filter(pk=old.pk).exists()
    assert SecurityEvent.objects.filter(pk=recent.pk).exists()
