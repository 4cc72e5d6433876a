"""The 8-week consult end to end: invitation, "Plan nu" with an evening slot, questions
beforehand, the nurse's agenda card, "geweest", what was agreed, and the parent reads it.
axe audits every page at 360 px."""

import re
from datetime import date, time, timedelta

from django.utils import timezone

from afspraken import services
from afspraken.models import Appointment, Slot
from contactmomenten import services as moments
from outbox.models import OutgoingEmail
from tests.afspraken.factories import make_location, make_schedule, make_type
from tests.browser.axe import assert_accessible
from tests.browser.test_afspraken import _login_with_cookie
from tests.contactmomenten.factories import moment_cb8w
from tests.factories import make_child, make_parent, make_staff


def _setup():
    nurse = make_staff(first_name="Marieke", last_name="Visser")
    location = make_location(name="Consultatiebureau Utrecht Overvecht", phone="030 630 54 10")
    consult = make_type(name="Consult baby", min_age_months=0, max_age_months=12)
    for weekday in range(6):
        make_schedule(
            professional=nurse,
            location=location,
            weekday=weekday,
            start_time=time(17, 30),
            end_time=time(20, 30),
            valid_from=date(2026, 1, 1),
            types=[consult],
        )
    services.generate_slots()
    moment_cb8w(types=[consult])
    parent = make_parent(email="sanne@example.org")
    # The 8-week target in 6 days: the window (target -7 days) opened yesterday, so its 09:00
    # invitation is due whatever the hour the test runs.
    born = timezone.localdate() + timedelta(days=6) - timedelta(weeks=8)
    make_child(family=parent.family, first_name="Noor", date_of_birth=born)
    return nurse, parent


def test_invitation_plan_now_questions_agenda_and_what_we_agreed(live_server, page, browser):
    nurse, parent = _setup()

    # The scan sends the invitation; its link opens the moment page.
    assert moments.send_due_messages() == 1
    mail = OutgoingEmail.objects.get(kind="contactmomenten_invitation")
    assert "consult 8 weken van Noor" in mail.subject
    path = re.search(r"https?://[^/\s]+(/contactmomenten/\S+)", mail.body_text).group(1)
    _login_with_cookie(page.context, live_server, parent)
    page.goto(live_server.url + path)
    assert_accessible(page)
    page.get_by_role("link", name="Plan nu").click()
    assert_accessible(page)
    page.get_by_role("link", name="Consultatiebureau Utrecht Overvecht").click()
    page.wait_for_url("**/afspraken/maken/tijden/**")
    assert "Plan tussen" in page.content()
    page.get_by_label("Avond").check()
    page.get_by_role("button", name="Toon").click()
    assert_accessible(page)
    page.locator(".appt-slots a").first.click()
    assert_accessible(page)
    page.get_by_role("button", name="Maak deze afspraak").click()
    page.wait_for_selector("text=Je afspraak staat.")
    assert_accessible(page)
    appointment = Appointment.objects.get(child__first_name="Noor", status="booked")
    assert appointment.contact_moment is not None
    assert timezone.localtime(appointment.starts_at).time() >= time(17, 30)

    # Questions beforehand, from the appointment page.
    page.get_by_role("link", name="Consult 8 weken").click()
    assert_accessible(page)
    page.get_by_label("Hoe slaapt je baby?").fill("Ze wordt 's nachts twee keer wakker.")
    page.get_by_role("button", name="Antwoorden opslaan").click()
    page.wait_for_selector("text=Ze wordt 's nachts twee keer wakker.")

    # The visit happened (move it into the past), the nurse sees the answers on her agenda.
    past = timezone.now() - timedelta(hours=2)
    Slot.objects.filter(pk=appointment.slot_id).update(
        starts_at=past, ends_at=past + timedelta(minutes=20)
    )
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=past, ends_at=past + timedelta(minutes=20)
    )
    nurse_context = browser.new_context(viewport={"width": 360, "height": 740}, locale="nl-NL")
    _login_with_cookie(nurse_context, live_server, nurse)
    nurse_page = nurse_context.new_page()
    nurse_page.set_default_timeout(8000)
    day = timezone.localtime(past).date()
    nurse_page.goto(f"{live_server.url}/afspraken/agenda/?week={day.isoformat()}")
    item = nurse_page.locator(".agenda-item").first
    assert "Consult 8 weken" in item.inner_text()
    assert "twee keer wakker" in item.inner_text()
    assert_accessible(nurse_page)
    item.get_by_label("Status").select_option(label="Geweest")
    item.get_by_role("button", name="Opslaan").click()
    nurse_page.get_by_role("link", name="Wat we hebben afgesproken").click()
    assert_accessible(nurse_page)
    nurse_page.get_by_label("Wat we hebben afgesproken").fill(
        "We spraken af: Noor gaat om 19:00 naar bed."
    )
    nurse_page.get_by_role("button", name="Opslaan en de ouder laten weten").click()
    nurse_page.wait_for_url("**/afspraken/agenda/**")
    nurse_context.close()

    # The parent gets a link (never the note) and reads what was agreed.
    note_mail = OutgoingEmail.objects.get(kind="contactmomenten_note")
    assert "19:00" not in note_mail.body_text + note_mail.body_html
    page.goto(live_server.url + path)
    assert "Noor gaat om 19:00 naar bed." in page.locator(".moment-note").inner_text()
    assert_accessible(page)
