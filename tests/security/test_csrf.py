"""Every URL refuses a POST without a CSRF token, for every kind of visitor."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.matrix import ACTORS, all_routes, path_for
from tests.security.test_url_matrix import World, _kwargs

ROUTES = all_routes()
# Exempt on purpose, each with its reason. Anything else exempt fails the tests below.
CSRF_EXEMPT_BY_DESIGN = {
    # RFC 8058 one-click unsubscribe: mail providers POST without a session or token; the
    # signed token in the URL is the authorisation and the only effect is stopping mail.
    "nieuwsbrieven:unsubscribe",
    # The SMS provider's inbound callback (STOP): a server without a session; an HMAC over the
    # body with SMS_INBOUND_SECRET proves the sender (tests/sms/test_inbound.py).
    "sms:inbound",
}


def _any_kwargs(route, world) -> dict:
    """CSRF is checked before the view runs, so a well-formed value is enough."""
    try:
        return _kwargs(route, world)
    except AssertionError:
        return {p: "00000000-0000-0000-0000-000000000000" for p in route.params}


def _is_csrf_failure(response) -> bool:
    # The portal's own CSRF failure page (ouderportaal.views.csrf_failure).
    return response.status_code == 403 and b'id="csrf-failure"' in response.content


@pytest.mark.django_db
def test_every_post_without_token_is_refused():
    world = World()
    clients = {}
    for actor in ACTORS:
        clients[actor] = Client(enforce_csrf_checks=True)
        if world.user(actor) is not None:
            clients[actor].force_login(world.user(actor))
    accepted = []
    for route in ROUTES:
        if route.key in CSRF_EXEMPT_BY_DESIGN:
            continue
        path = path_for(route, _any_kwargs(route, world))
        for actor in ACTORS:
            response = clients[actor].post(path, {"x": "1"})
            if not _is_csrf_failure(response):
                accepted.append(f"{actor} POST {path} -> {response.status_code}")
    assert accepted == []


@pytest.mark.django_db
def test_post_with_token_is_accepted(parent):
    """The control: the same kind of POST with the token goes through."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(parent)
    client.get(reverse("families:child_add"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("families:child_add"),
        {"first_name": "Noor", "date_of_birth": "2025-01-01", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_only_the_listed_views_are_csrf_exempt():
    from django.urls import resolve

    exempt = set()
    world_free = [r for r in ROUTES if r.name]
    for route in world_free:
        params = {p: "00000000-0000-0000-0000-000000000000" for p in route.params}
        if "app_label" in params:
            params["app_label"] = "privacy"
        try:
            match = resolve(path_for(route, params))
        except Exception:  # noqa: BLE001, S112 - a pattern that takes no such value
            continue
        if getattr(match.func, "csrf_exempt", False):
            exempt.add(route.key)
    assert exempt <= CSRF_EXEMPT_BY_DESIGN, exempt - CSRF_EXEMPT_BY_DESIGN
