"""Asking: the question limit counts only stored questions and keeps the text; the 4,000
character box says so instead of cutting; a call back in the evening when the team works then."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.afspraken.factories import make_schedule
from tests.factories import make_child
from tests.vragen.factories import make_question, topic
from vragen.models import Question

pytestmark = pytest.mark.django_db


def _ask(client, **overrides):
    data = {
        "about": "parent",
        "topic": topic().pk,
        "text": "Ik slaap slecht sinds de geboorte van onze zoon.",
        "channel": "online",
        **overrides,
    }
    return client.post(reverse("vragen:ask"), data)


@pytest.fixture
def limit_of_two(settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "question": "2/3600"}


# --- The question limit ------------------------------------------------------------------------


def test_form_errors_do_not_count_toward_the_question_limit(parent_client, limit_of_two):
    for _ in range(3):
        assert _ask(parent_client, text="Kort").status_code == 400
    assert _ask(parent_client).status_code == 302
    assert Question.objects.count() == 1


def test_the_call_now_step_does_not_count_toward_the_question_limit(
    parent_client, parent, limit_of_two
):
    baby = make_child(family=parent.family, date_of_birth=timezone.localdate() - timedelta(weeks=4))
    data = {"about": str(baby.pk), "text": "Hij heeft 38,6 graden koorts."}
    for _ in range(3):
        response = _ask(parent_client, **data)
        assert response.status_code == 200 and "Bel nu" in response.text
    assert _ask(parent_client, **data, alarm_confirmed="on").status_code == 302
    assert Question.objects.get().is_alarm


def test_over_the_limit_the_question_is_kept_and_urgent_help_is_the_huisarts(
    parent_client, settings, limit_of_two
):
    assert _ask(parent_client).status_code == 302
    assert _ask(parent_client).status_code == 302
    text = "Mag mijn dochter van twee al zonder luier slapen? Ze is vaak droog."
    response = _ask(parent_client, text=text)
    assert response.status_code == 429
    assert f"{text}</textarea>" in response.text
    assert "nog niet verstuurd" in response.text
    assert 'href="tel:112"' in response.text and 'href="tel:09001515"' in response.text
    assert "huisartsenpost" in response.text
    assert f"tel:{settings.JGZ_PHONE.replace(' ', '')}" not in response.text.split("<footer")[0]
    assert Question.objects.count() == 2


def test_over_the_limit_the_call_now_page_still_comes_first(parent_client, limit_of_two):
    _ask(parent_client)
    _ask(parent_client)
    response = _ask(parent_client, text="Ik denk aan zelfmoord en zie het niet meer zitten.")
    assert response.status_code == 200 and 'href="tel:113"' in response.text


def test_a_reply_over_the_limit_is_kept(parent_client, parent, limit_of_two):
    question = make_question(parent=parent)
    url = reverse("vragen:reply", args=[question.pk])
    assert parent_client.post(url, {"body": "x"}).status_code == 400
    assert parent_client.post(url, {"body": "Eerste aanvulling."}).status_code == 302
    assert parent_client.post(url, {"body": "Tweede aanvulling."}).status_code == 302
    response = parent_client.post(url, {"body": "Derde aanvulling, nog niet weg."})
    assert response.status_code == 429
    assert "Derde aanvulling, nog niet weg.</textarea>" in response.text
    assert question.messages.count() == 2


# --- 4,000 characters: say so, do not cut ------------------------------------------------------


def test_question_box_has_a_counter_instead_of_a_silent_maxlength(parent_client):
    page = parent_client.get(reverse("vragen:ask")).text
    box = page.split('name="text"')[1].split(">")[0]
    assert "maxlength" not in box and 'data-counter-max="4000"' in box
    assert 'data-counter-left="Nog %(count)s tekens"' in box
    assert "Maximaal 4.000 tekens." in page
    assert '<script src="/static/js/counter.js" defer></script>' in page


def test_too_long_question_gets_a_dutch_message_and_keeps_the_text(parent_client):
    text = ("Mijn zoon slaapt slecht. " * 180).strip()
    response = _ask(parent_client, text=text)
    assert response.status_code == 400
    assert f"Je tekst heeft {len(text)} tekens. Er passen er 4000." in response.text
    assert f"{text}</textarea>" in response.text
    assert not Question.objects.exists()


# --- Call back in the evening ------------------------------------------------------------------


def test_call_back_offers_evening_only_when_the_team_works_in_the_evening(parent_client):
    page = parent_client.get(reverse("vragen:ask")).text
    assert 'value="evening"' not in page
    data = {"channel": "call_back", "call_back_phone": "06 12345678"}
    response = _ask(parent_client, **data, call_back_part_of_day="evening")
    assert response.status_code == 400 and not Question.objects.exists()

    make_schedule(start_time=time(16, 0), end_time=time(20, 0))
    page = parent_client.get(reverse("vragen:ask")).text
    assert '<option value="evening">Avond</option>' in page
    assert _ask(parent_client, **data, call_back_part_of_day="evening").status_code == 302
    assert Question.objects.get().get_call_back_part_of_day_display() == "Avond"


def _teams_noord_and_zuid(parent):
    """The parent's family lives in Noord (postcode 3561); Zuid works in the evening."""
    from families.models import Family
    from teams.models import PostcodeArea, Team, TeamLocation, Wijk

    teams = {}
    for name, digits in (("Noord", "3561"), ("Zuid", "3524")):
        team = teams[name] = Team.objects.create(name=name)
        PostcodeArea.objects.create(digits=digits, wijk=Wijk.objects.create(name=name, team=team))
    Family.objects.filter(pk=parent.family_id).update(postcode="3561 AB")
    zuid_evening = make_schedule(start_time=time(16, 0), end_time=time(20, 0))
    TeamLocation.objects.create(team=teams["Zuid"], location=zuid_evening.location)
    return teams


def test_evening_call_back_only_when_the_familys_own_team_works_then(parent_client, parent):
    from teams.models import TeamLocation, TeamMembership

    teams = _teams_noord_and_zuid(parent)
    data = {"channel": "call_back", "call_back_phone": "06 12345678"}
    # Another team's evening hours do not count: nobody in Noord would call in the evening.
    assert 'value="evening"' not in parent_client.get(reverse("vragen:ask")).text
    assert _ask(parent_client, **data, call_back_part_of_day="evening").status_code == 400

    # A Noord nurse with an evening consult (at any location) can keep the promise.
    noord_evening = make_schedule(start_time=time(17, 0), end_time=time(21, 0))
    TeamMembership.objects.create(team=teams["Noord"], user=noord_evening.professional)
    assert '<option value="evening">Avond</option>' in parent_client.get(reverse("vragen:ask")).text
    TeamMembership.objects.all().delete()
    assert 'value="evening"' not in parent_client.get(reverse("vragen:ask")).text

    # Or an evening opening at one of Noord's own locations.
    TeamLocation.objects.create(team=teams["Noord"], location=noord_evening.location)
    assert _ask(parent_client, **data, call_back_part_of_day="evening").status_code == 302


def test_an_ended_evening_schedule_offers_no_evening(parent_client):
    yesterday = timezone.localdate() - timedelta(days=1)
    make_schedule(end_time=time(20, 0), valid_until=yesterday)
    assert 'value="evening"' not in parent_client.get(reverse("vragen:ask")).text


def test_nurse_can_plan_an_evening_call_back_when_the_team_works_then(nurse_client, parent):
    make_schedule(start_time=time(16, 0), end_time=time(20, 0))
    question = make_question(parent=parent)
    page = nurse_client.get(reverse("vragen:staff_question", args=[question.pk])).text
    assert '<option value="evening">Avond</option>' in page
