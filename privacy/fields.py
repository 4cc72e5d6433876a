"""Id lists on access-log rows: arrays with a GIN index on PostgreSQL, JSON on SQLite.

One access-log row covers a whole page or action, so it names every child, family and record it
showed. PostgreSQL stores them as arrays and answers "who looked at this child" from a GIN
index (`child_ids @> ARRAY[id]`). SQLite (`make run` only) has no arrays: there the list is
JSON text and the lookups fall back to a substring match, which is plenty for demo data.
The migrations call the same functions, so `makemigrations --check` agrees on both.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q


def on_postgresql() -> bool:
    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


def id_array(base_field: models.Field, **kwargs) -> models.Field:
    if on_postgresql():
        from django.contrib.postgres.fields import ArrayField

        return ArrayField(base_field, default=list, blank=True, **kwargs)
    return models.JSONField(default=list, blank=True, encoder=DjangoJSONEncoder, **kwargs)


def gin_indexes(prefix: str, fields: Iterable[str]) -> list:
    if not on_postgresql():
        return []
    from django.contrib.postgres.indexes import GinIndex

    return [GinIndex(fields=[name], name=f"{prefix}_{name}_gin") for name in fields]


def contains_id(field: str, value) -> Q:
    """Rows whose `field` list holds `value`."""
    if on_postgresql():
        return Q(**{f"{field}__contains": [value]})
    return Q(**{f"{field}__icontains": f'"{value}"'})


def overlaps_ids(field: str, values: Iterable) -> Q:
    """Rows whose `field` list holds any of `values` (no values: no rows)."""
    values = [str(value) for value in values]
    if not values:
        return Q(pk__in=[])
    if on_postgresql():
        return Q(**{f"{field}__overlap": values})
    condition = Q()
    for value in values:
        condition |= contains_id(field, value)
    return condition
