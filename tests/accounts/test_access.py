import pytest
from django.urls import reverse

from accounts.models import User
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def test_signup_creates_parent_with_family(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "nieuw@example.org",
            "password1": "Zomer-2026-ouder",
            "password2": "Zomer-2026-ouder",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nieuw@example.org")
    assert user.is_parent and user.family is not None


def test_login_requires_verified_email(client, django_capture_on_commit_callbacks):
    from tests.factories import PASSWORD, make_parent

    make_parent(email="onbevestigd@example.org", verified=False)
    response = client.post(
        reverse("account_login"), {"login": "onbevestigd@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")


def test_staff_without_mfa_is_sent_to_mfa_setup(client):
    nurse = make_staff(mfa=False)
    client.force_login(nurse)
    response = client.get(reverse("staff_home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_activate_totp"))


def test_manager_without_mfa_cannot_open_admin(client):
    manager = make_staff(role=User.Role.MANAGER, mfa=False)
    client.force_login(manager)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_activate_totp"))


def test_manager_with_mfa_opens_admin(client, manager):
    client.force_login(manager)
    assert client.get(reverse("admin:index")).status_code == 200


def test_admin_login_form_is_replaced_by_portal_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_posting_to_admin_login_cannot_log_in(client, manager):
    from tests.factories import PASSWORD

    response = client.post("/admin/login/", {"username": manager.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_staff_with_mfa_sees_staff_home(nurse_client):
    assert nurse_client.get(reverse("staff_home")).status_code == 200


def test_parent_gets_403_on_staff_home(parent_client):
    assert parent_client.get(reverse("staff_home")).status_code == 403


def test_staff_gets_403_on_parent_pages(nurse_client):
    assert nurse_client.get(reverse("families:home")).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("families:home"))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_staff_login_asks_for_totp_code(client):
    from tests.factories import PASSWORD, totp_code

    nurse = make_staff(email="zuster@example.org")
    response = client.post(reverse("account_login"), {"login": nurse.email, "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(nurse.pk)


def test_roles_are_groups(nurse, manager):
    assert nurse.groups.filter(name="Jeugdverpleegkundigen").exists()
    assert manager.groups.filter(name="Managers").exists() and manager.is_staff
    assert not nurse.is_staff


def test_language_switch_shows_english(parent_client):
    response = parent_client.post(
        reverse("set_language"), {"language": "en", "next": "/gezin/"}, follow=True
    )
    assert "My family" in response.text
