"""Passwords are stored with Argon2id; a parent whose password was stored with PBKDF2 (before
the switch) still logs in, and that login stores the password again with Argon2id."""

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, make_parent

# The real hashers, not the MD5 every other test uses for speed.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("deployed_hashers")]

ARGON2ID_PREFIX = "argon2$argon2id$v=19$m=19456,t=2,p=1$"


def _login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_an_old_pbkdf2_password_still_logs_in_and_is_stored_again_with_argon2id():
    parent = make_parent(email="oud-wachtwoord@example.org")
    # A PBKDF2 hash as older releases stored it (fewer iterations than today's million keep the
    # test fast; Django verifies any iteration count stored in the hash).
    hasher = PBKDF2PasswordHasher()
    parent.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    parent.save(update_fields=["password"])

    assert _login(Client(), parent.email, "verkeerd-wachtwoord").status_code == 200
    parent.refresh_from_db()
    assert parent.password.startswith("pbkdf2_sha256$1000$")  # a failed try changes nothing

    client = Client()
    response = _login(client, parent.email, PASSWORD)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert client.get(reverse("families:home")).status_code == 200  # logged in
    parent.refresh_from_db()
    assert parent.password.startswith(ARGON2ID_PREFIX)

    # The new hash logs in as well, and is kept as it is.
    stored = parent.password
    assert _login(Client(), parent.email, PASSWORD).status_code == 302
    parent.refresh_from_db()
    assert parent.password == stored


def test_a_new_password_is_stored_with_argon2id():
    parent = make_parent(email="nieuw-wachtwoord@example.org")
    assert parent.password.startswith(ARGON2ID_PREFIX)
