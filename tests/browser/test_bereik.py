"""Reach at 360 px, with axe on every page: an assistant registers a family by phone (no
e-mail), the parent claims the account with the code from the SMS; an imported child without
an account is on the outreach list and leaves it when reached."""

import re

from accounts.models import User
from bereik.models import FamilyContact, ImportedChild
from families.models import Family
from sms.models import OutgoingSms
from tests.browser.axe import assert_accessible
from tests.browser.test_afspraken import _login_with_cookie
from tests.factories import make_child, make_family, make_parent, make_staff

PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "nl-NL"}


def _page(browser, live_server, user):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(8000)
    _login_with_cookie(context, live_server, user)
    return context, page


def test_desk_registration_by_phone_then_the_parent_claims_it_with_the_sms_code(
    live_server, browser
):
    assistant = make_staff(role=User.Role.ASSISTANT)
    context, page = _page(browser, live_server, assistant)
    page.goto(live_server.url + "/bereik/aanmelden/")
    assert_accessible(page)
    page.get_by_label("Naam van de ouder").fill("Ayse Yilmaz")
    page.get_by_label("Telefoonnummer").fill("bel me")
    page.get_by_label("Voornaam van het kind").fill("Elif")
    page.get_by_label("Of: uitgerekende datum").fill("2027-03-01")
    page.get_by_role("button", name="Aanmelden").click()
    assert "Dit telefoonnummer kunnen we niet gebruiken" in page.content()
    assert page.get_by_label("Naam van de ouder").input_value() == "Ayse Yilmaz"
    assert_accessible(page)
    page.get_by_label("Telefoonnummer").fill("06-1234 5678")
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_selector(".activation-code")
    assert "ook per sms" in page.content()
    assert_accessible(page)
    context.close()

    family = Family.objects.get(contact__parent_name="Ayse Yilmaz")
    assert family.phone == "+31612345678" and not family.parents.exists()
    text = OutgoingSms.objects.get(family=family, kind="bereik-activation-code").body
    code = re.search(r"[A-Z0-9]{5}-[A-Z0-9]{5}", text).group()

    parent = make_parent(email="ayse@example.org")  # signed up online
    context, page = _page(browser, live_server, parent)
    page.goto(live_server.url + "/bereik/koppelen/")
    assert_accessible(page)
    page.get_by_label("Je code").fill(code.lower())
    page.get_by_role("button", name="Koppel mijn account").click()
    page.wait_for_url("**/gezin/**")
    assert "Elif" in page.content()
    assert_accessible(page)
    parent.refresh_from_db()
    assert parent.family == family
    context.close()


def test_an_imported_child_is_on_the_outreach_list_until_reached(live_server, browser):
    family = make_family(name="El Amrani", postcode="3561 AB")
    Family.objects.filter(pk=family.pk).update(phone="+31612345678", message_channel="sms")
    FamilyContact.objects.create(
        family=family, origin="import", parent_name="Fatima El Amrani", channel="sms"
    )
    child = make_child(family=family, age_months=3, first_name="Noor")
    ImportedChild.objects.create(child=child, key="DD-1", row_hash="x")
    OutgoingSms.objects.create(
        to="+31612345678",
        body="Plan een afspraak.",
        kind="contactmomenten-invitation",
        family=family,
        status=OutgoingSms.Status.FAILED,
    )
    assistant = make_staff(role=User.Role.ASSISTANT)
    context, page = _page(browser, live_server, assistant)
    page.goto(live_server.url + "/bereik/werklijst/")
    item = page.locator(f".outreach-item[data-child='{child.pk}']")
    assert "Noor" in item.inner_text() and "Fatima El Amrani" in item.inner_text()
    assert_accessible(page)
    item.get_by_role("button", name="Bereikt", exact=True).click()
    page.wait_for_selector(".alert")
    assert page.locator(f".outreach-item[data-child='{child.pk}']").count() == 0
    assert_accessible(page)
    context.close()
