"""Record that a native speaker reviewed translations of the portal's interface.

    python manage.py review_translations ar                       # what is (not) reviewed
    python manage.py review_translations ar --by "Fatima B." --safety
    python manage.py review_translations ar --by "Fatima B." --msgid "Call now" --msgid "Call 112"
    python manage.py review_translations ar --by "Fatima B." --all

Writes locale/src/<lang>/_reviewed.json ({"msgid": "who, date"}) and locale/<lang>/review.json,
so the change is committed like any translation. Once every safety text of a language is
reviewed, its "Bel nu" and emergency blocks stop showing the Dutch text next to the translation.
"""

import importlib.util
import json
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core import languages


def _translations_module():
    """scripts/translations.py (the `make messages` helper), pointed at the portal's locale."""
    path = Path(settings.BASE_DIR) / "scripts" / "translations.py"
    spec = importlib.util.spec_from_file_location("translations", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    locale = Path(settings.LOCALE_PATHS[0])
    module.LOCALE, module.SRC = locale, locale / "src"
    module.STAFF_ONLY, module.PO = locale / "staff_only.txt", locale / "nl/LC_MESSAGES/django.po"
    return module


class Command(BaseCommand):
    help = "Mark translations of a parent language as reviewed by a native speaker."

    def add_arguments(self, parser):
        parser.add_argument("language")
        parser.add_argument("--by", default="", help="who reviewed (name of the native speaker)")
        parser.add_argument("--msgid", action="append", default=[], help="one English msgid")
        parser.add_argument("--safety", action="store_true", help="all safety texts")
        parser.add_argument(
            "--all", dest="everything", action="store_true", help="every parent-facing text"
        )

    def handle(self, *args, language, by, msgid, safety, everything, **options):
        tr = _translations_module()
        if language not in tr.other_languages():
            raise CommandError(f"No catalogue folder locale/src/{language}/")
        po = polib.pofile(str(tr.po_path(language)))
        patterns = tr.staff_only_patterns()
        parent = [e for e in po if not e.obsolete and tr.is_parent_facing(e, patterns)]
        chosen = [tr.key_of(e) for e in parent if everything or (safety and tr.is_safety(e))]
        known = {tr.key_of(e) for e in parent}
        unknown = [m for m in msgid if m not in known]
        if unknown:
            raise CommandError(f"Not a parent-facing msgid: {unknown[0]!r}")
        chosen += msgid
        path = tr.SRC / language / "_reviewed.json"
        reviewed = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        if chosen:
            if not by.strip():
                raise CommandError("Say who reviewed: --by NAME")
            stamp = f"{by.strip()}, {timezone.localdate().isoformat()}"
            reviewed.update({key: stamp for key in chosen})
            path.write_text(
                json.dumps(reviewed, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                encoding="utf-8",
            )
        tr.write_review_state(language, po, reviewed)
        languages.review_state.cache_clear()
        state = languages.review_state(language)
        self.stdout.write(
            f"{language}: {state['reviewed']} of {state['parent_facing']} parent texts reviewed; "
            f"safety texts {'reviewed' if state['safety_reviewed'] else 'NOT yet reviewed'}"
        )
