"""Dutch with "je" everywhere: Django's, allauth's and django-celery-beat's own Dutch is formal
("Uw wachtwoord…", "Voer alstublieft…"), misspelt ("Bevestigings e-mail") or missing (the admin's
"Choose %s", the "Periodic tasks" section). The project catalogue overrides them
(locale/src/overrides.json); these tests scan those catalogues for what parents and staff see."""

import re
from pathlib import Path

import allauth
import django
import django_celery_beat
import polib
import pytest
from django.utils import translation

FORMAL = re.compile(r"\b(u|U|uw|Uw|alstublieft|Alstublieft|a\.u\.b\.)\b")
MISSPELT = re.compile(
    r"e-mail adres|verificatie e-mail|Bevestigings e-mail|email adres|e-emailadres|onmiddelijk"
    r"|Je ontvang |You kunt|twee-factor"
)
SEEN_BY_PEOPLE = ("account/", "mfa/", "templates/account", "templates/mfa", "templates/allauth")


def _catalogue(package, domain="django", language="en") -> polib.POFile:
    path = Path(package.__file__).parent / "locale" / language / "LC_MESSAGES" / f"{domain}.po"
    return polib.pofile(str(path))


def _dutch(entry) -> list[str]:
    with translation.override("nl"):
        if entry.msgid_plural:
            return [translation.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
        if entry.msgctxt:
            return [translation.pgettext(entry.msgctxt, entry.msgid)]
        return [translation.gettext(entry.msgid)]


def _entries():
    allauth_po = _catalogue(allauth)
    for entry in allauth_po:
        if any(o.startswith(SEEN_BY_PEOPLE) for o, _line in entry.occurrences):
            yield "allauth", entry
    django_root = Path(django.__file__).parent
    for part in ("conf", "contrib/auth", "contrib/admin"):
        path = django_root / part / "locale/en/LC_MESSAGES/django.po"
        for entry in polib.pofile(str(path)):
            yield part, entry


def test_no_formal_or_misspelt_dutch_from_django_or_allauth():
    offenders = [
        f"{source}: {entry.msgid[:60]!r} -> {text[:80]!r}"
        for source, entry in _entries()
        if not entry.obsolete
        for text in _dutch(entry)
        if FORMAL.search(text) or MISSPELT.search(text)
    ]
    # Django's debug and CSRF pages are never shown: DEBUG is off and the portal has its own.
    offenders = [o for o in offenders if "Referer" not in o and "referrer" not in o]
    offenders = [o for o in offenders if "DEBUG" not in o]
    offenders = [o for o in offenders if "You are seeing this" not in o and "cookies" not in o]
    assert offenders == [], "\n".join(offenders)


def test_password_rules_say_je():
    from django.contrib.auth.password_validation import password_validators_help_texts

    with translation.override("nl"):
        texts = " ".join(password_validators_help_texts())
    assert "Je wachtwoord" in texts and not FORMAL.search(texts)


# Identical in both languages: not a missing translation.
SAME_IN_DUTCH = {"interval", "Exchange", "Home"}


def test_periodic_tasks_section_of_the_admin_is_dutch():
    beat = Path(django_celery_beat.__file__).parent
    msgids = {e.msgid for e in polib.pofile(str(beat / "locale/de/LC_MESSAGES/django.po"))}
    source = "\n".join(p.read_text() for p in beat.glob("*.py"))
    msgids = {m for m in msgids if m in source and m not in SAME_IN_DUTCH}
    with translation.override("nl"):
        english = sorted(m for m in msgids if translation.gettext(m) == m)
    assert english == []


@pytest.mark.django_db
def test_admin_javascript_catalogue_is_dutch(client, manager):
    client.force_login(manager)
    js = client.get("/admin/jsi18n/").content.decode()
    assert "Alle %s kiezen" in js and "Kies %s door ze te selecteren" in js


@pytest.mark.django_db
def test_admin_user_pages_have_no_english_help_text(client, manager):
    client.force_login(manager)
    html = client.get("/admin/accounts/user/add/").content.decode()
    assert "After you’ve created a user" not in html
    assert "Na het aanmaken van de gebruiker" in html
    index = client.get("/admin/").content.decode()
    assert "Periodic Tasks" not in index and "Geplande taken" in index
    assert "Model name" not in index
