"""Reads of the figures: tables built from the aggregate tables only (never the raw rows),
scoped to the actor: managers see every team, professionals only their own teams'.

Each table is a list of rows with `display.Value`s, so the page, the CSV and the chart show
the same numbers after the same small-number rule.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Max, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cijfers import display
from cijfers.display import Value
from cijfers.models import (
    AppointmentDay,
    EditionFigure,
    NewsletterDay,
    Part,
    QuestionDay,
    ReachDay,
    SlotDay,
    SubscriberCount,
    SurveyAnswer,
    TimeOfDay,
)

# --- Scope and filters ------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    # None: every team (managers); else only these teams (a professional's own).
    team_ids: frozenset | None = None
    wijk_id: object = None
    compare: bool = False

    def previous(self) -> "Filters":
        length = (self.end - self.start).days + 1
        return replace(
            self,
            start=self.start - timedelta(days=length),
            end=self.start - timedelta(days=1),
            compare=False,
        )


def sees_all_teams(user) -> bool:
    from accounts.roles import Capability

    return user.has_capability(Capability.ADMIN)


def allowed_team_ids(user) -> frozenset | None:
    """None for managers (every team); else the teams the professional works in."""
    from teams.selectors import team_ids_of

    return None if sees_all_teams(user) else team_ids_of(user)


def list_filter_teams(user):
    from teams.selectors import list_teams, list_teams_of

    return list_teams() if sees_all_teams(user) else list_teams_of(user)


def list_filter_wijken(user):
    from teams.models import Wijk

    wijken = Wijk.objects.all()
    scope = allowed_team_ids(user)
    return wijken if scope is None else wijken.filter(team_id__in=scope)


def _scoped(qs: QuerySet, f: Filters, *, date_field: str = "day", wijk: bool = True) -> QuerySet:
    qs = qs.filter(**{f"{date_field}__gte": f.start, f"{date_field}__lte": f.end})
    if f.team_ids is not None:
        qs = qs.filter(team_id__in=list(f.team_ids))
    if wijk and f.wijk_id:
        qs = qs.filter(wijk_id=f.wijk_id)
    return qs


# --- Tables -----------------------------------------------------------------------------------


@dataclass
class Column:
    key: str
    label: str


@dataclass
class Table:
    key: str
    title: str
    how_to_read: str
    group_label: str
    columns: list[Column]
    rows: list[tuple[str, list[Value]]] = field(default_factory=list)
    chart_column: str = ""
    # Filters that do not apply to this table (said under it).
    note: str = ""

    @property
    def chart_index(self) -> int:
        keys = [c.key for c in self.columns]
        return keys.index(self.chart_column) if self.chart_column in keys else -1

    def chart_points(self) -> list[tuple[str, float | None]]:
        i = self.chart_index
        return [(label, values[i].number) for label, values in self.rows] if i >= 0 else []


Grouped = dict[object, dict[str, Value]]


def _merge(
    table: Table, current: Grouped, previous: Grouped | None, labels: Callable[[object], str]
) -> Table:
    """Rows in the order of `current` then any group only in `previous`; with a previous
    period, each column gets a neighbour with the same figure for that period."""
    keys = list(current)
    if previous is not None:
        keys += [k for k in previous if k not in current]
        table.columns = [
            col
            for c in table.columns
            for col in (
                c,
                Column(f"{c.key}_previous", _("%(label)s (previous period)") % {"label": c.label}),
            )
        ]
    for key in keys:
        now = current.get(key, {})
        values = []
        for col in table.columns:
            if col.key.endswith("_previous"):
                values.append(
                    (previous or {})
                    .get(key, {})
                    .get(col.key[: -len("_previous")], display.Value("–"))
                )
            else:
                values.append(now.get(col.key, display.Value("–")))
        table.rows.append((labels(key), values))
    return table


def _build(table: Table, f: Filters, compute: Callable[[Filters], Grouped], labels) -> Table:
    return _merge(table, compute(f), compute(f.previous()) if f.compare else None, labels)


QUESTION_GROUPS = ("topic_id", "urgency", "team_id", "is_alarm", "alarm_rule_name")


def _where(qs: QuerySet) -> tuple[str, list]:
    """The WHERE clause of `qs` (columns named by table), to reuse in hand-written SQL."""
    compiler = qs.query.get_compiler(using=qs.db)
    sql, params = compiler.compile(qs.query.where)
    return sql, list(params)


def _question_groups(f: Filters) -> dict[str, Grouped]:
    """Every question table of a period in two scans: sums, and the median and 90th
    percentile (nearest rank) of the answer minutes, each per topic, urgency, team and alarm
    (GROUPING SETS: one pass over the period's rows instead of one per table)."""
    out: dict[str, Grouped] = {g: {} for g in QUESTION_GROUPS}
    try:
        where, params = _where(_scoped(QuestionDay.objects.all(), f))
    except EmptyResultSet:  # e.g. a professional without a team: nothing to count
        return out
    cols = ", ".join(QUESTION_GROUPS)
    flags = ", ".join(f"GROUPING({g})" for g in QUESTION_GROUPS)
    sets = ", ".join(f"({g})" for g in QUESTION_GROUPS)
    table = QuestionDay._meta.db_table
    sums_sql = (
        f"SELECT {cols}, {flags}, sum(asked), sum(due), sum(in_time), sum(feedback), "  # noqa: S608
        f"sum(not_helped) FROM {table} WHERE {where} GROUP BY GROUPING SETS ({sets})"
    )
    quantile_sql = (
        f"SELECT {cols}, {flags}, percentile_disc(0.5) WITHIN GROUP (ORDER BY m), "  # noqa: S608
        "percentile_disc(0.9) WITHIN GROUP (ORDER BY m), count(m) "
        f"FROM {table} CROSS JOIN LATERAL unnest(answer_minutes) AS m "
        f"WHERE {where} GROUP BY GROUPING SETS ({sets})"
    )
    n = len(QUESTION_GROUPS)

    def rows(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for row in cursor.fetchall():
                group = next(g for i, g in enumerate(QUESTION_GROUPS) if row[n + i] == 0)
                yield group, row[QUESTION_GROUPS.index(group)], row[2 * n :]

    quantiles = {(g, key): values for g, key, values in rows(quantile_sql)}
    for group, key, (asked, due, in_time, feedback, not_helped) in rows(sums_sql):
        p50, p90, answers = quantiles.get((group, key), (None, None, 0))
        out[group][key] = {
            "asked": display.count(asked),
            "in_time": display.share(in_time, due),
            "median": display.hours(p50, answers),
            "p90": display.hours(p90, answers),
            "not_helped": display.share(not_helped, feedback),
        }
    for group in out:
        out[group] = dict(sorted(out[group].items(), key=lambda kv: (kv[0] is None, str(kv[0]))))
    return out


def _question_figures(group: str, cache: dict):
    def compute(f: Filters) -> Grouped:
        if f not in cache:
            cache[f] = _question_groups(f)
        return cache[f][group]

    return compute


def _alarm_figures(cache: dict):
    """All alarm questions, then one row per alarm rule that fired (by its name then)."""

    def compute(f: Filters) -> Grouped:
        if f not in cache:
            cache[f] = _question_groups(f)
        total = cache[f]["is_alarm"].get(True)
        if total is None:
            return {}
        per_rule = {name: v for name, v in cache[f]["alarm_rule_name"].items() if name}
        return {True: total, **per_rule}

    return compute


def _question_columns() -> list[Column]:
    return [
        Column("asked", _("Questions")),
        Column("in_time", _("Answered in time")),
        Column("median", _("Median answer time (working hours)")),
        Column("p90", _("90% answered within (working hours)")),
        Column("not_helped", _("'Not helped'")),
    ]


def _topic_names() -> dict:
    from onderwerpen.models import Topic

    return dict(Topic.objects.values_list("pk", "name"))


def _team_names() -> dict:
    from teams.models import Team

    return dict(Team.objects.values_list("pk", "name"))


def _wijk_names() -> dict:
    from teams.models import Wijk

    return dict(Wijk.objects.values_list("pk", "name"))


def _named(names: dict, empty: str):
    return lambda key: names.get(key, empty) if key is not None else empty


QUESTIONS_HELP = gettext_lazy(
    "Answered in time: share of the questions with a promised answer time that were answered "
    "before it. Answer times count working hours from asking to the first answer."
)


def question_tables(f: Filters) -> list[Table]:
    from vragen.models import Urgency

    no_team = _("No team yet")
    cache: dict = {}
    tables = [
        (
            Table(
                "topic",
                _("Questions per topic"),
                QUESTIONS_HELP,
                _("Topic"),
                _question_columns(),
                chart_column="in_time",
            ),
            _question_figures("topic_id", cache),
            _named(_topic_names(), _("Unknown")),
        ),
        (
            Table(
                "urgency",
                _("Questions per urgency"),
                QUESTIONS_HELP,
                _("Urgency"),
                _question_columns(),
                chart_column="median",
            ),
            _question_figures("urgency", cache),
            lambda key: str(Urgency(key).label),
        ),
        (
            Table(
                "team",
                _("Questions per team"),
                QUESTIONS_HELP,
                _("Team"),
                _question_columns(),
                chart_column="in_time",
            ),
            _question_figures("team_id", cache),
            _named(_team_names(), no_team),
        ),
        (
            Table(
                "alarm",
                _("Alarm questions"),
                _(
                    "Questions that matched an alarm rule: the parent saw the 'call now' advice."
                    " Below the total, the rule that fired."
                ),
                _("Alarm rule"),
                _question_columns(),
                chart_column="median",
            ),
            _alarm_figures(cache),
            lambda key: _("All alarm questions") if key is True else key,
        ),
    ]
    return [_build(table, f, compute, labels) for table, compute, labels in tables]


# --- Appointments -----------------------------------------------------------------------------

PART_ORDER = [Part.OFFICE, Part.EVENING, Part.SATURDAY]


def _grouped_sums(
    qs: QuerySet, groups: dict[str, str], sums: list[str], cache: dict, f: Filters
) -> dict[str, dict]:
    """Sums of `sums` per each of `groups` (name -> SQL expression) in one scan (GROUPING
    SETS), memoised in `cache` per period so a page's tables share the scan."""
    if f in cache:
        return cache[f]
    out: dict[str, dict] = {g: {} for g in groups}
    cache[f] = out
    try:
        where, params = _where(qs)
    except EmptyResultSet:
        return out
    names = list(groups)
    exprs = [groups[g] for g in names]
    sql = (
        f"SELECT {', '.join(exprs)}, {', '.join(f'GROUPING({e})' for e in exprs)}, "  # noqa: S608
        f"{', '.join(f'sum({c})' for c in sums)} FROM {qs.model._meta.db_table} "
        f"WHERE {where} GROUP BY GROUPING SETS ({', '.join(f'({e})' for e in exprs)})"
    )
    n = len(names)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            i = next(i for i in range(n) if row[n + i] == 0)
            out[names[i]][row[i]] = dict(zip(sums, row[2 * n :], strict=True))
    for g in out:
        out[g] = dict(sorted(out[g].items(), key=lambda kv: (kv[0] is None, str(kv[0]))))
    return out


APPOINTMENT_GROUPS = {
    "appointment_type_id": "appointment_type_id",
    "time_of_day": "time_of_day",
    "wijk_id": "wijk_id",
}
APPOINTMENT_SUMS = [
    "booked",
    "attended",
    "no_show",
    "cancelled",
    "cancelled_by_jgz",
    "cancelled_within_day",
    "cancelled_within_week",
    "cancelled_earlier",
]


def _appointment_groups(f: Filters, cache: dict) -> dict[str, dict]:
    qs = _scoped(AppointmentDay.objects.all(), f)
    return _grouped_sums(qs, APPOINTMENT_GROUPS, APPOINTMENT_SUMS, cache, f)


def _supply(f: Filters) -> Grouped:
    qs = _scoped(SlotDay.objects.all(), f, wijk=False)
    out: Grouped = {}
    rows = {r["part"]: r for r in qs.values("part").annotate(p=Sum("places"), u=Sum("used"))}
    for part in PART_ORDER:
        if part in rows:
            r = rows[part]
            out[part] = {
                "places": display.count(r["p"]),
                "used": display.count(r["u"]),
                "fill": display.share(r["u"], r["p"]),
            }
    return out


def _no_shows(group: str, cache: dict):
    def compute(f: Filters) -> Grouped:
        out: Grouped = {}
        for key, r in _appointment_groups(f, cache)[group].items():
            a, n = r["attended"], r["no_show"]
            out[key] = {
                "expected": display.count(a + n),
                "no_show": display.count(n),
                "rate": display.share(n, a + n),
            }
        return out

    return compute


def _cancellations(cache: dict):
    def compute(f: Filters) -> Grouped:
        out: Grouped = {}
        for key, r in _appointment_groups(f, cache)["appointment_type_id"].items():
            made = r["booked"] + r["cancelled"] + r["cancelled_by_jgz"]
            out[key] = {
                "cancelled": display.count(r["cancelled"]),
                "share": display.share(r["cancelled"], made),
                "within_day": display.count(r["cancelled_within_day"]),
                "within_week": display.count(r["cancelled_within_week"]),
                "earlier": display.count(r["cancelled_earlier"]),
                "by_jgz": display.count(r["cancelled_by_jgz"]),
            }
        return out

    return compute


def _type_names() -> dict:
    from afspraken.models import AppointmentType

    return dict(AppointmentType.objects.values_list("pk", "name"))


def appointment_tables(f: Filters) -> list[Table]:
    cache: dict = {}
    types = _named(_type_names(), _("Unknown"))
    no_show_cols = lambda: [  # noqa: E731
        Column("expected", _("Appointments held or missed")),
        Column("no_show", _("Did not come")),
        Column("rate", _("No-show rate")),
    ]
    no_show_help = _("Did not come: the family did not come and did not cancel.")
    tables = [
        (
            Table(
                "supply",
                _("Places in office hours, evenings and on Saturday"),
                _(
                    "Places: what we offered. Booked: what families took. Fill rate: booked"
                    " / places."
                ),
                _("When"),
                [
                    Column("places", _("Places")),
                    Column("used", _("Booked")),
                    Column("fill", _("Fill rate")),
                ],
                chart_column="fill",
                note=_("Per location and team; the wijk filter does not apply."),
            ),
            _supply,
            lambda key: str(Part(key).label).capitalize(),
        ),
        (
            Table(
                "no_show_type",
                _("No-shows per appointment type"),
                no_show_help,
                _("Type"),
                no_show_cols(),
                chart_column="rate",
            ),
            _no_shows("appointment_type_id", cache),
            types,
        ),
        (
            Table(
                "no_show_time",
                _("No-shows per time of day"),
                no_show_help,
                _("Time of day"),
                no_show_cols(),
                chart_column="rate",
            ),
            _no_shows("time_of_day", cache),
            lambda key: str(TimeOfDay(key).label).capitalize(),
        ),
        (
            Table(
                "no_show_wijk",
                _("No-shows per wijk"),
                no_show_help,
                _("Wijk"),
                no_show_cols(),
                chart_column="rate",
            ),
            _no_shows("wijk_id", cache),
            _named(_wijk_names(), _("Wijk unknown")),
        ),
        (
            Table(
                "cancellations",
                _("Cancellations and how late"),
                _(
                    "How long before the appointment the parent cancelled. Share: cancelled"
                    " by the parent of all appointments made."
                ),
                _("Type"),
                [
                    Column("cancelled", _("Cancelled by the parent")),
                    Column("share", _("Share cancelled")),
                    Column("within_day", _("Less than 24 hours before")),
                    Column("within_week", _("1 to 7 days before")),
                    Column("earlier", _("More than 7 days before")),
                    Column("by_jgz", _("Cancelled by JGZ")),
                ],
                chart_column="share",
            ),
            _cancellations(cache),
            types,
        ),
    ]
    tables.append(
        (
            Table(
                "waitlist",
                _("Waiting list: places offered and accepted"),
                _(
                    "Offered: a place that came free was offered to a family on the waiting"
                    " list. Accepted: the family took it. Per place of the team; the wijk"
                    " filter does not apply."
                ),
                _("Type"),
                [
                    Column("made", _("Offered")),
                    Column("accepted", _("Accepted")),
                    Column("share", _("Share accepted")),
                ],
                chart_column="share",
            ),
            _waitlist,
            types,
        )
    )
    return [_build(table, f, compute, labels) for table, compute, labels in tables]


def _waitlist(f: Filters) -> Grouped:
    """Offers are few (one per freed place), so they are counted from the waiting list's own
    rows through its selector."""
    from cijfers.aggregates import _bounds
    from wachtlijst.selectors import offer_counts

    since, until = _bounds(f.start, f.end)
    counts = offer_counts(since=since, until=until, team_ids=f.team_ids, per_type=True)
    return {
        key: {
            "made": display.count(c["made"]),
            "accepted": display.count(c["accepted"]),
            "share": display.share(c["accepted"], c["made"]),
        }
        for key, c in counts.items()
    }


# --- Newsletters ------------------------------------------------------------------------------

NOT_PER_TEAM = gettext_lazy(
    "Newsletters are for the whole region: the team and wijk filters do not apply."
)


def _subscribers(f: Filters) -> Grouped:
    last = SubscriberCount.objects.filter(day__gte=f.start, day__lte=f.end).aggregate(d=Max("day"))[
        "d"
    ]
    out: Grouped = {}
    if last is None:
        return out
    counts = dict(SubscriberCount.objects.filter(day=last).values_list("phase", "active"))
    for phase in SubscriberCount.Phase.values:
        if phase in counts:
            out[phase] = {"active": display.count(counts[phase])}
    return out


def _per_month(f: Filters) -> Grouped:
    qs = NewsletterDay.objects.filter(day__gte=f.start, day__lte=f.end)
    out: Grouped = {}
    rows = (
        qs.annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(c=Sum("confirmations"), u=Sum("unsubscribes"), m=Sum("milestones_sent"))
    )
    for r in rows.order_by("month"):
        out[r["month"]] = {
            "confirmations": display.count(r["c"]),
            "unsubscribes": display.count(r["u"]),
            "milestones": display.count(r["m"]),
        }
    return out


def _editions(f: Filters) -> Grouped:
    out: Grouped = {}
    for e in EditionFigure.objects.filter(day__gte=f.start, day__lte=f.end).order_by("day", "id"):
        out[(e.day, e.title)] = {
            "sent": display.count(e.sent),
            "unsubscribed": display.count(e.unsubscribed),
            "share": display.share(e.unsubscribed, e.sent),
        }
    return out


def month_label(month) -> str:
    return date_format(month, "F Y")


def newsletter_tables(f: Filters) -> list[Table]:
    tables = [
        (
            Table(
                "subscribers",
                _("Subscribers per phase"),
                _(
                    "Active subscribers on the last day counted in the period, by the "
                    "youngest child in care."
                ),
                _("Phase"),
                [Column("active", _("Subscribers"))],
                chart_column="active",
                note=str(NOT_PER_TEAM),
            ),
            _subscribers,
            lambda key: str(SubscriberCount.Phase(key).label).capitalize(),
        ),
        (
            Table(
                "months",
                _("Confirmations, unsubscribes and milestones per month"),
                _(
                    "Confirmations: parents who confirmed their e-mail address (double opt-"
                    "in). We do not count opens or clicks."
                ),
                _("Month"),
                [
                    Column("confirmations", _("Confirmations")),
                    Column("unsubscribes", _("Unsubscribes")),
                    Column("milestones", _("Milestone messages sent")),
                ],
                chart_column="confirmations",
                note=str(NOT_PER_TEAM),
            ),
            _per_month,
            month_label,
        ),
        (
            Table(
                "editions",
                _("Unsubscribes per edition"),
                _("Subscribers who unsubscribed within 7 days after receiving the edition."),
                _("Edition"),
                [
                    Column("sent", _("Sent")),
                    Column("unsubscribed", _("Unsubscribed within 7 days")),
                    Column("share", _("Share")),
                ],
                chart_column="share",
                note=str(NOT_PER_TEAM),
            ),
            _editions,
            lambda key: f"{date_format(key[0], 'j M Y')}: {key[1]}",
        ),
    ]
    return [_build(table, f, compute, labels) for table, compute, labels in tables]


# --- Reach ------------------------------------------------------------------------------------


REACH_GROUPS = {
    "moment_id": "moment_id",
    "month": "date_trunc('month', day)::date",
    "wijk_id": "wijk_id",
}
REACH_SUMS = [
    "children",
    "invited",
    "planned",
    "attended",
    "through_outreach",
    "not_reached",
    "planned_online",
    "planned_by_staff",
]


def _reach(group: str, cache: dict):
    def compute(f: Filters) -> Grouped:
        qs = _scoped(ReachDay.objects.all(), f)
        out: Grouped = {}
        for key, r in _grouped_sums(qs, REACH_GROUPS, REACH_SUMS, cache, f)[group].items():
            online, staff = r["planned_online"], r["planned_by_staff"]
            out[key] = {
                "children": display.count(r["children"]),
                "invited": display.count(r["invited"]),
                "planned": display.count(r["planned"]),
                "attended": display.count(r["attended"]),
                "reach": display.share(r["attended"], r["children"]),
                "outreach": display.count(r["through_outreach"]),
                "not_reached": display.count(r["not_reached"]),
                "online": display.share(online, online + staff),
            }
        return out

    return compute


def _reach_columns() -> list[Column]:
    return [
        Column("children", _("Children")),
        Column("invited", _("Invited")),
        Column("planned", _("Planned")),
        Column("attended", _("Attended")),
        Column("reach", _("Reached")),
        Column("outreach", _("Reached through outreach")),
        Column("not_reached", _("Not reached")),
        Column("online", _("Planned online")),
    ]


REACH_HELP = gettext_lazy(
    "Children whose window for the contact moment opened in the period. Reached: attended / "
    "children. Not reached: the window closed without a visit. Planned online: share planned "
    "by the parent in the portal, the rest by staff."
)


def _moment_names() -> dict:
    from contactmomenten.models import ContactMoment

    return dict(ContactMoment.objects.values_list("pk", "name"))


def reach_tables(f: Filters) -> list[Table]:
    cache: dict = {}
    tables = [
        (
            Table(
                "moment",
                _("Reach per contact moment"),
                REACH_HELP,
                _("Contact moment"),
                _reach_columns(),
                chart_column="reach",
            ),
            _reach("moment_id", cache),
            _named(_moment_names(), _("Unknown")),
        ),
        (
            Table(
                "month",
                _("Reach per month"),
                REACH_HELP,
                _("Month"),
                _reach_columns(),
                chart_column="reach",
            ),
            _reach("month", cache),
            month_label,
        ),
        (
            Table(
                "wijk",
                _("Reach per wijk"),
                REACH_HELP,
                _("Wijk"),
                _reach_columns(),
                chart_column="reach",
            ),
            _reach("wijk_id", cache),
            _named(_wijk_names(), _("Wijk unknown")),
        ),
    ]
    return [_build(table, f, compute, labels) for table, compute, labels in tables]


# --- Satisfaction -----------------------------------------------------------------------------


def _satisfaction(group: str):
    def compute(f: Filters) -> Grouped:
        qs = _scoped(SurveyAnswer.objects.all(), f, date_field="week", wijk=False)
        out: Grouped = {}
        rows = qs.values(group).annotate(
            n=models_count(), t=SumIf("enough_time"), d=SumDiscussed(), s=Sum("score")
        )
        for r in rows.order_by(group):
            out[r[group]] = {
                "answers": display.count(r["n"]),
                "enough_time": display.share(r["t"], r["n"]),
                "discussed": display.share(r["d"], r["n"]),
                "score": display.average(r["s"], r["n"]),
            }
        return out

    return compute


def models_count():
    from django.db.models import Count

    return Count("id")


def SumIf(field_name):  # noqa: N802 - reads like an aggregate
    from django.db.models import Count, Q

    return Count("id", filter=Q(**{field_name: True}))


def SumDiscussed():  # noqa: N802
    from django.db.models import Count, Q

    return Count("id", filter=Q(discussed=SurveyAnswer.Discussed.YES))


def _location_names() -> dict:
    from afspraken.models import Location

    return dict(Location.objects.values_list("pk", "name"))


def _question_feedback(f: Filters) -> Grouped:
    qs = _scoped(QuestionDay.objects.all(), f)
    r = qs.aggregate(fb=Sum("feedback"), nh=Sum("not_helped"))
    if not r["fb"]:
        return {}
    return {
        "all": {
            "feedback": display.count(r["fb"]),
            "not_helped": display.share(r["nh"] or 0, r["fb"]),
        }
    }


def satisfaction_tables(f: Filters) -> list[Table]:
    cols = [
        Column("answers", _("Answers")),
        Column("enough_time", _("Had enough time")),
        Column("discussed", _("Question discussed")),
        Column("score", _("Average score (1-5)")),
    ]
    how = _("The short survey after a visit: one answer per visit, not linked to the family.")
    tables = [
        (
            Table(
                "survey_team",
                _("Survey per team"),
                how,
                _("Team"),
                list(cols),
                chart_column="score",
                note=_("The wijk filter does not apply to the survey."),
            ),
            _satisfaction("team_id"),
            _named(_team_names(), _("No team yet")),
        ),
        (
            Table(
                "survey_location",
                _("Survey per location"),
                how,
                _("Location"),
                list(cols),
                chart_column="score",
                note=_("The wijk filter does not apply to the survey."),
            ),
            _satisfaction("location_id"),
            _named(_location_names(), _("Unknown")),
        ),
        (
            Table(
                "question_feedback",
                _("Feedback on answered questions"),
                _("After a question is closed the parent may say whether we helped."),
                _("Questions"),
                [Column("feedback", _("Feedback given")), Column("not_helped", _("'Not helped'"))],
                chart_column="not_helped",
            ),
            _question_feedback,
            lambda key: _("All questions"),
        ),
    ]
    return [_build(table, f, compute, labels) for table, compute, labels in tables]


def count_survey_answers(f: Filters) -> int:
    return _scoped(SurveyAnswer.objects.all(), f, date_field="week", wijk=False).count()


def list_remarks(f: Filters) -> QuerySet:
    """Free-text remarks of the period, newest first (no names are asked; kept one year).

    Small numbers: with fewer than `display.SMALL` answers in the period and scope, none are
    shown, since a remark among a handful could point to one visit.
    """
    if count_survey_answers(f) < display.SMALL:
        return SurveyAnswer.objects.none()
    qs = _scoped(SurveyAnswer.objects.exclude(remark=""), f, date_field="week", wijk=False)
    return qs.order_by("-week", "-id").only("week", "remark")


def list_recent_remarks(f: Filters, *, limit: int = 20) -> list[str]:
    return list(list_remarks(f).values_list("remark", flat=True)[:limit])


def list_public_responses() -> QuerySet:
    """Every "Jullie zeiden, wij deden" response, published or not (the managers' page)."""
    from cijfers.models import PublicResponse

    return PublicResponse.objects.order_by("is_published", "-published_on", "-created_at")


# --- Areas ------------------------------------------------------------------------------------

AREAS: dict[str, tuple] = {
    "vragen": (gettext_lazy("Questions"), question_tables),
    "afspraken": (gettext_lazy("Appointments"), appointment_tables),
    "bereik": (gettext_lazy("Reach"), reach_tables),
    "nieuwsbrieven": (gettext_lazy("Newsletters"), newsletter_tables),
    "tevredenheid": (gettext_lazy("Satisfaction"), satisfaction_tables),
}


def list_tables(area: str, f: Filters) -> list[Table]:
    return AREAS[area][1](f)


def get_table(area: str, key: str, f: Filters) -> Table | None:
    return next((t for t in list_tables(area, f) if t.key == key), None)
