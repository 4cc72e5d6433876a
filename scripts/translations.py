"""Fill and compile the Dutch catalogue without hand-editing .po files.

    python scripts/translations.py todo            # list untranslated or fuzzy msgids
    python scripts/translations.py apply           # merge every locale/src/*.json into django.po
    python scripts/translations.py apply FILE.json # {"msgid": "nl"} or {"msgid": ["één", "meer"]}
    python scripts/translations.py compile         # write django.mo next to django.po
    python scripts/translations.py conflicts       # msgids two source files translate differently

The Dutch texts live per app in locale/src/<app>.json (English msgid -> Dutch), so people
working on different apps never edit the same file; `make messages` extracts the msgids,
merges these files in and compiles django.mo. A msgid that two files of one language translate
differently stops `apply` with the list (no file silently wins): keep one translation, in one
file.

locale/src/overrides.json replaces Django's and allauth's own Dutch where it is formal ("u",
"alstublieft"), misspelt or missing: {"django": {msgid: nl}, "djangojs": {msgid: nl}}. Its
"django" entries are added to django.po even though no project file uses the msgid (the
project catalogue wins over the apps' catalogues); "djangojs" becomes djangojs.po/.mo (the
admin's JavaScript, e.g. "Choose %s"). A key "context\u0004msgid" sets a msgctxt; a plural
entry is {"plural": msgid_plural, "nl": [one, more]}.

Other parent languages (ar, tr, pl, uk) work the same way, one folder per language:
locale/src/<lang>/<area>.json (English msgid -> translation; a plural entry is a list with the
language's number of forms: Arabic 6, Polish and Ukrainian 3-4, Turkish 2) becomes
locale/<lang>/LC_MESSAGES/django.po/.mo. Only parent-facing texts need them: locale/staff_only.txt
lists the files only staff see; their texts fall back to Dutch. locale/src/<lang>/_reviewed.json
lists the msgids a native speaker has checked ({"msgid": "who, when"}); `apply` writes
locale/<lang>/review.json, which the safety blocks read (unreviewed safety texts show the Dutch
text next to the translation).

    python scripts/translations.py todo ar         # parent-facing msgids Arabic still misses
    python scripts/translations.py pending ar      # the same as a JSON skeleton to fill in
"""

import fnmatch
import json
import re
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def todo(po: polib.POFile) -> int:
    missing = [e for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    for entry in missing:
        plural = f" | {entry.msgid_plural}" if entry.msgid_plural else ""
        print(f"{entry.msgid}{plural}    [{entry.occurrences[0][0] if entry.occurrences else ''}]")
    print(f"{len(missing)} to translate", file=sys.stderr)
    return 1 if missing else 0


SRC = PO.parents[2] / "src"
OVERRIDES = SRC / "overrides.json"
OVERRIDE_COMMENT = "Overrides the Django/allauth translation (locale/src/overrides.json)"


class ConflictError(SystemExit):
    """The same msgid with different translations in two source files of one language."""


def find_conflicts(files: list[Path]) -> dict[str, list[tuple[str, object]]]:
    """{msgid: [(file, translation), ...]} for every msgid that two files translate differently
    (the same text twice is fine)."""
    seen: dict[str, list[tuple[str, object]]] = {}
    for path in files:
        name = f"{path.parent.name}/{path.name}" if path.parent != SRC else path.name
        for msgid, value in json.loads(path.read_text(encoding="utf-8")).items():
            seen.setdefault(msgid, []).append((name, value))
    return {
        msgid: found
        for msgid, found in seen.items()
        if len({json.dumps(value, ensure_ascii=False) for _file, value in found}) > 1
    }


def conflict_report(conflicts: dict) -> str:
    lines = []
    for msgid, found in conflicts.items():
        lines.append(f"  {msgid!r}")
        lines += [f"      {name}: {value!r}" for name, value in found]
    return "\n".join(lines)


def merge_without_conflicts(files: list[Path]) -> dict:
    """All files merged into one mapping; refuses (ConflictError, with the list) when a msgid
    has different translations in two files, instead of letting the last file win."""
    conflicts = find_conflicts(files)
    if conflicts:
        raise ConflictError(
            f"{len(conflicts)} msgid(s) translated differently in two files; keep one "
            f"translation in one file:\n{conflict_report(conflicts)}"
        )
    mapping: dict = {}
    for path in files:
        mapping.update(json.loads(path.read_text(encoding="utf-8")))
    return mapping


def source_files(language: str = "nl") -> list[Path]:
    """locale/src/*.json (Dutch, without overrides.json) or locale/src/<language>/*.json
    (without _reviewed.json)."""
    if language == "nl":
        return sorted(path for path in SRC.glob("*.json") if path != OVERRIDES)
    return sorted(p for p in (SRC / language).glob("*.json") if not p.name.startswith("_"))


def load_sources(paths: list[str]) -> dict:
    return merge_without_conflicts([Path(p) for p in paths] or source_files())


def apply(po: polib.POFile, paths: list[str]) -> None:
    mapping = load_sources(paths)
    done = 0
    for entry in po:
        if entry.msgid not in mapping:
            continue
        value = mapping[entry.msgid]
        if entry.msgid_plural:
            forms = value if isinstance(value, list) else [value, value]
            entry.msgstr_plural = {0: forms[0], 1: forms[1]}
        else:
            entry.msgstr = value if isinstance(value, str) else value[0]
        # msgmerge's guess (the "#|" lines) goes with the fuzzy flag; a lone "#| msgid_plural"
        # left behind is a syntax error for the next msgmerge.
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        done += 1
    po.save()
    print(f"applied {done} of {len(mapping)}")


def _override_entry(key: str, value) -> polib.POEntry:
    context, _sep, msgid = key.rpartition("\x04")
    entry = polib.POEntry(msgid=msgid, msgctxt=context or None, comment=OVERRIDE_COMMENT)
    if isinstance(value, dict):
        entry.msgid_plural = value["plural"]
        entry.msgstr_plural = {0: value["nl"][0], 1: value["nl"][1]}
    else:
        entry.msgstr = value
    return entry


def apply_overrides(po: polib.POFile) -> None:
    """Add or update the override entries; write djangojs.po/.mo from the "djangojs" part."""
    if not OVERRIDES.exists():
        return
    data = json.loads(OVERRIDES.read_text(encoding="utf-8"))
    for key, value in data.get("django", {}).items():
        wanted = _override_entry(key, value)
        entry = po.find(wanted.msgid, msgctxt=wanted.msgctxt)
        if entry is None:
            po.append(wanted)
        else:
            entry.msgstr, entry.msgstr_plural = wanted.msgstr, wanted.msgstr_plural
            entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
    po.save()
    js = polib.POFile()
    js.metadata = {**po.metadata, "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    for key, value in data.get("djangojs", {}).items():
        js.append(_override_entry(key, value))
    js_path = PO.with_name("djangojs.po")
    js.save(str(js_path))
    js.save_as_mofile(str(js_path.with_suffix(".mo")))
    print(f"overrides: {len(data.get('django', {}))} django, {len(js)} djangojs")


# --- Other parent languages --------------------------------------------------------------------
LOCALE = PO.parents[2]
STAFF_ONLY = LOCALE / "staff_only.txt"
# The texts that must be right in every language: a parent in danger reads them. Until a native
# speaker has reviewed them, the page shows the Dutch text next to the translation.
SAFETY_FILES = (
    "templates/_partials/emergency.html",
    "templates/vragen/_emergency.html",
    "templates/vragen/alarm.html",
)
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]+\}")


def other_languages() -> list[str]:
    return sorted(path.name for path in SRC.iterdir() if path.is_dir())


def staff_only_patterns() -> list[str]:
    text = STAFF_ONLY.read_text(encoding="utf-8") if STAFF_ONLY.exists() else ""
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


GENERIC_MODELS = "*/models.py"
# `NAME = "value", _("Label")` in a TextChoices: parents see it through get_FOO_display.
CHOICE_LINE = re.compile(r"^\s*[A-Z][A-Z0-9_]* = .*_\(")


def _is_choice_label(path: str, line: str) -> bool:
    try:
        lines = (LOCALE.parent / path).read_text(encoding="utf-8").splitlines()
        number = int(line)
    except (OSError, ValueError):
        return False
    here = lines[number - 1] if number <= len(lines) else ""
    before = lines[number - 2] if number >= 2 else ""
    return bool(CHOICE_LINE.match(here) or ("_(" not in here and CHOICE_LINE.match(before)))


def is_parent_facing(entry: polib.POEntry, patterns: list[str]) -> bool:
    """Used in at least one file that a parent (or visitor) sees, or a choice label in the
    models.py of an app that is not staff-only. Overrides of the libraries' own texts have no
    occurrences: the libraries' catalogues cover them."""
    for path, line in entry.occurrences:
        matched = [pattern for pattern in patterns if fnmatch.fnmatch(path, pattern)]
        if not matched:
            return True
        if matched == [GENERIC_MODELS] and _is_choice_label(path, line):
            return True
    return False


def is_safety(entry: polib.POEntry) -> bool:
    return any(path in SAFETY_FILES for path, _line in entry.occurrences)


def key_of(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def load_language(language: str) -> tuple[dict, dict]:
    """(translations, reviewed) from locale/src/<language>/*.json and _reviewed.json."""
    folder = SRC / language
    mapping = merge_without_conflicts(source_files(language))
    reviewed_path = folder / "_reviewed.json"
    reviewed = (
        json.loads(reviewed_path.read_text(encoding="utf-8")) if reviewed_path.exists() else {}
    )
    return mapping, reviewed


def nplurals(po: polib.POFile) -> int:
    found = re.search(r"nplurals\s*=\s*(\d+)", po.metadata.get("Plural-Forms", ""))
    return int(found.group(1)) if found else 2


RTL_LANGUAGES = ("ar", "fa", "he", "ur")
# In right-to-left text a number like 0900-1515 is shown as 1515-0900 (the hyphen is a weak
# character): phone numbers are isolated as left-to-right (U+2066 ... U+2069).
_PHONE = re.compile(r"%\(\w*phone\w*\)s|\d+(?:-\d+)+")


def isolate_numbers(text: str) -> str:
    return _PHONE.sub(
        lambda m: f"\u2066{m.group(0)}\u2069", text.replace("\u2066", "").replace("\u2069", "")
    )


def apply_language(language: str) -> None:
    """Fill locale/<language>/LC_MESSAGES/django.po from locale/src/<language>/; every other
    entry is emptied (and unfuzzied) so it falls back to Dutch instead of a stale guess."""
    path = po_path(language)
    po = polib.pofile(str(path))
    mapping, reviewed = load_language(language)
    forms = nplurals(po)
    if language in RTL_LANGUAGES:
        mapping = {
            key: [isolate_numbers(v) for v in value]
            if isinstance(value, list)
            else isolate_numbers(value)
            for key, value in mapping.items()
        }
    done = 0
    for entry in po:
        value = mapping.get(key_of(entry))
        if entry.msgid_plural:
            if value is None:
                entry.msgstr_plural = {i: "" for i in range(forms)}
            else:
                values = value if isinstance(value, list) else [value]
                values = (values + [values[-1]] * forms)[:forms]
                entry.msgstr_plural = dict(enumerate(values))
        else:
            if isinstance(value, list):
                value = value[0]
            entry.msgstr = value or ""
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
        done += value is not None
    po.save()
    po.save_as_mofile(str(path.with_suffix(".mo")))
    write_review_state(language, po, reviewed)
    print(f"{language}: applied {done} of {len(mapping)}")


def write_review_state(language: str, po: polib.POFile, reviewed: dict) -> None:
    patterns = staff_only_patterns()
    parent = [e for e in po if not e.obsolete and is_parent_facing(e, patterns)]
    safety = [e for e in parent if is_safety(e)]
    state = {
        "language": language,
        "parent_facing": len(parent),
        "reviewed": sum(key_of(e) in reviewed for e in parent),
        "safety": len(safety),
        "safety_reviewed": all(key_of(e) in reviewed for e in safety),
    }
    out = LOCALE / language / "review.json"
    out.write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")


def missing_in(language: str) -> list[polib.POEntry]:
    """Parent-facing entries without a (non-fuzzy) translation in `language`."""
    patterns = staff_only_patterns()
    po = polib.pofile(str(po_path(language)))
    return [
        e
        for e in po
        if not e.obsolete
        and is_parent_facing(e, patterns)
        and (not e.translated() or "fuzzy" in e.flags)
    ]


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "todo"
    language = sys.argv[2] if len(sys.argv) > 2 and command in ("todo", "pending") else "nl"
    if language != "nl":
        missing = missing_in(language)
        if command == "pending":
            skeleton = {
                key_of(e): [e.msgid, e.msgid_plural] if e.msgid_plural else e.msgid for e in missing
            }
            print(json.dumps(skeleton, ensure_ascii=False, indent=2))
        else:
            for entry in missing:
                print(f"{entry.msgid}    [{entry.occurrences[0][0]}]")
        print(f"{len(missing)} to translate in {language}", file=sys.stderr)
        return 1 if missing else 0
    if command == "conflicts":
        found = {code: find_conflicts(source_files(code)) for code in ["nl", *other_languages()]}
        for code, conflicts in found.items():
            if conflicts:
                print(f"{code}:\n{conflict_report(conflicts)}")
        return 1 if any(found.values()) else 0
    po = polib.pofile(str(PO))
    if command == "todo":
        return todo(po)
    if command == "apply":
        if not sys.argv[2:]:
            # Every language checked before any catalogue is written.
            for code in other_languages():
                merge_without_conflicts(source_files(code))
        apply(po, sys.argv[2:])
        if not sys.argv[2:]:
            apply_overrides(po)
            for other in other_languages():
                if po_path(other).exists():
                    apply_language(other)
        po = polib.pofile(str(PO))
    po.save_as_mofile(str(PO.with_suffix(".mo")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
