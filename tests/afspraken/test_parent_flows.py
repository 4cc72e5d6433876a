"""Parents' booking pages: choices that fit the child, links that open a day, refusals with
the right reason at every step, readable summaries and a paged "Mijn afspraken"."""

import re
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from afspraken import services
from afspraken.exceptions import ChildTooOld, ChildTooYoung
from afspraken.models import Appointment
from tests.afspraken.factories import (
    local_dt,
    make_appointment,
    make_location,
    make_schedule,
    make_slot,
    make_type,
    slot_type,
)
from tests.factories import make_child

pytestmark = pytest.mark.django_db


def _choices(page: str) -> set[str]:
    return set(re.findall(r'name="choice"[^>]*value="([^"]+)"', page))


def test_step_one_offers_per_child_only_the_types_that_fit_its_age(parent_client, parent):
    baby = make_child(family=parent.family, first_name="Noor", age_months=8)
    toddler = make_child(family=parent.family, first_name="Daan", age_months=26)
    baby_type = make_type(name="Consult baby (0 tot 1 jaar)", min_age_months=0, max_age_months=12)
    toddler_type = make_type(name="Consult peuter", min_age_months=12, max_age_months=48)
    phone = make_type(name="Belafspraak")
    page = parent_client.get(reverse("afspraken:book")).content.decode()
    assert _choices(page) == {
        f"{baby.pk}:{baby_type.pk}",
        f"{baby.pk}:{phone.pk}",
        f"{toddler.pk}:{toddler_type.pk}",
        f"{toddler.pk}:{phone.pk}",
    }


def test_expected_child_is_offered_only_types_without_a_minimum_age(parent_client, parent):
    expected = make_child(family=parent.family, due_in_days=60)
    make_type(name="Consult baby", min_age_months=0, max_age_months=12)
    prenatal = make_type(name="Huisbezoek zwangerschap")
    page = parent_client.get(reverse("afspraken:book")).content.decode()
    assert _choices(page) == {f"{expected.pk}:{prenatal.pk}"}
    assert "checked" in page.split(f'value="{expected.pk}:{prenatal.pk}"')[1].split(">")[0]


def test_nearest_evening_link_opens_that_day(parent_client, parent):
    child = make_child(family=parent.family, first_name="Noor", age_months=8)
    location = make_location(name="Consultatiebureau Overvecht")
    schedule = make_schedule(location=location)
    today = timezone.localdate()
    daytime = make_slot(schedule=schedule, starts_at=local_dt(today + timedelta(days=3), time(10)))
    appointment_type = slot_type(daytime)
    evening_day = today + timedelta(days=15)  # never in this week
    evening = make_slot(schedule=schedule, starts_at=local_dt(evening_day, time(18, 30)))
    page = parent_client.get(reverse("afspraken:book")).content.decode()
    link = re.search(r'class="appt-next-evening" href="([^"]+)"', page).group(1)
    link = link.replace("&amp;", "&")
    assert f"day={evening_day.isoformat()}" in link and "part=evening" in link

    step1 = parent_client.get(link).content.decode()
    assert "Je zoekt een tijd op" in step1
    assert re.search(rf'<option value="{location.pk}"[^>]*selected', step1)
    response = parent_client.get(
        reverse("afspraken:book"),
        {
            "choice": f"{child.pk}:{appointment_type.pk}",
            "location": location.pk,
            "day": evening_day.isoformat(),
            "part": "evening",
        },
    )
    assert response.status_code == 302
    listing = parent_client.get(response.url)
    assert listing.context["chosen_day"] == evening_day
    assert listing.context["listing"].week_start <= evening_day
    assert evening_day - listing.context["listing"].week_start < timedelta(days=7)
    text = listing.content.decode()
    checked = re.search(r'name="day"[^>]*value="([^"]+)"[^>]*checked', text)
    assert checked and checked.group(1) == evening_day.isoformat()
    assert reverse("afspraken:confirm", args=[evening.pk]) in text


def _too_old_setup(parent):
    child = make_child(family=parent.family, first_name="Daan", age_months=40)
    baby = make_type(name="Consult baby", min_age_months=0, max_age_months=12)
    slot = make_slot(schedule=make_schedule(types=[baby]))
    return child, baby, slot


def test_week_view_refuses_a_child_too_old_with_the_reason(parent_client, parent):
    child, baby, slot = _too_old_setup(parent)
    response = parent_client.get(
        reverse("afspraken:slots"),
        {"child": child.pk, "type": baby.pk, "location": slot.location_id},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Je kind is op die dag te oud voor deze afspraak." in text
    assert reverse("afspraken:confirm", args=[slot.pk]) not in text


def test_confirm_page_and_post_refuse_a_child_too_old_with_the_reason(parent_client, parent):
    child, baby, slot = _too_old_setup(parent)
    url = reverse("afspraken:confirm", args=[slot.pk])
    params = {"child": child.pk, "type": baby.pk}
    page = parent_client.get(url, params)
    assert page.status_code == 400
    assert "Je kind is op die dag te oud voor deze afspraak." in page.content.decode()
    response = parent_client.post(url, params)
    assert response.status_code == 400
    text = response.content.decode()
    assert "te oud" in text and "op dit tijdstip" not in text
    assert not Appointment.objects.filter(child=child).exists()


def test_booking_service_gives_the_age_reason(parent):
    child, baby, slot = _too_old_setup(parent)
    with pytest.raises(ChildTooOld):
        services.book_appointment(
            slot_id=slot.pk, appointment_type_id=baby.pk, parent=parent, child_id=child.pk
        )
    expected = make_child(family=parent.family, due_in_days=30)
    toddler = make_type(name="Consult peuter", min_age_months=12)
    toddler_slot = make_slot(schedule=make_schedule(types=[toddler]))
    with pytest.raises(ChildTooYoung):
        services.book_appointment(
            slot_id=toddler_slot.pk,
            appointment_type_id=toddler.pk,
            parent=parent,
            child_id=expected.pk,
        )


def test_child_turning_too_old_before_the_slot_is_refused_on_the_confirm_page(
    parent_client, parent
):
    from families.ages import add_months

    today = timezone.localdate()
    # 12 months and 25 days old today: fits "0 to 12 months" now, not in two weeks.
    child = make_child(
        family=parent.family, date_of_birth=add_months(today, -12) - timedelta(days=25)
    )
    baby = make_type(name="Consult baby", min_age_months=0, max_age_months=12)
    schedule = make_schedule(types=[baby])
    later = make_slot(schedule=schedule, starts_at=local_dt(today + timedelta(days=14), time(9)))
    week = parent_client.get(
        reverse("afspraken:slots"),
        {"child": child.pk, "type": baby.pk, "location": schedule.location_id},
    )
    assert week.status_code == 200
    page = parent_client.get(
        reverse("afspraken:confirm", args=[later.pk]), {"child": child.pk, "type": baby.pk}
    )
    assert page.status_code == 400
    assert "Je kind is op die dag te oud voor deze afspraak." in page.content.decode()


def test_summary_has_no_double_brackets(parent_client, parent):
    child = make_child(family=parent.family, age_months=8)
    baby = make_type(name="Consult baby (0 tot 1 jaar)", min_age_months=0, max_age_months=12)
    slot = make_slot(schedule=make_schedule(types=[baby]))
    appointment = services.book_appointment(
        slot_id=slot.pk, appointment_type_id=baby.pk, parent=parent, child_id=child.pk
    )
    page = parent_client.get(reverse("afspraken:detail", args=[appointment.pk])).content.decode()
    assert "Consult baby (0 tot 1 jaar)" in page
    assert ") (" not in page
    assert "<dt>Hoe</dt><dd>Op de locatie</dd>" in page


def test_link_page_offers_login_only_to_someone_not_logged_in(client, parent):
    child = make_child(family=parent.family)
    slot = make_slot()
    appointment = services.book_appointment(
        slot_id=slot.pk, appointment_type_id=slot_type(slot).pk, parent=parent, child_id=child.pk
    )
    url = reverse("afspraken:token", args=[appointment.token])
    # Without a login the link shows little and asks to log in before moving anything.
    anonymous = client.get(url).content.decode()
    assert "Log in om alles over de afspraak te zien, de afspraak te verzetten" in anonymous
    assert "Verzetten naar een andere tijd" not in anonymous
    # The family's own parent, logged in, lands on the full page without a login prompt.
    client.force_login(parent)
    page = client.get(url, follow=True).content.decode()
    assert "Verzetten naar een andere tijd" in page
    assert "(inloggen)" not in page and "Log in om alles" not in page


def test_cancel_asks_to_confirm_before_anything_is_sent(parent_client, parent):
    child = make_child(family=parent.family)
    slot = make_slot(starts_at=timezone.now() + timedelta(days=5))
    appointment = services.book_appointment(
        slot_id=slot.pk, appointment_type_id=slot_type(slot).pk, parent=parent, child_id=child.pk
    )
    page = parent_client.get(reverse("afspraken:detail", args=[appointment.pk])).content.decode()
    disclosure = page.split('<details class="appt-cancel">')[1].split("</details>")[0]
    assert "<summary" in disclosure and "Afspraak afzeggen" in disclosure
    assert "Weet je zeker dat je deze afspraak wilt afzeggen?" in disclosure
    assert "Ja, zeg de afspraak af" in disclosure


def _past(parent, child, schedule, days_ago):
    return make_appointment(
        starts_at=timezone.now() - timedelta(days=days_ago),
        parent=parent,
        child=child,
        schedule=schedule,
        status=Appointment.Status.ATTENDED,
    )


def test_my_appointments_lists_upcoming_first_and_pages_the_past(
    parent_client, parent, django_assert_max_num_queries
):
    child = make_child(family=parent.family)
    schedule = make_schedule()
    past = [_past(parent, child, schedule, days_ago=7 * i) for i in range(1, 26)]
    upcoming = services.book_appointment(
        slot_id=make_slot(schedule=schedule).pk,
        appointment_type_id=schedule.types.first().pk,
        parent=parent,
        child_id=child.pk,
    )
    url = reverse("afspraken:mine")
    parent_client.get(url)  # warm up the session
    with django_assert_max_num_queries(12):
        response = parent_client.get(url)
    page = response.content.decode()
    assert page.count('class="mb-2 appt-past"') == 10
    assert reverse("afspraken:detail", args=[upcoming.pk]) in page
    assert page.index(str(upcoming.pk)) < page.index(str(past[0].pk))  # upcoming first
    assert str(past[10].pk) not in page  # the 11th most recent is on page 2
    assert "Pagina 1 van 3" in page and "?pagina=2" in page
    last = parent_client.get(url, {"pagina": 3}).content.decode()
    assert last.count('class="mb-2 appt-past"') == 5 and str(past[-1].pk) in last
    with django_assert_max_num_queries(12):
        parent_client.get(url, {"pagina": 3})


def test_staff_booking_on_behalf_gives_the_age_reason(nurse_client, parent):
    child, baby, slot = _too_old_setup(parent)
    day = timezone.localtime(slot.starts_at).date()
    query = {
        "email": parent.email,
        "child": child.pk,
        "appointment_type": baby.pk,
        "location": slot.location_id,
        "day": day.isoformat(),
    }
    url = reverse("afspraken:staff_book") + "?" + "&".join(f"{k}={v}" for k, v in query.items())
    response = nurse_client.post(url, {"slot": slot.pk})
    assert response.status_code == 400
    assert "Het kind is op die dag te oud voor deze afspraak." in response.content.decode()
