"""A parent checks who looked at the family's data, downloads it and starts deleting the
account; a privacy officer searches the log. Phone width (360 px), axe on every page, no JS."""

from django.contrib.auth.models import Group

from families.selectors import get_family_for_staff
from tests.browser.axe import assert_accessible
from tests.factories import PASSWORD, make_child, make_parent, make_staff


def _login(page, live_server, email):
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()


def test_parent_privacy_pages(live_server, page):
    parent = make_parent(email="privacy.ouder@example.org")
    child = make_child(family=parent.family, age_months=13 * 12, first_name="Sam")
    get_family_for_staff(actor=make_staff(), family_id=child.family_id, reason="vraag")
    _login(page, live_server, parent.email)
    page.wait_for_url("**/gezin/")
    assert page.locator(".youth-notice").count() == 1
    assert_accessible(page)

    page.get_by_role("link", name="Privacy", exact=True).click()
    page.wait_for_url("**/privacy/")
    assert_accessible(page)
    page.get_by_role("link", name="Wie heeft onze gegevens bekeken").click()
    assert "Jeugdverpleegkundige" in page.locator("main").inner_text()
    assert_accessible(page)

    page.goto(live_server.url + "/privacy/download/")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Downloaden").click()
    assert download.value.suggested_filename.endswith(".zip")

    page.goto(live_server.url + "/privacy/account-verwijderen/")
    assert_accessible(page)
    page.locator("#id_password").fill("fout")
    page.locator("#id_understood").check()
    page.get_by_role("button", name="Stuur de e-mail om te bevestigen").click()
    assert page.locator(".invalid-feedback, .text-danger").count() >= 1
    assert_accessible(page)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_understood").check()
    page.get_by_role("button", name="Stuur de e-mail om te bevestigen").click()
    assert "Kijk in je e-mail" in page.locator("h1").inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360


def test_privacy_officer_searches_the_log(live_server, page):
    from tests.factories import totp_code

    officer = make_staff(email="officer.browser@example.org")
    officer.groups.add(Group.objects.get(name="Privacy officers"))
    get_family_for_staff(actor=officer, family_id=make_child().family_id)
    _login(page, live_server, officer.email)
    page.locator("#id_code").fill(totp_code())
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("link", name="Toegangslog").click()
    page.wait_for_url("**/privacy/toegangslog/")
    assert_accessible(page)
    page.locator("#id_who").fill("officer.browser@example.org")  # exact address
    page.get_by_role("button", name="Zoeken").click()
    assert "officer.browser@example.org" in page.locator("table").inner_text()
    assert_accessible(page)


def test_officer_log_is_readable_at_1280_px(live_server, page):
    """At 1280 px every column heading stays on one line (no "Fun ctie"), the table fits
    without sideways scrolling, children are named, and the reason waits in a details row."""
    from privacy.models import AccessLog
    from privacy.services import record_access
    from tests.factories import totp_code

    officer = make_staff(email="officer.wide@example.org")
    officer.groups.add(Group.objects.get(name="Privacy officers"))
    nurse = make_staff(email="verpleegkundige.met.een.heel.lang.adres@ggd-regio.example.org")
    parent = make_parent()
    children = [
        make_child(family=parent.family, first_name=name, age_months=months)
        for name, months in (("Anne-Marijke", 3), ("Mohammed", 30), ("Noor", 60))
    ]
    for _ in range(3):
        record_access(
            actor=nurse,
            action=AccessLog.Action.VIEW,
            record_type=AccessLog,
            record_ids=[child.pk for child in children],
            child_ids=[child.pk for child in children],
            family_ids=[parent.family_id],
            reason="vraag over slapen en drinken van alle kinderen in het gezin " * 3,
        )
    page.set_viewport_size({"width": 1280, "height": 900})
    _login(page, live_server, officer.email)
    page.locator("#id_code").fill(totp_code())
    page.get_by_role("button", name="Inloggen").click()
    # Wait for the login to finish: a navigation started earlier would cancel its POST.
    page.wait_for_url(lambda url: "/accounts/" not in url)
    page.goto(live_server.url + "/privacy/toegangslog/")
    table = page.locator("table.privacy-log")
    headings = table.locator("thead th")
    assert headings.count() == 5
    for i in range(headings.count()):
        box = headings.nth(i).evaluate(
            "th => ({lines: Math.round(th.getBoundingClientRect().height"
            " / parseFloat(getComputedStyle(th).lineHeight)),"
            " overflow: th.scrollWidth > th.clientWidth})"
        )
        assert box == {"lines": 1, "overflow": False}, headings.nth(i).inner_text()
    fits = page.locator(".table-responsive").first.evaluate("d => d.scrollWidth <= d.clientWidth")
    assert fits
    text = table.inner_text()
    assert "Anne-Marijke" in text and "Mohammed" in text and "Jeugdverpleegkundige" in text
    assert "vraag over slapen" not in text  # the reason is folded away
    table.locator("summary").first.click()
    assert table.locator("details[open] dd").first.is_visible()
    assert_accessible(page)
