"""Consent is an active choice, the demo editions wait for subscribers, and a newly confirmed
subscriber gets the edition of their child's phase that already went out."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from nieuwsbrieven import services
from nieuwsbrieven.models import Delivery, Edition, Subscription
from nieuwsbrieven.tokens import CONFIRM, make_token
from tests.factories import make_child, make_parent
from tests.nieuwsbrieven.factories import make_edition, make_subscription

pytestmark = pytest.mark.django_db


def test_milestone_box_is_not_ticked_for_the_parent(parent_client):
    html = parent_client.get(reverse("nieuwsbrieven:subscribe")).content.decode()
    box = re.search(r'<input[^>]*name="milestones"[^>]*>', html).group(0)
    assert "checked" not in box


def test_subscribing_without_ticking_the_box_sends_no_milestones(parent_client, parent):
    parent_client.post(reverse("nieuwsbrieven:subscribe"), {"email": parent.email, "consent": "on"})
    assert Subscription.objects.get(parent=parent).milestones is False


def test_demo_editions_are_scheduled_after_start_not_before(settings):
    from accounts.management.commands.demo_data import Command
    from nieuwsbrieven import demo

    command = Command()
    before = timezone.now()
    demo.load(staff=command._staff(), families=command._families())
    editions = Edition.objects.all()
    assert editions.count() == 5
    assert all(edition.scheduled_at > before + timedelta(minutes=5) for edition in editions)
    assert services.send_due_editions() == 0  # the first scan of `make run` sends nothing


def _sent_edition(**overrides) -> Edition:
    return make_edition(
        status=Edition.Status.SENT,
        scheduled_at=timezone.now() - timedelta(days=7),
        **overrides,
    )


def _subscribe_and_confirm(parent, callbacks):
    subscription = services.request_subscription(
        parent=parent, email=parent.email, milestones=False, consent_text="Ja"
    )
    mail.outbox.clear()
    with callbacks(execute=True):
        services.confirm_subscription(token=make_token(subscription, CONFIRM))
    return subscription


def test_a_new_subscriber_gets_the_current_edition_of_their_phase(
    django_capture_on_commit_callbacks,
):
    toddler_edition = _sent_edition(age=(12, 48), title="Dreumes en peuter")
    _sent_edition(age=(0, 12), title="Het eerste jaar")
    parent = make_parent()
    make_child(family=parent.family, age_months=20, first_name="Mila")
    subscription = _subscribe_and_confirm(parent, django_capture_on_commit_callbacks)
    assert [message.subject for message in mail.outbox] == ["Dreumes en peuter"]
    assert "Mila" in mail.outbox[0].body
    delivery = Delivery.objects.get(subscription=subscription)
    assert delivery.edition == toddler_edition
    assert delivery.status == Delivery.Status.SENT


def test_the_edition_is_not_sent_twice_on_a_second_confirmation(
    django_capture_on_commit_callbacks,
):
    _sent_edition(age=(12, 48))
    parent = make_parent()
    make_child(family=parent.family, age_months=20)
    subscription = _subscribe_and_confirm(parent, django_capture_on_commit_callbacks)
    Subscription.objects.filter(pk=subscription.pk).update(status=Subscription.Status.UNSUBSCRIBED)
    _subscribe_and_confirm(parent, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert Delivery.objects.filter(subscription=subscription).count() == 1


def test_no_edition_when_none_fits_the_childs_age(django_capture_on_commit_callbacks):
    _sent_edition(age=(144, 216))
    make_edition(age=(12, 48), scheduled_at=timezone.now() + timedelta(days=3))
    parent = make_parent()
    make_child(family=parent.family, age_months=20)
    _subscribe_and_confirm(parent, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_the_edition_is_finished_again_by_the_next_scan(django_capture_on_commit_callbacks):
    edition = _sent_edition(age=(12, 48))
    make_subscription()  # another subscriber of the same edition, already done
    parent = make_parent()
    make_child(family=parent.family, age_months=20)
    _subscribe_and_confirm(parent, django_capture_on_commit_callbacks)
    services.send_due_editions()
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT
