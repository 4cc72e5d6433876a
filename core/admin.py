"""Admin changelists that stay fast on tables of millions of rows (access log, outbox, ...).

Django's changelist counts the whole table twice per page (`COUNT(*)` for "x of y" and for
the paginator), `date_hierarchy` reads the first and last dates and the distinct years or
months, and a `search_fields` entry like "email" becomes `UPPER(email) LIKE '%...%'`: each
a sequential scan of the table. `LargeTableAdmin` avoids all three:

- `show_full_result_count = False` and `EstimatedCountPaginator`: an unfiltered list takes
  PostgreSQL's own row estimate (`pg_class.reltuples`, kept by autovacuum's ANALYZE; summed
  over the partitions of a partitioned table), a filtered list counts at most
  `COUNT_CAP` + 1 rows;
- no `date_hierarchy`;
- `exact_search_fields`: the search box matches those columns exactly (each has a btree
  index), instead of `search_fields`' substring match.
"""

from functools import cached_property

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Q

# Below this many rows (by the estimate) the count is exact: small tables stay precise.
ESTIMATE_FROM_ROWS = 10_000
# A filtered list counts at most this many matching rows (then "10000" pages of 100 are shown).
COUNT_CAP = 10_000


def estimated_rows(model, using: str = "default") -> int | None:
    """PostgreSQL's estimate of a table's rows (partitions summed); None elsewhere or unknown."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    table = model._meta.db_table
    with connection.cursor() as cursor:
        # A partitioned table's own figure is not kept by autovacuum: sum its partitions.
        cursor.execute(
            "SELECT SUM(c.reltuples)::bigint FROM pg_class c WHERE c.reltuples >= 0 AND"
            " ((c.oid = to_regclass(%s) AND c.relkind <> 'p') OR c.oid IN"
            " (SELECT inhrelid FROM pg_inherits WHERE inhparent = to_regclass(%s)))",
            [table, table],
        )
        row = cursor.fetchone()
    return None if row is None or row[0] is None else int(row[0])


class EstimatedCountPaginator(Paginator):
    """A paginator that never counts a whole large table (see the module docstring)."""

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if query is None:
            return super().count
        if not query.where:
            estimate = estimated_rows(queryset.model, queryset.db)
            if estimate is not None and estimate >= ESTIMATE_FROM_ROWS:
                return estimate
        return queryset.order_by()[: COUNT_CAP + 1].count()


class LargeTableAdmin(admin.ModelAdmin):
    """Base for the changelists of tables that grow with the region (see module docstring).

    Subclasses name `exact_search_fields`: columns the search box matches exactly, each with a
    btree index (a term is tried as typed and in lower case: e-mail addresses are stored in
    lower case). A term that is no valid value for a column (text for a number) skips it.
    """

    show_full_result_count = False
    paginator = EstimatedCountPaginator
    date_hierarchy = None
    exact_search_fields: tuple[str, ...] = ()
    # Columns matched by part (`icontains`): only those with a trigram index on
    # upper(column) (see families/migrations/0007), which serves that very expression.
    contains_search_fields: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # The changelist shows its search box when search_fields is set; the matching is ours.
        cls.search_fields = (*cls.exact_search_fields, *cls.contains_search_fields)

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        condition = Q(pk__in=[])
        for path in self.exact_search_fields:
            field = _final_field(self.model, path)
            for value in {term, term.lower()}:
                try:
                    field.to_python(value)
                except ValidationError:
                    continue
                condition |= Q(**{path: value})
        for path in self.contains_search_fields:
            if len(term) >= 3:  # shorter terms have no trigram to look up
                condition |= Q(**{f"{path}__icontains": term})
        # A match through a relation (a family's parents) could list a row twice.
        return queryset.filter(condition), any("__" in path for path in self.search_fields)


def _final_field(model, path: str):
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.get_field(name)
