"""'Afspraak gemaakt voor ouder': staff book from the planning list; the moment is linked."""

import pytest
from django.urls import reverse
from django.utils import timezone

from afspraken.models import Appointment
from contactmomenten.models import ChildMoment
from privacy.models import AccessLog
from tests.contactmomenten.factories import eight_week_setup
from tests.factories import make_child, make_family, make_staff

pytestmark = pytest.mark.django_db


def _book_url(child, slot, atype, code="cb-8w"):
    parent = child.family.parents.get()
    query = {
        "email": parent.email,
        "child": child.pk,
        "appointment_type": atype.pk,
        "location": slot.location_id,
        "day": timezone.localtime(slot.starts_at).date().isoformat(),
        "moment": code,
    }
    return reverse("afspraken:staff_book") + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def test_planning_list_opens_staff_booking_with_child_and_moment(client):
    parent, child, moment, atype, slots = eight_week_setup()
    nurse = make_staff()
    client.force_login(nurse)
    planning = client.get(reverse("contactmomenten:planning") + "?moment=cb-8w")
    link = f"{reverse('afspraken:staff_book')}?for_child={child.pk}&amp;moment=cb-8w"
    assert link in planning.content.decode()
    page = client.get(link.replace("&amp;", "&"))
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial == {"child": str(child.pk), "moment": "cb-8w"}
    assert parent.email in page.content.decode()
    assert AccessLog.objects.filter(
        actor=nurse, child_ids__contains=[child.pk], reason="book on behalf"
    )


def test_booking_on_behalf_links_the_moment_and_leaves_the_planning_list(client):
    parent, child, moment, atype, (slot,) = eight_week_setup()
    nurse = make_staff()
    client.force_login(nurse)
    response = client.post(_book_url(child, slot, atype), {"slot": slot.pk})
    assert response.status_code == 302
    appointment = Appointment.objects.get(child=child)
    row = ChildMoment.objects.get(child=child, moment=moment)
    assert appointment.contact_moment_id == row.pk and row.state == "planned"
    assert row.outreach == "booked" and row.outreach_by == nurse
    planning = client.get(reverse("contactmomenten:planning") + "?moment=cb-8w")
    assert planning.context["rows"] == []


def test_booking_on_behalf_outside_the_window_is_refused_in_dutch(client):
    parent, child, moment, atype, (slot,) = eight_week_setup(slot_days=(20,))
    client.force_login(make_staff())
    response = client.post(_book_url(child, slot, atype), {"slot": slot.pk})
    assert response.status_code == 400
    assert "Deze tijd past niet bij deze afspraak" in response.content.decode()
    assert not Appointment.objects.filter(child=child).exists()


def test_staff_may_book_a_home_visit_moment_parents_cannot_book(client):
    parent, child, moment, atype, (slot,) = eight_week_setup()
    moment.where = "home"
    moment.save()
    client.force_login(make_staff())
    response = client.post(_book_url(child, slot, atype), {"slot": slot.pk})
    assert response.status_code == 302
    assert ChildMoment.objects.get(child=child).state == "planned"


def test_family_without_an_account_is_told_to_call(client):
    child = make_child(family=make_family(), age_months=2)
    client.force_login(make_staff())
    response = client.get(reverse("afspraken:staff_book") + f"?for_child={child.pk}&moment=cb-8w")
    assert response.status_code == 200
    assert "nog geen account" in response.content.decode()
