"""Two parents sign up for a parent meeting at 360 px, one of them sharing her first name with
the wijkteam partner; the partner (co-host) sees the count and that first name only. A nurse
reads the waiting list for the full meeting at 1280 px. axe audits every page."""

from datetime import time

from accounts.models import User
from families.models import Family
from tests.afspraken.factories import make_schedule, make_slot, make_type
from tests.browser.axe import assert_accessible
from tests.browser.test_afspraken import _login_with_cookie
from tests.factories import make_child, make_parent, make_staff
from tests.wachtlijst.factories import day

_NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def _sign_up(page, live_server, parent, *, share: bool):
    page.context.clear_cookies()
    _login_with_cookie(page.context, live_server, parent)
    page.goto(live_server.url + "/afspraken/bijeenkomsten/")
    assert_accessible(page)
    meeting = page.locator(".appt-meeting").filter(has_text="Scheiden en ouderschap")
    if share:
        meeting.get_by_label("Wijkteam Noord mag mijn voornaam zien (verder niets)").check()
    meeting.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/afspraken/*/")


def test_parents_sign_up_and_the_cohost_sees_the_count_and_shared_first_names_only(
    live_server, page
):
    cohost = make_staff(role=User.Role.COHOST, first_name="Fatima", last_name="Wijkteam")
    meeting = make_type(
        name="Scheiden en ouderschap", capacity=2, duration_minutes=90, partner="Wijkteam Noord"
    )
    schedule = make_schedule(types=[meeting])
    schedule.co_hosts.add(cohost)
    make_slot(schedule=schedule, starts_at=day(6, time(19, 30)), minutes=90)
    amira = make_parent(email="amira@example.org", first_name="Amira", last_name="Jansen")
    make_child(family=amira.family, first_name="Yara")
    bram = make_parent(email="bram@example.org", first_name="Bram", last_name="de Vries")
    make_child(family=bram.family, first_name="Sem")

    page.set_viewport_size({"width": 360, "height": 740})
    _sign_up(page, live_server, amira, share=True)
    _sign_up(page, live_server, bram, share=False)

    page.context.clear_cookies()
    _login_with_cookie(page.context, live_server, cohost)
    page.goto(live_server.url + "/")
    page.wait_for_url("**/afspraken/medeorganisator/")
    assert_accessible(page)
    assert page.evaluate(_NO_SIDEWAYS_SCROLL)
    card = page.locator(".cohost-meeting")
    assert "2 van de 2 plekken bezet" in card.locator(".booked-count").inner_text()
    assert card.locator(".first-names").inner_text().endswith("Amira")
    text = page.locator("main").inner_text()
    for hidden in ("Bram", "Jansen", "de Vries", "Yara", "Sem", "@example.org"):
        assert hidden not in text, hidden

    # The meeting is full now: a third parent joins its waiting list, and a nurse sees her
    # there at 1280 px.
    carla = make_parent(email="carla@example.org", first_name="Carla", last_name="Bakker")
    make_child(family=carla.family, first_name="Lotte")
    Family.objects.filter(pk=carla.family_id).update(name="Bakker")
    page.context.clear_cookies()
    _login_with_cookie(page.context, live_server, carla)
    page.goto(live_server.url + "/afspraken/bijeenkomsten/")
    page.get_by_role("link", name="Zet me op de wachtlijst").click()
    assert_accessible(page)
    page.get_by_role("button", name="Zet me op de wachtlijst").click()
    page.wait_for_selector("text=Je staat op de wachtlijst.")

    nurse = make_staff(first_name="Marieke", last_name="Visser")
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 800})
    _login_with_cookie(page.context, live_server, nurse)
    page.goto(live_server.url + "/wachtlijst/overzicht/")
    assert_accessible(page)
    group = page.locator(".waitlist-group").filter(has_text="Scheiden en ouderschap")
    assert "1 wachtende" in group.inner_text()
    row = group.locator(".waitlist-row").inner_text()
    assert row.startswith("Bakker") and "19:30" in row  # the family and the meeting it waits for
