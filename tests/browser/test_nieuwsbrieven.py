"""A parent subscribes to the newsletter, confirms by e-mail, and unsubscribes from a mail."""

import re

from django.core import mail

from nieuwsbrieven import services
from nieuwsbrieven.models import Subscription
from tests.browser.axe import assert_accessible
from tests.factories import PASSWORD, make_child, make_parent
from tests.nieuwsbrieven.factories import make_edition


def _link(message, path: str, live_url: str) -> str:
    match = re.search(rf"http://\S+{path}\S+/", message.body)
    assert match, message.body
    return match.group(0).replace("http://127.0.0.1:8000", live_url)


def test_subscribe_confirm_and_unsubscribe(live_server, page):
    parent = make_parent(email="sanne@example.org")
    make_child(family=parent.family, age_months=5, first_name="Noor")

    page.goto(live_server.url + "/accounts/login/")
    assert_accessible(page)
    page.locator("#id_login").fill("sanne@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/gezin/")
    assert_accessible(page)

    page.get_by_role("link", name="Nieuwsbrief", exact=True).click()
    page.wait_for_url("**/nieuwsbrief/")
    assert_accessible(page)
    page.get_by_role("button", name="Aanmelden").click()  # without consent: an error
    assert page.locator(".invalid-feedback, .is-invalid").first.is_visible()
    assert_accessible(page)
    page.get_by_label("Ik wil de nieuwsbrief").check()
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/nieuwsbrief/")
    assert page.get_by_text("Bijna klaar").is_visible()
    assert_accessible(page)

    page.goto(_link(mail.outbox[-1], "/nieuwsbrief/bevestigen/", live_server.url))
    assert_accessible(page)
    page.get_by_role("button", name="Ja, bevestigen").click()
    page.get_by_role("heading", name="Je bent aangemeld").wait_for()
    assert_accessible(page)
    assert Subscription.objects.get().is_active

    make_edition(age=(0, 12), title="Slapen en eten")
    services.send_due_editions()
    newsletter = mail.outbox[-1]
    assert "Noor" in newsletter.body

    page.goto(_link(newsletter, "/nieuwsbrief/voorkeuren/", live_server.url))
    page.get_by_role("heading", name="Keuzes voor de nieuwsbrief").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Stop de nieuwsbrief").click()
    page.get_by_role("heading", name="Afmelden").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Ja, afmelden").click()
    page.get_by_role("heading", name="Je bent afgemeld").wait_for()
    assert_accessible(page)
    assert Subscription.objects.get().status == Subscription.Status.UNSUBSCRIBED
