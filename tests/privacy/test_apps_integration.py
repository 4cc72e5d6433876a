"""Privacy across the apps: youth rights in the question selectors, export, deletion, retention."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from afspraken.models import Appointment, Slot
from afspraken.services import book_appointment
from nieuwsbrieven.models import Subscription
from privacy.models import YouthQuestion
from privacy.services import apply_retention, build_data_export, delete_account
from tests.afspraken.factories import make_slot, slot_type
from tests.factories import make_child, make_parent
from tests.nieuwsbrieven.factories import make_subscription
from tests.vragen.factories import make_question
from vragen.models import Question
from vragen.selectors import get_question_for_parent, list_questions_for_parent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _seeded(db):
    # A transactional test (browser, worker) empties every table, seeded topics included.
    from tests.vragen.factories import ensure_seeded

    ensure_seeded()


def _youth_question(parent, age_months):
    child = make_child(family=parent.family, age_months=age_months)
    question = make_question(parent=parent, child=child, text="Ik wil iets vragen over school.")
    YouthQuestion.objects.create(question=question)
    return question


def test_parent_does_not_see_question_a_youth_of_16_asked(parent):
    question = _youth_question(parent, 16 * 12)
    assert question not in list_questions_for_parent(parent=parent)
    with pytest.raises(Http404):
        get_question_for_parent(parent=parent, question_id=question.pk)


def test_youth_question_page_is_404_for_parent(parent_client, parent):
    question = _youth_question(parent, 17 * 12)
    response = parent_client.get(reverse("vragen:detail", kwargs={"question_id": question.pk}))
    assert response.status_code == 404


def test_parent_still_sees_question_of_youth_of_15(parent):
    question = _youth_question(parent, 15 * 12 + 11)
    assert question in list_questions_for_parent(parent=parent)


def test_parent_sees_own_question_about_child_of_16(parent):
    child = make_child(family=parent.family, age_months=16 * 12)
    question = make_question(parent=parent, child=child)
    assert question in list_questions_for_parent(parent=parent)


def test_youth_rule_can_be_switched_off(parent, settings):
    question = _youth_question(parent, 16 * 12)
    settings.YOUTH_PRIVATE_QUESTIONS_FROM_AGE = 0
    assert question in list_questions_for_parent(parent=parent)


def test_export_leaves_out_youth_questions(parent):
    _youth_question(parent, 16 * 12)
    make_question(parent=parent, text="Hoeveel moet mijn baby drinken?")
    data = json.loads(zipfile.ZipFile(io.BytesIO(build_data_export(user=parent))).read("data.json"))
    texts = [row["question"] for row in data["sections"]["questions"]["rows"]]
    assert texts == ["Hoeveel moet mijn baby drinken?"]


def _book(parent, child, **slot_kw):
    slot = make_slot(**slot_kw)
    return book_appointment(
        slot_id=slot.pk, appointment_type_id=slot_type(slot).pk, parent=parent, child_id=child.pk
    )


def test_export_has_appointments_and_newsletter(parent):
    child = make_child(family=parent.family, age_months=3)
    _book(parent, child)
    make_subscription(parent=parent)
    data = json.loads(zipfile.ZipFile(io.BytesIO(build_data_export(user=parent))).read("data.json"))
    assert len(data["sections"]["appointments"]["rows"]) == 1
    assert data["sections"]["newsletter_subscription"]["rows"][0]["email"] == parent.email


def test_deletion_cancels_future_appointments_and_frees_the_place(parent):
    partner = make_parent(family=parent.family)
    child = make_child(family=parent.family, age_months=3)
    appointment = _book(parent, child)
    delete_account(user=parent)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert Slot.objects.get(pk=appointment.slot_id).booked_count == 0
    assert partner.family.children.exists()


def test_deletion_cancels_appointment_inside_the_cut_off(parent):
    partner = make_parent(family=parent.family)
    child = make_child(family=parent.family, age_months=3)
    appointment = _book(parent, child)
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=timezone.now() + timedelta(hours=1)
    )
    delete_account(user=parent)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert partner.family_id


def test_deletion_of_last_parent_removes_questions_and_appointments(parent):
    child = make_child(family=parent.family, age_months=3)
    appointment = _book(parent, child)
    question = make_question(parent=parent)
    delete_account(user=parent)
    assert not Question.objects.filter(pk=question.pk).exists()
    assert not Appointment.objects.filter(pk=appointment.pk).exists()
    assert Slot.objects.get(pk=appointment.slot_id).booked_count == 0


def test_deletion_stops_newsletters(parent):
    make_subscription(parent=parent)
    delete_account(user=parent)
    assert not Subscription.objects.exists()


def test_retention_removes_old_closed_questions_only(parent, settings):
    old = make_question(parent=parent)
    recent = make_question(parent=parent, text="Nog een vraag over slapen.")
    long_ago = timezone.now() - timedelta(days=settings.RETENTION_CLOSED_QUESTIONS_DAYS + 1)
    Question.objects.filter(pk=old.pk).update(status="closed", closed_at=long_ago)
    Question.objects.filter(pk=recent.pk).update(status="closed", closed_at=timezone.now())
    report = apply_retention(dry_run=False)
    assert report.counts["closed_questions"] == 1
    assert list(Question.objects.all()) == [recent]


def test_retention_removes_old_past_appointments(parent, settings):
    child = make_child(family=parent.family, age_months=3)
    appointment = _book(parent, child)
    long_ago = timezone.now() - timedelta(days=settings.RETENTION_PAST_APPOINTMENTS_DAYS + 1)
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=long_ago - timedelta(minutes=20), ends_at=long_ago
    )
    report = apply_retention(dry_run=True)
    assert report.counts["past_appointments"] == 1
    assert Appointment.objects.exists()  # dry run
    apply_retention(dry_run=False)
    assert not Appointment.objects.exists()


def test_professional_marks_a_youth_question_and_parent_loses_it(nurse_client, nurse):
    from privacy.models import AccessLog

    parent = make_parent()
    child = make_child(family=parent.family, age_months=16 * 12 + 2)
    question = make_question(parent=parent, child=child)
    page = nurse_client.get(reverse("vragen:staff_question", kwargs={"question_id": question.pk}))
    assert reverse("privacy:mark_youth_question", kwargs={"question_id": question.pk}) in page.text
    url = reverse("privacy:mark_youth_question", kwargs={"question_id": question.pk})
    response = nurse_client.post(url, {"asked_by_youth": "1"})
    assert response.status_code == 302
    assert question not in list_questions_for_parent(parent=parent)
    assert AccessLog.objects.filter(reason="asked by youth", actor=nurse).exists()
    nurse_client.post(url, {"asked_by_youth": "0"})
    assert question in list_questions_for_parent(parent=parent)


def test_parent_cannot_mark_a_youth_question(parent_client, parent):
    question = make_question(parent=parent)
    url = reverse("privacy:mark_youth_question", kwargs={"question_id": question.pk})
    assert parent_client.post(url, {"asked_by_youth": "1"}).status_code == 403
    assert not YouthQuestion.objects.exists()


def test_parent_access_log_hides_staff_reads_of_a_youths_own_question(parent, nurse):
    from privacy.selectors import list_access_for_family
    from vragen.selectors import get_question_for_staff

    hidden = _youth_question(parent, 16 * 12)
    visible = make_question(parent=parent, text="Een vraag van de ouder over eten.")
    get_question_for_staff(actor=nurse, question_id=hidden.pk)
    get_question_for_staff(actor=nurse, question_id=visible.pk)
    assert len(list_access_for_family(family_id=parent.family_id)) == 1


def _mail_kinds(parent) -> list[str]:
    from outbox.models import OutgoingEmail

    return list(OutgoingEmail.objects.filter(to=parent.email).values_list("kind", flat=True))


def test_parent_gets_no_answered_or_closed_mail_for_a_youths_own_question(parent, nurse):
    from vragen import services

    hidden = _youth_question(parent, 16 * 12)
    before = _mail_kinds(parent)
    services.answer_question(actor=nurse, question_id=hidden.pk, body="Bel ons gerust terug.")
    services.close_question(
        actor=nurse, question_id=hidden.pk, reason=Question.CloseReason.ANSWERED
    )
    assert _mail_kinds(parent) == before


def test_parent_still_gets_answered_and_closed_mail_for_their_own_question(parent, nurse):
    from vragen import services

    question = make_question(parent=parent, text="Hoeveel moet een baby van 3 maanden drinken?")
    services.answer_question(actor=nurse, question_id=question.pk, body="Ongeveer 150 ml per kilo.")
    services.close_question(
        actor=nurse, question_id=question.pk, reason=Question.CloseReason.ANSWERED
    )
    assert {"vragen_answered", "vragen_closed"} <= set(_mail_kinds(parent))
