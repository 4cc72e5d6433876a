"""The gettext catalogues of the parent languages: every parent-facing text translated (not
fuzzy), placeholders and plural forms intact, safety texts present in every language."""

import importlib.util
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("translations", ROOT / "scripts/translations.py")
translations = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(translations)

LANGUAGES = [code for code in settings.PARENT_LANGUAGES if code not in ("nl", "en")]
# A missing or fuzzy parent-facing translation fails (False would only report it as xfail);
# safety texts, placeholders and plural forms are always strict.
STRICT = True
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]")


def _po(language: str) -> polib.POFile:
    return polib.pofile(str(translations.po_path(language)))


def test_every_parent_language_has_a_catalogue_folder():
    assert sorted(translations.other_languages()) == sorted(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_parent_facing_text_is_translated(language):
    missing = translations.missing_in(language)
    if missing and not STRICT:
        pytest.xfail(f"{len(missing)} parent-facing texts not yet in {language}")
    assert not missing, (
        f"{len(missing)} parent-facing texts lack a {language} translation (add them to "
        f"locale/src/{language}/*.json, then `make messages`; list: "
        f"`python scripts/translations.py todo {language}`): "
        + "; ".join(e.msgid[:60] for e in missing[:10])
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_safety_texts_exist_in_every_language(language):
    safety = [e for e in _po(language) if translations.is_safety(e)]
    assert len(safety) >= 20
    assert all(e.translated() and "fuzzy" not in e.flags for e in safety)


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_placeholders_and_plural_forms(language):
    po = _po(language)
    forms = translations.nplurals(po)
    broken = []
    for entry in po:
        if not entry.translated():
            continue
        wanted = set(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
        if entry.msgid_plural:
            assert len(entry.msgstr_plural) == forms, entry.msgid
            for text in entry.msgstr_plural.values():
                # A form may drop the number ("one minute") but never invent a placeholder.
                if not set(PLACEHOLDER.findall(text)) <= wanted:
                    broken.append(entry.msgid)
        elif set(PLACEHOLDER.findall(entry.msgstr)) != wanted:
            broken.append(entry.msgid)
    assert not broken, broken[:5]


def test_arabic_has_six_plural_forms():
    assert translations.nplurals(_po("ar")) == 6


def test_staff_only_texts_need_no_translation():
    """Staff pages are Dutch/English: their texts may stay empty (they show in Dutch)."""
    patterns = translations.staff_only_patterns()
    po = _po("tr")
    staff_only = [e for e in po if e.occurrences and not translations.is_parent_facing(e, patterns)]
    assert staff_only, "locale/staff_only.txt no longer matches any file"


def test_reviewing_the_safety_texts_stops_showing_dutch_next_to_them(tmp_path, settings):
    """The review command on a copy of the locale folder (the real one stays as it is)."""
    import shutil

    from django.core.management import call_command

    from core import languages

    copy = tmp_path / "locale"
    shutil.copytree(ROOT / "locale", copy)
    settings.LOCALE_PATHS = [copy]
    languages.review_state.cache_clear()
    try:
        assert languages.safety_needs_dutch("pl")
        call_command("review_translations", "pl", "--by", "Test reviewer", "--safety")
        assert not languages.safety_needs_dutch("pl")
        assert languages.safety_needs_dutch("uk")
        reviewed = (copy / "src" / "pl" / "_reviewed.json").read_text(encoding="utf-8")
        assert '"Call now": "Test reviewer, ' in reviewed
    finally:
        languages.review_state.cache_clear()


@pytest.mark.parametrize("language", ["nl", *LANGUAGES])
def test_no_msgid_has_two_different_translations_in_the_source_files(language):
    conflicts = translations.find_conflicts(translations.source_files(language))
    assert not conflicts, (
        "translated differently in two files of locale/src (keep one translation, in one "
        f"file):\n{translations.conflict_report(conflicts)}"
    )


def test_make_messages_refuses_a_conflict_with_the_list(tmp_path):
    first, second, same = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "c.json"
    first.write_text('{"created at": "gemaakt op", "Save": "Opslaan"}', encoding="utf-8")
    second.write_text('{"created at": "aangemaakt op"}', encoding="utf-8")
    same.write_text('{"Save": "Opslaan"}', encoding="utf-8")  # the same text twice is fine
    assert translations.merge_without_conflicts([first, same]) == {
        "created at": "gemaakt op",
        "Save": "Opslaan",
    }
    with pytest.raises(translations.ConflictError) as refused:
        translations.merge_without_conflicts([first, second, same])
    message = str(refused.value)
    assert "'created at'" in message and "gemaakt op" in message and "aangemaakt op" in message
    assert "Save" not in message
