"""DigiD (parents) and the organisation account (staff) against a real OpenID Connect provider
process: the full authorization-code flow with PKCE, driven through the browser."""

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core import mail

from accounts.models import RoleChange, User
from privacy.models import SecurityEvent
from tests.factories import PASSWORD, make_parent
from tests.oidc_provider import LOA_BASIC, LOA_SUBSTANTIAL, Provider, configure


@pytest.fixture(scope="module")
def provider():
    running = Provider()
    yield running
    running.stop()


@pytest.fixture
def idp(provider, settings):
    configure(settings, provider.url)
    return provider


def _authorize(page, sub: str) -> None:
    try:
        page.wait_for_url(re.compile(r".*/oauth2/authorize.*"))
    except Exception:
        print("DEBUG", page.url, page.locator("body").inner_text()[:1500])
        raise
    page.locator("input[name=sub]").fill(sub)
    page.get_by_role("button", name="Authorize").click()


def _start(page, live_server, button: str, path: str = "/accounts/login/") -> None:
    page.goto(live_server.url + path)
    page.get_by_role("button", name=button).click()


def test_digid_first_login_makes_a_parent_account(idp, live_server, page):
    idp.set_user("digid-nieuw", acr=LOA_SUBSTANTIAL)
    _start(page, live_server, "Inloggen met DigiD")
    _authorize(page, "digid-nieuw")
    page.wait_for_url("**/accounts/digid/koppelen/")
    page.locator("#id_create-email").fill("digid.ouder@example.org")
    page.get_by_role("button", name="Maak mijn account").click()
    page.wait_for_url(re.compile(r".*/gezin/.*"))
    user = User.objects.get(email="digid.ouder@example.org")
    assert user.is_parent and user.family_id is not None
    assert not user.has_usable_password()
    account = SocialAccount.objects.get(user=user, provider="digid")
    assert account.uid == "digid-nieuw"
    assert set(account.extra_data["id_token"]) <= {"sub", "acr", "iss"}


def test_digid_links_an_existing_account_after_its_password(idp, live_server, page):
    parent = make_parent(email="bestaand@example.org")
    idp.set_user("digid-bestaand", acr=LOA_SUBSTANTIAL)
    _start(page, live_server, "Inloggen met DigiD")
    _authorize(page, "digid-bestaand")
    page.wait_for_url("**/accounts/digid/koppelen/")
    page.locator("#id_link-email").fill("bestaand@example.org")
    page.locator("#id_link-password").fill("wrong-password-1")
    page.get_by_role("button", name="Koppel DigiD aan mijn account").click()
    assert "niet goed" in page.locator(".alert, .invalid-feedback").first.inner_text()
    assert not SocialAccount.objects.filter(user=parent).exists()
    page.locator("#id_link-password").fill(PASSWORD)
    page.get_by_role("button", name="Koppel DigiD aan mijn account").click()
    page.wait_for_url(re.compile(r".*/gezin/.*"))
    assert SocialAccount.objects.get(provider="digid", uid="digid-bestaand").user == parent

    # Logging out also ends the broker's session (RP-initiated logout).
    page.get_by_role("link", name="Uitloggen").click()
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/oauth2/end_session.*"))


def test_digid_links_an_existing_account_with_a_code_by_email(idp, live_server, page):
    parent = make_parent(email="zonder.wachtwoord@example.org")
    _start(page, live_server, "Inloggen met DigiD")
    _authorize(page, "digid-mailcode")
    page.wait_for_url("**/accounts/digid/koppelen/")
    page.locator("#id_mail-email").fill("zonder.wachtwoord@example.org")
    page.get_by_role("button", name="Stuur mij een code").click()
    page.locator("#id_code-code").fill("000000")
    page.get_by_role("button", name="Koppel DigiD met de code").click()
    assert "niet goed of niet meer geldig" in page.locator("main").inner_text()
    code = re.search(r"^\d{6}$", mail.outbox[-1].body, re.M).group(0)
    page.locator("#id_code-code").fill(code)
    page.get_by_role("button", name="Koppel DigiD met de code").click()
    page.wait_for_url(re.compile(r".*/gezin/.*"))
    assert SocialAccount.objects.get(provider="digid", uid="digid-mailcode").user == parent


def test_digid_below_substantial_gets_the_step_up_page(idp, live_server, page, settings):
    settings.PORTAL_REQUIRE_EIDAS_SUBSTANTIAL = True
    parent = make_parent(email="stapje@example.org")
    SocialAccount.objects.create(user=parent, provider="digid", uid="digid-laag")
    idp.set_user("digid-laag", acr=LOA_BASIC)
    _start(page, live_server, "Inloggen met DigiD")
    _authorize(page, "digid-laag")
    page.goto(live_server.url + "/gezin/")
    page.wait_for_url("**/accounts/digid/hoger-niveau/**")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Log in met DigiD om deze pagina te zien"
    )
    assert "lager niveau" in page.locator("main").inner_text()

    idp.set_user("digid-laag", acr=LOA_SUBSTANTIAL)
    page.get_by_role("button", name="Inloggen met DigiD").click()
    _authorize(page, "digid-laag")
    page.wait_for_url(re.compile(r".*/gezin/$"))


def test_staff_login_maps_role_claims_and_provider_mfa(idp, live_server, page):
    idp.set_user(
        "medewerker-1",
        email="an.devries@ggd.example",
        given_name="An",
        family_name="de Vries",
        roles=["jgz-verpleegkundige", "iets-anders"],
        amr=["pwd", "mfa"],
    )
    _start(page, live_server, "Inloggen met je organisatie-account")
    _authorize(page, "medewerker-1")
    page.wait_for_url("**/medewerkers/")  # the provider's MFA counts: no TOTP set-up first
    user = User.objects.get(email="an.devries@ggd.example")
    assert user.role == User.Role.NURSE and user.is_jgz_staff
    assert not user.has_usable_password()
    change = RoleChange.objects.get(user=user)
    assert (change.what, change.source) == ("nurse", "identity_provider")


def test_staff_leaver_session_ends_at_the_next_check(idp, live_server, page, settings):
    idp.set_user("vertrekker", email="weg@ggd.example", roles=["jgz-assistent"], amr=["mfa"])
    _start(page, live_server, "Inloggen met je organisatie-account")
    _authorize(page, "vertrekker")
    page.wait_for_url("**/medewerkers/")
    settings.STAFF_OIDC_RECHECK_SECONDS = 0
    page.goto(live_server.url + "/medewerkers/")
    page.wait_for_url("**/medewerkers/")  # the provider still knows them
    idp.revoke_tokens("vertrekker")
    page.goto(live_server.url + "/medewerkers/")
    page.wait_for_url("**/accounts/login/**")
    assert "geen toegang meer" in page.locator("body").inner_text()
    assert SecurityEvent.objects.filter(kind="idp_session_ended", email="weg@ggd.example").exists()


def test_staff_without_role_claim_is_refused_and_nothing_is_made(idp, live_server, page):
    idp.set_user("zonder-rol", email="geen.rol@ggd.example")
    _start(page, live_server, "Inloggen met je organisatie-account")
    _authorize(page, "zonder-rol")
    assert "geeft je geen rol" in page.locator("main").inner_text()
    assert not User.objects.filter(email="geen.rol@ggd.example").exists()
    event = SecurityEvent.objects.get(kind="idp_refused")
    assert "no_role" in event.detail


def test_provider_deny_shows_a_dutch_page(idp, live_server, page):
    _start(page, live_server, "Inloggen met DigiD")
    page.wait_for_url(re.compile(r".*/oauth2/authorize.*"))
    page.get_by_role("button", name="Deny").click()
    assert "Je bent gestopt met inloggen" in page.locator("main").inner_text()
    assert "cancelled" in SecurityEvent.objects.get(kind="idp_refused").detail


def test_tampered_state_is_refused(idp, live_server, page):
    _start(page, live_server, "Inloggen met DigiD")
    page.wait_for_url(re.compile(r".*/oauth2/authorize.*"))
    parts = urlsplit(page.url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query["state"] = "aangepast"
    page.goto(parts._replace(query=urlencode(query)).geturl())
    _authorize(page, "digid-state")
    assert "inloggen hier begon" in page.locator("main").inner_text()
    assert "state" in SecurityEvent.objects.get(kind="idp_refused").detail
    assert not SocialAccount.objects.exists()


def test_changed_nonce_is_refused(idp, live_server, page):
    idp.set_user("medewerker-nonce", email="nonce@ggd.example", roles=["jgz-arts"])
    _start(page, live_server, "Inloggen met je organisatie-account")
    page.wait_for_url(re.compile(r".*/oauth2/authorize.*"))
    parts = urlsplit(page.url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    assert query["code_challenge_method"] == "S256" and query["nonce"]
    query["nonce"] = "aangepast"
    page.goto(parts._replace(query=urlencode(query)).geturl())
    _authorize(page, "medewerker-nonce")
    assert "inloggen hier begon" in page.locator("main").inner_text()
    assert "nonce" in SecurityEvent.objects.get(kind="idp_refused").detail
    assert not User.objects.filter(email="nonce@ggd.example").exists()


def test_expired_token_is_refused(live_server, page, settings):
    expired = Provider("--token-max-age", "-60")
    try:
        configure(settings, expired.url)
        expired.set_user("verlopen", email="verlopen@ggd.example", roles=["jgz-arts"])
        _start(page, live_server, "Inloggen met je organisatie-account")
        _authorize(page, "verlopen")
        assert "kon niet worden gecontroleerd" in page.locator("main").inner_text()
        assert not User.objects.filter(email="verlopen@ggd.example").exists()
        assert "token" in SecurityEvent.objects.get(kind="idp_refused").detail
    finally:
        expired.stop()


def test_staff_without_provider_mfa_set_up_the_portal_totp(idp, live_server, page):
    idp.set_user("zonder-mfa", email="zonder.mfa@ggd.example", roles=["jgz-verpleegkundige"])
    _start(page, live_server, "Inloggen met je organisatie-account")
    _authorize(page, "zonder-mfa")
    page.goto(live_server.url + "/medewerkers/")
    # The login through the provider counts as the recent login: no password is asked first.
    page.wait_for_url("**/accounts/2fa/totp/activate/**")
    assert page.locator("input[name=code]").count() == 1


def test_provider_down_during_the_login_gives_a_dutch_page(live_server, page, settings):
    going = Provider()
    try:
        configure(settings, going.url)
        going.set_user("weg-tijdens", acr="urn:etoegang:core:assurance-class:loa3")

        def provider_goes_down(route):
            """The provider answers the login, then goes down before the portal asks for
            the token."""
            if route.request.method != "POST":
                route.continue_()
                return
            response = route.fetch(max_redirects=0)
            going.process.kill()
            going.process.wait(timeout=5)
            route.fulfill(response=response)

        page.route(re.compile(r".*/oauth2/authorize.*"), provider_goes_down)
        _start(page, live_server, "Inloggen met DigiD")
        _authorize(page, "weg-tijdens")
        page.wait_for_url("**/login/callback/**", timeout=20000)
        assert "DigiD is nu niet bereikbaar" in page.locator("main").inner_text()
        assert "unreachable" in SecurityEvent.objects.get(kind="idp_refused").detail
    finally:
        going.stop()
