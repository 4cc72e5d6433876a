"""The planning list per team, with filters per moment, wijk, location and age."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contactmomenten.models import ContactMoment
from contactmomenten.selectors import PlanningFilters, list_active_moments, list_planning
from contactmomenten.services import child_window
from families.ages import add_months
from families.models import Child
from teams.models import PostcodeArea, Team, TeamMembership, Wijk
from teams.services import refresh_family_teams
from tests.contactmomenten.factories import moment_cb8w
from tests.factories import make_family, make_staff

pytestmark = pytest.mark.django_db


def _team(name, digits, members=()):
    team = Team.objects.create(name=name)
    wijk = Wijk.objects.create(name=f"Wijk {name}", team=team)
    PostcodeArea.objects.create(digits=digits, wijk=wijk)
    for user in members:
        TeamMembership.objects.create(team=team, user=user)
    return team, wijk


def _baby(name, postcode=""):
    """A child whose 8-week window is open today."""
    born = timezone.localdate() - timedelta(weeks=8)
    return Child.objects.create(
        family=make_family(postcode=postcode), first_name=name, date_of_birth=born
    )


@pytest.fixture
def world():
    moment_cb8w()
    nurse = make_staff()
    noord, wijk_noord = _team("Noord", "3561", members=[nurse])
    zuid, wijk_zuid = _team("Zuid", "3524")
    children = {
        "noord": _baby("Noor", "3561 AB"),
        "zuid": _baby("Zara", "3524 BP"),
        "none": _baby("Nina"),
    }
    refresh_family_teams()
    return nurse, {"noord": wijk_noord, "zuid": wijk_zuid}, {"zuid": zuid}, children


def _names(response):
    return {row.child.first_name for row in response.context["rows"]}


def test_planning_list_opens_on_the_own_team_and_families_without_a_team(client, world):
    nurse, wijken, teams, children = world
    client.force_login(nurse)
    response = client.get(reverse("contactmomenten:planning"))
    assert _names(response) == {"Noor", "Nina"}
    assert response.context["form"].initial["team"]
    everyone = client.get(reverse("contactmomenten:planning"), {"team": ""})
    assert _names(everyone) == {"Noor", "Nina", "Zara"}
    other = client.get(reverse("contactmomenten:planning"), {"team": teams["zuid"].pk})
    assert _names(other) == {"Zara", "Nina"}


def test_planning_list_filters_by_wijk(client, world):
    nurse, wijken, teams, children = world
    client.force_login(nurse)
    response = client.get(reverse("contactmomenten:planning"), {"wijk": wijken["zuid"].pk})
    assert _names(response) == {"Zara"}


def test_planning_list_filters_by_age(client, world):
    nurse, wijken, teams, children = world
    four = ContactMoment.objects.create(
        code="test-4j",
        name="Consult 4 jaar",
        target_value=4,
        target_unit="years",
        window_before_days=30,
        window_after_days=30,
    )
    Child.objects.create(
        family=make_family(),
        first_name="Vier",
        date_of_birth=add_months(timezone.localdate(), -48),
    )
    client.force_login(nurse)
    url = reverse("contactmomenten:planning")
    assert _names(client.get(url, {"age_band": "4-12"})) == {"Vier"}
    babies = client.get(url, {"age_band": "0-1", "team": ""})
    assert _names(babies) == {"Noor", "Nina", "Zara"}
    assert {row.moment for row in babies.context["rows"]} != {four}


def test_unknown_filter_values_are_refused_with_the_form_kept(client, world):
    nurse, wijken, teams, children = world
    client.force_login(nurse)
    response = client.get(reverse("contactmomenten:planning"), {"age_band": "99-100"})
    assert response.status_code == 400
    assert response.context["form"].errors


def test_filtered_planning_list_keeps_its_query_count_with_10000_children(client, world):
    nurse, wijken, teams, children = world
    client.force_login(nurse)
    url = reverse("contactmomenten:planning")
    query = {"team": "", "wijk": wijken["zuid"].pk, "age_band": "0-1"}
    client.get(url, query)  # the first request after login also saves the session
    with CaptureQueriesContext(connection) as few:
        client.get(url, query)
    born = timezone.localdate() - timedelta(weeks=8)
    families = [make_family(postcode="3524 BP") for _ in range(20)]
    Child.objects.bulk_create(
        Child(family=families[i % 20], first_name=f"K{i}", date_of_birth=born - timedelta(i % 5))
        for i in range(10_000)
    )
    built = []
    post_init.connect(_count_child, sender=Child, dispatch_uid="count", weak=False)
    _count_child.built = built
    try:
        with CaptureQueriesContext(connection) as many:
            response = client.get(url, query)
    finally:
        post_init.disconnect(sender=Child, dispatch_uid="count")
    assert len(response.context["rows"]) == 100
    assert len(many.captured_queries) == len(few.captured_queries)
    # Read along the date index and stopped after a page: not the 10,000 open windows.
    assert len(built) <= 300
    assert all(
        " LIMIT " in q["sql"]
        for q in many.captured_queries
        if q["sql"].startswith('SELECT "families_child"."id"')
    )


def _count_child(sender, instance, **kwargs):
    _count_child.built.append(instance)


def _old_order(children, moments, today):
    """Every child's open window, closest end first: the list as it was made by reading all."""
    rows = []
    for child in children:
        for moment in moments:
            window = child_window(child, moment)
            if window is not None and window.is_open(today):
                rows.append((window.closes, window.opens, str(child.pk), moment.code))
    return sorted(rows)


def test_planning_list_is_what_reading_every_child_gives_also_at_month_ends(world):
    nurse, wijken, teams, children = world
    one_month = ContactMoment.objects.create(
        code="test-1m",
        name="Consult 1 maand",
        target_value=1,
        target_unit="months",
        window_before_days=3,
        window_after_days=10,
    )
    today = date(2027, 3, 5)
    family = make_family()
    # Born 28 to 31 January are all one month old on 28 February: one window, ids decide.
    born = [date(2027, 1, day) for day in (20, 22, 25, 27, 28, 29, 30, 31)] + [date(2027, 2, 1)]
    Child.objects.bulk_create(
        Child(family=family, first_name=f"M{n}", date_of_birth=day)
        for n, day in enumerate(born * 3)
    )
    everyone = list(Child.objects.all())
    moments = list_active_moments()
    assert one_month in moments
    for limit in (1, 4, 9, 14, 40):
        found = list_planning(actor=nurse, filters=PlanningFilters(), today=today, limit=limit)
        shown = [(r.window.closes, r.window.opens, str(r.child.pk), r.moment.code) for r in found]
        assert shown == _old_order(everyone, moments, today)[:limit], limit
