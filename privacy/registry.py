"""What each app holds about a family: export it (AVG art. 15/20), erase it (art. 17), retain it.

Apps contribute through three small registries, so the privacy app never needs to know another
app's internals beyond what it registers here:

- `exporter(key)` — `func(*, user, family) -> list[Section]`: rows for the download.
- `eraser(key)` — `func(*, user, family, family_removed: bool) -> dict[str, int]`: runs in the
  account-deletion transaction before the account is anonymised; returns counts for the record.
- `retention_rule(key)` — `func(*, now) -> QuerySet | None`: rows past their retention period.

The built-in contributors live in `privacy/contributors.py` (imported in `PrivacyConfig.ready`).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Section:
    """Rows about the family. Values are plain (str, int, bool, None, date, datetime); the
    zip writes them as JSON, and as a readable page with `labels` as column headings (field
    name -> translated heading) and local dates and times."""

    key: str
    title: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""
    labels: dict[str, Any] = field(default_factory=dict)


EXPORTERS: dict[str, Callable[..., list[Section]]] = {}
ERASERS: dict[str, Callable[..., dict[str, int]]] = {}
RETENTION_RULES: dict[str, Callable[..., Any]] = {}


def exporter(key: str):
    def register(func):
        EXPORTERS[key] = func
        return func

    return register


def eraser(key: str):
    def register(func):
        ERASERS[key] = func
        return func

    return register


def retention_rule(key: str):
    def register(func):
        RETENTION_RULES[key] = func
        return func

    return register
