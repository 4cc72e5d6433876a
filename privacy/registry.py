"""What each app holds about a family: export it (AVG art. 15/20), erase it (art. 17), retain it,
and which of its admin pages show family data (NEN 7513 logging).

Every app registers its own part in a `privacy_data.py` module, which `PrivacyConfig.ready`
discovers (as the admin discovers `admin.py`); the privacy app itself imports no other app's
models. `tests/privacy/test_registry.py` fails when an app that holds family data registers
nothing, so a new app cannot be forgotten.

- `exporter(key)` — `func(*, user, family) -> list[Section]`: rows for the download.
- `eraser(key)` — `func(*, user, family, family_removed: bool) -> dict[str, int]`: runs in the
  account-deletion transaction before the account is anonymised; returns counts for the record.
- `retention_rule(key)` — `func(*, now) -> QuerySet | None`: rows past their retention period.
- `hidden_from_family(key)` — `func(*, family_id) -> {record_type: [ids]}`: records the parents
  may not see (a youth's own questions), kept off their access-log page too.
- `family_data(label, family=..., child=...)`: the model's rows are family data; the admin logs
  every page of them (privacy/admin_logging.py).
"""

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.text import capfirst


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


def plain(value):
    """Plain values for both files of the download; dates stay dates (shown in local time)."""
    if value is None or isinstance(value, (bool, int, float, str, date)):
        return value
    return str(value)


def rows_of(queryset, fields: list[str]) -> list[dict]:
    """Rows of model fields; a field with choices gives its label, never the stored code."""
    model_fields = {name: queryset.model._meta.get_field(name) for name in fields}
    choices = {name: dict(f.flatchoices) for name, f in model_fields.items() if f.choices}
    return [
        {
            name: str(choices[name].get(row[name], row[name]))
            if name in choices
            else plain(row[name])
            for name in fields
        }
        for row in queryset.values(*fields)
    ]


def labels_of(model, fields: list[str]) -> dict:
    return {name: capfirst(model._meta.get_field(name).verbose_name) for name in fields}


# The module that registered each part, to tell which apps contribute.
CONTRIBUTORS: set[str] = set()

EXPORTERS: dict[str, Callable[..., list[Section]]] = {}
ERASERS: dict[str, Callable[..., dict[str, int]]] = {}
RETENTION_RULES: dict[str, Callable[..., Any]] = {}
HIDDEN_FROM_FAMILY: dict[str, Callable[..., dict[str, list]]] = {}


def exporter(key: str):
    def register(func):
        EXPORTERS[key] = func
        CONTRIBUTORS.add(func.__module__)
        return func

    return register


def eraser(key: str):
    def register(func):
        ERASERS[key] = func
        CONTRIBUTORS.add(func.__module__)
        return func

    return register


def retention_rule(key: str):
    def register(func):
        RETENTION_RULES[key] = func
        CONTRIBUTORS.add(func.__module__)
        return func

    return register


def hidden_from_family(key: str):
    """`func(*, family_id) -> {record_type: [record ids]}`: records the family's parents may not
    see (a youth's own questions); their access-log rows stay off the parents' page too."""

    def register(func):
        HIDDEN_FROM_FAMILY[key] = func
        CONTRIBUTORS.add(func.__module__)
        return func

    return register


# --- Family data in the admin ---------------------------------------------------------------------
@dataclass(frozen=True)
class FamilyData:
    """How to find the families and children behind rows of one model.

    `family` and `child` are lookup paths from the model to a family id and a child id (e.g.
    "question__family_id"), or functions `func(queryset) -> iterable of ids` for models that
    reach a family another way (an e-mail address).
    """

    family: str | Callable[[Any], Any]
    child: str | Callable[[Any], Any] | None = None


FAMILY_DATA: dict[str, FamilyData] = {}


def family_data(label: str, *, family, child=None) -> None:
    """Declare that `label`'s rows are a family's data: the admin logs every page of them."""
    FAMILY_DATA[label] = FamilyData(family=family, child=child)
    CONTRIBUTORS.add(sys._getframe(1).f_globals["__name__"])


def _ids(queryset, path) -> list:
    if path is None:
        return []
    values = path(queryset) if callable(path) else queryset.values_list(path, flat=True)
    return [value for value in values if value is not None]


def family_scope(label: str, queryset) -> tuple[list, list]:
    """(family ids, child ids) behind the rows of `queryset` (empty for other models)."""
    spec = FAMILY_DATA.get(label)
    if spec is None:
        return [], []
    return _ids(queryset, spec.family), _ids(queryset, spec.child)


def contributing_apps() -> set[str]:
    """Labels of the apps that registered any part here (from their privacy_data modules)."""
    return {module.split(".")[0] for module in CONTRIBUTORS}
