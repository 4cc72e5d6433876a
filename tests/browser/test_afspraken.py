"""A parent books an evening slot with topics, the nurse sees them in the agenda, the parent
moves the appointment to a Saturday and then cancels it. axe audits every page."""

import re
from datetime import date, time, timedelta

from django.test import Client

from afspraken import services
from afspraken.models import Appointment
from tests.afspraken.factories import make_location, make_schedule, make_type, topic
from tests.browser.axe import assert_accessible
from tests.factories import make_child, make_parent, make_staff


def _setup():
    nurse = make_staff(first_name="Marieke", last_name="Visser")
    topic("Slapen")  # the seeded topics are gone after an earlier transactional test
    location = make_location(name="Consultatiebureau Utrecht Overvecht", phone="030 630 54 10")
    consult = make_type(name="Consult baby", min_age_months=0, max_age_months=12)
    for weekday, start, end in [(1, time(17, 30), time(20, 30)), (5, time(9, 0), time(12, 0))]:
        make_schedule(
            professional=nurse,
            location=location,
            weekday=weekday,
            start_time=start,
            end_time=end,
            valid_from=date(2026, 1, 1),
            types=[consult],
        )
    services.generate_slots()
    parent = make_parent(email="sanne@example.org")
    make_child(family=parent.family, first_name="Noor", age_months=8)
    return nurse, parent


def _login_with_cookie(context, live_server, user):
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_book_evening_nurse_sees_topics_reschedule_saturday_cancel(
    live_server, page, browser, settings
):
    # Every slot offered is then more than the 24 h cut-off away, whatever day the test runs.
    settings.AFSPRAKEN_MIN_NOTICE_HOURS = 48
    nurse, parent = _setup()

    # Parent (logged in) books an evening slot in three steps.
    _login_with_cookie(page.context, live_server, parent)
    page.goto(live_server.url + "/gezin/")
    page.get_by_role("link", name="Mijn afspraken").click()
    assert_accessible(page)
    page.get_by_role("link", name="Maak een afspraak").first.click()
    assert_accessible(page)
    page.get_by_label("Consult baby").check()
    page.get_by_label("Waar?").select_option(label="Consultatiebureau Utrecht Overvecht")
    page.get_by_role("button", name="Toon vrije tijden").click()
    page.wait_for_url("**/afspraken/maken/tijden/**")
    assert_accessible(page)
    evening = page.locator("a.slot-evening")
    assert re.search(r"\d{2}:\d{2}", evening.inner_text())
    evening.click()
    assert_accessible(page)
    page.locator("summary", has_text="Wat wil je bespreken?").click()
    page.get_by_label("Slapen").check()
    page.get_by_label("Wil je nog iets vertellen of vragen?").fill("Noor wordt vaak wakker.")
    page.get_by_role("button", name="Maak deze afspraak").click()
    page.wait_for_selector("text=Je afspraak staat.")
    assert_accessible(page)
    appointment = Appointment.objects.get(child__first_name="Noor")
    assert appointment.topic_labels == ["Slapen"]
    shown_time = page.locator(".appt-time").first.inner_text()
    assert shown_time >= "17:30"

    # The nurse sees child, age, type and what the family wants to discuss.
    nurse_context = browser.new_context(viewport={"width": 360, "height": 740}, locale="nl-NL")
    _login_with_cookie(nurse_context, live_server, nurse)
    nurse_page = nurse_context.new_page()
    nurse_page.set_default_timeout(8000)
    day = appointment.starts_at.astimezone().date()
    nurse_page.goto(f"{live_server.url}/afspraken/agenda/?week={day.isoformat()}")
    item = nurse_page.locator(".agenda-item").first
    assert "Noor" in item.inner_text()
    assert "8 maanden" in item.inner_text()
    assert "Consult baby" in item.inner_text()
    assert "Slapen" in item.inner_text() and "Noor wordt vaak wakker." in item.inner_text()
    assert shown_time in item.inner_text()
    assert_accessible(nurse_page)
    nurse_context.close()

    # The parent moves the appointment to a Saturday.
    page.get_by_role("link", name="Verzetten naar een andere tijd").click()
    page.wait_for_url("**/afspraken/maken/tijden/**")
    assert_accessible(page)
    page.locator("a.slot-saturday").click()
    assert_accessible(page)
    page.get_by_role("button", name="Verzet mijn afspraak").click()
    page.wait_for_selector("text=Je afspraak is verzet.")
    assert_accessible(page)
    assert "zaterdag" in page.locator(".appt-date").first.inner_text()
    moved = Appointment.objects.get(child__first_name="Noor", status="booked")
    assert moved.topic_labels == ["Slapen"] and moved.starts_at.astimezone().weekday() == 5

    # And cancels it (after confirming).
    page.locator("summary", has_text="Afspraak afzeggen").click()
    page.get_by_label("Waarom zeg je de afspraak af? (mag je leeg laten)").fill("Op vakantie")
    page.get_by_role("button", name="Ja, zeg de afspraak af").click()
    page.wait_for_selector("text=Je afspraak is afgezegd.")
    assert_accessible(page)
    assert "Afgezegd" in page.locator(".appt-past").first.inner_text()
    moved.refresh_from_db()
    assert moved.status == "cancelled" and moved.cancel_reason == "Op vakantie"
    assert moved.starts_at - timedelta(hours=24) > moved.created_at
