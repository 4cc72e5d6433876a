"""Which languages a person may see and which language their mail is written in.

Parents (and visitors) get every language in settings.PARENT_LANGUAGES; staff pages stay
within settings.STAFF_LANGUAGES. A parent's choice is stored on the account
(`User.preferred_language`) so e-mails and text messages sent later, by a worker without a
request, are rendered in that language (`language_of`).
"""

import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language, get_language_info

# Each language named in itself, as its speakers write it (Django's own list has "العربيّة" with
# a shadda and a lowercase "polski").
LOCAL_NAMES = {
    "nl": "Nederlands",
    "en": "English",
    "ar": "العربية",
    "tr": "Türkçe",
    "pl": "Polski",
    "uk": "Українська",
}


def languages_for(user) -> list[str]:
    if user is not None and user.is_authenticated and user.is_jgz_staff:
        return list(settings.STAFF_LANGUAGES)
    return list(settings.PARENT_LANGUAGES)


def language_of(user) -> str:
    """The language to write to this person in (mails, SMS): their choice, else the default."""
    code = getattr(user, "preferred_language", "") or ""
    return code if code in languages_for(user) else settings.LANGUAGE_CODE


def switch_choices(user) -> list[dict]:
    """The language switch's options, each named in itself ("العربية", "Türkçe")."""
    choices = []
    for code in languages_for(user):
        info = get_language_info(code)
        name = LOCAL_NAMES.get(code, info["name_local"])
        choices.append({"code": code, "name": name, "bidi": info["bidi"]})
    return choices


@lru_cache(maxsize=16)
def review_state(language: str) -> dict:
    """locale/<language>/review.json, written by `make messages` from the review file
    locale/src/<language>/_reviewed.json: how many parent texts a native speaker checked."""
    for root in settings.LOCALE_PATHS:
        path = Path(root) / language / "review.json"
        if path.exists():
            return json.loads(path.read_text(encoding="utf-8"))
    return {}


def safety_needs_dutch(language: str | None = None) -> bool:
    """Safety texts ("Bel nu", the emergency block) in a translation no native speaker has
    reviewed yet are shown with the Dutch text (and its phone numbers) next to them."""
    language = language or get_language() or settings.LANGUAGE_CODE
    if language in (settings.LANGUAGE_CODE, "en"):
        return False
    return not review_state(language).get("safety_reviewed", False)


# Languages a parent can ask an interpreter for (at booking, or with the questions before a
# check-up): each named in itself, with the English name for the nurse who books the interpreter.
INTERPRETER_LANGUAGES = [
    ("ar", "العربية (Arabic)"),
    ("tr", "Türkçe (Turkish)"),
    ("pl", "Polski (Polish)"),
    ("uk", "Українська (Ukrainian)"),
    ("en", "English"),
    ("ti", "ትግርኛ (Tigrinya)"),
    ("so", "Soomaali (Somali)"),
    ("fa", "فارسی (Farsi)"),
    ("prs", "دری (Dari)"),
    ("ku", "Kurdî (Kurdish)"),
    ("ber", "Tamaziɣt (Berber)"),
    ("ru", "Русский (Russian)"),
    ("ro", "Română (Romanian)"),
    ("bg", "Български (Bulgarian)"),
    ("es", "Español (Spanish)"),
    ("pt", "Português (Portuguese)"),
    ("zh", "中文 (Chinese)"),
    ("ngt", "Nederlandse Gebarentaal (NGT)"),
]
INTERPRETER_NAMES = dict(INTERPRETER_LANGUAGES)


def keep_latest_choice(sender, request, user, **kwargs):
    """On login: a language chosen in the switch before logging in (the cookie is only set by
    the switch) is the parent's latest choice, so it replaces the stored one."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen and chosen != user.preferred_language and chosen in languages_for(user):
        if not user.is_jgz_staff:
            user.preferred_language = chosen
            user.save(update_fields=["preferred_language"])
