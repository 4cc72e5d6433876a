import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from families.models import Child, Family
from outbox.models import OutgoingEmail
from privacy.fields import contains_id
from privacy.models import AccessLog, AccountDeletion, RetentionReport
from privacy.services import (
    apply_retention,
    build_data_export,
    delete_account,
    make_deletion_token,
)
from tests.factories import PASSWORD, make_child, make_parent

pytestmark = pytest.mark.django_db


def _zip(content: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(content))


def test_export_zip_holds_json_and_readable_html(parent):
    make_child(family=parent.family, first_name="Noor")
    archive = _zip(build_data_export(user=parent))
    assert sorted(archive.namelist()) == ["data.json", "index.html"]
    data = json.loads(archive.read("data.json"))
    assert data["sections"]["children"]["rows"][0]["first_name"] == "Noor"
    assert data["sections"]["account"]["rows"][0]["email"] == parent.email
    assert "Noor" in archive.read("index.html").decode()


def test_export_escapes_html_in_names(parent):
    make_child(family=parent.family, first_name="<script>alert(1)</script>")
    html = _zip(build_data_export(user=parent)).read("index.html").decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_export_contains_no_other_family(parent, other_parent):
    make_child(family=other_parent.family, first_name="Vreemd")
    assert "Vreemd" not in _zip(build_data_export(user=parent)).read("data.json").decode()


def test_download_view_returns_zip_on_post(parent_client):
    response = parent_client.post(reverse("privacy:download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]


def test_delete_request_with_wrong_password_is_400_and_sends_nothing(parent_client):
    response = parent_client.post(
        reverse("privacy:delete_account"), {"password": "wrong", "understood": "on"}
    )
    assert response.status_code == 400
    assert not OutgoingEmail.objects.filter(kind="delete_account").exists()


def test_delete_request_mails_a_link_and_deletes_nothing_yet(parent_client, parent):
    response = parent_client.post(
        reverse("privacy:delete_account"), {"password": PASSWORD, "understood": "on"}
    )
    assert response.status_code == 200
    mail = OutgoingEmail.objects.get(kind="delete_account")
    assert mail.to == parent.email and "/privacy/account-verwijderen/" in mail.body_text
    assert User.objects.get(pk=parent.pk).is_active


def test_confirm_link_deletes_account_and_logs_out(parent_client, parent):
    token = make_deletion_token(user=parent)
    url = reverse("privacy:delete_account_confirm", kwargs={"token": token})
    assert parent_client.get(url).status_code == 200
    response = parent_client.post(url)
    assert response.status_code == 302
    user = User.objects.get(pk=parent.pk)
    assert not user.is_active and not user.has_usable_password()
    assert user.email.endswith("@deleted.invalid") and user.family is None
    assert "_auth_user_id" not in parent_client.session


def test_confirm_link_of_another_account_is_refused(client, parent, other_parent):
    client.force_login(other_parent)
    url = reverse(
        "privacy:delete_account_confirm", kwargs={"token": make_deletion_token(user=parent)}
    )
    assert client.post(url).status_code == 400
    assert User.objects.get(pk=parent.pk).is_active


def test_confirm_link_expires(parent_client, parent, settings):
    token = make_deletion_token(user=parent)
    settings.ACCOUNT_DELETE_LINK_HOURS = 0
    url = reverse("privacy:delete_account_confirm", kwargs={"token": token})
    signing_time = timezone.now() + timedelta(seconds=2)
    import time_machine

    with time_machine.travel(signing_time):
        assert parent_client.post(url).status_code == 400
    assert User.objects.get(pk=parent.pk).is_active


def test_tampered_link_is_refused(parent_client, parent):
    token = signing.dumps({"u": str(parent.pk), "p": "x"}, salt="privacy.delete-account")
    url = reverse("privacy:delete_account_confirm", kwargs={"token": token})
    assert parent_client.post(url).status_code == 400


def test_last_parent_deletion_removes_family_and_children_keeps_log(parent, nurse):
    from families.selectors import get_family_for_staff

    child = make_child(family=parent.family)
    get_family_for_staff(actor=nurse, family_id=parent.family_id)
    family_id = parent.family_id
    record = delete_account(user=parent)
    assert not Family.objects.filter(pk=family_id).exists()
    assert not Child.objects.filter(pk=child.pk).exists()
    assert AccessLog.objects.filter(contains_id("family_ids", family_id)).count() == 1  # by law
    assert record.family_removed and record.counts["families.children"] == 1
    assert AccountDeletion.objects.count() == 1


def test_deletion_keeps_family_when_other_parent_remains(parent):
    partner = make_parent(family=parent.family)
    child = make_child(family=parent.family)
    delete_account(user=parent)
    assert Child.objects.filter(pk=child.pk).exists()
    assert User.objects.get(pk=partner.pk).family_id == child.family_id


def test_deleted_account_cannot_log_in(client, parent):
    email = parent.email
    delete_account(user=parent)
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 400)


def test_deletion_removes_emails_sent_to_the_parent(parent):
    from outbox.services import queue_rendered

    queue_rendered(to=parent.email, subject="x", body_text="y")
    delete_account(user=parent)
    assert not OutgoingEmail.objects.exists()


def test_retention_writes_dry_run_report_first_and_deletes_nothing(nurse, settings):
    settings.RETENTION_DRY_RUN_ONLY = True
    AccessLog.objects.create(
        at=timezone.now() - timedelta(days=settings.RETENTION_ACCESS_LOG_DAYS + 1),
        actor=nurse,
        actor_email=nurse.email,
        actor_role="nurse",
        action="view",
        record_type="families.child",
    )
    report = apply_retention()
    assert report.dry_run and report.counts["access_log"] == 1
    assert AccessLog.objects.count() == 1


def test_retention_deletes_old_log_rows_only(nurse, settings):
    old = timezone.now() - timedelta(days=settings.RETENTION_ACCESS_LOG_DAYS + 1)
    for at in (old, timezone.now()):
        AccessLog.objects.create(
            at=at,
            actor=nurse,
            actor_email=nurse.email,
            actor_role="nurse",
            action="view",
            record_type="families.child",
        )
    report = apply_retention(dry_run=False)
    assert not report.dry_run and report.applied_at is not None
    assert report.counts["access_log"] == 1 and report.counts["access_log_deleted"] == 1
    assert AccessLog.objects.count() == 1


def test_retention_task_runs_the_service(settings):
    from privacy.tasks import apply_retention_task

    apply_retention_task.delay()
    assert RetentionReport.objects.count() == 1


def test_retention_task_is_in_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["privacy-apply-retention"]
    assert entry["task"] == "privacy.tasks.apply_retention_task"


def test_retention_report_is_read_only_in_admin(client, manager):
    report = apply_retention(dry_run=True)
    client.force_login(manager)
    assert client.get(reverse("admin:privacy_retentionreport_changelist")).status_code == 200
    delete_url = reverse("admin:privacy_retentionreport_delete", args=[report.pk])
    assert client.get(delete_url).status_code == 403


def test_overview_lists_retention_and_what_is_kept(parent_client):
    response = parent_client.get(reverse("privacy:overview"))
    assert response.status_code == 200
    assert reverse("privacy:download") in response.text
    assert reverse("mfa_index") in response.text
    assert "NEN 7513" in response.text


def test_parent_corrects_own_name_and_phone(parent_client, parent):
    response = parent_client.post(
        reverse("privacy:own_details"),
        {"first_name": " Sanne ", "last_name": "de Vries", "phone": "06 12345678"},
    )
    assert response.status_code == 302
    parent.refresh_from_db()
    assert (parent.first_name, parent.last_name, parent.phone) == (
        "Sanne",
        "de Vries",
        "06 12345678",
    )


def test_wrong_phone_is_400_and_keeps_input(parent_client, parent):
    response = parent_client.post(
        reverse("privacy:own_details"), {"first_name": "Sanne", "phone": "bel me maar"}
    )
    assert response.status_code == 400
    assert "Sanne" in response.text
    parent.refresh_from_db()
    assert parent.first_name == ""
