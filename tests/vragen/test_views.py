"""Pages: permissions, forms, the alarm step, the thread, the queue and its query counts."""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from onderwerpen.models import Topic
from tests.factories import make_child, make_family, make_parent, make_staff
from tests.vragen.factories import make_question, topic
from vragen import services
from vragen.models import InternalNote, Message, Question, StandardAnswer, Urgency

pytestmark = pytest.mark.django_db
S = Question.Status


def _ask_data(**overrides):
    return {
        "about": "parent",
        "topic": topic().pk,
        "text": "Ik slaap slecht sinds de geboorte van onze zoon.",
        "channel": "online",
        **overrides,
    }


# --- Permissions -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["vragen:mine", "vragen:ask", "vragen:queue", "vragen:call_list"])
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ["vragen:detail", "vragen:sent"])
def test_other_parent_gets_404_on_a_question(client, parent, other_parent, name):
    question = make_question(parent=parent)
    client.force_login(other_parent)
    assert client.get(reverse(name, args=[question.pk])).status_code == 404


@pytest.mark.parametrize("name", ["vragen:reply", "vragen:solve"])
def test_other_parent_cannot_post_to_a_question(client, parent, other_parent, name):
    question = make_question(parent=parent)
    client.force_login(other_parent)
    response = client.post(reverse(name, args=[question.pk]), {"body": "Hallo daar"})
    assert response.status_code == 404
    question.refresh_from_db()
    assert question.status == S.OPEN and not question.messages.exists()


def test_second_parent_of_the_family_sees_the_question(client, parent):
    question = make_question(parent=parent)
    client.force_login(make_parent(family=parent.family))
    assert client.get(reverse("vragen:detail", args=[question.pk])).status_code == 200


def test_own_parent_sees_the_question(parent_client, parent):
    question = make_question(parent=parent)
    response = parent_client.get(reverse("vragen:detail", args=[question.pk]))
    assert response.status_code == 200 and question.text in response.text


def test_nurse_gets_403_on_parent_pages(nurse_client, parent):
    question = make_question(parent=parent)
    assert nurse_client.get(reverse("vragen:ask")).status_code == 403
    assert nurse_client.get(reverse("vragen:detail", args=[question.pk])).status_code == 403


def test_parent_gets_403_on_staff_pages(parent_client, parent):
    question = make_question(parent=parent)
    assert parent_client.get(reverse("vragen:queue")).status_code == 403
    url = reverse("vragen:staff_question", args=[question.pk])
    assert parent_client.get(url).status_code == 403
    url = reverse("vragen:staff_action", args=[question.pk, "answer"])
    assert parent_client.post(url, {"answer-body": "x" * 20}).status_code == 403


def test_staff_without_mfa_is_sent_to_mfa_setup(client):
    client.force_login(make_staff(mfa=False))
    response = client.get(reverse("vragen:queue"))
    assert response.status_code == 302 and "/accounts/2fa/" in response["Location"]


# --- Asking ------------------------------------------------------------------------------------


def test_ask_page_shows_emergency_advice_and_children(parent_client, parent):
    make_child(family=parent.family, first_name="Noor")
    response = parent_client.get(reverse("vragen:ask"))
    assert response.status_code == 200
    assert "Stel een vraag" in response.text and "Noor" in response.text
    assert "112" in response.text and "huisartsenpost" in response.text
    assert "Over mijzelf als ouder" in response.text


def test_ask_creates_question_and_shows_reference_and_promise(parent_client, parent):
    response = parent_client.post(reverse("vragen:ask"), _ask_data(), follow=True)
    question = Question.objects.get()
    assert response.status_code == 200
    assert question.reference in response.text
    assert "Je krijgt uiterlijk" in response.text
    assert question.asked_by == parent and question.child is None


def test_ask_about_own_child(parent_client, parent):
    child = make_child(family=parent.family)
    parent_client.post(reverse("vragen:ask"), _ask_data(about=str(child.pk)))
    assert Question.objects.get().child == child


def test_ask_about_another_familys_child_is_refused(parent_client):
    stranger = make_child(family=make_family())
    response = parent_client.post(reverse("vragen:ask"), _ask_data(about=str(stranger.pk)))
    assert response.status_code == 400 and not Question.objects.exists()


def test_form_error_keeps_everything_typed(parent_client):
    data = _ask_data(text="Kort", channel="call_back", call_back_phone="")
    response = parent_client.post(reverse("vragen:ask"), data)
    assert response.status_code == 400
    assert "Kort</textarea>" in response.text
    assert (
        'value="call_back" class="form-check-input" id="id_channel_1" required checked'
        in (response.text)
        or 'value="call_back"' in response.text
    )
    assert "Vul een telefoonnummer in" in response.text
    assert "Schrijf wat meer" in response.text
    assert not Question.objects.exists()


def test_call_back_needs_phone_and_part_of_day(parent_client):
    data = _ask_data(channel="call_back", call_back_phone="06 12345678")
    response = parent_client.post(reverse("vragen:ask"), data)
    assert response.status_code == 400
    assert "06 12345678" in response.text
    data["call_back_part_of_day"] = "morning"
    assert parent_client.post(reverse("vragen:ask"), data).status_code == 302
    assert Question.objects.get().call_back_phone == "06 12345678"


def test_alarm_phrase_shows_call_now_before_sending(parent_client):
    data = _ask_data(text="Mijn baby is erg benauwd en hoest de hele nacht.")
    response = parent_client.post(reverse("vragen:ask"), data)
    assert response.status_code == 200
    assert "Bel nu" in response.text and "112" in response.text
    assert not Question.objects.exists()
    response = parent_client.post(reverse("vragen:ask"), {**data, "alarm_confirmed": "on"})
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.is_alarm and question.urgency == Urgency.URGENT


def test_alarm_page_lets_the_parent_change_the_question(parent_client):
    data = _ask_data(text="Mijn baby is erg benauwd en hoest de hele nacht.")
    response = parent_client.post(reverse("vragen:ask"), {**data, "edit": "1"})
    assert response.status_code == 200 and "de hele nacht.</textarea>" in response.text
    assert 'name="alarm_confirmed"' in response.text and not Question.objects.exists()


# --- Thread ------------------------------------------------------------------------------------


def test_thread_shows_answer_but_never_internal_notes(parent_client, parent, nurse):
    question = make_question(parent=parent)
    services.add_internal_note(actor=nurse, question_id=question.pk, body="INTERN-GEHEIM")
    services.answer_question(actor=nurse, question_id=question.pk, body="Een vast ritme helpt.")
    response = parent_client.get(reverse("vragen:detail", args=[question.pk]))
    assert "Een vast ritme helpt." in response.text
    assert "INTERN-GEHEIM" not in response.text
    assert "INTERN-GEHEIM" not in parent_client.get(reverse("vragen:mine")).text


def test_unread_marker_until_the_parent_opens_the_thread(parent_client, parent, nurse):
    question = make_question(parent=parent)
    services.answer_question(actor=nurse, question_id=question.pk, body="Antwoord.")
    assert "Nieuw bericht" in parent_client.get(reverse("vragen:mine")).text
    parent_client.get(reverse("vragen:detail", args=[question.pk]))
    assert "Nieuw bericht" not in parent_client.get(reverse("vragen:mine")).text


def test_status_in_plain_words(parent_client, parent, nurse):
    question = make_question(parent=parent)
    services.request_information(actor=nurse, question_id=question.pk, body="Hoe oud?")
    response = parent_client.get(reverse("vragen:mine"))
    assert "We hebben meer informatie van je nodig" in response.text


def test_parent_reply_and_solve(parent_client, parent, nurse):
    question = make_question(parent=parent)
    services.answer_question(actor=nurse, question_id=question.pk, body="Antwoord.")
    url = reverse("vragen:reply", args=[question.pk])
    assert parent_client.post(url, {"body": "Dank je, nog een vraag."}).status_code == 302
    question.refresh_from_db()
    assert question.status == S.OPEN
    response = parent_client.post(reverse("vragen:solve", args=[question.pk]), follow=True)
    question.refresh_from_db()
    assert question.status == S.CLOSED
    assert "Heeft ons antwoord je geholpen?" in response.text


def test_empty_reply_is_refused_with_dutch_error(parent_client, parent):
    question = make_question(parent=parent)
    response = parent_client.post(reverse("vragen:reply", args=[question.pk]), {"body": ""})
    assert response.status_code == 400 and "Vul dit veld in." in response.text


def test_feedback_link_not_helped_reopens_once(client, parent, nurse):
    question = make_question(parent=parent)
    services.close_question(actor=nurse, question_id=question.pk, reason="answered")
    question.refresh_from_db()
    url = reverse("vragen:feedback", args=[services.make_feedback_token(question)])
    assert client.get(url).status_code == 200
    response = client.post(url, {"helped": "no"})
    assert response.status_code == 200 and "opnieuw geopend" in response.text
    question.refresh_from_db()
    assert question.status == S.OPEN
    assert client.post(url, {"helped": "yes"}).status_code == 410


def test_forged_feedback_link_is_refused(client):
    assert client.get(reverse("vragen:feedback", args=["nep:token"])).status_code == 400


# --- Staff -------------------------------------------------------------------------------------


def test_queue_shows_counts_and_overdue(nurse_client, parent):
    question = make_question(parent=parent)
    Question.objects.filter(pk=question.pk).update(deadline_at=timezone.now() - timedelta(hours=1))
    response = nurse_client.get(reverse("vragen:queue"))
    assert response.status_code == 200
    assert question.reference in response.text and "te laat" in response.text
    assert response.context["counts"]["overdue"] == 1


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"assigned": "mine"}, {"mine"}),
        ({"assigned": "unassigned"}, {"baby", "parent"}),
        ({"age_band": "0-1"}, {"baby"}),
        ({"age_band": "parent"}, {"parent"}),
        ({"urgency": "1"}, {"mine"}),
        ({"overdue": "on"}, {"parent"}),
        ({"status": "waiting"}, set()),
    ],
)
def test_queue_filters(nurse_client, nurse, parent, params, expected):
    questions = {
        "mine": make_question(parent=parent, child=make_child(family=parent.family, age_months=30)),
        "baby": make_question(parent=parent, child=make_child(family=parent.family, age_months=3)),
        "parent": make_question(parent=parent),
    }
    services.assign_question(actor=nurse, question_id=questions["mine"].pk, assignee=nurse)
    services.set_urgency(actor=nurse, question_id=questions["mine"].pk, urgency=Urgency.URGENT)
    Question.objects.filter(pk=questions["parent"].pk).update(
        deadline_at=timezone.now() - timedelta(minutes=5)
    )
    response = nurse_client.get(reverse("vragen:queue"), params)
    shown = {name for name, q in questions.items() if q.reference in response.text}
    assert shown == expected


def test_staff_question_page_shows_context_and_logs_access(nurse_client, nurse, parent):
    from privacy.fields import contains_id
    from privacy.models import AccessLog

    make_child(family=parent.family, first_name="Noor", age_months=8)
    earlier = make_question(parent=parent, text="Een eerdere vraag over voeding.")
    question = make_question(parent=parent)
    services.add_internal_note(actor=nurse, question_id=question.pk, body="Notitie voor collega's")
    response = nurse_client.get(reverse("vragen:staff_question", args=[question.pk]))
    assert response.status_code == 200
    assert "Noor: 8 maanden" in response.text and earlier.reference in response.text
    assert "Notitie voor collega" in response.text
    assert "Vraag gesteld" in response.text  # the timeline
    assert AccessLog.objects.filter(
        contains_id("record_ids", question.pk),
        contains_id("family_ids", parent.family_id),
        actor=nurse,
        action="view",
    ).exists()


def test_standard_answer_fills_the_answer_box(nurse_client, parent):
    question = make_question(parent=parent)
    standard = StandardAnswer.objects.filter(topic=question.topic).first()
    url = reverse("vragen:staff_question", args=[question.pk])
    response = nurse_client.get(url, {"standard": standard.pk})
    assert standard.body[:40] in response.text


def test_answer_is_posted_as_the_logged_in_professional(nurse_client, nurse, parent):
    """A professional cannot post as someone else: any author field in the form is ignored."""
    colleague = make_staff(first_name="Anouk")
    question = make_question(parent=parent)
    url = reverse("vragen:staff_action", args=[question.pk, "answer"])
    response = nurse_client.post(url, {"answer-body": "Mijn antwoord.", "author": colleague.pk})
    assert response.status_code == 302
    message = Message.objects.get(question=question)
    assert message.author == nurse
    assert question.events.filter(kind="message").get().actor == nurse


def test_note_is_written_as_the_logged_in_professional(nurse_client, nurse, parent):
    question = make_question(parent=parent)
    url = reverse("vragen:staff_action", args=[question.pk, "note"])
    nurse_client.post(url, {"note-body": "Let op.", "author": make_staff().pk})
    assert InternalNote.objects.get().author == nurse


def test_empty_answer_gives_400_with_dutch_error(nurse_client, parent):
    question = make_question(parent=parent)
    url = reverse("vragen:staff_action", args=[question.pk, "answer"])
    response = nurse_client.post(url, {"answer-body": ""})
    assert response.status_code == 400 and "Vul dit veld in." in response.text


def test_answering_a_closed_question_gives_409(nurse_client, nurse, parent):
    question = make_question(parent=parent)
    services.close_question(actor=nurse, question_id=question.pk, reason="duplicate")
    url = reverse("vragen:staff_action", args=[question.pk, "answer"])
    response = nurse_client.post(url, {"answer-body": "Nog een antwoord."})
    assert response.status_code == 409 and "Nog een antwoord." in response.text


def test_unknown_action_is_404(nurse_client, parent):
    question = make_question(parent=parent)
    url = reverse("vragen:staff_action", args=[question.pk, "delete"])
    assert nurse_client.post(url).status_code == 404


def test_take_question(nurse_client, nurse, parent):
    question = make_question(parent=parent)
    nurse_client.post(reverse("vragen:take", args=[question.pk]))
    question.refresh_from_db()
    assert question.assignee == nurse


def test_call_list_and_staff_home(nurse_client, nurse, parent):
    question = make_question(parent=parent)
    services.assign_question(actor=nurse, question_id=question.pk, assignee=nurse)
    url = reverse("vragen:staff_action", args=[question.pk, "call_back"])
    today = timezone.localdate().isoformat()
    response = nurse_client.post(
        url,
        {
            "call_back-on": today,
            "call_back-part_of_day": "afternoon",
            "call_back-phone": "06 98765432",
            "call_back-message": "We bellen.",
        },
    )
    assert response.status_code == 302
    assert "06 98765432" in nurse_client.get(reverse("vragen:call_list")).text
    home = nurse_client.get(reverse("staff_home")).text
    assert "Mijn open vragen" in home and question.reference in home
    assert "Terugbellen vandaag" in home


def test_manager_admin_pages_load(client, manager, parent):
    question = make_question(parent=parent)
    client.force_login(manager)
    names = ["onderwerpen_topic"] + [
        f"vragen_{name}"
        for name in ["alarmrule", "standardanswer", "urgencydeadline", "openinghours"]
    ]
    for name in names:
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200
    response = client.get(reverse("admin:vragen_question_change", args=[question.pk]))
    assert response.status_code == 200 and question.text not in response.text


# --- Scale: constant queries, the partial index -------------------------------------------------


def _bulk_questions(n: int) -> None:
    families = [make_family() for _ in range(20)]
    topics = list(Topic.objects.all())
    now = timezone.now()
    rng = random.Random(3)
    statuses = [S.CLOSED] * 7 + [S.OPEN, S.WAITING, S.ANSWERED]
    rows = []
    for i in range(n):
        status = rng.choice(statuses)
        rows.append(
            Question(
                reference=f"B{i:07d}",
                family=families[i % 20],
                topic=rng.choice(topics),
                text="Vraag over slapen en voeding",
                status=status,
                urgency=rng.randint(1, 5),
                queued_at=now - timedelta(minutes=i),
                deadline_at=now + timedelta(hours=rng.randint(-20, 20)),
                closed_at=now if status == S.CLOSED else None,
            )
        )
    Question.objects.bulk_create(rows, batch_size=2000)
    with connection.cursor() as cursor:
        for table in ("vragen_question", "onderwerpen_topic", "families_child", "accounts_user"):
            cursor.execute(f"ANALYZE {table}")


@pytest.fixture
def many_questions(db):
    _bulk_questions(10_000)


def test_queue_page_query_count_is_constant(
    nurse_client, many_questions, django_assert_max_num_queries, time_machine
):
    # The clock stands still: the idle-timeout session write (once a minute, not per row)
    # would otherwise land inside a measured request on a slow machine.
    time_machine.move_to(timezone.now(), tick=False)
    nurse_client.get(reverse("vragen:queue"))
    # 14: the team filter lists the teams, and the scope reads the nurse's teams.
    with django_assert_max_num_queries(14):
        response = nurse_client.get(reverse("vragen:queue"))
    assert response.status_code == 200
    with django_assert_max_num_queries(14):
        nurse_client.get(reverse("vragen:queue"), {"page": "3", "assigned": "unassigned"})


def test_question_page_query_count_is_constant(
    nurse_client, nurse, parent, many_questions, django_assert_max_num_queries
):
    Question.objects.filter(reference__startswith="B").update(family=parent.family)
    question = make_question(parent=parent)
    for _ in range(5):
        services.answer_question(actor=nurse, question_id=question.pk, body="Antwoord.")
        services.reply_as_parent(parent=parent, question_id=question.pk, body="Reactie.")
    # 26: one of them lists the information articles to link for the child's age.
    with django_assert_max_num_queries(26):
        response = nurse_client.get(reverse("vragen:staff_question", args=[question.pk]))
    assert response.status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN output of PostgreSQL")
def test_queue_query_uses_the_partial_index(nurse, many_questions):
    from vragen import selectors

    qs = selectors.list_queue(actor=nurse, filters=selectors.QueueFilters())[:50]
    plan = qs.explain()
    assert "vragen_question_queue_idx" in plan, plan


# --- Discuss at my appointment ------------------------------------------------------------------


def _book(parent, child):
    from afspraken.services import book_appointment
    from tests.afspraken.factories import make_slot, slot_type

    slot = make_slot()
    return book_appointment(
        slot_id=slot.pk, appointment_type_id=slot_type(slot).pk, parent=parent, child_id=child.pk
    )


def test_question_can_be_linked_to_an_upcoming_appointment(parent_client, parent):
    child = make_child(family=parent.family)
    appointment = _book(parent, child)
    response = parent_client.get(reverse("vragen:ask"))
    assert str(appointment.pk) in response.text
    data = _ask_data(about=str(child.pk), channel="appointment", appointment=str(appointment.pk))
    assert parent_client.post(reverse("vragen:ask"), data).status_code == 302
    question = Question.objects.get()
    assert question.appointment == appointment


def test_discuss_at_appointment_without_appointment_is_refused(parent_client):
    response = parent_client.post(reverse("vragen:ask"), _ask_data(channel="appointment"))
    assert response.status_code == 400
    assert "Je hebt nog geen afspraak" in response.text


def test_another_familys_appointment_cannot_be_chosen(parent_client):
    stranger = make_parent()
    appointment = _book(stranger, make_child(family=stranger.family))
    data = _ask_data(channel="appointment", appointment=str(appointment.pk))
    assert parent_client.post(reverse("vragen:ask"), data).status_code == 400
    assert not Question.objects.exists()


def test_staff_page_shows_upcoming_appointments(nurse_client, parent):
    child = make_child(family=parent.family)
    appointment = _book(parent, child)
    question = make_question(parent=parent)
    response = nurse_client.get(reverse("vragen:staff_question", args=[question.pk]))
    assert appointment.appointment_type.name in response.text


def test_every_parent_page_of_the_flow_shows_the_emergency_block(parent_client, parent, nurse):
    question = make_question(parent=parent)
    services.answer_question(actor=nurse, question_id=question.pk, body="Antwoord.")
    pages = [
        parent_client.get(reverse("vragen:mine")),
        parent_client.get(reverse("vragen:ask")),
        parent_client.get(reverse("vragen:sent", args=[question.pk])),
        parent_client.get(reverse("vragen:detail", args=[question.pk])),
        parent_client.post(reverse("vragen:ask"), _ask_data(text="Mijn kind is erg benauwd.")),
        parent_client.post(reverse("vragen:ask"), _ask_data(text="Kort")),
    ]
    for response in pages:
        assert "Bij levensgevaar: bel 112." in response.text
        assert "Is het dringend?" in response.text or "Bel nu" in response.text
