"""A parent asks, a nurse triages and answers, the parent reads it and marks it solved."""

import re
from datetime import timedelta

from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.factories import PASSWORD, make_child, make_parent, make_staff
from tests.vragen.factories import ensure_seeded
from vragen.models import Question


def _login_parent(page, live_server, parent):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mailadres").fill(parent.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/gezin/")


def _staff_page(browser, live_server, staff):
    """A second browser for the nurse, logged in with a session cookie (MFA is set up)."""
    client = Client()
    client.force_login(staff)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="nl-NL")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(8000)
    return page


def test_ask_triage_answer_read_and_solve(live_server, page, browser):
    ensure_seeded()
    parent = make_parent(first_name="Sanne")
    make_child(family=parent.family, first_name="Noor", age_months=8)
    nurse = make_staff(first_name="Marieke")

    _login_parent(page, live_server, parent)
    page.get_by_role("link", name="Mijn vragen").click()
    page.wait_for_url("**/vragen/")
    assert_accessible(page)
    page.get_by_role("link", name="Stel een vraag").click()
    assert_accessible(page)
    page.get_by_label("Noor").check()
    page.get_by_label("Onderwerp").select_option(label="Slapen")
    page.get_by_label("Je vraag").fill("Noor wordt elke nacht drie keer wakker. Is dat normaal?")
    page.get_by_label("Online in het portaal").check()
    page.get_by_role("button", name="Vraag versturen").click()
    page.wait_for_url("**/verstuurd/")
    question = Question.objects.get()
    assert question.reference in page.locator(".vragen-reference").inner_text()
    assert "Je krijgt uiterlijk" in page.locator(".vragen-promise").inner_text()
    assert_accessible(page)

    staff = _staff_page(browser, live_server, nurse)
    staff.goto(live_server.url + "/vragen/triage/")
    assert_accessible(staff)
    staff.get_by_role("link", name=question.reference).click()
    staff.wait_for_url(f"**/triage/{question.pk}/")
    assert_accessible(staff)
    staff.locator("#id_urgency").select_option(label="Binnen 3 werkdagen")
    staff.get_by_role("button", name="Urgentie opslaan").click()
    staff.wait_for_url(f"**/triage/{question.pk}/")
    assert "Urgentie opgeslagen." in staff.content()
    staff.get_by_role("link", name="Slaapritme").click()
    answer_box = staff.locator("#id_answer-body")
    assert "vast ritme" in answer_box.input_value()
    answer_box.fill(answer_box.input_value() + "\n\nGroet, Marieke")
    assert_accessible(staff)
    staff.get_by_role("button", name="Antwoord versturen").click()
    staff.wait_for_url(f"**/triage/{question.pk}/")
    assert "Je antwoord is naar de ouder gestuurd." in staff.content()
    assert_accessible(staff)

    page.goto(live_server.url + "/vragen/")
    assert page.locator(".badge-unread").inner_text() == "Nieuw bericht"
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Slapen")).click()
    assert "Groet, Marieke" in page.locator(".vragen-thread").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Ja, mijn vraag is opgelost").click()
    assert page.locator(".vragen-status").first.inner_text() == "Afgesloten"
    assert_accessible(page)
    page.get_by_role("button", name="Ja, het heeft geholpen").click()
    expect(page.locator("main")).to_contain_text("Fijn dat het heeft geholpen")
    assert_accessible(page)
    question.refresh_from_db()
    assert question.status == Question.Status.CLOSED
    assert question.feedback.get().helped is True


def test_alarm_phrase_shows_call_now_first(live_server, page):
    ensure_seeded()
    parent = make_parent()
    _login_parent(page, live_server, parent)
    page.goto(live_server.url + "/vragen/nieuw/")
    page.get_by_label("Over mijzelf als ouder").check()
    page.get_by_label("Onderwerp").select_option(label="Ziek zijn en gezondheid")
    page.get_by_label("Je vraag").fill("Mijn baby is benauwd en loopt blauw aan bij het hoesten.")
    page.get_by_role("button", name="Vraag versturen").click()
    assert page.get_by_role("heading", name="Bel nu").is_visible()
    assert not Question.objects.exists()
    assert_accessible(page)
    page.get_by_role("button", name="Mijn vraag toch versturen").click()
    page.wait_for_url("**/verstuurd/")
    assert Question.objects.get().urgency == 1
    assert_accessible(page)


def test_feverish_newborn_reaches_call_now_with_tap_to_call_numbers(live_server, page):
    """360 px: the counter says when the text is too long; a 5-week-old with fever gets "Bel nu"
    with the huisarts, huisartsenpost and 112, each number a tel: link."""
    ensure_seeded()
    parent = make_parent()
    baby = make_child(
        family=parent.family,
        first_name="Sem",
        date_of_birth=timezone.localdate() - timedelta(weeks=5),
    )
    _login_parent(page, live_server, parent)
    page.goto(live_server.url + "/vragen/nieuw/")
    box = page.get_by_label("Je vraag")
    box.fill("x" * 4010)
    assert page.locator(".vragen-counter").inner_text() == "10 tekens te veel"
    text = "Sem heeft sinds vannacht 38,6 graden koorts en drinkt slecht."
    box.fill(text)
    left = f"{4000 - len(text):,}".replace(",", ".")
    assert page.locator(".vragen-counter").inner_text() == f"Nog {left} tekens"
    page.get_by_label("Sem").check()
    page.get_by_label("Onderwerp").select_option(label="Ziek zijn en gezondheid")
    page.get_by_role("button", name="Vraag versturen").click()

    assert page.get_by_role("heading", name="Bel nu").is_visible()
    alarm = page.locator(".vragen-alarm")
    assert "Koorts bij een baby jonger dan 3 maanden" in alarm.inner_text()
    links = page.locator(".vragen-call-list a")
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [
        "tel:112",
        "tel:09001515",
    ]
    assert "0900-1515" in links.nth(1).inner_text()
    for box in (links.nth(0).bounding_box(), links.nth(1).bounding_box()):
        assert box["height"] >= 24 and box["x"] + box["width"] <= 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert not Question.objects.exists()
    assert_accessible(page)

    page.get_by_role("button", name="Mijn vraag toch versturen").click()
    page.wait_for_url("**/verstuurd/")
    question = Question.objects.get()
    assert question.is_alarm and question.urgency == 1 and question.child == baby
