import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction
from django.urls import reverse

from accounts.models import User
from families.selectors import get_child_for_staff, get_family_for_staff
from privacy.models import AccessLog
from privacy.services import purge_access_log, record_access
from tests.factories import make_child, make_family, make_parent, make_staff

pytestmark = pytest.mark.django_db

DB_REFUSES = (InternalError, ProgrammingError, IntegrityError)


@pytest.fixture
def officer(db):
    user = make_staff(email="privacy@example.org")
    user.groups.add(Group.objects.get(name="Privacy officers"))
    return User.objects.get(pk=user.pk)  # fresh permission cache


@pytest.fixture
def logged(nurse):
    child = make_child()
    get_child_for_staff(actor=nurse, child_id=child.pk, reason="triage")
    return AccessLog.objects.get()


def test_staff_read_of_child_writes_who_what_where_why(nurse, logged):
    assert logged.actor == nurse and logged.actor_role == "nurse"
    assert logged.action == AccessLog.Action.VIEW and logged.record_type == "families.child"
    assert logged.child_id is not None and logged.family_id is not None
    assert logged.reason == "triage"


def test_staff_page_request_logs_client_address(nurse_client, nurse):
    from core.client import current_ip

    token = current_ip.set("10.1.2.3")
    try:
        get_family_for_staff(actor=nurse, family_id=make_family().pk)
    finally:
        current_ip.reset(token)
    assert AccessLog.objects.get().ip_address == "10.1.2.3"


def test_parent_reading_own_family_is_not_logged(parent):
    assert record_access(actor=parent, action="view", record=parent, family_id=None) is None
    assert not AccessLog.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigger is PostgreSQL only")
def test_database_refuses_update_of_log_row(logged):
    with pytest.raises(DB_REFUSES), transaction.atomic():
        AccessLog.objects.filter(pk=logged.pk).update(reason="changed")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigger is PostgreSQL only")
def test_database_refuses_delete_of_log_row(logged):
    with pytest.raises(DB_REFUSES), transaction.atomic():
        AccessLog.objects.filter(pk=logged.pk).delete()
    assert AccessLog.objects.filter(pk=logged.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigger is PostgreSQL only")
def test_database_refuses_raw_sql_delete(logged):
    with pytest.raises(DB_REFUSES), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM privacy_accesslog")


def test_retention_purge_may_delete_log_rows(logged):
    assert purge_access_log(queryset=AccessLog.objects.all()) == 1
    assert not AccessLog.objects.exists()


def test_database_allows_on_delete_set_null_of_actor(logged, nurse):
    # What Django does when a staff account is removed; the e-mail keeps who it was.
    AccessLog.objects.filter(pk=logged.pk).update(actor=None)
    logged.refresh_from_db()
    assert logged.actor is None and logged.actor_email == nurse.email


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigger is PostgreSQL only")
def test_database_refuses_set_null_combined_with_other_change(logged):
    with pytest.raises(DB_REFUSES), transaction.atomic():
        AccessLog.objects.filter(pk=logged.pk).update(actor=None, actor_email="x@example.org")


def test_admin_shows_log_read_only_to_officer(client, logged):
    officer = make_staff(role=User.Role.MANAGER)
    officer.groups.add(Group.objects.get(name="Privacy officers"))
    client.force_login(officer)
    assert client.get(reverse("admin:privacy_accesslog_changelist")).status_code == 200
    assert client.get(reverse("admin:privacy_accesslog_add")).status_code == 403
    delete_url = reverse("admin:privacy_accesslog_delete", args=[logged.pk])
    assert client.get(delete_url).status_code == 403
    response = client.post(
        reverse("admin:privacy_accesslog_change", args=[logged.pk]), {"reason": "x"}
    )
    assert response.status_code == 403
    logged.refresh_from_db()
    assert logged.reason == "triage"


def test_manager_cannot_read_the_log_in_admin(client, manager, logged):
    client.force_login(manager)
    assert client.get(reverse("admin:privacy_accesslog_changelist")).status_code == 403


def test_officer_searches_log_by_family(client, officer, nurse):
    own, other = make_child(), make_child()
    get_child_for_staff(actor=nurse, child_id=own.pk)
    get_child_for_staff(actor=nurse, child_id=other.pk)
    client.force_login(officer)
    response = client.get(reverse("privacy:staff_access_log"), {"family_id": own.family_id})
    assert response.status_code == 200
    assert list(response.context["page"]) == list(AccessLog.objects.filter(child_id=own.pk))


def test_officer_search_rejects_bad_filter_with_400(client, officer):
    client.force_login(officer)
    response = client.get(reverse("privacy:staff_access_log"), {"family_id": "not-a-uuid"})
    assert response.status_code == 400


def test_professional_without_permission_gets_403_on_log_search(nurse_client):
    assert nurse_client.get(reverse("privacy:staff_access_log")).status_code == 403


def test_csv_export_lists_rows_and_is_logged_as_export(client, officer, logged):
    client.force_login(officer)
    response = client.get(reverse("privacy:staff_access_log_export"))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {row["actor_email"] for row in rows} >= {logged.actor_email}
    export = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert export.actor == officer


def test_csv_export_neutralises_formulas(client, officer, nurse):
    child = make_child()
    get_child_for_staff(actor=nurse, child_id=child.pk, reason="=HYPERLINK(1)")
    client.force_login(officer)
    body = client.get(reverse("privacy:staff_access_log_export")).content.decode()
    assert "'=HYPERLINK(1)" in body


def test_parent_sees_role_date_action_of_staff_access(client, nurse):
    parent = make_parent()
    child = make_child(family=parent.family)
    get_child_for_staff(actor=nurse, child_id=child.pk)
    client.force_login(parent)
    response = client.get(reverse("privacy:family_access_log"))
    assert response.status_code == 200
    assert "Jeugdverpleegkundige" in response.text
    assert nurse.last_name not in response.text  # names are off by default


def test_parent_sees_staff_names_when_setting_on(client, nurse, settings):
    settings.ACCESS_LOG_SHOW_STAFF_NAMES = True
    parent = make_parent()
    get_family_for_staff(actor=nurse, family_id=parent.family_id)
    client.force_login(parent)
    assert nurse.display_name in client.get(reverse("privacy:family_access_log")).text


def test_parent_does_not_see_access_to_another_family(client, nurse):
    parent = make_parent()
    get_child_for_staff(actor=nurse, child_id=make_child().pk)
    client.force_login(parent)
    assert client.get(reverse("privacy:family_access_log")).context["rows"] == []


def test_admin_view_of_a_child_is_logged(client, manager):
    child = make_child()
    client.force_login(manager)
    response = client.get(reverse("admin:families_child_change", args=[child.pk]))
    assert response.status_code == 200
    entry = AccessLog.objects.get(action=AccessLog.Action.VIEW, record_type="families.child")
    assert entry.actor == manager and entry.child_id == child.pk and entry.reason == "admin"


def test_admin_change_of_a_family_is_logged_as_change(client, manager):
    family = make_family(name="Oud")
    client.force_login(manager)
    client.post(
        reverse("admin:families_family_change", args=[family.pk]),
        {
            "name": "Nieuw",
            "children-TOTAL_FORMS": "0",
            "children-INITIAL_FORMS": "0",
            "children-MIN_NUM_FORMS": "0",
            "children-MAX_NUM_FORMS": "1000",
        },
    )
    assert AccessLog.objects.filter(
        action=AccessLog.Action.CHANGE, family_id=family.pk, actor=manager
    ).exists()


def test_admin_delete_of_a_child_is_logged(client, manager):
    child = make_child()
    client.force_login(manager)
    client.post(reverse("admin:families_child_delete", args=[child.pk]), {"post": "yes"})
    entry = AccessLog.objects.get(action=AccessLog.Action.DELETE)
    assert entry.child_id == child.pk and entry.family_id == child.family_id


def test_admin_list_of_children_is_logged_once_per_page(client, manager):
    make_child()
    client.force_login(manager)
    client.get(reverse("admin:families_child_changelist"))
    assert AccessLog.objects.filter(record_type="families.child", record_id="list").count() == 1


def test_staff_completing_a_follow_up_is_logged(nurse):
    from afspraken.models import FollowUp
    from afspraken.services import book_appointment, complete_follow_up
    from tests.afspraken.factories import make_slot, slot_type

    parent = make_parent()
    child = make_child(family=parent.family, age_months=3)
    slot = make_slot()
    appointment = book_appointment(
        slot_id=slot.pk, appointment_type_id=slot_type(slot).pk, parent=parent, child_id=child.pk
    )
    follow_up = FollowUp.objects.create(appointment=appointment, kind=FollowUp.Kind.CALL_FAMILY)
    complete_follow_up(follow_up_id=follow_up.pk, actor=nurse)
    entry = AccessLog.objects.get(reason="follow-up done")
    assert entry.family_id == parent.family_id and entry.actor == nurse


def test_family_access_log_page_has_a_fixed_query_count(
    client, nurse, django_assert_max_num_queries
):
    parent = make_parent()
    for _ in range(20):
        get_child_for_staff(actor=nurse, child_id=make_child(family=parent.family).pk)
    client.force_login(parent)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("privacy:family_access_log")).status_code == 200


def test_officer_log_page_has_a_fixed_query_count(
    client, officer, nurse, django_assert_max_num_queries
):
    for _ in range(20):
        get_child_for_staff(actor=nurse, child_id=make_child().pk)
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("privacy:staff_access_log")).status_code == 200


def test_behind_proxy_the_log_records_the_address_the_proxy_saw(nurse_client, settings):
    from tests.vragen.factories import make_question

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    question = make_question(parent=make_parent())
    # The first entry is typed by the client; the last one is what our proxy saw.
    nurse_client.get(
        reverse("vragen:staff_question", args=[question.pk]),
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7",
        REMOTE_ADDR="10.0.0.2",
    )
    assert set(AccessLog.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


def test_admin_log_search_with_any_text_is_no_error(client, logged):
    officer = make_staff(role=User.Role.MANAGER)
    officer.groups.add(Group.objects.get(name="Privacy officers"))
    client.force_login(officer)
    url = reverse("admin:privacy_accesslog_changelist")
    for term in ("hello", str(logged.family_id), "<script>", "\x00"):
        assert client.get(url, {"q": term}).status_code == 200
