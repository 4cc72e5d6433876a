"""Pages: status codes, permissions (anonymous, other parent, own parent, nurse), token links."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from afspraken import services
from afspraken.models import Appointment, AppointmentChange, FollowUp
from privacy.fields import contains_id
from privacy.models import AccessLog
from tests.afspraken.factories import (
    make_schedule,
    make_slot,
    make_type,
    parent_with_child,
    slot_type,
    topic,
)
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(parent):
    from tests.factories import make_child

    child = make_child(family=parent.family, first_name="Noor")
    slot = make_slot()
    appointment = services.book_appointment(
        slot_id=slot.pk,
        appointment_type_id=slot_type(slot).pk,
        parent=parent,
        child_id=child.pk,
        topics=[topic("Slapen")],
        note="Ze slaapt slecht",
    )
    return appointment


def _private_urls(appointment):
    return [
        reverse("afspraken:detail", args=[appointment.pk]),
        reverse("afspraken:reschedule", args=[appointment.pk]),
        reverse("afspraken:ics", args=[appointment.pk]),
    ]


def test_anonymous_is_sent_to_login(client, booked):
    for url in [reverse("afspraken:mine"), reverse("afspraken:book"), *_private_urls(booked)]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_other_parent_gets_404_on_someone_elses_appointment(client, other_parent, booked):
    client.force_login(other_parent)
    for url in _private_urls(booked):
        assert client.get(url).status_code == 404
    assert client.post(reverse("afspraken:cancel", args=[booked.pk])).status_code == 404
    assert (
        client.post(reverse("afspraken:topics", args=[booked.pk]), {"note": "x"}).status_code == 404
    )
    booked.refresh_from_db()
    assert booked.is_booked and booked.note == "Ze slaapt slecht"


def test_other_parent_gets_404_on_someone_elses_token(client, other_parent, booked):
    client.force_login(other_parent)
    url = reverse("afspraken:token", args=[booked.token])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "cancel"}).status_code == 404
    booked.refresh_from_db()
    assert booked.is_booked


def test_nurse_gets_403_on_parent_pages(nurse_client, booked):
    assert nurse_client.get(reverse("afspraken:detail", args=[booked.pk])).status_code == 403
    assert nurse_client.get(reverse("afspraken:book")).status_code == 403


def test_parent_gets_403_on_staff_agenda(parent_client):
    assert parent_client.get(reverse("afspraken:agenda")).status_code == 403
    assert parent_client.get(reverse("afspraken:staff_book")).status_code == 403


def test_own_parent_sees_appointment_with_dutch_times(parent_client, booked):
    response = parent_client.get(reverse("afspraken:detail", args=[booked.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "18:30" in text and "Wat wil je bespreken?" in text
    mine = parent_client.get(reverse("afspraken:mine")).content.decode()
    assert "Slapen" in mine and "Ze slaapt slecht" in mine


def test_ics_download_has_amsterdam_tzid(parent_client, booked):
    response = parent_client.get(reverse("afspraken:ics", args=[booked.pk]))
    body = response.content.decode()
    assert "DTSTART;TZID=Europe/Amsterdam:" in body and "T183000" in body
    assert "BEGIN:VTIMEZONE" in body


def test_booking_flow_three_steps(parent_client, parent):
    from tests.factories import make_child

    child = make_child(family=parent.family)
    slot = make_slot()
    appointment_type = slot_type(slot)
    step1 = parent_client.get(reverse("afspraken:book"))
    assert step1.status_code == 200 and "Eerstvolgende avond" in step1.content.decode()
    step2 = parent_client.get(
        reverse("afspraken:book"),
        {"choice": f"{child.pk}:{appointment_type.pk}", "location": slot.location_id},
    )
    assert step2.status_code == 302
    listing = parent_client.get(step2.url)
    assert listing.status_code == 200
    confirm_url = reverse("afspraken:confirm", args=[slot.pk])
    assert confirm_url in listing.content.decode()
    response = parent_client.post(
        confirm_url,
        {
            "child": child.pk,
            "type": appointment_type.pk,
            "topics": [topic("Huilen").pk],
            "note": "Huilt",
        },
    )
    assert response.status_code == 302
    appointment = Appointment.objects.get(child=child)
    assert appointment.topic_labels == ["Huilen"]


def test_confirm_taken_slot_is_409_with_form_kept(parent_client, parent):
    from tests.factories import make_child

    child = make_child(family=parent.family)
    slot = make_slot()
    other, other_child = parent_with_child()
    services.book_appointment(
        slot_id=slot.pk,
        appointment_type_id=slot_type(slot).pk,
        parent=other,
        child_id=other_child.pk,
    )
    response = parent_client.post(
        reverse("afspraken:confirm", args=[slot.pk]),
        {"child": child.pk, "type": slot_type(slot).pk, "note": "Mijn vraag over slapen"},
    )
    assert response.status_code == 409
    text = response.content.decode()
    assert "Dit tijdstip is net vergeven, kies een ander" in text
    assert "Mijn vraag over slapen" in text


def test_age_mismatch_on_step_one_is_400(parent_client, parent):
    from tests.factories import make_child

    child = make_child(family=parent.family, age_months=40)
    baby = make_type(min_age_months=0, max_age_months=6)
    slot = make_slot(schedule=make_schedule(types=[baby]))
    response = parent_client.get(
        reverse("afspraken:book"),
        {"choice": f"{child.pk}:{baby.pk}", "location": slot.location_id},
    )
    assert response.status_code == 400
    assert "Je kind is op die dag te oud voor deze afspraak" in response.content.decode()


def test_slots_filter_evening_and_saturday(parent_client, parent):
    from datetime import time

    from tests.afspraken.factories import local_dt
    from tests.factories import make_child

    child = make_child(family=parent.family)
    schedule = make_schedule()
    today = timezone.localdate()
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    monday = saturday + timedelta(days=2)
    evening = make_slot(schedule=schedule, starts_at=local_dt(monday, time(18, 30)))
    morning = make_slot(schedule=schedule, starts_at=local_dt(monday, time(9, 0)))
    sat = make_slot(schedule=schedule, starts_at=local_dt(saturday, time(10, 0)))
    base = {"child": child.pk, "type": slot_type(evening).pk, "location": schedule.location_id}

    def ids(part, week):
        r = parent_client.get(
            reverse("afspraken:slots"), {**base, "part": part, "week": week.isoformat()}
        )
        assert r.status_code == 200
        listing = r.context["listing"]
        return {s.pk for _, slots in listing.days for s in slots}

    assert ids("evening", monday) == {evening.pk}
    assert ids("daytime", monday) == {morning.pk}
    assert ids("outside_office", monday) == {evening.pk}
    assert ids("saturday", saturday) == {sat.pk}


def test_cancel_page_after_cutoff_shows_location_phone(parent_client, parent):
    from tests.factories import make_child

    child = make_child(family=parent.family)
    slot = make_slot(starts_at=timezone.now() + timedelta(hours=6))
    appointment = services.book_appointment(
        slot_id=slot.pk, appointment_type_id=slot_type(slot).pk, parent=parent, child_id=child.pk
    )
    detail = parent_client.get(reverse("afspraken:detail", args=[appointment.pk])).content.decode()
    assert "Bel 030 123 45 67" in detail
    response = parent_client.post(reverse("afspraken:cancel", args=[appointment.pk]))
    assert response.status_code == 400
    appointment.refresh_from_db()
    assert appointment.is_booked


def test_token_cancels_a_booked_appointment_and_records_the_link_holder(client, booked):
    url = reverse("afspraken:token", args=[booked.token])
    assert "Afspraak afzeggen" in client.get(url).content.decode()
    response = client.post(url, {"action": "cancel"})
    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.status == Appointment.Status.CANCELLED
    change = booked.changes.get(action=AppointmentChange.Action.CANCELLED)
    assert (change.by, change.user) == (AppointmentChange.By.LINK, None)


def test_token_page_without_login_shows_only_date_time_place_and_cancel(client, booked):
    page = client.get(reverse("afspraken:token", args=[booked.token])).content.decode()
    assert "18:30" in page and booked.slot.location.address in page
    assert "Afspraak afzeggen" in page
    # Neither the child, nor what the family wants to discuss, nor the type.
    for private in ("Noor", "Ze slaapt slecht", "Slapen", booked.appointment_type.name):
        assert private not in page
    assert 'name="note"' not in page and 'name="reason"' not in page


def test_token_link_cannot_edit_topics_without_login(client, booked):
    url = reverse("afspraken:token", args=[booked.token])
    response = client.post(
        url, {"action": "topics", "topics": [topic("Groei").pk], "note": "Groeit hij?"}
    )
    assert response.status_code == 400
    booked.refresh_from_db()
    assert booked.topic_labels == ["Slapen"] and booked.note == "Ze slaapt slecht"


def test_token_link_sends_the_own_parent_to_the_full_page(parent_client, booked):
    response = parent_client.get(reverse("afspraken:token", args=[booked.token]))
    assert response.status_code == 302
    assert response.url == reverse("afspraken:detail", args=[booked.pk])


@pytest.mark.parametrize("how", ["ended", "attended"])
def test_token_link_stops_working_after_the_appointment(client, booked, how):
    if how == "ended":
        Appointment.objects.filter(pk=booked.pk).update(
            starts_at=timezone.now() - timedelta(hours=1),
            ends_at=timezone.now() - timedelta(minutes=40),
        )
    else:
        Appointment.objects.filter(pk=booked.pk).update(status=Appointment.Status.ATTENDED)
    url = reverse("afspraken:token", args=[booked.token])
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 410
    assert "Deze link werkt niet meer" in page
    assert f"{reverse('account_login')}?next={reverse('afspraken:mine')}" in page
    assert "030 123 45 67" in page
    assert "Noor" not in page and "Afspraak afzeggen" not in page
    assert client.post(url, {"action": "cancel"}).status_code == 410
    booked.refresh_from_db()
    assert booked.status != Appointment.Status.CANCELLED


def test_cancelled_token_shows_state_and_offers_new_booking_never_acts(client, booked):
    services.cancel_appointment(appointment_id=booked.pk, actor=booked.parent)
    url = reverse("afspraken:token", args=[booked.token])
    page = client.get(url).content.decode()
    assert "Deze afspraak is afgezegd." in page
    assert reverse("afspraken:book") in page
    assert "Afspraak afzeggen" not in page
    response = client.post(url, {"action": "cancel"})
    assert response.status_code == 409
    response = client.post(
        url, {"action": "topics", "topics": [topic("Slapen").pk], "note": "nieuw"}
    )
    booked.refresh_from_db()
    assert booked.status == Appointment.Status.CANCELLED and booked.note == "Ze slaapt slecht"


def test_moved_token_shows_moved_and_does_not_touch_the_new_appointment(client, booked, parent):
    new_slot = make_slot(
        schedule=booked.slot.schedule, starts_at=booked.starts_at + timedelta(days=1)
    )
    new = services.reschedule_appointment(
        appointment_id=booked.pk, new_slot_id=new_slot.pk, actor=parent
    )
    url = reverse("afspraken:token", args=[booked.token])
    page = client.get(url).content.decode()
    assert "Deze afspraak is verzet" in page and "18:30" not in page
    assert client.post(url, {"action": "cancel"}).status_code == 409
    new.refresh_from_db()
    assert new.is_booked


def test_unknown_token_is_404(client):
    assert client.get(reverse("afspraken:token", args=["nope"])).status_code == 404


def test_reschedule_flow_through_pages(parent_client, booked):
    new_slot = make_slot(
        schedule=booked.slot.schedule, starts_at=booked.starts_at + timedelta(days=2)
    )
    response = parent_client.get(reverse("afspraken:reschedule", args=[booked.pk]))
    assert response.status_code == 302 and "reschedule=" in response.url
    week = timezone.localtime(new_slot.starts_at).date().isoformat()
    listing = parent_client.get(f"{response.url}&week={week}")
    assert reverse("afspraken:confirm", args=[new_slot.pk]) in listing.content.decode()
    response = parent_client.post(
        reverse("afspraken:confirm", args=[new_slot.pk]),
        {"reschedule": booked.pk, "topics": [topic("Slapen").pk], "note": "Ze slaapt slecht"},
    )
    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.status == Appointment.Status.MOVED and booked.moved_to.slot == new_slot


def test_group_meetings_page_shows_seats_and_books(parent_client, parent):
    group = make_type(
        name="Scheiden en ouderschap", capacity=3, duration_minutes=90, partner="Lokalis"
    )
    slot = make_slot(schedule=make_schedule(types=[group]), minutes=90)
    page = parent_client.get(reverse("afspraken:groups")).content.decode()
    assert "Scheiden en ouderschap" in page and "Nog 3 plaatsen vrij" in page
    response = parent_client.post(reverse("afspraken:group_book", args=[slot.pk]))
    assert response.status_code == 302
    page = parent_client.get(reverse("afspraken:groups")).content.decode()
    assert "Nog 2 plaatsen vrij" in page and "Je hebt een plaats." in page
    assert parent_client.post(reverse("afspraken:group_book", args=[slot.pk])).status_code == 409


def test_full_group_meeting_refuses(parent_client):
    group = make_type(name="Overgewicht", capacity=2, duration_minutes=60)
    slot = make_slot(schedule=make_schedule(types=[group]), minutes=60)
    for _ in range(2):
        p, _c = parent_with_child()
        services.book_appointment(slot_id=slot.pk, appointment_type_id=group.pk, parent=p)
    page = parent_client.get(reverse("afspraken:groups")).content.decode()
    assert "Vol." in page and "Nog 0" not in page
    response = parent_client.post(reverse("afspraken:group_book", args=[slot.pk]))
    assert response.status_code == 409
    text = response.content.decode()
    assert "Deze bijeenkomst is net vol. Kies een andere datum." in text
    assert "tijdstip" not in text


def test_agenda_shows_child_age_type_topics_and_logs_access(nurse_client, nurse, booked):
    day = timezone.localtime(booked.starts_at).date()
    # The agenda opens on one's own agenda or team; this nurse has neither: choose the place.
    query = {"week": day.isoformat(), "location": booked.slot.location_id}
    response = nurse_client.get(reverse("afspraken:agenda"), query)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Noor" in text and "14 maanden" in text
    assert "Slapen" in text and "Ze slaapt slecht" in text
    assert AccessLog.objects.filter(
        contains_id("record_ids", booked.pk),
        contains_id("family_ids", booked.family_id),
        actor=nurse,
    ).exists()


def test_agenda_query_count_is_constant(nurse_client, django_assert_max_num_queries, time_machine):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    slot = make_slot()
    day = timezone.localtime(slot.starts_at).date()

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert (
                nurse_client.get(
                    reverse("afspraken:agenda"),
                    {"week": day.isoformat(), "view": "week", "location": slot.location_id},
                ).status_code
                == 200
            )
        return len(ctx)

    p, c = parent_with_child()
    services.book_appointment(
        slot_id=slot.pk, appointment_type_id=slot_type(slot).pk, parent=p, child_id=c.pk
    )
    # The clock stands still, so the idle-timeout session write (once a minute, not per row)
    # cannot land in one measurement and not the other on a slow machine.
    time_machine.move_to(timezone.now(), tick=False)
    count()  # warm up: the first request loads the session and the user's MFA state
    few = count()
    for i in range(1, 15):
        s = make_slot(schedule=slot.schedule, starts_at=slot.starts_at + timedelta(minutes=20 * i))
        p, c = parent_with_child()
        services.book_appointment(
            slot_id=s.pk,
            appointment_type_id=slot_type(s).pk,
            parent=p,
            child_id=c.pk,
            topics=[topic("Slapen")],
        )
    assert count() == few


def test_nurse_marks_no_show_and_follow_up_appears(nurse_client, booked):
    Appointment.objects.filter(pk=booked.pk).update(
        starts_at=timezone.now() - timedelta(hours=1),
        ends_at=timezone.now() - timedelta(minutes=40),
    )
    response = nurse_client.post(
        reverse("afspraken:set_status", args=[booked.pk]), {"status": "no_show"}
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get(appointment=booked)
    agenda = reverse("afspraken:agenda")
    page = nurse_client.get(agenda, {"location": booked.slot.location_id}).content.decode()
    assert "Terugbellen" in page
    nurse_client.post(reverse("afspraken:follow_up_done", args=[follow_up.pk]))
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None


def test_nurse_books_on_parents_behalf(nurse_client, parent):
    from tests.factories import make_child

    child = make_child(family=parent.family)
    slot = make_slot()
    day = timezone.localtime(slot.starts_at).date()
    params = {
        "email": parent.email,
        "child": child.pk,
        "appointment_type": slot_type(slot).pk,
        "location": slot.location_id,
        "day": day.isoformat(),
    }
    url = reverse("afspraken:staff_book") + "?" + "&".join(f"{k}={v}" for k, v in params.items())
    page = nurse_client.get(url)
    assert page.status_code == 200 and "18:30" in page.content.decode()
    response = nurse_client.post(url, {"slot": slot.pk})
    assert response.status_code == 302
    appointment = Appointment.objects.get(child=child)
    assert appointment.booked_by.is_jgz_staff and appointment.parent == parent


def test_staff_lookup_unknown_email_is_400(nurse_client):
    response = nurse_client.get(reverse("afspraken:staff_book"), {"email": "niemand@example.org"})
    assert response.status_code == 400


def test_other_staff_role_can_see_agenda():
    from django.test import Client

    from accounts.models import User

    doctor = make_staff(role=User.Role.DOCTOR)
    c = Client()
    c.force_login(doctor)
    assert c.get(reverse("afspraken:agenda")).status_code == 200


def test_set_status_does_not_redirect_off_site(nurse_client, booked):
    response = nurse_client.post(
        reverse("afspraken:set_status", args=[booked.pk]),
        {"status": "attended", "next": "//evil.example.org/"},
    )
    assert response.status_code == 302 and response.url == reverse("afspraken:agenda")
    confirm_step = nurse_client.post(
        reverse("afspraken:set_status", args=[booked.pk]),
        {"status": "cancelled_jgz", "next": "//evil.example.org/"},
    )
    assert "evil.example.org" not in confirm_step.content.decode()


def test_staff_opening_a_token_link_is_access_logged(nurse_client, nurse, booked):
    assert nurse_client.get(reverse("afspraken:token", args=[booked.token])).status_code == 200
    assert AccessLog.objects.filter(contains_id("record_ids", booked.pk), actor=nurse).exists()


def test_group_meeting_is_not_rescheduled_but_offers_other_dates(parent_client, parent):
    group = make_type(name="Overgewicht", capacity=5, duration_minutes=60)
    slot = make_slot(schedule=make_schedule(types=[group]), minutes=60)
    appointment = services.book_appointment(
        slot_id=slot.pk, appointment_type_id=group.pk, parent=parent
    )
    detail = parent_client.get(reverse("afspraken:detail", args=[appointment.pk]))
    assert reverse("afspraken:reschedule", args=[appointment.pk]) not in detail.content.decode()
    response = parent_client.get(reverse("afspraken:reschedule", args=[appointment.pk]))
    assert response.url == reverse("afspraken:groups")


def test_agenda_lists_flagged_slots_for_staff(nurse_client, booked):
    from afspraken.models import Slot

    Slot.objects.filter(pk=booked.slot_id).update(needs_attention=True, is_active=False)
    page = nurse_client.get(reverse("afspraken:agenda")).content.decode()
    assert "het rooster is veranderd maar er staan gezinnen ingepland" in page


def test_ics_of_moved_appointment_is_gone_and_cancelled_one_cancels(parent_client, booked, parent):
    new_slot = make_slot(
        schedule=booked.slot.schedule, starts_at=booked.starts_at + timedelta(days=1)
    )
    new = services.reschedule_appointment(
        appointment_id=booked.pk, new_slot_id=new_slot.pk, actor=parent
    )
    assert parent_client.get(reverse("afspraken:ics", args=[booked.pk])).status_code == 404
    services.cancel_appointment(appointment_id=new.pk, actor=parent)
    body = parent_client.get(reverse("afspraken:ics", args=[new.pk])).content.decode()
    assert "STATUS:CANCELLED" in body and "SEQUENCE:2" in body
