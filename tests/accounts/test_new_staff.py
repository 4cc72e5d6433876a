"""A new staff member's first day: the admin says the e-mail must be confirmed first, the
password is typed once, and after setting up TOTP they land where they were going."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from outbox.models import OutgoingEmail
from tests.factories import totp_code

pytestmark = pytest.mark.django_db
PASSWORD = "Zomer-2026-nieuw"


def _add_in_admin(manager_client):
    return manager_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "nieuw@example.org",
            "primary_role": "nurse",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "usable_password": "true",
            "_save": "1",
        },
        follow=True,
    )


@pytest.fixture
def manager_client(manager):
    client = Client()
    client.force_login(manager)
    return client


def test_admin_add_page_says_the_email_must_be_confirmed_first(manager_client):
    html = manager_client.get(reverse("admin:accounts_user_add")).content.decode()
    assert "moet eerst zijn e-mailadres bevestigen" in html
    response = _add_in_admin(manager_client)
    messages = [str(m) for m in response.context["messages"]]
    assert any("moet eerst zijn e-mailadres bevestigen" in m for m in messages)


def _first_login(client) -> str:
    """Log in, confirm the e-mail from the link; returns where the portal sends them next."""
    client.post(reverse("account_login"), {"login": "nieuw@example.org", "password": PASSWORD})
    body = OutgoingEmail.objects.filter(to="nieuw@example.org").last().body_text
    path = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", body).group(1)
    return client.post(path).url


def test_new_staff_types_the_password_once_and_lands_where_they_were_going(manager_client):
    _add_in_admin(manager_client)
    client = Client()
    landing = _first_login(client)
    assert landing == reverse("staff_home")
    setup = client.get(landing)
    assert setup.url.startswith(reverse("mfa_activate_totp"))
    page = client.get(setup.url)
    assert page.status_code == 200, page.get("Location")  # not the password again
    secret = page.context["form"].secret
    done = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert done.status_code == 302
    assert done.url == reverse("staff_home")  # not the recovery codes page
    home = client.get(done.url)
    assert home.status_code == 200
    assert "herstelcodes" in home.content.decode()


def test_an_outside_next_is_not_followed(manager_client):
    _add_in_admin(manager_client)
    client = Client()
    _first_login(client)
    page = client.get(reverse("mfa_activate_totp") + "?next=https://evil.example/")
    secret = page.context["form"].secret
    done = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert "evil.example" not in done.url
