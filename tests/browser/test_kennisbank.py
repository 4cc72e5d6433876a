"""At 360 px: a parent of a 5-month-old opens "Informatie", sees the articles for her baby's age,
searches in Dutch, reads one and says it helped. axe audits every page."""

from kennisbank.models import Vote
from tests.browser.axe import assert_accessible
from tests.browser.test_afspraken import _login_with_cookie
from tests.factories import make_child, make_parent
from tests.kennisbank.factories import ensure_seeded


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_parent_finds_an_article_for_her_babys_age(live_server, page):
    ensure_seeded()
    parent = make_parent(email="sanne@example.org")
    make_child(family=parent.family, first_name="Noor", age_months=5)
    _login_with_cookie(page.context, live_server, parent)

    page.goto(live_server.url + "/gezin/")
    page.get_by_role("link", name="Informatie", exact=True).first.click()
    page.wait_for_selector("text=Je ziet informatie voor de leeftijd van:")
    assert page.get_by_role("link", name="De eerste hapjes").is_visible()
    assert page.get_by_role("link", name="Je kind in de puberteit").count() == 0
    assert _no_horizontal_scroll(page)
    assert_accessible(page)

    page.get_by_label("Zoeken").fill("baby slaapt")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("link", name="Veilig slapen voor je baby").click()
    page.wait_for_selector("h1:has-text('Veilig slapen voor je baby')")
    assert page.get_by_text("Leg je baby altijd op de rug").is_visible()
    assert _no_horizontal_scroll(page)
    assert_accessible(page)

    page.get_by_role("button", name="Ja").click()
    page.wait_for_selector("text=Bedankt voor je antwoord.")
    assert page.get_by_role("button", name="Ja").count() == 0
    assert Vote.objects.filter(article__slug="veilig-slapen", helpful=True).count() == 1
    assert_accessible(page)
