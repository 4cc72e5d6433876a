"""At 360 px: the agenda card's status control fits and is an explicit choice; cancelling by
the JGZ goes through a confirm page with a reason. A parent's cancel has a confirm step too.
axe audits every page."""

from datetime import timedelta

from django.utils import timezone

from afspraken import services
from afspraken.models import Appointment
from outbox.models import OutgoingEmail
from tests.afspraken.factories import make_location, make_schedule, make_slot, make_type
from tests.browser.axe import assert_accessible
from tests.browser.test_afspraken import _login_with_cookie
from tests.factories import make_child, make_parent, make_staff

# Does the control show its longest option in full? Compare with a copy that sizes itself.
_SELECT_FITS = """(select) => {
  const copy = select.cloneNode(true);
  copy.style.width = "auto";
  copy.style.position = "absolute";
  copy.style.visibility = "hidden";
  document.body.appendChild(copy);
  const natural = copy.getBoundingClientRect().width;
  copy.remove();
  const box = select.getBoundingClientRect();
  return {natural, width: box.width, right: box.right, viewport: window.innerWidth};
}"""


def _booked(nurse, *, starts_at):
    location = make_location(name="Consultatiebureau Utrecht Overvecht")
    consult = make_type(name="Consult peuter (1 tot 4 jaar)", min_age_months=12)
    slot = make_slot(
        schedule=make_schedule(professional=nurse, location=location, types=[consult]),
        starts_at=starts_at,
    )
    parent = make_parent(email="sanne@example.org", first_name="Sanne")
    child = make_child(family=parent.family, first_name="Daan", age_months=26)
    return services.book_appointment(
        slot_id=slot.pk, appointment_type_id=consult.pk, parent=parent, child_id=child.pk
    )


def test_agenda_status_at_360px_explicit_choice_and_confirmed_cancel(live_server, page):
    nurse = make_staff(first_name="Marieke", last_name="Visser")
    appointment = _booked(nurse, starts_at=timezone.now() + timedelta(days=3))
    day = timezone.localtime(appointment.starts_at).date()
    page.set_default_navigation_timeout(20000)  # the first page load may compile templates
    _login_with_cookie(page.context, live_server, nurse)
    page.goto(f"{live_server.url}/afspraken/agenda/?week={day.isoformat()}")
    assert_accessible(page)

    status = page.get_by_label("Status wijzigen")
    assert status.input_value() == ""  # nothing chosen
    fit = status.evaluate(_SELECT_FITS)
    assert fit["right"] <= fit["viewport"], fit
    assert fit["width"] >= fit["natural"] - 1, f"the status text is cut off: {fit}"
    save = page.locator(".agenda-item").get_by_role("button", name="Opslaan")
    assert save.bounding_box()["x"] + save.bounding_box()["width"] <= 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # Saving without a choice does nothing.
    save.click()
    assert page.url.endswith(f"?week={day.isoformat()}")
    appointment.refresh_from_db()
    assert appointment.is_booked

    # Cancelling asks to confirm, with a reason, before the family is mailed.
    status.select_option(label="Afgezegd door JGZ")
    save.click()
    page.wait_for_selector("text=Weet je het zeker?")
    assert_accessible(page)
    appointment.refresh_from_db()
    assert appointment.is_booked
    assert not OutgoingEmail.objects.filter(kind="afspraken_cancelled_by_jgz").exists()
    page.get_by_role("button", name="Ja, zeg de afspraak af").click()
    page.wait_for_selector("text=Geef een reden")
    assert_accessible(page)
    page.get_by_label("Reden").fill("Verpleegkundige ziek")
    page.get_by_role("button", name="Ja, zeg de afspraak af").click()
    page.wait_for_url(f"**/afspraken/agenda/?week={day.isoformat()}")
    assert_accessible(page)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED_BY_JGZ
    assert appointment.cancel_reason == "Verpleegkundige ziek"
    assert OutgoingEmail.objects.filter(kind="afspraken_cancelled_by_jgz").count() == 1


def test_parent_cancel_has_a_confirm_step(live_server, page):
    nurse = make_staff()
    appointment = _booked(nurse, starts_at=timezone.now() + timedelta(days=4))
    page.set_default_navigation_timeout(20000)  # the first page load may compile templates
    _login_with_cookie(page.context, live_server, appointment.parent)
    page.goto(f"{live_server.url}/afspraken/{appointment.pk}/")
    page.locator("summary", has_text="Afspraak afzeggen").click()
    page.wait_for_selector("text=Weet je zeker dat je deze afspraak wilt afzeggen?")
    assert_accessible(page)
    appointment.refresh_from_db()
    assert appointment.is_booked  # the first click only asks
    page.get_by_label("Waarom zeg je de afspraak af? (mag je leeg laten)").fill("Ziek")
    page.get_by_role("button", name="Ja, zeg de afspraak af").click()
    page.wait_for_selector("text=Je afspraak is afgezegd.")
    assert_accessible(page)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
