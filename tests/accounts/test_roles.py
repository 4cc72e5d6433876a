"""Least privilege: who may give which role, and what each role opens."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.exceptions import RoleChangeRefused
from accounts.models import RoleChange, User
from accounts.services import change_roles
from tests.factories import make_parent, make_staff

pytestmark = pytest.mark.django_db

Role = User.Role


def _change_url(user):
    return reverse("admin:accounts_user_change", args=[user.pk])


def _form_data(user, **fields):
    """What the user admin's change form posts for `user`, plus `fields`."""
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": user.phone,
        "family": "",
        "primary_role": user.role,
        "is_active": "on",
    }
    data.update(fields)
    return data


@pytest.fixture
def superuser(db):
    user = make_staff(email="beheer@example.org", role=Role.MANAGER)
    change_roles(
        actor=None,
        user=user,
        role=Role.MANAGER,
        is_superuser=True,
        source=RoleChange.Source.COMMAND,
    )
    return user


# --- The user admin: a manager cannot climb ----------------------------------------------------


def test_manager_cannot_make_themselves_superuser_in_the_admin(client, manager):
    client.force_login(manager)
    officers = Group.objects.get(name=roles.PRIVACY_OFFICER_GROUP)
    response = client.post(
        _change_url(manager),
        _form_data(
            manager,
            is_superuser="on",
            superuser="on",
            groups=[officers.pk],
            user_permissions=[Permission.objects.get(codename="search_accesslog").pk],
        ),
    )
    assert response.status_code == 403
    manager.refresh_from_db()
    manager.forget_roles()
    assert not manager.is_superuser
    assert not manager.groups.filter(name=roles.PRIVACY_OFFICER_GROUP).exists()
    assert not manager.has_perm("privacy.search_accesslog")


def test_manager_cannot_make_themselves_privacy_officer_in_the_admin(client, manager):
    client.force_login(manager)
    response = client.post(
        _change_url(manager),
        _form_data(manager, role=Role.PRIVACY_OFFICER, extra_roles=[Role.PRIVACY_OFFICER]),
    )
    assert response.status_code == 403
    manager.refresh_from_db()
    manager.forget_roles()
    assert manager.roles == {Role.MANAGER}
    assert client.get(reverse("privacy:staff_access_log")).status_code == 403


def test_manager_cannot_give_a_nurse_a_higher_role(client, manager, nurse):
    client.force_login(manager)
    for role in (Role.MANAGER, Role.PRIVACY_OFFICER):
        response = client.post(_change_url(nurse), _form_data(nurse, role=role, primary_role=role))
        assert response.status_code == 200  # the form again, with the refusal
        assert "Selecteer een geldige keuze" in response.text
        response = client.post(_change_url(nurse), _form_data(nurse, extra_roles=[role]))
        assert response.status_code == 200
    nurse.refresh_from_db()
    nurse.forget_roles()
    assert nurse.roles == {Role.NURSE} and not nurse.is_staff
    assert not RoleChange.objects.filter(actor=manager).exists()


def test_manager_cannot_make_a_nurse_superuser_with_forged_fields(client, manager, nurse):
    client.force_login(manager)
    officers = Group.objects.get(name=roles.PRIVACY_OFFICER_GROUP)
    response = client.post(
        _change_url(nurse),
        _form_data(nurse, is_superuser="on", superuser="on", is_staff="on", groups=[officers.pk]),
    )
    assert response.status_code == 302
    nurse.refresh_from_db()
    assert not nurse.is_superuser and not nurse.is_staff
    assert not nurse.groups.filter(name=roles.PRIVACY_OFFICER_GROUP).exists()


def test_manager_gives_a_professional_role_and_it_is_logged(client, manager, nurse):
    client.force_login(manager)
    response = client.post(_change_url(nurse), _form_data(nurse, primary_role=Role.DOCTOR))
    assert response.status_code == 302
    nurse.refresh_from_db()
    nurse.forget_roles()
    assert nurse.roles == {Role.DOCTOR}
    assert nurse.groups.filter(name=roles.GROUP_NAMES[Role.DOCTOR]).exists()
    assert not nurse.groups.filter(name=roles.GROUP_NAMES[Role.NURSE]).exists()
    rows = {
        (row.action, row.what, row.actor_email, row.user_email, row.source)
        for row in RoleChange.objects.filter(user=nurse, actor=manager)
    }
    assert rows == {
        ("grant", Role.DOCTOR, manager.email, nurse.email, "admin"),
        ("revoke", Role.NURSE, manager.email, nurse.email, "admin"),
    }


def test_manager_adds_an_assistant(client, manager):
    client.force_login(manager)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "assistent@example.org",
            "primary_role": Role.ASSISTANT,
            "password1": "Lang-genoeg-wachtwoord-42",
            "password2": "Lang-genoeg-wachtwoord-42",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="assistent@example.org")
    assert user.roles == {Role.ASSISTANT} and not user.is_staff
    assert RoleChange.objects.filter(
        user=user, actor=manager, action="grant", what=Role.ASSISTANT
    ).exists()


def test_manager_cannot_add_a_manager(client, manager):
    client.force_login(manager)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "nog-een-manager@example.org",
            "primary_role": Role.MANAGER,
            "role": Role.MANAGER,
            "password1": "Lang-genoeg-wachtwoord-42",
            "password2": "Lang-genoeg-wachtwoord-42",
            "usable_password": "true",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="nog-een-manager@example.org").exists()


def test_manager_cannot_take_over_a_higher_account(client, manager, superuser):
    """Another manager's or a superuser's password, e-mail or roles: view only."""
    other_manager = make_staff(role=Role.MANAGER)
    client.force_login(manager)
    for target in (other_manager, superuser):
        password_url = reverse("admin:auth_user_password_change", args=[target.pk])
        assert client.get(password_url).status_code == 403
        response = client.post(
            password_url, {"password1": "Overgenomen-123456", "password2": "Overgenomen-123456"}
        )
        assert response.status_code == 403
        response = client.post(
            _change_url(target), _form_data(target, email="mijn-adres@example.org")
        )
        assert response.status_code == 403
        page = client.get(_change_url(target))
        assert page.status_code == 200 and 'name="primary_role"' not in page.text
        delete_url = reverse("admin:accounts_user_delete", args=[target.pk])
        assert client.post(delete_url, {"post": "yes"}).status_code == 403
        target.refresh_from_db()
        assert target.email != "mijn-adres@example.org" and target.check_password(
            "correct-horse-battery-9"
        )


def test_superuser_makes_a_manager_privacy_officer_and_it_is_logged(client, superuser, manager):
    client.force_login(superuser)
    response = client.post(
        _change_url(manager), _form_data(manager, extra_roles=[Role.PRIVACY_OFFICER])
    )
    assert response.status_code == 302
    manager.refresh_from_db()
    manager.forget_roles()
    assert manager.roles == {Role.MANAGER, Role.PRIVACY_OFFICER}
    row = RoleChange.objects.get(user=manager, what=Role.PRIVACY_OFFICER)
    assert (row.actor, row.action, row.source) == (superuser, "grant", "admin")
    client.force_login(manager)
    assert client.get(reverse("privacy:staff_access_log")).status_code == 200


def test_superuser_gives_a_raw_group_and_it_is_logged(client, superuser, nurse):
    extra = Group.objects.create(name="Proef")
    client.force_login(superuser)
    response = client.post(_change_url(nurse), _form_data(nurse, raw_groups=[extra.pk]))
    assert response.status_code == 302
    assert set(nurse.groups.values_list("name", flat=True)) == {
        "Proef",
        roles.GROUP_NAMES[Role.NURSE],
    }
    assert RoleChange.objects.filter(user=nurse, actor=superuser, what="group:Proef").exists()


# --- The service: the one path for every role change --------------------------------------------


def test_grant_table_is_default_deny_for_managers():
    """A role missing from the grant table (a new role) is given by superusers only."""
    manager = make_staff(role=Role.MANAGER)
    for role in Role.values:
        user = make_staff(role=Role.NURSE)
        allowed = role in roles.GRANTABLE_ROLES[Role.MANAGER]
        if allowed:
            change_roles(actor=manager, user=user, role=role)
            assert user.role == role
        else:
            with pytest.raises(RoleChangeRefused):
                change_roles(actor=manager, user=user, role=role)
    assert set(roles.GRANTABLE_ROLES[Role.MANAGER]) == {
        Role.PARENT,
        Role.NURSE,
        Role.DOCTOR,
        Role.ASSISTANT,
        Role.EDITOR,
        Role.COHOST,
    }


def test_identity_provider_claim_gives_professional_roles_only():
    user = make_parent()
    change_roles(actor=None, user=user, role=Role.NURSE, source="identity_provider")
    assert RoleChange.objects.get(user=user).source == "identity_provider"
    for role in (Role.MANAGER, Role.PRIVACY_OFFICER):
        with pytest.raises(RoleChangeRefused):
            change_roles(actor=None, user=user, role=role, source="identity_provider")
    with pytest.raises(RoleChangeRefused):
        change_roles(
            actor=None, user=user, role=Role.NURSE, is_superuser=True, source="identity_provider"
        )


def test_a_parent_gets_no_extra_roles():
    parent = make_parent()
    with pytest.raises(RoleChangeRefused):
        change_roles(
            actor=None,
            user=parent,
            role=Role.PARENT,
            extra_roles=[Role.NURSE],
            source=RoleChange.Source.COMMAND,
        )


def test_role_change_log_is_read_only_for_privacy_officers(client, manager):
    officer = make_staff(role=Role.PRIVACY_OFFICER)
    make_staff(role=Role.DOCTOR)
    row = RoleChange.objects.filter(what=Role.DOCTOR).first()
    client.force_login(officer)
    response = client.get(reverse("admin:accounts_rolechange_changelist"))
    assert response.status_code == 200 and "Jeugdarts" in response.text
    assert client.get(reverse("admin:accounts_rolechange_add")).status_code == 403
    change_url = reverse("admin:accounts_rolechange_change", args=[row.pk])
    assert client.post(change_url, {"what": "manager"}).status_code == 403
    row.refresh_from_db()
    assert row.what == Role.DOCTOR


# --- Professional versus manager ----------------------------------------------------------------


def test_manager_without_professional_role_cannot_read_questions(client, manager, parent):
    from tests.vragen.factories import make_question

    question = make_question(parent=parent, text="Onze zoon eet slecht.")
    client.force_login(manager)
    for url in (
        reverse("vragen:queue"),
        reverse("vragen:call_list"),
        reverse("vragen:staff_question", args=[question.pk]),
        reverse("afspraken:agenda"),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert "Onze zoon eet slecht" not in response.text


def test_manager_with_an_extra_nurse_role_can_triage(client, parent):
    from tests.vragen.factories import make_question

    question = make_question(parent=parent, text="Onze zoon eet slecht.")
    manager = make_staff(role=Role.MANAGER, extra_roles=[Role.NURSE])
    client.force_login(manager)
    response = client.get(reverse("vragen:staff_question", args=[question.pk]))
    assert response.status_code == 200 and "Onze zoon eet slecht" in response.text
    assert client.get(reverse("admin:index")).status_code == 200


def test_assistant_plans_but_does_not_read_question_texts(client, parent):
    from afspraken.services import book_appointment
    from tests.afspraken.factories import make_slot, slot_type
    from tests.factories import make_child
    from tests.vragen.factories import make_question

    child = make_child(family=parent.family)
    slot = make_slot()
    appointment = book_appointment(
        slot_id=slot.pk,
        appointment_type_id=slot_type(slot).pk,
        parent=parent,
        child_id=child.pk,
        note="Ze heeft sinds kort uitslag op haar buik.",
    )
    make_question(
        parent=parent,
        text="Onze dochter heeft uitslag.",
        channel="appointment",
        appointment=appointment,
    )
    assistant = make_staff(role=Role.ASSISTANT)
    client.force_login(assistant)
    day = timezone.localdate(slot.starts_at).isoformat()
    agenda = client.get(reverse("afspraken:agenda"), {"week": day, "location": slot.location_id})
    assert agenda.status_code == 200
    assert child.first_name in agenda.text and "Slapen" in agenda.text
    assert "uitslag" not in agenda.text
    question = appointment.questions.get()
    assert client.get(reverse("vragen:staff_question", args=[question.pk])).status_code == 403
    assert client.get(reverse("vragen:queue")).status_code == 403

    nurse = make_staff()
    client.force_login(nurse)
    agenda = client.get(reverse("afspraken:agenda"), {"week": day, "location": slot.location_id})
    assert "Onze dochter heeft uitslag" in agenda.text and "uitslag op haar buik" in agenda.text


def test_an_assistant_cannot_be_given_a_question(nurse, parent):
    from tests.vragen.factories import make_question
    from vragen.exceptions import NotAllowed
    from vragen.forms import AssignForm
    from vragen.services import assign_question

    assistant = make_staff(role=Role.ASSISTANT)
    question = make_question(parent=parent)
    with pytest.raises(NotAllowed):
        assign_question(actor=nurse, question_id=question.pk, assignee=assistant)
    assert assistant not in AssignForm().fields["assignee"].queryset
