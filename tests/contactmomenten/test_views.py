"""Parent and staff pages of the contact schedule."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from afspraken import services as booking
from contactmomenten.models import ChildMoment, FamilyPreferences
from families.models import Child
from privacy.fields import contains_id
from privacy.models import AccessLog
from tests.contactmomenten.factories import eight_week_setup
from tests.factories import make_child, make_family, make_staff

pytestmark = pytest.mark.django_db


def test_family_home_shows_the_next_moment_with_its_window_and_plan_now(client):
    parent, child, moment, atype, slots = eight_week_setup()
    client.force_login(parent)
    html = client.get(reverse("families:home")).content.decode()
    assert "Consult 8 weken" in html
    assert "plan tussen" in html
    plan_url = reverse("contactmomenten:plan", kwargs={"child_id": child.pk, "code": "cb-8w"})
    assert plan_url in html


def test_plan_now_opens_the_slot_list_with_the_window_applied(client):
    parent, child, moment, atype, (inside, outside) = eight_week_setup(slot_days=(3, 16))
    client.force_login(parent)
    page = client.get(
        reverse("contactmomenten:plan", kwargs={"child_id": child.pk, "code": "cb-8w"})
    )
    assert page.status_code == 200
    link = page.context["links"][0][1]
    response = client.get(link)
    html = response.content.decode()
    assert "Plan tussen" in html
    free = [s.pk for _, day in response.context["listing"].days for s in day]
    assert inside.pk in free or inside.starts_at.date() > response.context["listing"].week_start
    assert outside.pk not in free
    # The evening filter still works inside the window.
    evening = client.get(link + "&part=evening")
    assert evening.status_code == 200


def test_booking_from_plan_now_links_the_moment(client):
    parent, child, moment, atype, (slot,) = eight_week_setup()
    client.force_login(parent)
    url = reverse("afspraken:confirm", kwargs={"slot_id": slot.pk})
    response = client.post(url, {"child": child.pk, "type": atype.pk, "moment": "cb-8w"})
    assert response.status_code == 302
    row = ChildMoment.objects.get(child=child)
    assert row.state == "planned"


def test_booking_outside_the_window_from_plan_now_is_refused_in_dutch(client):
    parent, child, moment, atype, (slot,) = eight_week_setup(slot_days=(20,))
    client.force_login(parent)
    url = reverse("afspraken:confirm", kwargs={"slot_id": slot.pk})
    response = client.post(
        url, {"child": child.pk, "type": atype.pk, "moment": "cb-8w", "note": "Mijn tekst"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Deze tijd past niet bij deze afspraak" in html
    assert "Mijn tekst" in html


def test_no_places_in_the_window_shows_no_plan_now(client):
    parent, child, moment, atype, slots = eight_week_setup(slot_days=(30,))
    client.force_login(parent)
    html = client.get(reverse("families:home")).content.decode()
    assert "plan-now" not in html
    assert "Er zijn nu online geen vrije tijden" in html


def test_home_visit_offers_to_call_instead_of_plan_now(client):
    parent, child, moment, atype, slots = eight_week_setup()
    moment.where = "home"
    moment.save()
    client.force_login(parent)
    html = client.get(reverse("families:home")).content.decode()
    assert "Wij nemen contact met je op" in html
    assert "plan-now" not in html


def test_child_who_died_gets_gentle_words_and_no_moments(client):
    parent, child, moment, atype, slots = eight_week_setup()
    Child.objects.filter(pk=child.pk).update(care_status="deceased")
    client.force_login(parent)
    html = client.get(reverse("families:home")).content.decode()
    assert "geen berichten meer over Noor" in html
    assert "Consult 8 weken" not in html
    assert "plan-now" not in html


def test_answers_form_keeps_text_and_saves(client):
    parent, child, moment, atype, (slot,) = eight_week_setup()
    booking.book_appointment(
        slot_id=slot.pk,
        appointment_type_id=atype.pk,
        parent=parent,
        child_id=child.pk,
        moment_code="cb-8w",
    )
    client.force_login(parent)
    url = reverse("contactmomenten:moment", kwargs={"child_id": child.pk, "code": "cb-8w"})
    question = moment.questions.get(position=2)
    response = client.post(url, {f"q{question.pk}": "Ze slaapt goed"})
    assert response.status_code == 302
    assert "Ze slaapt goed" in client.get(url).content.decode()


def test_other_parent_cannot_see_a_childs_moments(client):
    parent, child, moment, atype, slots = eight_week_setup()
    from tests.factories import make_parent

    client.force_login(make_parent())
    url = reverse("contactmomenten:child", kwargs={"child_id": child.pk})
    assert client.get(url).status_code == 404


def test_preferences_opt_out_of_invitations(client):
    parent, child, moment, atype, slots = eight_week_setup()
    client.force_login(parent)
    response = client.post(reverse("contactmomenten:preferences"), {})
    assert response.status_code == 302
    assert FamilyPreferences.objects.get(family=parent.family).invitations is False


def test_planning_list_shows_open_windows_closest_end_first_and_logs(client):
    nurse = make_staff()
    parent, child, moment, atype, slots = eight_week_setup(days_to_target=7)
    later = make_child(
        family=make_family(),
        date_of_birth=timezone.localdate() + timedelta(days=5) - timedelta(weeks=8),
        first_name="Sem",
    )
    client.force_login(nurse)
    response = client.get(reverse("contactmomenten:planning") + "?moment=cb-8w")
    assert response.status_code == 200
    names = [r.child.first_name for r in response.context["rows"]]
    assert names == ["Sem", "Noor"]
    assert AccessLog.objects.filter(
        contains_id("child_ids", later.pk), actor=nurse, reason="planning list"
    ).exists()


def test_planning_action_called_is_shown(client):
    nurse = make_staff()
    parent, child, moment, atype, slots = eight_week_setup()
    client.force_login(nurse)
    url = reverse("contactmomenten:outreach", kwargs={"child_id": child.pk, "code": "cb-8w"})
    assert client.post(url, {"action": "called"}).status_code == 302
    html = client.get(reverse("contactmomenten:planning") + "?moment=cb-8w").content.decode()
    assert "Gebeld" in html


def test_planned_child_leaves_the_planning_list(client):
    nurse = make_staff()
    parent, child, moment, atype, (slot,) = eight_week_setup()
    booking.book_appointment(
        slot_id=slot.pk,
        appointment_type_id=atype.pk,
        parent=parent,
        child_id=child.pk,
        moment_code="cb-8w",
    )
    client.force_login(nurse)
    response = client.get(reverse("contactmomenten:planning") + "?moment=cb-8w")
    assert response.context["rows"] == []


def _many_children(count: int):
    """`count` children spread over 0-18 years in families of two."""
    today = timezone.localdate()
    families = [make_family() for _ in range(count // 50)]
    Child.objects.bulk_create(
        Child(
            family=families[i % len(families)],
            first_name=f"K{i}",
            date_of_birth=today - timedelta(days=(i * 13) % 6570),
        )
        for i in range(count)
    )


def test_family_home_and_planning_list_keep_constant_queries_with_10000_children(
    client, django_assert_max_num_queries
):
    parent, child, moment, atype, slots = eight_week_setup()
    for months in (3, 14, 40):
        make_child(family=parent.family, age_months=months)
    _many_children(10_000)
    client.force_login(parent)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("families:home")).status_code == 200
    client.force_login(make_staff())
    with django_assert_max_num_queries(40):
        response = client.get(reverse("contactmomenten:planning"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 100


def test_twins_are_planned_back_to_back(client):
    parent, child, moment, atype, (slot,) = eight_week_setup()
    twin = make_child(family=parent.family, date_of_birth=child.date_of_birth, first_name="Mees")
    after = booking_slot_after(slot)
    first = booking.book_appointment(
        slot_id=slot.pk,
        appointment_type_id=atype.pk,
        parent=parent,
        child_id=child.pk,
        moment_code="cb-8w",
    )
    client.force_login(parent)
    url = reverse("contactmomenten:moment", kwargs={"child_id": child.pk, "code": "cb-8w"})
    assert "Plan Mees direct erna" in client.get(url).content.decode()
    sibling_url = reverse(
        "contactmomenten:plan_sibling", kwargs={"child_id": child.pk, "code": "cb-8w"}
    )
    assert client.post(sibling_url, {"sibling": twin.pk}).status_code == 302
    second = twin.appointments.get(status="booked")
    assert second.slot_id == after.pk and second.starts_at == first.ends_at
    assert second.contact_moment.moment_id == moment.pk


def booking_slot_after(slot):
    from tests.afspraken.factories import make_slot

    return make_slot(schedule=slot.schedule, starts_at=slot.ends_at)


def test_manager_edits_the_schedule_in_the_admin_and_a_new_version_is_kept(client, manager):
    from contactmomenten.models import ContactMoment, ContactMomentVersion
    from tests.contactmomenten.factories import moment_cb8w

    moment = moment_cb8w()
    client.force_login(manager)
    url = reverse("admin:contactmomenten_contactmoment_change", args=[moment.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "appointment_types"}
    data.update({"window_after_days": 21, "target_unit": "weeks", "who": "nurse"})
    for prefix, formset in (
        (f.formset.prefix, f.formset) for f in page.context["inline_admin_formsets"]
    ):
        data[f"{prefix}-TOTAL_FORMS"] = formset.total_form_count() - formset.extra
        data[f"{prefix}-INITIAL_FORMS"] = formset.initial_form_count()
        for i, sub in enumerate(formset.initial_forms):
            for name, value in sub.initial.items():
                if value is not None and value is not False:
                    data[f"{prefix}-{i}-{name}"] = value.pk if hasattr(value, "pk") else value
            data[f"{prefix}-{i}-id"] = sub.instance.pk
            data[f"{prefix}-{i}-moment"] = moment.pk
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    moment.refresh_from_db()
    assert moment.version == 2 and moment.window_after_days == 21
    assert ContactMomentVersion.objects.filter(moment=moment, version=1).exists()
    assert ContactMoment.objects.filter(code="cb-8w").count() == 1
