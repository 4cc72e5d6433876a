"""The parent's messages page at 360 px: choose SMS, type a number as people do, quiet hours;
a mistake is explained in Dutch and the typed text stays. axe audits each state."""

from families.models import Family
from tests.browser.axe import assert_accessible
from tests.browser.test_afspraken import _login_with_cookie
from tests.factories import make_parent


def test_parent_switches_to_sms_with_quiet_hours(live_server, browser):
    parent = make_parent(email="sanne@example.org")
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(8000)
    _login_with_cookie(context, live_server, parent)
    page.goto(live_server.url + "/contactmomenten/berichten/")
    assert_accessible(page)

    page.get_by_label("sms", exact=True).check()
    page.get_by_label("Mobiel nummer").fill("06-123")
    page.get_by_role("button", name="Opslaan").click()
    assert "Dit telefoonnummer kunnen we niet gebruiken" in page.content()
    assert page.get_by_label("Mobiel nummer").input_value() == "06-123"
    assert_accessible(page)

    page.get_by_label("Mobiel nummer").fill("06 12 34 56 78")
    page.get_by_label("Geen sms vanaf").fill("20:00")
    page.get_by_label("tot").fill("09:00")
    page.get_by_role("button", name="Opslaan").click()
    assert "Je keuzes zijn opgeslagen." in page.content()
    assert page.get_by_label("Mobiel nummer").input_value() == "+31612345678"
    family = Family.objects.get(pk=parent.family_id)
    assert (family.message_channel, family.phone) == ("sms", "+31612345678")
    assert (family.sms_quiet_from.hour, family.sms_quiet_until.hour) == (20, 9)
    context.close()
