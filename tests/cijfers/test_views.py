"""The figures pages, CSV and charts as managers and professionals see them."""

from datetime import timedelta

import pytest

from cijfers import aggregates
from tests.cijfers.factories import MONDAY, TODAY, at, make_raw_question
from tests.factories import make_family

pytestmark = pytest.mark.django_db
PERIOD = {"start": MONDAY.isoformat(), "end": (MONDAY + timedelta(days=6)).isoformat()}


@pytest.fixture
def figures():
    family = make_family(name="Jansen")
    for i in range(12):
        make_raw_question(
            family=family,
            asked=at(MONDAY, 9),
            deadline=at(MONDAY, 12),
            answered=at(MONDAY, 10) + timedelta(minutes=i),
        )
    for _i in range(3):
        make_raw_question(family=family, topic_name="Huilen", asked=at(MONDAY, 9))
    aggregates.recompute("questions", MONDAY, TODAY)


def test_manager_sees_the_question_figures_with_chart_and_table(client, manager, figures):
    client.force_login(manager)
    response = client.get("/cijfers/vragen/", PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Je ziet de cijfers van alle teams." in html
    assert "Vragen per onderwerp" in html
    assert '<img class="figure-chart' in html and "Staafdiagram van" in html
    # Huilen: 3 questions -> "< 10", never a percentage.
    assert "&lt; 10" in html


def test_a_bad_period_is_refused_in_dutch(client, manager):
    client.force_login(manager)
    response = client.get("/cijfers/vragen/", {"start": "2026-11-10", "end": "2026-11-01"})
    assert response.status_code == 400
    assert "De einddatum ligt voor de begindatum." in response.content.decode()


def test_csv_has_the_table_without_names(client, manager, figures):
    client.force_login(manager)
    response = client.get("/cijfers/vragen/topic.csv", PERIOD)
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("Onderwerp;Vragen;Op tijd beantwoord")
    assert "Slapen;12;100%;1,1;1,2;< 10" in lines
    assert "Huilen;< 10;< 10;< 10;< 10;< 10" in lines
    assert "Jansen" not in response.content.decode()


def test_chart_is_an_svg_without_script_and_with_its_own_policy(client, manager, figures):
    client.force_login(manager)
    response = client.get("/cijfers/vragen/topic.svg", PERIOD)
    assert response["Content-Type"] == "image/svg+xml"
    body = response.content.decode()
    assert body.startswith("<svg") and "<script" not in body
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "script-src" not in response["Content-Security-Policy"]


def test_professional_without_a_team_sees_no_other_teams_figures(client, nurse, figures):
    client.force_login(nurse)
    response = client.get("/cijfers/vragen/", PERIOD)
    html = response.content.decode()
    assert "Je ziet de cijfers van je eigen team." in html
    assert "Slapen" not in html


def test_parents_get_no_figures(client, parent):
    client.force_login(parent)
    assert client.get("/cijfers/vragen/").status_code == 403


@pytest.mark.parametrize("area", ["vragen", "afspraken", "bereik", "nieuwsbrieven", "tevredenheid"])
def test_every_figures_page_uses_a_bounded_number_of_queries(
    client, manager, figures, area, django_assert_max_num_queries
):
    client.force_login(manager)
    with django_assert_max_num_queries(40):
        response = client.get(f"/cijfers/{area}/", {**PERIOD, "compare": "on"})
    assert response.status_code == 200


# --- The managers' page for remarks and "Jullie zeiden, wij deden" -----------------------------


def _answers(n, *, week=MONDAY, remark="Fijn gesprek"):
    from cijfers.models import SurveyAnswer

    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(week=week, enough_time=True, discussed="yes", score=4, remark=f"{remark} {i}")
        for i in range(n)
    )


def test_manager_reads_remarks_only_with_ten_answers_or_more(client, manager):
    from django.urls import reverse

    client.force_login(manager)
    url = reverse("cijfers:responses")
    _answers(9)
    page = client.get(url, PERIOD).content.decode()
    assert "Minder dan 10 antwoorden" in page and "Fijn gesprek" not in page
    _answers(1, remark="Wachtkamer was koud")
    page = client.get(url, PERIOD).content.decode()
    assert "10 antwoorden in deze periode" in page
    assert "Wachtkamer was koud 0" in page and "Fijn gesprek 8" in page
    # The figures page shows the same rule, and links managers here.
    area = client.get(reverse("cijfers:area", args=["tevredenheid"]), PERIOD).content.decode()
    assert "Wachtkamer was koud 0" in area and url in area


def test_remarks_of_too_few_answers_stay_hidden_on_the_figures_page(client, manager):
    from django.urls import reverse

    _answers(3, remark="Heel persoonlijk")
    client.force_login(manager)
    area = client.get(reverse("cijfers:area", args=["tevredenheid"]), PERIOD).content.decode()
    assert "Heel persoonlijk" not in area


def test_manager_writes_publishes_and_withdraws_a_response(client, manager):
    from django.urls import reverse

    from cijfers.models import PublicResponse

    client.force_login(manager)
    url = reverse("cijfers:responses")
    bad = client.post(url, {"theme": "", "you_said": "De wachtkamer is koud", "we_did": ""})
    assert bad.status_code == 400 and "De wachtkamer is koud" in bad.content.decode()
    assert "Dit veld is verplicht" in bad.content.decode()
    data = {"theme": "Wachtkamer", "you_said": "Het is koud.", "we_did": "Nieuwe verwarming."}
    assert client.post(url, data).status_code == 302
    response = PublicResponse.objects.get()
    assert not response.is_published
    assert "Wachtkamer" not in client.get(reverse("cijfers:public_responses")).content.decode()

    publish = reverse("cijfers:publish_response")
    assert client.post(publish, {"response": response.pk, "publish": "1"}).status_code == 302
    public = client.get(reverse("cijfers:public_responses")).content.decode()
    assert "Wachtkamer" in public and "Nieuwe verwarming." in public
    client.post(publish, {"response": response.pk, "publish": "0"})
    assert "Wachtkamer" not in client.get(reverse("cijfers:public_responses")).content.decode()


def test_only_managers_see_remarks_and_write_responses(client, nurse):
    from django.urls import reverse

    client.force_login(nurse)
    assert client.get(reverse("cijfers:responses")).status_code == 403
    post = client.post(reverse("cijfers:responses"), {"theme": "x", "you_said": "x", "we_did": "x"})
    assert post.status_code == 403
    assert client.post(reverse("cijfers:publish_response"), {"response": 1}).status_code == 403
