"""The accessibility statement (Dutch model) and the privacy statement: public, linked from
every footer, in B1 Dutch with "je", with the organisation's details from the settings."""

import re
from html import unescape

import pytest
from django.urls import reverse


def _visible_text(html: str) -> str:
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main.split(">", 1)[1])))


@pytest.mark.django_db
def test_accessibility_statement_follows_the_dutch_model(client, settings):
    settings.ACCESSIBILITY_STATEMENT_DATE = "2026-11-20"
    settings.ORGANISATION_CONTACT_EMAIL = "toegankelijk@ggd.example"
    response = client.get(reverse("accessibility_statement"))
    assert response.status_code == 200
    text = _visible_text(response.content.decode())
    for part in (
        "Toegankelijkheidsverklaring",
        "eerste maatregelen genomen",  # the compliance status of the model statement
        "EN 301 549",
        "WCAG 2.1",
        "toegankelijk@ggd.example",  # where to report a problem
        "Nationale ombudsman",  # where to go with a complaint
        "20 november 2026",  # when the statement was checked
    ):
        assert part in text, part


@pytest.mark.django_db
def test_privacy_statement_says_what_why_how_long_rights_and_who(client, settings):
    settings.PRIVACY_OFFICER_NAME = "Mw. A. de Wit, functionaris gegevensbescherming"
    settings.PRIVACY_OFFICER_EMAIL = "fg@ggd.example"
    settings.RETENTION_CLOSED_QUESTIONS_DAYS = 400
    response = client.get(reverse("privacy_statement"))
    assert response.status_code == 200
    text = _visible_text(response.content.decode())
    for part in (
        "Welke gegevens gebruiken we?",
        "Waarom gebruiken we ze?",
        "Hoe lang we je gegevens bewaren",
        "400 dagen",
        "Je rechten",
        "Mw. A. de Wit, functionaris gegevensbescherming",
        "fg@ggd.example",
        "Autoriteit Persoonsgegevens",
    ):
        assert part in text, part


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["accessibility_statement", "privacy_statement"])
def test_statements_are_b1_dutch_with_je(client, name):
    text = _visible_text(client.get(reverse(name)).content.decode())
    assert not re.search(r"\b(u|uw|U|Uw|alstublieft)\b", text)
    sentences = [s for s in re.split(r"(?<=[.?!:])\s+", text) if len(s.split()) > 2]
    words = sum(len(s.split()) for s in sentences)
    # B1: short sentences (plain-language guides aim for about 10-15 words on average).
    assert words / len(sentences) <= 15, words / len(sentences)


@pytest.mark.django_db
def test_every_footer_links_both_statements(client, parent, nurse):
    from django.test import Client

    pages = [(client, reverse("home")), (client, reverse("account_login"))]
    parent_client, nurse_client = Client(), Client()
    parent_client.force_login(parent)
    nurse_client.force_login(nurse)
    pages += [(parent_client, reverse("families:home")), (nurse_client, reverse("staff_home"))]
    pages += [(client, "/bestaat-niet/")]
    for visitor, path in pages:
        html = visitor.get(path).content.decode()
        footer = html.split('<footer class="portal-footer', 1)[1]
        assert f'href="{reverse("privacy_statement")}"' in footer, path
        assert f'href="{reverse("accessibility_statement")}"' in footer, path


def test_language_cookie_is_secure_and_httponly_in_production():
    from tests.security.test_hardening import PRODUCTION_ENV, _manage

    code = (
        "from django.conf import settings as s;"
        "print('RESULT', s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_HTTPONLY)"
    )
    result = _manage("shell", "-c", code, env_extra=PRODUCTION_ENV)
    line = next(x for x in result.stdout.splitlines() if x.startswith("RESULT"))
    assert line.split()[1:] == ["True", "True"], result.stderr


@pytest.mark.django_db
def test_language_switch_sets_a_secure_httponly_cookie(client, settings):
    settings.LANGUAGE_COOKIE_SECURE = True
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie["secure"] and cookie["httponly"]
