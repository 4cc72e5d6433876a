"""Teams: a family's team, team-scoped staff pages and "break the glass"."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from families.models import Family
from families.postcodes import normalise_postcode
from privacy.fields import contains_id
from privacy.models import AccessLog
from teams.models import OutOfTeamAccess, PostcodeArea, Team, TeamLocation, TeamMembership, Wijk
from teams.selectors import get_team_for_family
from tests.factories import make_child, make_family, make_parent, make_staff

pytestmark = pytest.mark.django_db


def make_team(name: str, *, digits=(), locations=(), members=()) -> Team:
    team = Team.objects.create(name=name)
    if digits:
        wijk = Wijk.objects.create(name=f"Wijk {name}", team=team)
        for value in digits:
            PostcodeArea.objects.create(digits=value, wijk=wijk)
    for location in locations:
        TeamLocation.objects.create(team=team, location=location)
    for user in members:
        TeamMembership.objects.create(team=team, user=user)
    return team


def family_in(postcode: str = "", **kwargs) -> Family:
    return make_family(postcode=postcode, **kwargs)


def book(family: Family, slot):
    from afspraken.services import book_appointment
    from tests.afspraken.factories import slot_type

    parent = family.parents.first() or make_parent(family=family)
    child = family.children.first() or make_child(family=family)
    return book_appointment(
        slot_id=slot.pk, appointment_type_id=slot_type(slot).pk, parent=parent, child_id=child.pk
    )


# --- Postcode ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "stored"),
    [("3512ab", "3512 AB"), (" 3512  AB ", "3512 AB"), ("3512 ab", "3512 AB"), ("", "")],
)
def test_postcode_is_normalised(raw, stored):
    assert normalise_postcode(raw) == stored


@pytest.mark.parametrize("raw", ["0512 AB", "351 AB", "35123 AB", "3512 A", "3512 A1", "AB 3512"])
def test_postcode_that_is_not_dutch_is_refused(raw):
    with pytest.raises(ValueError):
        normalise_postcode(raw)


def test_database_refuses_a_postcode_in_another_form():
    family = make_family()
    for bad in ("3512AB", "3512 ab", "12345"):
        family.postcode = bad
        with pytest.raises(IntegrityError), transaction.atomic():
            family.save(update_fields=["postcode"])


def test_parent_sets_the_postcode_on_the_family_pages(parent_client, parent):
    home = parent_client.get(reverse("families:home"))
    assert reverse("families:postcode") in home.text
    response = parent_client.post(reverse("families:postcode"), {"postcode": "12345"})
    assert response.status_code == 400
    assert "4 cijfers en 2 letters" in response.text and 'value="12345"' in response.text
    response = parent_client.post(reverse("families:postcode"), {"postcode": "3512ab"})
    assert response.status_code == 302
    parent.family.refresh_from_db()
    assert parent.family.postcode == "3512 AB"
    assert "3512 AB" in parent_client.get(reverse("families:home")).text
    parent_client.post(reverse("families:postcode"), {"postcode": ""})
    parent.family.refresh_from_db()
    assert parent.family.postcode == ""


# --- A family's team ------------------------------------------------------------------------------


def test_team_comes_from_the_wijk_of_the_postcode():
    team = make_team("Noord", digits=["3561"])
    assert get_team_for_family(family_id=family_in("3561 AB").pk) == team
    assert get_team_for_family(family_id=family_in("3999 AB").pk) is None
    assert get_team_for_family(family_id=family_in("").pk) is None


def test_without_a_wijk_the_next_appointment_decides_then_the_last():
    from tests.afspraken.factories import make_location, make_schedule, make_slot

    north, south = make_location(), make_location()
    team_north = make_team("Noord", locations=[north])
    team_south = make_team("Zuid", locations=[south])
    family = family_in("3999 AB")
    past = make_slot(
        schedule=make_schedule(location=north), starts_at=timezone.now() - timedelta(days=3)
    )
    book(family, make_slot(schedule=make_schedule(location=north)))
    from afspraken.models import Appointment

    Appointment.objects.filter(family=family).update(
        starts_at=past.starts_at, ends_at=past.ends_at, status=Appointment.Status.ATTENDED
    )
    assert get_team_for_family(family_id=family.pk) == team_north  # the last one
    book(family, make_slot(schedule=make_schedule(location=south)))
    assert get_team_for_family(family_id=family.pk) == team_south  # the next one wins
    make_team("Wijkteam", digits=["3999"])
    assert get_team_for_family(family_id=family.pk).name == "Wijkteam"  # the wijk wins


# --- Team-scoped staff pages --------------------------------------------------------------------


@pytest.fixture
def two_teams():
    """Nurse of team Noord; a question from a Noord family, a Zuid family and one without a team."""
    from tests.vragen.factories import make_question

    nurse = make_staff(email="noord@example.org")
    make_team("Noord", digits=["3561"], members=[nurse])
    make_team("Zuid", digits=["3524"])
    questions = {}
    for key, postcode in (("noord", "3561 AB"), ("zuid", "3524 BP"), ("none", "")):
        parent = make_parent(family=family_in(postcode, name=f"Gezin {key}"))
        questions[key] = make_question(parent=parent, text=f"Vraag van gezin {key}.")
    return nurse, questions


def test_queue_shows_own_team_and_families_without_a_team(client, two_teams):
    nurse, questions = two_teams
    client.force_login(nurse)
    page = client.get(reverse("vragen:queue")).text
    assert questions["noord"].reference in page and questions["none"].reference in page
    assert questions["zuid"].reference not in page
    assert "nog geen team" in page.lower()
    assert "Vraag van gezin noord" in page  # the first line of the own team's questions
    page = client.get(reverse("vragen:queue"), {"team": "all"}).text
    assert questions["zuid"].reference in page
    assert "Vraag van gezin zuid" not in page  # another team's: topic and status only
    logged = AccessLog.objects.filter(actor=nurse).values_list("family_ids", flat=True)
    assert str(questions["zuid"].family_id) not in {pk for ids in logged for pk in ids}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_queue_tests_each_rows_team_without_a_subplan_over_every_family(two_teams):
    """A subplan under the queue's OR hashed every family of other teams on each page."""
    from vragen.selectors import QueueFilters, list_queue

    nurse, questions = two_teams
    for team in ("", str(Team.objects.get(name="Zuid").pk)):
        plan = list_queue(actor=nurse, filters=QueueFilters(team=team))[:26].explain()
        assert "SubPlan" not in plan, plan


def test_another_teams_question_asks_for_a_reason_first(client, two_teams):
    nurse, questions = two_teams
    question = questions["zuid"]
    url = reverse("vragen:staff_question", args=[question.pk])
    client.force_login(nurse)
    response = client.get(url)
    assert response.status_code == 403
    assert "Zuid" in response.text and "Vraag van gezin zuid" not in response.text
    assert not AccessLog.objects.filter(contains_id("record_ids", question.pk)).exists()

    too_short = {"family": question.family_id, "next": url, "reason": "nodig"}
    response = client.post(reverse("teams:open_family"), too_short)
    assert response.status_code == 400 and "nodig" in response.text
    assert not OutOfTeamAccess.objects.exists()

    reason = "Collega van team Zuid is ziek, ouder belde ons."
    response = client.post(reverse("teams:open_family"), {**too_short, "reason": reason})
    assert response.status_code == 302 and response.url == url
    logged = AccessLog.objects.get(
        contains_id("family_ids", question.family_id), record_type="families.family"
    )
    assert logged.actor == nurse and reason in logged.reason
    response = client.get(url)
    assert response.status_code == 200 and "Vraag van gezin zuid" in response.text


def test_opening_another_team_lasts_a_while(client, two_teams):
    nurse, questions = two_teams
    question = questions["zuid"]
    client.force_login(nurse)
    client.post(
        reverse("teams:open_family"),
        {"family": question.family_id, "reason": "Terugbelverzoek via de balie."},
    )
    url = reverse("vragen:staff_question", args=[question.pk])
    assert client.get(url).status_code == 200
    now = timezone.now()
    OutOfTeamAccess.objects.update(
        created_at=now - timedelta(hours=3), expires_at=now - timedelta(seconds=1)
    )
    assert client.get(url).status_code == 403


def test_actions_on_another_teams_question_are_refused(client, two_teams):
    nurse, questions = two_teams
    question = questions["zuid"]
    client.force_login(nurse)
    response = client.post(
        reverse("vragen:staff_action", args=[question.pk, "answer"]),
        {"answer-body": "Een antwoord."},
    )
    assert response.status_code == 403
    question.refresh_from_db()
    assert question.messages.count() == 0


def test_a_question_assigned_to_you_opens_whatever_its_team(client, two_teams):
    from vragen.services import assign_question

    nurse, questions = two_teams
    colleague = make_staff()
    assign_question(actor=colleague, question_id=questions["zuid"].pk, assignee=nurse)
    client.force_login(nurse)
    url = reverse("vragen:staff_question", args=[questions["zuid"].pk])
    assert client.get(url).status_code == 200


def test_family_without_team_is_open_to_every_team(client, two_teams):
    nurse, questions = two_teams
    client.force_login(nurse)
    url = reverse("vragen:staff_question", args=[questions["none"].pk])
    assert client.get(url).status_code == 200


# --- Agenda -----------------------------------------------------------------------------------


@pytest.fixture
def agenda_world():
    from tests.afspraken.factories import make_location, make_schedule, make_slot

    nurse = make_staff(email="zuster@example.org", first_name="Zuster")
    colleague = make_staff(email="collega@example.org", first_name="Collega")
    assistant = make_staff(role=User.Role.ASSISTANT, email="assistent@example.org")
    stranger = make_staff(email="elders@example.org", first_name="Elders")
    home, elsewhere = make_location(), make_location()
    make_team("Noord", locations=[home], members=[nurse, colleague, assistant])
    make_team("Zuid", locations=[elsewhere], members=[stranger])
    day = timezone.localdate() + timedelta(days=3)
    children = {}
    for who, location in ((nurse, home), (colleague, home), (stranger, elsewhere)):
        slot = make_slot(schedule=make_schedule(professional=who, location=location))
        appointment = book(make_family(name=f"Gezin {who.first_name}"), slot)
        children[who.first_name] = appointment.child.first_name
    return {"nurse": nurse, "assistant": assistant, "children": children, "day": day}


def test_agenda_opens_on_ones_own_agenda(client, agenda_world):
    client.force_login(agenda_world["nurse"])
    page = client.get(reverse("afspraken:agenda"), {"week": agenda_world["day"]}).text
    children = agenda_world["children"]
    assert children["Zuster"] in page
    assert children["Collega"] not in page and children["Elders"] not in page


def test_agenda_opens_on_the_team_for_assistants(client, agenda_world):
    client.force_login(agenda_world["assistant"])
    page = client.get(reverse("afspraken:agenda"), {"week": agenda_world["day"]}).text
    children = agenda_world["children"]
    assert children["Zuster"] in page and children["Collega"] in page
    assert children["Elders"] not in page


def test_agenda_never_opens_on_everyone(client, agenda_world):
    newcomer = make_staff(email="nieuw@example.org")  # no schedule, no team
    client.force_login(newcomer)
    page = client.get(reverse("afspraken:agenda"), {"week": agenda_world["day"]}).text
    assert not any(name in page for name in agenda_world["children"].values())
    assert "Kies een medewerker, team of locatie" in page


# --- Admin ------------------------------------------------------------------------------------


def test_manager_keeps_teams_wijken_and_postcodes_in_the_admin(client, manager):
    client.force_login(manager)
    for name in ("team", "wijk", "postcodearea"):
        assert client.get(reverse(f"admin:teams_{name}_add")).status_code == 200
    response = client.post(
        reverse("admin:teams_wijk_add"),
        {
            "name": "Overvecht",
            "team": "",
            "postcode_areas-TOTAL_FORMS": "1",
            "postcode_areas-INITIAL_FORMS": "0",
            "postcode_areas-0-digits": "3563",
        },
    )
    assert response.status_code == 302
    assert PostcodeArea.objects.get(digits="3563").wijk.name == "Overvecht"


# --- The stored copy that lists read ------------------------------------------------------------


def _stored(family) -> str | None:
    from teams.models import FamilyTeam

    link = FamilyTeam.objects.filter(family=family).first()
    return link.team.name if link else None


def test_stored_team_follows_postcode_bookings_and_cancellations():
    from afspraken.services import cancel_appointment
    from families.services import set_postcode
    from tests.afspraken.factories import make_location, make_schedule, make_slot

    clinic = make_location()
    make_team("Noord", digits=["3561"])
    make_team("Zuid", locations=[clinic])
    family = family_in("")
    assert _stored(family) is None
    set_postcode(family=family, postcode="3561 AB")
    assert _stored(family) == "Noord"
    set_postcode(family=family, postcode="")
    assert _stored(family) is None
    appointment = book(family, make_slot(schedule=make_schedule(location=clinic)))
    assert _stored(family) == "Zuid"
    cancel_appointment(appointment_id=appointment.pk, actor=appointment.parent)
    assert _stored(family) is None


def test_admin_changes_to_wijken_refresh_every_family(
    client, manager, django_capture_on_commit_callbacks
):
    family = family_in("3563 AB")
    team = make_team("Noord")
    assert _stored(family) is None
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:teams_wijk_add"),
            {
                "name": "Overvecht",
                "team": team.pk,
                "postcode_areas-TOTAL_FORMS": "1",
                "postcode_areas-INITIAL_FORMS": "0",
                "postcode_areas-0-digits": "3563",
            },
        )
    assert response.status_code == 302
    assert _stored(family) == "Noord"
    wijk = Wijk.objects.get(name="Overvecht")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:teams_wijk_delete", args=[wijk.pk]), {"post": "yes"})
    assert _stored(family) is None


def test_a_started_appointment_hands_over_to_the_next_one():
    from afspraken.models import Appointment
    from teams.services import refresh_family_teams, refresh_recently_started
    from tests.afspraken.factories import make_location, make_schedule, make_slot

    first, second = make_location(), make_location()
    make_team("Noord", locations=[first])
    make_team("Zuid", locations=[second])
    family = family_in("")
    soon = book(family, make_slot(schedule=make_schedule(location=first)))
    later_slot = make_slot(
        schedule=make_schedule(location=second), starts_at=soon.starts_at + timedelta(days=7)
    )
    book(family, later_slot)
    assert _stored(family) == "Noord"
    # Time passes: the first appointment started half an hour ago (no save, no signal).
    Appointment.objects.filter(pk=soon.pk).update(
        starts_at=timezone.now() - timedelta(minutes=30), ends_at=timezone.now()
    )
    assert _stored(family) == "Noord"
    assert refresh_recently_started() == 1
    assert _stored(family) == "Zuid"
    assert refresh_family_teams() == 0  # nothing left that differs from the live rule
