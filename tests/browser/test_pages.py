"""The public statements, the error pages and the staff home pass axe at 360 and 1280 px."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from tests.browser.axe import assert_accessible
from tests.factories import make_child, make_parent, make_staff
from tests.vragen.factories import ensure_seeded, make_question
from vragen import services
from vragen.models import Question, Urgency


def test_statements_and_error_pages_are_accessible(live_server, page):
    for path in ("/toegankelijkheid/", "/privacyverklaring/", "/bestaat-niet/"):
        page.goto(live_server.url + path)
        assert_accessible(page)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Privacyverklaring").click()
    page.wait_for_url("**/privacyverklaring/")


def test_staff_home_is_accessible_at_1280(live_server, browser):
    ensure_seeded()
    nurse = make_staff()
    parent = make_parent()
    make_child(family=parent.family, first_name="Noor", age_months=8)
    question = make_question(parent=parent, text="Noor is erg suf en drinkt slecht.")
    services.set_urgency(actor=nurse, question_id=question.pk, urgency=Urgency.URGENT)
    Question.objects.filter(pk=question.pk).update(deadline_at=timezone.now() - timedelta(hours=1))
    client = Client()
    client.force_login(nurse)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    staff = context.new_page()
    staff.set_default_timeout(8000)
    staff.goto(live_server.url + "/medewerkers/")
    assert "Noor is erg suf" in staff.locator("#urgent-title + ul").inner_text()
    assert_accessible(staff)
    staff.goto(live_server.url + "/vragen/triage/")
    assert_accessible(staff)
    context.close()
