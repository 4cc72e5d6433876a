"""Failed logins are limited per account and, separately, per address: one family mistyping
behind a shared network locks out no other family, and the page says how long to wait."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, make_parent

pytestmark = pytest.mark.django_db


def _login(client, email, password, address="192.0.2.10"):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=address
    )


def test_wrong_passwords_for_one_account_do_not_lock_out_another_family(client):
    make_parent(email="gezin-a@example.org")
    make_parent(email="gezin-b@example.org")
    for _ in range(20):
        _login(client, "gezin-a@example.org", "verkeerd-wachtwoord")
    response = _login(Client(), "gezin-b@example.org", PASSWORD)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_an_account_is_paused_after_five_failures_and_the_page_says_how_long(client):
    make_parent(email="gezin-a@example.org")
    for _ in range(5):
        assert _login(client, "gezin-a@example.org", "verkeerd-wachtwoord").status_code == 200
    response = _login(client, "gezin-a@example.org", PASSWORD, address="198.51.100.7")
    assert response.status_code == 200  # even the right password waits, from any address
    html = response.content.decode()
    assert "Wacht 5 minuten" in html
    assert "Te vaak" in html


def test_guessing_at_many_accounts_from_one_address_closes_that_address(client):
    make_parent(email="echt@example.org")
    for number in range(30):
        _login(client, f"gok{number}@example.org", "verkeerd-wachtwoord")
    response = _login(client, "echt@example.org", PASSWORD)
    assert response.status_code == 200
    assert "vanaf dit netwerk" in response.content.decode()
    assert "Wacht 15 minuten" in response.content.decode()
    # The same account from another address is not affected.
    assert _login(Client(), "echt@example.org", PASSWORD, address="198.51.100.7").status_code == 302


def test_a_correct_login_does_not_count_as_a_failure(client):
    make_parent(email="gezin-a@example.org")
    for _ in range(8):
        other = Client()
        assert _login(other, "gezin-a@example.org", PASSWORD).status_code == 302
    for _ in range(4):
        _login(client, "gezin-a@example.org", "verkeerd-wachtwoord")
    assert _login(Client(), "gezin-a@example.org", PASSWORD).status_code == 302


def test_allauths_own_rate_limit_page_is_dutch_and_says_how_long(rf):
    from allauth.core.internal.ratelimit import respond_429
    from django.contrib.auth.models import AnonymousUser

    request = rf.post(reverse("account_login"))
    request.user = AnonymousUser()
    response = respond_429(request)
    assert response.status_code == 429
    assert "Wacht 1 minuut" in response.content.decode()
