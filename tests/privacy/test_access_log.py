import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction
from django.urls import reverse

from accounts.models import User
from privacy.models import AccessLog
from privacy.services import record_access
from tests.factories import make_child, make_family, make_parent, make_staff
from vragen.models import Question

pytestmark = pytest.mark.django_db

DB_REFUSES = (InternalError, ProgrammingError, IntegrityError)


@pytest.fixture
def officer(db):
    user = make_staff(email="privacy@example.org")
    user.groups.add(Group.objects.get(name="Privacy officers"))
    return User.objects.get(pk=user.pk)  # fresh permission cache


def _open_question(client, *, child, text="Mijn dochter slaapt slecht."):
    """A nurse opens the staff page of a question about `child` (the way staff read it)."""
    from tests.vragen.factories import make_question

    parent = child.family.parents.first() or make_parent(family=child.family)
    question = make_question(parent=parent, child=child, text=text)
    assert client.get(reverse("vragen:staff_question", args=[question.pk])).status_code == 200
    return question


@pytest.fixture
def logged(nurse_client):
    child = make_child(first_name="Noor")
    question = _open_question(nurse_client, child=child)
    return AccessLog.objects.get(record_type="vragen.question", record_ids=[str(question.pk)])


def test_staff_question_page_writes_who_what_which_child_and_why(nurse, logged):
    question = Question.objects.get()
    assert logged.actor == nurse and logged.actor_role == "nurse"
    assert logged.action == AccessLog.Action.VIEW
    assert logged.child_ids == [question.child_id]
    assert logged.family_ids == [question.family_id]
    assert logged.reason == "question"


def test_staff_question_page_logs_the_family_context_once_with_every_child(nurse_client):
    family = make_family()
    asked_about, sibling = make_child(family=family), make_child(family=family)
    _open_question(nurse_client, child=asked_about)
    row = AccessLog.objects.get(record_type="families.family")
    assert set(row.child_ids) == {asked_about.pk, sibling.pk}
    assert row.family_ids == [family.pk]


def test_staff_page_request_logs_client_address(nurse_client):
    from tests.vragen.factories import make_question

    question = make_question(parent=make_parent())
    nurse_client.get(reverse("vragen:staff_question", args=[question.pk]), REMOTE_ADDR="10.1.2.3")
    assert set(AccessLog.objects.values_list("ip_address", flat=True)) == {"10.1.2.3"}


def test_parent_reading_own_family_is_not_logged(parent_client, parent):
    from tests.vragen.factories import make_question

    question = make_question(parent=parent)
    assert parent_client.get(reverse("vragen:detail", args=[question.pk])).status_code == 200
    assert not AccessLog.objects.exists()


def test_one_writer_takes_keyword_arguments_only(nurse):
    with pytest.raises(TypeError):
        record_access(nurse, "view", "families.child")


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


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigger is PostgreSQL only")
def test_database_refuses_setting_the_actor_to_null(logged):
    with pytest.raises(DB_REFUSES), transaction.atomic():
        AccessLog.objects.filter(pk=logged.pk).update(actor=None)


def test_removing_a_staff_account_keeps_its_log_rows(nurse, logged):
    # No foreign key from the log: removing the account touches no log row.
    nurse.delete()
    logged.refresh_from_db()
    assert logged.actor_email == nurse.email and logged.actor_role == "nurse"


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
    assert logged.reason == "question"


def test_manager_cannot_read_the_log_in_admin(client, manager, logged):
    client.force_login(manager)
    assert client.get(reverse("admin:privacy_accesslog_changelist")).status_code == 403


def test_officer_finds_every_page_that_showed_one_child(client, officer, nurse_client):
    own, other = make_child(first_name="Noor"), make_child(first_name="Sem")
    _open_question(nurse_client, child=own)
    _open_question(nurse_client, child=other)
    client.force_login(officer)
    response = client.get(reverse("privacy:staff_access_log"), {"child_id": own.pk})
    assert response.status_code == 200
    rows = response.context["rows"]
    assert {row.entry.record_type for row in rows} == {"vragen.question", "families.family"}
    assert all(own.pk in row.entry.child_ids for row in rows)
    assert "Noor" in response.text and "Sem" not in response.text


def test_officer_page_says_child_role_and_action_in_dutch(client, officer, nurse_client):
    child = make_child(first_name="Noor")
    _open_question(nurse_client, child=child)
    client.force_login(officer)
    response = client.get(reverse("privacy:staff_access_log"), {"child_id": child.pk})
    row = response.context["rows"][0]
    assert row.role_label == "Jeugdverpleegkundige" and row.action_label == "Bekeken"
    assert row.children == (f"Noor · {child.pk.hex[:8]}",)
    assert "Jeugdverpleegkundige" in response.text and "Bekeken" in response.text


def test_officer_page_labels_a_removed_child_by_code_only(client, officer, nurse_client):
    child = make_child(first_name="Noor")
    _open_question(nurse_client, child=child)
    code = child.pk.hex[:8]
    child.family.delete()
    client.force_login(officer)
    response = client.get(reverse("privacy:staff_access_log"), {"child_id": child.pk})
    assert f"kind {code} (verwijderd)" in response.text


def test_officer_reading_names_in_the_log_is_logged_too(client, officer, nurse_client):
    child = make_child(first_name="Noor")
    _open_question(nurse_client, child=child)
    client.force_login(officer)
    client.get(reverse("privacy:staff_access_log"), {"child_id": child.pk})
    row = AccessLog.objects.get(actor=officer, record_type="privacy.accesslog")
    assert row.child_ids == [child.pk] and row.action == AccessLog.Action.VIEW


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
    assert response.streaming
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {row["actor_email"] for row in rows} >= {logged.actor_email}
    export = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert export.actor == officer


def test_csv_export_neutralises_formulas(client, officer, nurse):
    record_access(actor=nurse, action="view", record_type="families.child", reason="=HYPERLINK(1)")
    client.force_login(officer)
    response = client.get(reverse("privacy:staff_access_log_export"))
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK(1)" in body


def test_parent_sees_role_date_action_and_child_of_staff_access(client, nurse_client):
    parent = make_parent()
    child = make_child(family=parent.family, first_name="Noor")
    _open_question(nurse_client, child=child)
    client.force_login(parent)
    response = client.get(reverse("privacy:family_access_log"))
    assert response.status_code == 200
    assert "Jeugdverpleegkundige" in response.text and "Noor" in response.text
    assert "Visser" not in response.text  # staff names are off by default


def test_parent_sees_staff_names_when_setting_on(client, nurse, nurse_client, settings):
    settings.ACCESS_LOG_SHOW_STAFF_NAMES = True
    parent = make_parent()
    _open_question(nurse_client, child=make_child(family=parent.family))
    client.force_login(parent)
    assert nurse.display_name in client.get(reverse("privacy:family_access_log")).text


def test_parent_does_not_see_access_to_another_family(client, nurse_client):
    parent = make_parent()
    _open_question(nurse_client, child=make_child())
    client.force_login(parent)
    assert client.get(reverse("privacy:family_access_log")).context["rows"] == []


def test_one_agenda_row_shows_in_each_family_it_named(client, nurse, parent):
    other = make_parent()
    record_access(
        actor=nurse,
        action="view",
        record_type="afspraken.appointment",
        family_ids=[parent.family_id, other.family_id],
        reason="agenda",
    )
    for someone in (parent, other):
        client.force_login(someone)
        assert len(client.get(reverse("privacy:family_access_log")).context["rows"]) == 1


def test_admin_view_of_a_child_is_logged(client, manager):
    child = make_child()
    client.force_login(manager)
    response = client.get(reverse("admin:families_child_change", args=[child.pk]))
    assert response.status_code == 200
    entry = AccessLog.objects.get(
        action=AccessLog.Action.VIEW, record_type="families.child", record_ids=[str(child.pk)]
    )
    assert entry.actor == manager and entry.child_ids == [child.pk] and entry.reason == "admin"


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
        action=AccessLog.Action.CHANGE, family_ids=[family.pk], actor=manager
    ).exists()


def test_admin_delete_of_a_child_is_logged(client, manager):
    child = make_child()
    client.force_login(manager)
    client.post(reverse("admin:families_child_delete", args=[child.pk]), {"post": "yes"})
    entry = AccessLog.objects.get(action=AccessLog.Action.DELETE)
    assert entry.child_ids == [child.pk] and entry.family_ids == [child.family_id]


def test_admin_list_of_children_is_logged_once_per_page_with_every_child(client, manager):
    children = [make_child(), make_child()]
    client.force_login(manager)
    client.get(reverse("admin:families_child_changelist"))
    row = AccessLog.objects.get(record_type="families.child")
    assert set(row.child_ids) == {child.pk for child in children}


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
    assert entry.family_ids == [parent.family_id] and entry.child_ids == [child.pk]
    assert entry.actor == nurse


def _many_rows(actor, families, count=20):
    for _ in range(count):
        child = make_child(family=families.pop() if families else None)
        record_access(
            actor=actor,
            action="view",
            record_type="families.child",
            record_ids=[child.pk],
            child_ids=[child.pk],
            family_ids=[child.family_id],
        )


def test_family_access_log_page_has_a_fixed_query_count(
    client, nurse, django_assert_max_num_queries
):
    parent = make_parent()
    _many_rows(nurse, [parent.family] * 20)
    client.force_login(parent)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("privacy:family_access_log")).status_code == 200


def test_officer_log_page_has_a_fixed_query_count(
    client, officer, nurse, django_assert_max_num_queries
):
    _many_rows(nurse, [])
    client.force_login(officer)
    with django_assert_max_num_queries(14):
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
    for term in ("hello", str(logged.family_ids[0]), "<script>", "\x00"):
        assert client.get(url, {"q": term}).status_code == 200


def test_queue_search_over_question_texts_is_logged_with_what_it_found(nurse_client, nurse):
    from tests.vragen.factories import make_question

    child = make_child(first_name="Noor")
    found = make_question(
        parent=make_parent(family=child.family), child=child, text="Ze heeft last van eczeem."
    )
    make_question(parent=make_parent(), text="Een vraag over slapen.")
    response = nurse_client.get(reverse("vragen:queue"), {"q": "eczeem"})
    assert response.status_code == 200 and found.reference in response.text
    row = AccessLog.objects.get(action=AccessLog.Action.SEARCH)
    assert row.actor == nurse and row.reason == "queue search: eczeem"
    assert row.record_ids == [str(found.pk)] and row.child_ids == [child.pk]


def test_queue_page_is_one_row_naming_every_question_it_lists(nurse_client, nurse):
    from tests.vragen.factories import make_question

    questions = [make_question(parent=make_parent()) for _ in range(3)]
    assert nurse_client.get(reverse("vragen:queue")).status_code == 200
    row = AccessLog.objects.get()
    assert row.reason == "queue" and row.action == AccessLog.Action.VIEW
    assert set(row.record_ids) == {str(q.pk) for q in questions}
    assert set(row.family_ids) == {q.family_id for q in questions}


def test_admin_password_page_of_a_parent_is_logged(client, manager):
    parent = make_parent()
    client.force_login(manager)
    url = reverse("admin:auth_user_password_change", args=[parent.pk])
    assert client.get(url).status_code == 200
    row = AccessLog.objects.get(record_type="accounts.user", reason="admin password")
    assert row.family_ids == [parent.family_id] and row.actor == manager


def test_admin_add_page_and_what_it_creates_are_logged(client, manager):
    family = make_family()
    client.force_login(manager)
    assert client.get(reverse("admin:families_child_add")).status_code == 200
    response = client.post(
        reverse("admin:families_child_add"),
        {
            "family": family.pk,
            "first_name": "Noor",
            "date_of_birth": "2025-01-01",
            "care_status": "active",
        },
    )
    assert response.status_code == 302
    created = AccessLog.objects.get(action=AccessLog.Action.CREATE)
    assert created.family_ids == [family.pk] and len(created.child_ids) == 1
    assert AccessLog.objects.filter(action=AccessLog.Action.VIEW, reason="admin add").exists()


def test_admin_outgoing_email_page_is_logged_for_the_recipients_family(client, manager):
    from outbox.models import OutgoingEmail
    from outbox.services import queue_rendered

    parent = make_parent()
    queue_rendered(to=parent.email, subject="Je vraag", body_text="Bekijk je vraag.")
    email = OutgoingEmail.objects.get(to=parent.email)
    client.force_login(manager)
    assert (
        client.get(reverse("admin:outbox_outgoingemail_change", args=[email.pk])).status_code == 200
    )
    row = AccessLog.objects.get(record_type="outbox.outgoingemail")
    assert row.family_ids == [parent.family_id] and row.record_ids == [str(email.pk)]


def test_admin_newsletter_delivery_lists_are_logged_per_child(client, manager):
    from nieuwsbrieven.models import Delivery, MilestoneDelivery
    from tests.nieuwsbrieven.factories import make_edition, make_milestone, make_subscription

    parent = make_parent()
    child = make_child(family=parent.family, first_name="Noor")
    subscription = make_subscription(parent=parent)
    Delivery.objects.create(
        edition=make_edition(), subscription=subscription, child=child, child_name="Noor"
    )
    MilestoneDelivery.objects.create(
        milestone=make_milestone(), child=child, subscription=subscription
    )
    client.force_login(manager)
    for name in ("delivery", "milestonedelivery"):
        response = client.get(reverse(f"admin:nieuwsbrieven_{name}_changelist"))
        assert response.status_code == 200
        row = AccessLog.objects.get(record_type=f"nieuwsbrieven.{name}")
        assert row.child_ids == [child.pk] and row.family_ids == [parent.family_id]


def test_admin_family_search_box_is_logged_as_a_search(client, manager):
    family = make_family(name="Familie Jansen")
    client.force_login(manager)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "families", "model_name": "child", "field_name": "family", "term": "Jans"},
    )
    assert response.status_code == 200 and "Jansen" in response.text
    row = AccessLog.objects.get(action=AccessLog.Action.SEARCH)
    assert row.family_ids == [family.pk] and row.record_type == "families.family"
