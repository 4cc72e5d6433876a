"""A parent signs up, verifies the e-mail, logs in, adds a child and sees its age."""

import re
from datetime import timedelta

from django.core import mail
from django.utils import timezone

from tests.browser.axe import assert_accessible


def _link_in_last_mail(pattern: str) -> str:
    body = mail.outbox[-1].body
    match = re.search(pattern, body)
    assert match, body
    return match.group(0)


def test_signup_verify_login_add_child(live_server, page):
    page.goto(live_server.url + "/")
    assert_accessible(page)
    page.get_by_role("link", name="Account maken").first.click()
    assert_accessible(page)
    page.locator("#id_email").fill("nieuwe.ouder@example.org")
    page.locator("#id_password1").fill("Zomerzon-2026!")
    page.locator("#id_password2").fill("Zomerzon-2026!")
    page.get_by_role("button", name="Account maken").click()
    page.wait_for_url("**/accounts/confirm-email/")
    assert_accessible(page)

    link = _link_in_last_mail(r"http://\S+/accounts/confirm-email/\S+")
    page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    assert_accessible(page)
    page.get_by_role("button", name="Bevestigen").click()

    # Logged in after confirming; log out and in again as a returning parent would.
    page.get_by_role("link", name="Uitloggen").click()
    page.locator("main button[type=submit]").click()
    page.goto(live_server.url + "/accounts/login/")
    assert_accessible(page)
    page.locator("#id_login").fill("nieuwe.ouder@example.org")
    page.locator("#id_password").fill("Zomerzon-2026!")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/gezin/")
    assert_accessible(page)

    page.get_by_role("link", name="Kind of zwangerschap toevoegen").click()
    assert_accessible(page)
    page.locator("#id_first_name").fill("Noor")
    born = timezone.localdate() - timedelta(days=5 * 7 + 2)
    page.locator("#id_date_of_birth").fill(born.isoformat())
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url("**/gezin/")
    assert page.locator(".child-name").first.inner_text() == "Noor"
    assert page.locator(".child-age").first.inner_text() == "5 weken"
    assert_accessible(page)
