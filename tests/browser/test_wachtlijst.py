"""A parent joins the waiting list for an evening place; another parent cancels one; the first
gets the offer by e-mail, accepts it, and the appointment moves, with mail and .ics. axe audits
every page at 360 px."""

from datetime import time
from urllib.parse import urlsplit

from afspraken import services as booking
from afspraken.models import Appointment
from tests.afspraken.factories import make_location, make_schedule, make_slot, make_type
from tests.browser.axe import assert_accessible
from tests.browser.test_afspraken import _login_with_cookie
from tests.factories import make_child, make_parent
from tests.wachtlijst.factories import day
from wachtlijst.models import Offer


def _book(slot, appointment_type, parent, child):
    return booking.book_appointment(
        slot_id=slot.pk, appointment_type_id=appointment_type.pk, parent=parent, child_id=child.pk
    )


def test_join_for_an_evening_another_cancels_accept_the_offer(
    live_server, page, settings, mailoutbox
):
    settings.WACHTLIJST_DAY_START, settings.WACHTLIJST_DAY_END = time(0, 0), time(23, 59, 59)
    location = make_location(name="Consultatiebureau Utrecht Overvecht")
    consult = make_type(name="Consult peuter", min_age_months=0, max_age_months=48)
    schedule = make_schedule(location=location, types=[consult])
    sanne = make_parent(email="sanne@example.org")
    noor = make_child(family=sanne.family, first_name="Noor")
    later = _book(
        make_slot(schedule=schedule, starts_at=day(12, time(10, 0))), consult, sanne, noor
    )
    other = make_parent(email="ahmed@example.org")
    evening = _book(
        make_slot(schedule=schedule, starts_at=day(4, time(18, 30))),
        consult,
        other,
        make_child(family=other.family),
    )

    # Sanne joins the waiting list for an earlier evening place.
    _login_with_cookie(page.context, live_server, sanne)
    page.goto(live_server.url + "/afspraken/")
    page.locator(".appt-upcoming a").first.click()
    page.get_by_role("link", name="Eerder als er plek komt").click()
    assert_accessible(page)
    page.get_by_label("Avond").check()
    page.get_by_role("button", name="Zet me op de wachtlijst").click()
    page.wait_for_selector("text=Je staat op de wachtlijst.")
    assert_accessible(page)

    # Another parent cancels the evening appointment: the place is offered to Sanne.
    booking.cancel_appointment(appointment_id=evening.pk, actor=other)
    offer = Offer.objects.get(parent=sanne)
    assert offer.status == Offer.Status.OPEN and offer.slot_id == evening.slot_id
    [mail] = [m for m in mailoutbox if m.subject == "Er is een plek vrijgekomen voor je"]
    link = next(word for word in mail.body.split() if "/wachtlijst/aanbod/" in word)

    # She opens the link and accepts.
    page.goto(live_server.url + urlsplit(link).path)
    page.wait_for_selector("text=Een plek voor je")
    assert_accessible(page)
    page.get_by_role("button", name="Ja, ik wil deze plek").click()
    page.wait_for_selector("text=De plek is van jou.")
    assert_accessible(page)
    assert "18:30" in page.locator(".appt-summary").inner_text()

    moved = Appointment.objects.get(moved_from=later)
    assert moved.slot_id == evening.slot_id
    assert Appointment.objects.get(pk=later.pk).status == Appointment.Status.MOVED
    [mail] = [m for m in mailoutbox if m.subject == "Je afspraak is verzet"]
    [(filename, body, mimetype)] = mail.attachments
    body = body.decode() if isinstance(body, bytes) else body
    assert filename == "afspraak.ics" and mimetype.startswith("text/calendar")
    assert "METHOD:REQUEST" in body and f"UID:{later.ical_uid}" in body
