"""Fill and compile the Dutch catalogue without hand-editing .po files.

    python scripts/translations.py todo            # list untranslated or fuzzy msgids
    python scripts/translations.py apply           # merge every locale/src/*.json into django.po
    python scripts/translations.py apply FILE.json # {"msgid": "nl"} or {"msgid": ["één", "meer"]}
    python scripts/translations.py compile         # write django.mo next to django.po

The Dutch texts live per app in locale/src/<app>.json (English msgid -> Dutch), so people
working on different apps never edit the same file; `make messages` extracts the msgids,
merges these files in and compiles django.mo.
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


def load_sources(paths: list[str]) -> dict:
    files = [Path(p) for p in paths] or sorted((PO.parents[2] / "src").glob("*.json"))
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
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = None
        done += 1
    po.save()
    print(f"applied {done} of {len(mapping)}")


def main() -> int:
    po = polib.pofile(str(PO))
    command = sys.argv[1] if len(sys.argv) > 1 else "todo"
    if command == "todo":
        return todo(po)
    if command == "apply":
        apply(po, sys.argv[2:])
        po = polib.pofile(str(PO))
    po.save_as_mofile(str(PO.with_suffix(".mo")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
