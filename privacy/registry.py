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
HIDDEN_FROM_FAMILY: dict[str, Callable[..., dict[str, list]]] = {}


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


def hidden_from_family(key: str):
    """`func(*, family_id) -> {record_type: [record ids]}`: records the family's parents may not
    see (a youth's own questions); their access-log rows stay off the parents' page too."""

    def register(func):
        HIDDEN_FROM_FAMILY[key] = func
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
