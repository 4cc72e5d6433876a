"""The satisfaction survey: one invitation and one answer per visit, no way back to the family,
remarks kept one year; and the public "Jullie zeiden, wij deden" page."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from afspraken.models import Appointment
from cijfers import services
from cijfers.exceptions import SurveyUsed
from cijfers.models import PublicResponse, SurveyAnswer, SurveyInvitation
from outbox.models import OutgoingEmail
from tests.cijfers.factories import appointment, at

pytestmark = pytest.mark.django_db


def _yesterday(status=Appointment.Status.ATTENDED):
    return appointment(at(timezone.localdate() - timedelta(days=1), 10), status=status)


def test_an_attended_visit_gets_one_invitation_the_day_after():
    visit = _yesterday()
    _yesterday(status=Appointment.Status.NO_SHOW)
    _yesterday(status=Appointment.Status.CANCELLED)
    assert services.send_survey_invitations() == 1
    assert services.send_survey_invitations() == 0
    mail = OutgoingEmail.objects.get(kind="survey")
    assert mail.to == visit.parent.email
    assert SurveyInvitation.objects.get().token in mail.body_text


@pytest.mark.parametrize("channel", ["sms", "both"])
def test_a_family_that_chose_sms_gets_the_survey_link_by_sms(channel):
    from families.models import Family
    from sms.models import OutgoingSms

    visit = _yesterday()
    Family.objects.filter(pk=visit.family_id).update(message_channel=channel, phone="+31612345678")
    assert services.send_survey_invitations() == 1
    assert services.send_survey_invitations() == 0
    text = OutgoingSms.objects.get(kind="survey")
    token = SurveyInvitation.objects.get().token
    assert text.to == "+31612345678" and f"/tevredenheid/{token}/" in text.body
    assert "hoe was je bezoek gisteren" in text.body
    assert OutgoingEmail.objects.filter(kind="survey").count() == (channel == "both")


def test_a_visit_today_is_not_asked_about_yet():
    appointment(at(timezone.localdate(), 0, 5), status=Appointment.Status.ATTENDED)
    assert services.send_survey_invitations() == 0


def test_one_answer_per_visit():
    invitation = SurveyInvitation.objects.create(appointment=_yesterday())
    answer = dict(enough_time=True, discussed="yes", score=4, remark=" Fijn gesprek ")
    services.answer_survey(token=invitation.token, **answer)
    with pytest.raises(SurveyUsed):
        services.answer_survey(token=invitation.token, **answer)
    saved = SurveyAnswer.objects.get()
    assert (saved.score, saved.remark) == (4, "Fijn gesprek")
    assert saved.week.weekday() == 0


def test_the_answer_has_no_link_back_to_the_visit_or_family():
    linked = {f.related_model._meta.label for f in SurveyAnswer._meta.fields if f.related_model}
    assert linked <= {"teams.Team", "afspraken.Location"}
    assert not {"created_at", "answered_at", "token"} & {f.name for f in SurveyAnswer._meta.fields}


def test_remarks_are_emptied_after_a_year_and_scores_stay():
    old = SurveyAnswer.objects.create(
        week=date(2025, 10, 6), enough_time=True, discussed="yes", score=5, remark="Top"
    )
    new = SurveyAnswer.objects.create(
        week=date(2026, 11, 2), enough_time=False, discussed="no", score=2, remark="Te kort"
    )
    assert services.clear_old_remarks(today=date(2026, 12, 1)) == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.remark, old.score, new.remark) == ("", 5, "Te kort")


def test_survey_page_keeps_the_remark_on_an_incomplete_answer(client):
    invitation = SurveyInvitation.objects.create(appointment=_yesterday())
    url = f"/tevredenheid/{invitation.token}/"
    assert "Had je genoeg tijd?" in client.get(url).content.decode()
    response = client.post(url, {"remark": "Wachtkamer was koud"})
    assert response.status_code == 400
    assert "Wachtkamer was koud" in response.content.decode()
    response = client.post(
        url, {"enough_time": "yes", "discussed": "partly", "score": "3", "remark": "Koud"}
    )
    assert response.status_code == 302 and response.url == "/tevredenheid/bedankt/"
    again = client.get(url)
    assert "Je hebt al geantwoord" in again.content.decode()
    thanks = client.get("/tevredenheid/bedankt/").content.decode()
    assert "/jullie-zeiden-wij-deden/" in thanks


def test_unknown_survey_link_is_a_404(client):
    assert client.get("/tevredenheid/bestaat-niet/").status_code == 404


def test_public_page_shows_only_published_responses(client):
    PublicResponse.objects.create(
        theme="Avondspreekuur",
        you_said="Overdag kunnen we niet.",
        we_did="Elke dinsdag tot 20:00 open.",
        is_published=True,
        published_on=date(2026, 11, 20),
    )
    PublicResponse.objects.create(theme="Concept", you_said="-", we_did="-")
    html = client.get("/jullie-zeiden-wij-deden/").content.decode()
    assert "Elke dinsdag tot 20:00 open." in html and "20 november 2026" in html
    assert "Concept" not in html
