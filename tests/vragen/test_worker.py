"""The periodic task and the answer e-mail through a real Celery worker and an SMTP sink."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest_worker import wait_until
from tests.factories import make_parent, make_staff
from tests.vragen.factories import make_question
from vragen import services
from vragen.models import Question

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_stale_waiting_question_returns_to_queue_in_the_worker(celery_worker):
    from vragen.tasks import return_stale_waiting_questions_task

    parent, nurse = make_parent(), make_staff()
    question = make_question(parent=parent)
    services.request_information(actor=nurse, question_id=question.pk, body="Hoe oud is ze?")
    Question.objects.filter(pk=question.pk).update(waiting_since=timezone.now() - timedelta(days=6))
    return_stale_waiting_questions_task.delay()
    wait_until(lambda: Question.objects.get(pk=question.pk).status == Question.Status.OPEN)


def test_answer_mail_has_a_link_and_no_text_through_the_worker(celery_worker, smtp_sink):
    parent, nurse = make_parent(), make_staff()
    question = make_question(parent=parent, text="Vraag met GEHEIME-INHOUD over slapen.")
    services.add_internal_note(actor=nurse, question_id=question.pk, body="NOTITIE-GEHEIM")
    services.answer_question(actor=nurse, question_id=question.pk, body="ANTWOORD-GEHEIM")
    messages = smtp_sink.wait_for(2)
    for message in messages:
        parts = [p for p in message.walk() if not p.is_multipart()]
        assert {p.get_content_type() for p in parts} == {"text/plain", "text/html"}
        for part in parts:
            body = part.get_payload(decode=True).decode()
            for secret in ("GEHEIME-INHOUD", "NOTITIE-GEHEIM", "ANTWOORD-GEHEIM"):
                assert secret not in body
            assert f"/vragen/{question.pk}/" in body
    assert {m["To"] for m in messages} == {parent.email}
