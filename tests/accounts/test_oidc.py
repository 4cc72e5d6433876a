"""Logins through DigiD and the organisation account: the services that link and make
accounts, the grant rules for the provider's roles, and the pages around the flow. The full
flow against a real provider is in tests/browser/test_oidc.py."""

import socket

import pytest
from allauth.socialaccount.models import SocialAccount

from accounts import services
from accounts.exceptions import LoginRefused
from accounts.models import RoleChange, User
from bereik import services as bereik_services
from bereik.exceptions import ActivationError
from bereik.models import FamilyContact
from outbox.models import OutgoingEmail
from privacy.models import SecurityEvent
from tests.factories import make_child, make_family, make_parent, make_staff
from tests.oidc_provider import configure

pytestmark = pytest.mark.django_db


def _registered_family_code():
    family = make_family(name="El Amrani")
    FamilyContact.objects.create(family=family, origin="import", parent_name="Fatima El Amrani")
    make_child(family=family, first_name="Noor")
    return family, bereik_services.issue_activation_code(family_id=family.pk)


def test_first_digid_login_with_activation_code_joins_the_registered_family():
    family, code = _registered_family_code()
    user = services.create_parent_with_digid(
        email="Fatima@example.org", activation_code=code, provider="digid", uid="pseudo-1"
    )
    assert user.family == family and user.email == "fatima@example.org"
    assert not user.has_usable_password()
    assert SocialAccount.objects.get(provider="digid", uid="pseudo-1").user == user


def test_wrong_activation_code_leaves_no_account_behind():
    _registered_family_code()
    with pytest.raises(ActivationError):
        services.create_parent_with_digid(
            email="nieuw@example.org", activation_code="AAAAA-BBBBB", provider="digid", uid="p-2"
        )
    assert not User.objects.filter(email="nieuw@example.org").exists()
    assert not SocialAccount.objects.exists()


def test_address_of_an_existing_account_must_link_instead():
    make_parent(email="al@example.org")
    with pytest.raises(LoginRefused) as refused:
        services.create_parent_with_digid(email="AL@example.org", provider="digid", uid="p-3")
    assert refused.value.reason == "email_taken"


def test_staff_cannot_link_digid():
    nurse = make_staff()
    with pytest.raises(LoginRefused):
        services.link_digid(user=nurse, provider="digid", uid="p-4")
    assert not SocialAccount.objects.exists()


def test_provider_claim_for_a_manager_is_refused_and_nothing_is_made(settings):
    settings.STAFF_OIDC_ROLE_MAP = {"jgz-manager": "manager"}
    claims = {"email": "baas@ggd.example", "roles": ["jgz-manager"]}
    with pytest.raises(LoginRefused) as refused:
        services.sign_in_staff_from_idp(provider="organisatie", uid="s-1", claims=claims)
    assert refused.value.reason == "role_refused"
    assert not User.objects.filter(email="baas@ggd.example").exists()
    assert not SocialAccount.objects.exists()


def test_manager_keeps_the_role_the_provider_may_not_give(settings):
    manager = make_staff(email="teamleider@ggd.example", role=User.Role.MANAGER)
    claims = {"email": "teamleider@ggd.example", "roles": ["jgz-verpleegkundige"]}
    user, _account = services.sign_in_staff_from_idp(
        provider="organisatie", uid="s-2", claims=claims
    )
    assert user == manager
    user.forget_roles()
    assert user.roles == {User.Role.MANAGER, User.Role.NURSE}
    assert RoleChange.objects.filter(
        user=manager, what="nurse", source="identity_provider"
    ).exists()
    assert not user.has_usable_password()


def test_provider_takes_away_a_professional_role_it_no_longer_sends():
    doctor = make_staff(email="arts@ggd.example", role=User.Role.DOCTOR)
    services.sign_in_staff_from_idp(
        provider="organisatie",
        uid="s-3",
        claims={"email": "arts@ggd.example", "roles": ["jgz-assistent"]},
    )
    doctor.refresh_from_db()
    assert doctor.role == User.Role.ASSISTANT
    assert RoleChange.objects.filter(user=doctor, what="doctor", action="revoke").exists()


def test_parent_address_cannot_become_staff_through_the_provider():
    make_parent(email="ouder@ggd.example")
    with pytest.raises(LoginRefused) as refused:
        services.sign_in_staff_from_idp(
            provider="organisatie",
            uid="s-4",
            claims={"email": "ouder@ggd.example", "roles": ["jgz-verpleegkundige"]},
        )
    assert refused.value.reason == "email_is_parent"


def test_staff_linked_to_the_provider_get_no_password_reset_mail(client):
    nurse = make_staff(email="zuster@ggd.example")
    SocialAccount.objects.create(user=nurse, provider="organisatie", uid="s-5")
    client.post("/accounts/password/reset/", {"email": "zuster@ggd.example"})
    assert not OutgoingEmail.objects.filter(to="zuster@ggd.example").exists()


def test_provider_down_gives_a_dutch_page_not_a_server_error(client, settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    configure(settings, f"http://127.0.0.1:{closed}")
    response = client.post("/accounts/oidc/digid/login/", {"process": "login"})
    assert response.status_code == 503
    assert "DigiD is nu niet bereikbaar" in response.content.decode()
    assert "unreachable" in SecurityEvent.objects.get(kind="idp_refused").detail


def test_login_buttons_only_when_configured(client, settings):
    assert "Inloggen met DigiD" not in client.get("/accounts/login/").content.decode()
    configure(settings, "http://127.0.0.1:9", staff=False)
    page = client.get("/accounts/login/").content.decode()
    assert "Inloggen met DigiD" in page
    assert "organisatie-account" not in page


def test_step_up_page_is_dutch_and_keeps_only_local_next(client, settings):
    configure(settings, "http://127.0.0.1:9", staff=False)
    page = client.get("/accounts/digid/hoger-niveau/?next=https://elders.example/").content
    assert "Log in met DigiD om deze pagina te zien" in page.decode()
    assert b'name="next" value="https://elders.example/"' not in page


def test_eidas_setting_sends_a_password_login_to_the_step_up_page(client, settings):
    settings.PORTAL_REQUIRE_EIDAS_SUBSTANTIAL = True
    client.force_login(make_parent())
    response = client.get("/gezin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/digid/hoger-niveau/?next=")
    assert client.get("/").status_code in (200, 302)  # pages without a child's data stay open


def test_deleting_the_account_removes_the_digid_link():
    from privacy.services import delete_account

    parent = make_parent()
    SocialAccount.objects.create(user=parent, provider="digid", uid="weg-met-mij")
    delete_account(user=parent)
    assert not SocialAccount.objects.filter(uid="weg-met-mij").exists()
