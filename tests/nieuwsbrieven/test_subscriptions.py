"""Double opt-in, signed links, one-click unsubscribe (RFC 8058)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from nieuwsbrieven import services
from nieuwsbrieven.exceptions import InvalidLink
from nieuwsbrieven.models import Subscription
from nieuwsbrieven.tokens import CONFIRM, MANAGE, make_token
from tests.nieuwsbrieven.factories import make_subscription

pytestmark = pytest.mark.django_db


def _request(parent, **overrides):
    kwargs = {"email": parent.email, "milestones": True, "consent_text": "Ik wil de nieuwsbrief."}
    return services.request_subscription(parent=parent, **{**kwargs, **overrides})


def _link(body: str, name: str) -> str:
    match = re.search(rf"http://\S+/nieuwsbrief/{name}/\S+/", body)
    assert match, body
    return match.group(0).replace("http://127.0.0.1:8000", "")


def test_request_stores_pending_consent_and_mails_a_link(
    parent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        subscription = _request(parent, email="Andere@Example.org")
    assert subscription.status == Subscription.Status.PENDING
    assert subscription.email == "andere@example.org"
    assert subscription.consent_text == "Ik wil de nieuwsbrief."
    assert subscription.consent_version
    assert subscription.consented_at is None
    assert mail.outbox[-1].to == ["andere@example.org"]
    assert "/nieuwsbrief/bevestigen/" in mail.outbox[-1].body


def test_confirm_link_get_does_not_confirm_post_does(
    client, parent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _request(parent)
    url = _link(mail.outbox[-1].body, "bevestigen")
    assert client.get(url).status_code == 200
    assert Subscription.objects.get().status == Subscription.Status.PENDING
    response = client.post(url)
    assert response.status_code == 200
    subscription = Subscription.objects.get()
    assert subscription.status == Subscription.Status.ACTIVE
    assert subscription.consented_at is not None


def test_confirm_twice_is_harmless(parent):
    subscription = _request(parent)
    token = make_token(subscription, CONFIRM)
    assert services.confirm_subscription(token=token)[1] is True
    assert services.confirm_subscription(token=token)[1] is False


def test_tampered_confirm_link_is_refused(client, parent):
    token = make_token(_request(parent), CONFIRM)
    response = client.post(reverse("nieuwsbrieven:confirm", args=[token[:-2] + "xx"]))
    assert response.status_code == 400
    assert Subscription.objects.get().status == Subscription.Status.PENDING


def test_confirm_link_of_an_older_request_no_longer_works(parent):
    old = make_token(_request(parent), CONFIRM)
    _request(parent, email="nieuw@example.org")
    with pytest.raises(InvalidLink):
        services.confirm_subscription(token=old)


def test_one_click_unsubscribe_post_without_csrf_token(parent):
    from django.test import Client

    subscription = make_subscription(parent=parent)
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("nieuwsbrieven:unsubscribe", args=[make_token(subscription, MANAGE)]),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.UNSUBSCRIBED
    assert subscription.unsubscribed_at is not None


def test_unsubscribe_get_only_asks(client, parent):
    subscription = make_subscription(parent=parent)
    response = client.get(
        reverse("nieuwsbrieven:unsubscribe", args=[make_token(subscription, MANAGE)])
    )
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.is_active


def test_tampered_unsubscribe_token_is_refused(client, parent):
    subscription = make_subscription(parent=parent)
    token = make_token(subscription, MANAGE)
    tampered = token.replace(token[5], "A" if token[5] != "A" else "B", 1)
    response = client.post(reverse("nieuwsbrieven:unsubscribe", args=[tampered]))
    assert response.status_code == 400
    subscription.refresh_from_db()
    assert subscription.is_active


def test_confirm_token_cannot_unsubscribe(client, parent):
    subscription = make_subscription(parent=parent)
    response = client.post(
        reverse("nieuwsbrieven:unsubscribe", args=[make_token(subscription, CONFIRM)])
    )
    assert response.status_code == 400


def test_reused_unsubscribe_token_changes_nothing(parent):
    subscription = make_subscription(parent=parent)
    token = make_token(subscription, MANAGE)
    assert services.unsubscribe(token=token)[1] is True
    first = Subscription.objects.get().unsubscribed_at
    assert services.unsubscribe(token=token)[1] is False
    assert Subscription.objects.get().unsubscribed_at == first


def test_unsubscribe_token_from_before_resubscribing_is_invalid(parent):
    subscription = make_subscription(parent=parent)
    old = make_token(subscription, MANAGE)
    services.unsubscribe(token=old)
    fresh = _request(parent)
    services.confirm_subscription(token=make_token(fresh, CONFIRM))
    with pytest.raises(InvalidLink):
        services.unsubscribe(token=old)
    assert Subscription.objects.get().is_active


def test_subscribe_page_needs_a_parent(client, nurse):
    url = reverse("nieuwsbrieven:subscribe")
    assert client.get(url).status_code == 302
    client.force_login(nurse)
    assert client.get(url).status_code == 403


def test_subscribe_without_consent_is_400_and_keeps_input(parent_client):
    response = parent_client.post(
        reverse("nieuwsbrieven:subscribe"), {"email": "typed@example.org", "milestones": "on"}
    )
    assert response.status_code == 400
    assert b"typed@example.org" in response.content
    assert not Subscription.objects.exists()


def test_subscribe_page_sends_confirmation(parent_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = parent_client.post(
            reverse("nieuwsbrieven:subscribe"),
            {"email": "ouder@example.org", "consent": "on"},
        )
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.status == Subscription.Status.PENDING
    assert subscription.milestones is False
    assert len(mail.outbox) == 1


def test_preferences_page_changes_milestones(client, parent):
    subscription = make_subscription(parent=parent)
    url = reverse("nieuwsbrieven:preferences", args=[make_token(subscription, MANAGE)])
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 302
    subscription.refresh_from_db()
    assert subscription.milestones is False


def test_sign_up_is_limited_per_recipient_across_accounts(client, settings):
    from tests.factories import make_parent

    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "mail_to_address": "2/86400"}
    url = reverse("nieuwsbrieven:subscribe")
    for _ in range(2):
        client.force_login(make_parent())
        response = client.post(url, {"email": "doelwit@example.org", "consent": "on"})
        assert response.status_code == 302
    client.force_login(make_parent())
    response = client.post(url, {"email": "doelwit@example.org", "consent": "on"})
    assert response.status_code == 429
    assert "al een paar e-mails naar dit adres gestuurd" in response.text
    assert Subscription.objects.count() == 2


def test_sign_up_form_is_limited_per_user(parent_client, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "newsletter": "2/3600"}
    url = reverse("nieuwsbrieven:subscribe")
    for n in range(2):
        response = parent_client.post(url, {"email": f"a{n}@example.org", "consent": "on"})
        assert response.status_code == 302
    assert parent_client.post(url, {"email": "a9@example.org", "consent": "on"}).status_code == 429
