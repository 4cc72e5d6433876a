"""List the portal's own longer Dutch texts (12 words or more) that read harder than B1.

Reads the Dutch catalogue's sources (locale/src/*.json: English msgid -> Dutch). A warning list,
not a failure: some texts (legal statements) cannot always be B1.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from kennisbank import readability

MIN_WORDS = 12


def catalogue_warnings(source_dir: Path) -> list[tuple[str, str, readability.Readability]]:
    found = []
    for path in sorted(source_dir.glob("*.json")):
        entries = json.loads(path.read_text(encoding="utf-8"))
        for dutch in entries.values():
            if not isinstance(dutch, str):
                dutch = " ".join(v for v in dutch if isinstance(v, str))  # plural forms
            result = readability.check(dutch)
            if result.words < MIN_WORDS:
                continue
            if result.above_b1 or result.long_sentences:
                found.append((path.stem, dutch, result))
    return found


class Command(BaseCommand):
    help = "Warn about Dutch catalogue texts of 12+ words that read harder than B1."

    def handle(self, *args, **options):
        warnings = catalogue_warnings(Path(settings.BASE_DIR) / "locale" / "src")
        for source, dutch, result in sorted(warnings, key=lambda w: w[2].score or 0):
            self.stdout.write(
                f"[{source}] Flesch-Douma {result.score}, {result.words} words, "
                f"long sentences {len(result.long_sentences)}: {dutch[:160]}"
            )
        self.stdout.write(
            f"{len(warnings)} texts of {MIN_WORDS}+ words harder than B1 or with long "
            f"sentences (B1: Flesch-Douma >= {settings.KENNISBANK_B1_MIN_SCORE})."
        )
