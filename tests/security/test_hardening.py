"""Headers, cookies, deploy check, sessions, rate limits and MFA for parents."""

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from core.middleware import SESSION_KEY
from tests.factories import PASSWORD, make_parent

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    # Made per run: a key written in the repository is refused (tests/security/test_fail_closed.py).
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "ouderportaal.example.nl",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://ouderportaal.example.nl",
    "DJANGO_BEHIND_TLS_PROXY": "1",
    "SITE_URL": "https://ouderportaal.example.nl",
    # Nothing connects during `check`; production only refuses to start without these.
    "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://portal@127.0.0.1:5432/portal"),
    "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
}


def _manage(*args, env_extra: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_is_clean_with_env_example():
    """The documented production variables (.env.example), with a real-looking secret."""
    env = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            env[key] = value
    env["DJANGO_SECRET_KEY"] = PRODUCTION_ENV["DJANGO_SECRET_KEY"]
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_extra=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_are_strict():
    code = (
        "from django.conf import settings as s;"
        "print('RESULT', s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_REFERRER_POLICY)"
    )
    result = _manage("shell", "-c", code, env_extra=PRODUCTION_ENV)
    line = next(x for x in result.stdout.splitlines() if x.startswith("RESULT"))
    assert line.split()[1:] == ["True"] * 5 + ["same-origin"], result.stderr


@pytest.mark.django_db
def test_csp_header_is_present_and_strict(client):
    response = client.get(reverse("account_login"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_templates_have_no_inline_scripts_styles_or_handlers():
    """A strict CSP blocks inline code; this finds it before a browser does."""
    import re

    pattern = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=\"|\son[a-z]+=\"", re.I)
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if "emails" not in path.parts
        and path.name != "export.html"
        # Rendered to PDF by WeasyPrint (bereik/letters.py), never served as a page.
        and path.relative_to(ROOT).as_posix() != "templates/bereik/letter.html"
        and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.django_db
def test_security_headers_on_every_page(client):
    response = client.get(reverse("account_login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_httponly(client, parent, settings):
    settings.SESSION_COOKIE_SECURE = True
    client.post(reverse("account_login"), {"login": parent.email, "password": PASSWORD})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["secure"]
    assert settings.CSRF_COOKIE_HTTPONLY


def _age_session(client, seconds: int) -> None:
    session = client.session
    session[SESSION_KEY] = int(time.time()) - seconds
    session.save()


@pytest.mark.django_db
def test_staff_session_ends_after_15_idle_minutes(nurse_client):
    assert nurse_client.get(reverse("staff_home")).status_code == 200
    _age_session(nurse_client, 15 * 60 + 5)
    response = nurse_client.get(reverse("staff_home"))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert "_auth_user_id" not in nurse_client.session


@pytest.mark.django_db
def test_staff_session_survives_14_idle_minutes(nurse_client):
    nurse_client.get(reverse("staff_home"))
    _age_session(nurse_client, 14 * 60)
    assert nurse_client.get(reverse("staff_home")).status_code == 200


@pytest.mark.django_db
def test_parent_session_survives_30_idle_minutes_but_not_61(parent_client):
    parent_client.get(reverse("families:home"))
    _age_session(parent_client, 30 * 60)
    assert parent_client.get(reverse("families:home")).status_code == 200
    _age_session(parent_client, 61 * 60)
    assert parent_client.get(reverse("families:home")).status_code == 302


@pytest.mark.django_db
def test_password_change_ends_other_sessions():
    parent = make_parent()
    laptop, phone = Client(), Client()
    for device in (laptop, phone):
        device.post(reverse("account_login"), {"login": parent.email, "password": PASSWORD})
        assert device.get(reverse("families:home")).status_code == 200
    response = laptop.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "Nieuw-wachtwoord-77",
            "password2": "Nieuw-wachtwoord-77",
        },
    )
    assert response.status_code == 302
    assert phone.get(reverse("families:home")).status_code == 302
    assert laptop.get(reverse("families:home")).status_code == 302  # LOGOUT_ON_PASSWORD_CHANGE


@pytest.mark.django_db
def test_login_is_rate_limited_after_failed_attempts(client):
    parent = make_parent()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": parent.email, "password": "wrong"})
    client.post(reverse("account_login"), {"login": parent.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_portal_rate_limit_answers_429_in_dutch(parent_client, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "data_export": "2/3600"}
    for _ in range(2):
        assert parent_client.post(reverse("privacy:download")).status_code == 200
    response = parent_client.post(reverse("privacy:download"))
    assert response.status_code == 429
    assert "Te veel pogingen" in response.text


@pytest.mark.django_db
def test_rate_limit_counts_per_user(client, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "data_export": "1/3600"}
    first, second = make_parent(), make_parent()
    for user in (first, second):
        client.force_login(user)
        assert client.post(reverse("privacy:download")).status_code == 200


@pytest.mark.django_db
def test_parent_can_open_mfa_setup(parent_client):
    assert parent_client.get(reverse("mfa_index")).status_code == 200
    # Activation asks for the password again first (allauth), never a 403 for parents.
    response = parent_client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302 and response.url.startswith(
        reverse("account_reauthenticate")
    )
    assert reverse("mfa_index") in parent_client.get(reverse("account_email")).text


@pytest.mark.django_db
def test_admin_login_has_no_own_form(client, manager):
    response = client.post("/admin/login/", {"username": manager.email, "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_question_form_is_rate_limited_with_dutch_429(parent_client, settings):
    """Only stored questions count: form errors and the "Bel nu" step do not."""
    from tests.vragen.factories import topic

    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "question": "2/3600"}
    data = {"about": "parent", "topic": topic().pk, "text": "Hoe lang slaapt een peuter?"}
    data["channel"] = "online"
    assert parent_client.post(reverse("vragen:ask"), {"text": ""}).status_code == 400
    for _ in range(2):
        assert parent_client.post(reverse("vragen:ask"), data).status_code == 302
    response = parent_client.post(reverse("vragen:ask"), data)
    assert response.status_code == 429
    assert "Je hebt in korte tijd veel verstuurd" in response.text


@pytest.mark.django_db
def test_booking_is_rate_limited_with_dutch_429(parent_client, settings):
    import uuid

    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "booking": "1/3600"}
    url = reverse("afspraken:group_book", kwargs={"slot_id": uuid.uuid4()})
    assert parent_client.post(url).status_code != 429
    response = parent_client.post(url)
    assert response.status_code == 429 and "Te veel pogingen" in response.text
