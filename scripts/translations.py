"""Fill and compile the Dutch catalogue without hand-editing .po files.

    python scripts/translations.py todo            # list untranslated or fuzzy msgids
    python scripts/translations.py apply           # merge every locale/src/*.json into django.po
    python scripts/translations.py apply FILE.json # {"msgid": "nl"} or {"msgid": ["één", "meer"]}
    python scripts/translations.py compile         # write django.mo next to django.po

The Dutch texts live per app in locale/src/<app>.json (English msgid -> Dutch), so people
working on different apps never edit the same file; `make messages` extracts the msgids,
merges these files in and compiles django.mo.

locale/src/overrides.json replaces Django's and allauth's own Dutch where it is formal ("u",
"alstublieft"), misspelt or missing: {"django": {msgid: nl}, "djangojs": {msgid: nl}}. Its
"django" entries are added to django.po even though no project file uses the msgid (the
project catalogue wins over the apps' catalogues); "djangojs" becomes djangojs.po/.mo (the
admin's JavaScript, e.g. "Choose %s"). A key "context\u0004msgid" sets a msgctxt; a plural
entry is {"plural": msgid_plural, "nl": [one, more]}.
"""

import json
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


def load_sources(paths: list[str]) -> dict:
    files = [Path(p) for p in paths] or sorted(
        path for path in SRC.glob("*.json") if path != OVERRIDES
    )
    mapping: dict = {}
    for path in files:
        mapping.update(json.loads(path.read_text(encoding="utf-8")))
    return mapping


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


def main() -> int:
    po = polib.pofile(str(PO))
    command = sys.argv[1] if len(sys.argv) > 1 else "todo"
    if command == "todo":
        return todo(po)
    if command == "apply":
        apply(po, sys.argv[2:])
        if not sys.argv[2:]:
            apply_overrides(po)
        po = polib.pofile(str(PO))
    po.save_as_mofile(str(PO.with_suffix(".mo")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
