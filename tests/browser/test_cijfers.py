"""The figures page with its charts passes axe at 360 and 1280 px; the charts load as images."""

from datetime import timedelta

import pytest
from django.test import Client

from cijfers import aggregates
from tests.browser.axe import assert_accessible
from tests.cijfers.factories import MONDAY, TODAY, at, make_raw_question
from tests.factories import make_family, make_staff


@pytest.mark.parametrize("width", [360, 1280])
def test_figures_page_with_charts_is_accessible(live_server, browser, width):
    from accounts.models import User

    family = make_family()
    for i in range(12):
        make_raw_question(
            family=family,
            asked=at(MONDAY, 9),
            deadline=at(MONDAY, 12),
            answered=at(MONDAY, 10) + timedelta(minutes=i),
        )
    aggregates.recompute("questions", MONDAY, TODAY)
    client = Client()
    client.force_login(make_staff(role=User.Role.MANAGER))
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="nl-NL")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(8000)
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    end = MONDAY + timedelta(days=6)
    page.goto(f"{live_server.url}/cijfers/vragen/?start={MONDAY}&end={end}")
    chart = page.locator("img.figure-chart").first
    chart.wait_for()
    # The image loaded (an SVG the browser refused would have no natural width).
    page.wait_for_function("() => document.querySelector('img.figure-chart').naturalWidth > 0")
    assert "Staafdiagram" in chart.get_attribute("alt")
    assert_accessible(page)
    # No CSP violation (they are reported on the console).
    assert not [e for e in errors if "Content Security Policy" in e]
    context.close()
