"""Moments the JGZ arranges (home visit, school): "bel ons" or a call-back request."""

import pytest
from django.urls import reverse

from contactmomenten import services
from contactmomenten.exceptions import MomentError
from contactmomenten.models import ChildMoment
from tests.contactmomenten.factories import eight_week_setup
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def _home_visit():
    parent, child, moment, atype, slots = eight_week_setup()
    moment.where = "home"
    moment.save()
    return parent, child, moment


def _callback_url(child, code="cb-8w"):
    return reverse("contactmomenten:callback", kwargs={"child_id": child.pk, "code": code})


def test_home_visit_offers_call_us_and_a_call_back_request(client):
    parent, child, moment = _home_visit()
    client.force_login(parent)
    home = client.get(reverse("families:home")).content.decode()
    assert 'href="tel:' in home and "vraag of we je terugbellen" in home.lower()
    page = client.get(
        reverse("contactmomenten:moment", kwargs={"child_id": child.pk, "code": "cb-8w"})
    )
    assert _callback_url(child) in page.content.decode()


def test_parent_asks_to_be_called_back_and_the_planning_list_shows_it(client):
    parent, child, moment = _home_visit()
    client.force_login(parent)
    response = client.post(
        _callback_url(child), {"phone": "06 1234 5678", "part_of_day": "morning"}
    )
    assert response.status_code == 302
    row = ChildMoment.objects.get(child=child, moment=moment)
    assert row.callback_phone == "06 1234 5678" and row.callback_part_of_day == "morning"
    page = client.get(response["Location"]).content.decode()
    assert "06 1234 5678" in page  # the parent sees what they asked
    nurse = make_staff()
    client.force_login(nurse)
    planning = client.get(reverse("contactmomenten:planning") + "?moment=cb-8w")
    html = planning.content.decode()
    assert "Terugbellen" in html and 'href="tel:0612345678"' in html
    # Once the nurse called, the request is no longer shown as open.
    services.record_outreach(actor=nurse, child_id=child.pk, code="cb-8w", action="called")
    html = client.get(reverse("contactmomenten:planning") + "?moment=cb-8w").content.decode()
    assert 'href="tel:0612345678"' not in html


def test_call_back_with_a_bad_number_keeps_the_text_and_says_why(client):
    parent, child, moment = _home_visit()
    client.force_login(parent)
    response = client.post(_callback_url(child), {"phone": "bel me maar"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "bel me maar" in html and "telefoonnummer" in html
    assert not ChildMoment.objects.filter(child=child).exists()


def test_a_moment_parents_book_themselves_has_no_call_back(client):
    parent, child, moment, atype, slots = eight_week_setup()
    client.force_login(parent)
    assert client.post(_callback_url(child), {"phone": "0612345678"}).status_code == 404
    with pytest.raises(MomentError):
        services.request_callback(
            parent=parent, child_id=child.pk, code="cb-8w", phone="0612345678"
        )


def test_another_family_cannot_ask_a_call_back_for_this_child(client):
    from tests.factories import make_parent

    parent, child, moment = _home_visit()
    client.force_login(make_parent())
    assert client.post(_callback_url(child), {"phone": "0612345678"}).status_code == 404
    assert not ChildMoment.objects.filter(child=child).exists()


def test_evening_call_back_only_when_the_familys_team_works_in_the_evening(client):
    from datetime import time

    from families.models import Family
    from teams.models import PostcodeArea, Team, TeamLocation, Wijk
    from tests.afspraken.factories import make_schedule

    parent, child, moment = _home_visit()
    evening_location = make_schedule(start_time=time(16), end_time=time(20)).location
    noord = Team.objects.create(name="Noord")
    PostcodeArea.objects.create(digits="3561", wijk=Wijk.objects.create(name="N", team=noord))
    Family.objects.filter(pk=parent.family_id).update(postcode="3561 AB")
    client.force_login(parent)
    page_url = reverse("contactmomenten:moment", kwargs={"child_id": child.pk, "code": "cb-8w"})
    # Only another location works in the evening, not Noord's: no evening, a forged one refused.
    assert 'value="evening"' not in client.get(page_url).content.decode()
    response = client.post(
        _callback_url(child), {"phone": "06 1234 5678", "part_of_day": "evening"}
    )
    assert response.status_code == 400
    assert "06 1234 5678" in response.content.decode()  # the form keeps the number
    with pytest.raises(MomentError):
        services.request_callback(
            parent=parent,
            child_id=child.pk,
            code="cb-8w",
            phone="0612345678",
            part_of_day="evening",
        )
    assert not ChildMoment.objects.filter(callback_requested_at__isnull=False).exists()

    TeamLocation.objects.create(team=noord, location=evening_location)
    assert 'value="evening"' in client.get(page_url).content.decode()
    response = client.post(
        _callback_url(child), {"phone": "06 1234 5678", "part_of_day": "evening"}
    )
    assert response.status_code == 302
    row = ChildMoment.objects.get(child=child)
    assert row.get_callback_part_of_day_display() == "'s avonds"
