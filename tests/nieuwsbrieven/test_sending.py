"""Fan-out and sending: one delivery per parent, unsubscribe stops it, re-runs send the rest."""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail, signing
from django.test import Client, override_settings
from django.utils import timezone

from nieuwsbrieven import services
from nieuwsbrieven.models import Delivery, Edition, MilestoneDelivery, Subscription
from nieuwsbrieven.tokens import MANAGE, make_token, make_token_for, read_token
from outbox.models import OutgoingEmail
from tests.factories import make_child, make_family, make_parent
from tests.nieuwsbrieven.factories import make_edition, make_milestone, make_subscription

pytestmark = pytest.mark.django_db


def _family_with_baby(name="Noor"):
    family = make_family()
    subscription = make_subscription(parent=make_parent(family=family))
    make_child(family=family, age_months=3, first_name=name)
    return subscription


def test_edition_goes_out_once_with_unsubscribe_headers(django_capture_on_commit_callbacks):
    subscription = _family_with_baby("Noor")
    edition = make_edition(age=(0, 12))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_editions() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [subscription.email]
    assert "Noor" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert "/nieuwsbrief/afmelden/" in unsubscribe_url
    assert "/nieuwsbrief/voorkeuren/" in message.body
    html = message.alternatives[0][0]
    assert "<strong>jou</strong>" in html
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 1)
    # The beat runs again: nothing new, and the edition is finished.
    with django_capture_on_commit_callbacks(execute=True):
        services.send_due_editions()
    assert len(mail.outbox) == 1
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT
    # The mail client's one-click unsubscribe (RFC 8058) with the link from the e-mail works.
    response = Client(enforce_csrf_checks=True).post(
        urlsplit(unsubscribe_url).path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.UNSUBSCRIBED


def test_links_are_the_tokens_django_signing_makes():
    """The sender signs a million links with an HMAC key derived once; the links are exactly
    what django.core.signing makes (and reads), also after the secret key changes."""
    with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=UTC), tick=False):
        for secret in ("first-secret-key-" * 4, "second-secret-key-" * 4):
            with override_settings(SECRET_KEY=secret):
                token = make_token_for("0f" * 16, "abc123", MANAGE)
                assert token == signing.dumps(["0f" * 16, "abc123"], salt=MANAGE, compress=False)
                assert read_token(token, MANAGE) == ("0f" * 16, "abc123")


def test_markdown_cannot_inject_html(django_capture_on_commit_callbacks):
    _family_with_baby()
    make_edition(body="Hallo <script>alert(1)</script> [x](javascript:alert(1))")
    with django_capture_on_commit_callbacks(execute=True):
        services.send_due_editions()
    html = mail.outbox[0].alternatives[0][0]
    assert "<script" not in html
    assert "javascript:" not in html


def test_unsubscribing_stops_the_next_send(django_capture_on_commit_callbacks):
    subscription = _family_with_baby()
    edition = make_edition()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.start_edition(edition_id=edition.pk)
    services.unsubscribe(token=make_token(subscription, MANAGE))
    for callback in callbacks:
        callback()
    assert mail.outbox == []
    assert Delivery.objects.get().status == Delivery.Status.SKIPPED


def test_rerun_after_crash_sends_only_unsent(django_capture_on_commit_callbacks):
    for name in ("A", "B", "C"):
        _family_with_baby(name)
    edition = make_edition()
    with django_capture_on_commit_callbacks(execute=False):
        services.start_edition(edition_id=edition.pk)
    first, second, third = Delivery.objects.order_by("id")
    # A crashed run: one sent, one claimed and never finished, one untouched.
    Delivery.objects.filter(pk=first.pk).update(status=Delivery.Status.SENT, attempts=1)
    Delivery.objects.filter(pk=second.pk).update(
        status=Delivery.Status.SENDING,
        claim="dead",
        attempts=1,
        claimed_at=timezone.now() - timedelta(hours=1),
    )
    # An hour later: the untouched row's chunk task never came, its lease is over.
    Delivery.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=45))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.resume_edition(edition_id=edition.pk) == 2
    assert sorted(m.body.split(".")[0][-1] for m in mail.outbox) == ["B", "C"]
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}


def test_chunk_run_twice_sends_once(django_capture_on_commit_callbacks):
    _family_with_baby()
    edition = make_edition()
    with django_capture_on_commit_callbacks(execute=False):
        services.start_edition(edition_id=edition.pk)
    delivery = Delivery.objects.get()
    for _ in range(2):
        services.send_chunk(edition_id=edition.pk, first_id=delivery.pk, last_id=delivery.pk)
    assert len(mail.outbox) == 1


def test_recently_claimed_rows_are_not_taken_over(django_capture_on_commit_callbacks):
    _family_with_baby()
    edition = make_edition()
    with django_capture_on_commit_callbacks(execute=False):
        services.start_edition(edition_id=edition.pk)
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENDING, claim="alive", claimed_at=timezone.now()
    )
    assert (
        services.send_chunk(edition_id=edition.pk, first_id=delivery.pk, last_id=delivery.pk) == 0
    )
    assert mail.outbox == []


@pytest.fixture
def smtp_down(monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.message.EmailMessage.send", broken)


def test_smtp_outage_puts_rows_on_the_retry_schedule(smtp_down, django_capture_on_commit_callbacks):
    _family_with_baby()
    edition = make_edition()
    with django_capture_on_commit_callbacks(execute=True):
        services.start_edition(edition_id=edition.pk)  # the chunk task runs: SMTP is down
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.QUEUED, 1)
    assert "smtp down" in delivery.last_error
    wait = delivery.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < wait <= timedelta(minutes=1)
    # The scan hands out only what is due.
    assert services.resume_edition(edition_id=edition.pk) == 0
    later = timezone.now() + timedelta(minutes=1, seconds=5)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.resume_edition(edition_id=edition.pk, now=later) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert timedelta(minutes=1) < delivery.next_attempt_at - timezone.now() <= timedelta(minutes=2)


def test_delivery_gives_up_by_age_logged_and_visible(smtp_down, caplog):
    import logging

    _family_with_baby()
    edition = make_edition()
    services.start_edition(edition_id=edition.pk)  # on_commit never runs in this test
    delivery = Delivery.objects.get()
    Delivery.objects.update(attempts=30, next_attempt_at=timezone.now())
    Edition.objects.filter(pk=edition.pk).update(fanned_out_at=timezone.now() - timedelta(days=2))
    services.send_chunk(edition_id=edition.pk, first_id=delivery.pk, last_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.QUEUED  # 31 attempts, but only 2 days old
    Edition.objects.filter(pk=edition.pk).update(fanned_out_at=timezone.now() - timedelta(days=4))
    with caplog.at_level(logging.ERROR, logger="nieuwsbrieven.services"):
        services.resume_edition(edition_id=edition.pk, now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert "72 hours" in delivery.last_error and "failed for good" in caplog.text
    services.resume_edition(edition_id=edition.pk)
    assert Edition.objects.get(pk=edition.pk).status == Edition.Status.SENT


def test_progress_counts_per_edition(django_capture_on_commit_callbacks):
    from nieuwsbrieven.selectors import edition_progress

    _family_with_baby()
    _family_with_baby()
    edition = make_edition()
    with django_capture_on_commit_callbacks(execute=True):
        services.send_due_editions()
    Delivery.objects.filter(pk=Delivery.objects.first().pk).update(status=Delivery.Status.FAILED)
    other = make_edition()
    progress = edition_progress(edition_ids=[edition.pk, other.pk])
    assert (progress[edition.pk].sent, progress[edition.pk].failed) == (1, 1)
    assert progress[edition.pk].total == 2 and other.pk not in progress


def test_two_beat_runs_start_an_edition_once(django_capture_on_commit_callbacks):
    _family_with_baby()
    edition = make_edition()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.start_edition(edition_id=edition.pk) == 1
        assert services.start_edition(edition_id=edition.pk) == 0
    assert Delivery.objects.count() == 1
    assert len(mail.outbox) == 1


def test_milestone_is_sent_once_per_child(django_capture_on_commit_callbacks):
    from families.ages import add_months

    family = make_family()
    subscription = make_subscription(parent=make_parent(family=family))
    today = timezone.localdate()
    make_child(family=family, date_of_birth=add_months(today, -48), first_name="Mila")
    make_child(family=family, date_of_birth=add_months(today, -47))  # not 4 yet
    milestone = make_milestone(age_months=48)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_milestones(today=today) == 1
        assert services.send_milestones(today=today) == 0
        assert services.send_milestones(today=today + timedelta(days=1)) == 0
    record = MilestoneDelivery.objects.get()
    assert record.milestone == milestone
    email = OutgoingEmail.objects.get(pk=record.email_id)
    assert email.to == subscription.email
    assert "Mila" in email.body_text
    assert email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert len(mail.outbox) == 1


def test_milestone_skips_parents_who_opted_out_of_milestones():
    from families.ages import add_months

    family = make_family()
    make_subscription(parent=make_parent(family=family), milestones=False)
    make_child(family=family, date_of_birth=add_months(timezone.localdate(), -48))
    make_milestone(age_months=48)
    assert services.send_milestones() == 0


def test_born_milestone_welcomes_a_new_baby():
    family = make_family()
    make_subscription(parent=make_parent(family=family))
    make_child(family=family, date_of_birth=timezone.localdate() - timedelta(days=2))
    make_milestone(age_months=0, title="Welkom")
    assert services.send_milestones() == 1


def test_admin_shows_progress_and_preview(client, manager, django_capture_on_commit_callbacks):
    from django.urls import reverse

    _family_with_baby()
    edition = make_edition(title="Slapen", body="**Rust** is belangrijk")
    with django_capture_on_commit_callbacks(execute=True):
        services.send_due_editions()
    client.force_login(manager)
    response = client.get(reverse("admin:nieuwsbrieven_edition_changelist"))
    assert response.status_code == 200
    assert b"1 / 0 / 1" in response.content
    preview = client.get(reverse("admin:nieuwsbrieven_edition_preview", args=[edition.pk]))
    assert preview.status_code == 200
    assert b"<strong>Rust</strong>" in preview.content
    assert (
        client.get("/admin/nieuwsbrieven/edition/geen-id/preview/", follow=True).status_code == 200
    )
    assert client.get("/admin/nieuwsbrieven/edition/999999/preview/").status_code == 404


def test_end_of_care_skips_a_delivery_already_fanned_out(django_capture_on_commit_callbacks):
    from contactmomenten.services import end_care
    from tests.factories import make_staff

    subscription = _family_with_baby("Noor")
    edition = make_edition()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.start_edition(edition_id=edition.pk)
    child = subscription.parent.family.children.get()
    end_care(actor=make_staff(), child_id=child.pk, status="deceased")
    for callback in callbacks:
        callback()
    assert mail.outbox == []
    assert Delivery.objects.get().status == Delivery.Status.SKIPPED


def test_chunk_skips_a_child_whose_care_ended_after_fan_out(django_capture_on_commit_callbacks):
    from families.models import Child

    subscription = _family_with_baby("Noor")
    edition = make_edition()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.start_edition(edition_id=edition.pk)
    # Marked by another way than the service (an import): the sender still checks.
    Child.objects.filter(family=subscription.parent.family).update(care_status="moved_out")
    for callback in callbacks:
        callback()
    assert mail.outbox == []
    assert Delivery.objects.get().status == Delivery.Status.SKIPPED


def test_end_of_care_withdraws_a_queued_milestone_mail(django_capture_on_commit_callbacks):
    from contactmomenten.services import end_care
    from families.ages import add_months
    from tests.factories import make_staff

    family = make_family()
    make_subscription(parent=make_parent(family=family))
    today = timezone.localdate()
    child = make_child(family=family, date_of_birth=add_months(today, -48), first_name="Mila")
    make_milestone(age_months=48)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert services.send_milestones(today=today) == 1
    end_care(actor=make_staff(), child_id=child.pk, status="deceased")
    for callback in callbacks:
        callback()
    assert mail.outbox == []
    email = OutgoingEmail.objects.get(pk=MilestoneDelivery.objects.get().email_id)
    assert email.status == OutgoingEmail.Status.FAILED
    assert "care" in email.last_error
