"""allauth's e-mails name the portal and link to SITE_URL, like every other mail."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from outbox.models import OutgoingEmail
from tests.factories import make_parent

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_verification_mail_names_the_portal_and_links_to_site_url(client, settings):
    settings.SITE_URL = "http://portal.test:8123"
    settings.ORGANISATION_NAME = "JGZ Regio Test"
    client.post(
        reverse("account_signup"),
        {
            "email": "nieuw@example.org",
            "password1": "Zomer-2026-ouder",
            "password2": "Zomer-2026-ouder",
        },
    )
    mail = OutgoingEmail.objects.get(to="nieuw@example.org")
    assert "Hallo van JGZ Regio Test!" in mail.body_text
    assert "van !" not in mail.body_text
    assert "http://portal.test:8123/accounts/confirm-email/" in mail.body_text
    assert "testserver" not in mail.body_text


def test_password_reset_mail_links_to_site_url(client, settings):
    settings.SITE_URL = "http://portal.test:8123"
    parent = make_parent(email="vergeten@example.org")
    client.post(reverse("account_reset_password"), {"email": parent.email})
    mail = OutgoingEmail.objects.get(to=parent.email)
    assert "http://portal.test:8123/accounts/password/reset/key/" in mail.body_text


@pytest.mark.parametrize(
    ("addr", "expected"),
    [
        ("127.0.0.1:8123", "http://127.0.0.1:8123"),
        ("8123", "http://127.0.0.1:8123"),
        ("0.0.0.0:9000", "http://127.0.0.1:9000"),
        ("192.168.1.20:8000", "http://192.168.1.20:8000"),
    ],
)
def test_dev_site_url_is_where_runserver_listens(addr, expected):
    from ouderportaal.settings import _dev_site_url

    assert _dev_site_url(addr) == expected


def test_site_url_follows_runserver_addr_when_not_set():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("SITE_URL", "RUNSERVER_ADDR") and not key.startswith("DJANGO_")
    }
    env["RUNSERVER_ADDR"] = "127.0.0.1:8123"
    code = "from django.conf import settings; print('RESULT', settings.SITE_URL)"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    line = next(x for x in result.stdout.splitlines() if x.startswith("RESULT"))
    assert line.split()[1] == "http://127.0.0.1:8123", result.stderr
