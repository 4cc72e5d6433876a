"""Paths that must stay fast when a region's tables hold millions of rows: admin lists without
COUNT(*), searches on indexes, per-page aggregates, the reminder scan, retention in batches,
the officer's log search and its streamed export."""

import csv
import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.admin import LargeTableAdmin
from core.tasks import clear_sessions_task
from privacy.models import AccessLog, RetentionReport
from privacy.selectors import search_access_log
from privacy.services import apply_retention, record_access
from tests.factories import make_staff

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="estimates, plans and partitions are PostgreSQL's",
    ),
]

BIG_TABLES = [
    "privacy.accesslog",
    "privacy.securityevent",
    "outbox.outgoingemail",
    "nieuwsbrieven.delivery",
    "afspraken.appointment",
    "afspraken.slot",
    "afspraken.reminder",
    "vragen.event",
    "vragen.question",
    "families.family",
]


@pytest.fixture
def officer(db):
    user = make_staff(email="privacy@example.org", role=User.Role.MANAGER, is_superuser=True)
    user.groups.add(Group.objects.get(name="Privacy officers"))
    return User.objects.get(pk=user.pk)


def _fill_log(rows: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO privacy_accesslog (at, actor_email, actor_role, action, record_type,"
            " record_ids, child_ids, family_ids, reason)"
            " SELECT now() - (g || ' minutes')::interval, 'n' || (g %% 50) || '@example.org',"
            " 'nurse', 'view', 'vragen.question', '{}', ARRAY[gen_random_uuid()],"
            " ARRAY[gen_random_uuid()], '' FROM generate_series(1, %s) g",
            [rows],
        )
        cursor.execute("ANALYZE privacy_accesslog")


def _counts(queries, table: str) -> list[str]:
    return [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and table in q["sql"]]


def test_every_big_table_admin_skips_full_counts_and_date_drilldown():
    registered = {
        model._meta.label_lower: model_admin for model, model_admin in admin.site._registry.items()
    }
    for label in BIG_TABLES:
        model_admin = registered[label]
        assert isinstance(model_admin, LargeTableAdmin), label
        assert model_admin.show_full_result_count is False and not model_admin.date_hierarchy


def test_access_log_admin_shows_the_estimate_without_counting_the_log(client, officer):
    _fill_log(20_000)
    client.force_login(officer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:privacy_accesslog_changelist"))
    assert response.status_code == 200
    assert _counts(queries.captured_queries, "privacy_accesslog") == []
    assert 18_000 <= response.context["cl"].result_count <= 22_000
    assert not any("DISTINCT" in q["sql"] for q in queries.captured_queries)


def test_filtered_admin_list_counts_at_most_a_capped_number(client, officer):
    _fill_log(200)
    client.force_login(officer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:privacy_accesslog_changelist"), {"action": "view"})
    assert response.context["cl"].result_count == 200
    counts = _counts(queries.captured_queries, "privacy_accesslog")
    assert counts and all("LIMIT 10001" in sql for sql in counts)


def test_admin_search_matches_the_address_exactly_through_its_index(client, officer):
    _fill_log(100)
    client.force_login(officer)
    url = reverse("admin:privacy_accesslog_changelist")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"q": "N7@Example.org"})
    assert response.context["cl"].result_count == 2  # n7 and ... every 50th row
    assert not any("LIKE" in q["sql"] for q in queries.captured_queries)
    assert client.get(url, {"q": "example.org"}).context["cl"].result_count == 0


@pytest.mark.parametrize("label", BIG_TABLES)
def test_big_table_admin_lists_answer_with_capped_counts_only(client, officer, label):
    client.force_login(officer)
    app_label, model_name = label.split(".")
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, {"q": "someone@example.org"}).status_code == 200
    for query in queries.captured_queries:
        sql = query["sql"]
        if label != "families.family":  # a part of the name, through its trigram index
            assert "LIKE" not in sql, sql
        if sql.upper().startswith("SELECT COUNT(") and f"{app_label}_{model_name}" in sql:
            assert "LIMIT 10001" in sql, sql


def test_edition_list_counts_deliveries_of_the_listed_editions_only(client, officer):
    from tests.nieuwsbrieven.factories import make_edition

    make_edition()
    client.force_login(officer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:nieuwsbrieven_edition_changelist"))
    assert response.status_code == 200 and "0 / 0 / 0" in response.text
    delivery = [q["sql"] for q in queries.captured_queries if "nieuwsbrieven_delivery" in q["sql"]]
    assert delivery and all('"edition_id" IN (' in sql for sql in delivery)


def _plan(sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = on")
    return plan


def test_officer_search_by_who_uses_the_address_index(officer):
    _fill_log(100)
    rows = search_access_log(actor=officer, who="N3@example.org")
    assert rows.count() == 2
    sql, params = rows.query.sql_with_params()
    plan = _plan(sql, params)
    # The index itself, or its copy on the month's partition.
    assert "privacy_log_actor_at" in plan or "actor_email_at_idx" in plan, plan


def test_officer_page_never_counts_the_whole_log(client, officer):
    _fill_log(20_000)
    client.force_login(officer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("privacy:staff_access_log"))
    assert response.status_code == 200 and len(response.context["rows"]) == 50
    assert _counts(queries.captured_queries, "privacy_accesslog") == []


def test_csv_export_streams_and_logs_each_chunk_before_it_leaves(client, officer):
    _fill_log(4_500)
    client.force_login(officer)
    response = client.get(reverse("privacy:staff_access_log_export"), REMOTE_ADDR="192.0.2.9")
    assert response.status_code == 200 and response.streaming
    lines = iter(response.streaming_content)
    next(lines)  # the header: nothing read from the log yet
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()
    body = b"".join([b"", *lines]).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == 4_500
    exports = AccessLog.objects.filter(action=AccessLog.Action.EXPORT, actor=officer)
    assert exports.count() == 3  # chunks of 2,000 rows
    assert sum(len(e.family_ids) for e in exports) == 4_500
    assert set(exports.values_list("ip_address", flat=True)) == {"192.0.2.9"}


def test_reminder_scan_locks_nothing_once_every_reminder_is_out():
    from afspraken import reminders
    from tests.afspraken.factories import make_appointment

    now = timezone.now()
    for hours in (20, 30, 40):
        make_appointment(starts_at=now + timedelta(hours=hours))
    assert reminders.send_due_reminders(now=now) == 3
    with CaptureQueriesContext(connection) as queries:
        assert reminders.send_due_reminders(now=now) == 0
    assert len(queries.captured_queries) == 2  # one NOT EXISTS scan per kind
    assert not any("FOR UPDATE" in q["sql"] for q in queries.captured_queries)


def _old_mail_rows(now):
    from afspraken.models import Slot
    from nieuwsbrieven.models import Edition
    from outbox.models import OutgoingEmail
    from tests.afspraken.factories import make_slot
    from tests.nieuwsbrieven.factories import make_edition

    long_ago = now - timedelta(days=settings.RETENTION_PAST_APPOINTMENTS_DAYS + 30)
    old_slot = make_slot(starts_at=long_ago)
    new_slot = make_slot(starts_at=now - timedelta(days=3))
    mails = [
        OutgoingEmail.objects.create(
            to=f"a{i}@example.org", subject="s", body_text="b", status=status, created_at=created
        )
        for i, (status, created) in enumerate(
            [
                (OutgoingEmail.Status.SENT, now - timedelta(days=400)),
                (OutgoingEmail.Status.QUEUED, now - timedelta(days=400)),
                (OutgoingEmail.Status.SENT, now - timedelta(days=3)),
            ]
        )
    ]
    edition = make_edition(status=Edition.Status.SENT, finished_at=now - timedelta(days=400))
    return Slot, OutgoingEmail, old_slot, new_slot, mails, edition


def test_retention_removes_old_slots_and_mail_rows_and_keeps_recent_ones():
    now = timezone.now()
    Slot, OutgoingEmail, old_slot, new_slot, mails, _edition = _old_mail_rows(now)
    report = apply_retention(now=now, dry_run=False)
    assert not Slot.objects.filter(pk=old_slot.pk).exists()
    assert Slot.objects.filter(pk=new_slot.pk).exists()
    kept = set(OutgoingEmail.objects.values_list("pk", flat=True))
    assert kept == {mails[1].pk, mails[2].pk}  # queued still goes out; recent stays
    assert report.counts["past_slots_deleted"] == 1 and "unfinished" not in report.counts


def test_retention_stops_at_its_time_limit_and_the_next_run_resumes(settings):
    now = timezone.now()
    Slot, OutgoingEmail, old_slot, _new, mails, _edition = _old_mail_rows(now)
    settings.RETENTION_TIME_LIMIT_SECONDS = 0
    report = apply_retention(now=now, dry_run=False)
    assert "outbox" in report.counts["unfinished"]
    assert OutgoingEmail.objects.filter(pk=mails[0].pk).exists()
    settings.RETENTION_TIME_LIMIT_SECONDS = 60
    report = apply_retention(now=now, dry_run=False)
    assert "unfinished" not in report.counts
    assert not OutgoingEmail.objects.filter(pk=mails[0].pk).exists()
    assert RetentionReport.objects.count() == 2  # one report per run


def test_access_log_retention_goes_a_day_at_a_time_past_the_period(officer):
    record_access(actor=officer, action="view", record_type="families.child")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO privacy_accesslog (at, actor_email, actor_role, action, record_type,"
            " record_ids, child_ids, family_ids, reason) SELECT now() - interval '1 day' * "
            "(%s + g), 'old@example.org', 'nurse', 'view', 'x', '{}', '{}', '{}', ''"
            " FROM generate_series(1, 10) g",
            [settings.RETENTION_ACCESS_LOG_DAYS],
        )
    report = apply_retention(dry_run=False)
    assert report.counts["access_log_deleted"] == 10
    assert AccessLog.objects.filter(actor_email="old@example.org").count() == 0
    assert AccessLog.objects.filter(actor=officer).exists()


def test_expired_sessions_are_cleared_nightly():
    assert (
        settings.CELERY_BEAT_SCHEDULE["core-clear-sessions"]["task"]
        == "core.tasks.clear_sessions_task"
    )
    live, expired = SessionStore(), SessionStore()
    live.create()
    expired.set_expiry(-10)
    expired.create()
    assert clear_sessions_task() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


def test_booking_start_reads_each_locations_evening_and_saturday_by_their_indexes():
    """Each location's next free evening and Saturday: along an index of those slots only,
    not through every slot of the eight-week booking window."""
    from afspraken.selectors import list_locations_with_after_hours
    from tests.afspraken.factories import make_location

    make_location()
    with CaptureQueriesContext(connection) as queries:
        list_locations_with_after_hours()
    (sql,) = [q["sql"] for q in queries.captured_queries if "afspraken_slot" in q["sql"]]
    plan = _plan(sql, None)
    assert "afspraken_slot_evening" in plan and "afspraken_slot_saturday" in plan, plan


def test_professionals_are_found_by_the_role_index_not_among_every_parent():
    """The agenda's professional options: a region has 900 of them among 170,000 accounts."""
    from accounts.roles import Capability
    from accounts.selectors import list_users_with_capability

    nurse = make_staff(email="vpk@example.org")
    professionals = list_users_with_capability(Capability.PLANNING)
    assert nurse in professionals
    sql, params = professionals.query.sql_with_params()
    assert "accounts_user_staff" in _plan(sql, params)
