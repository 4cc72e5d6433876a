"""Widgets that write their HTML in Python make what Django's templates make, byte for byte:
the same labels, ids, selected options and escaping, so the page and its accessibility stay
as they were."""

import pytest
from django import forms
from django.utils.translation import override

from core import widgets as plain
from onderwerpen.models import Topic
from vragen.forms import QueueFilterForm

pytestmark = pytest.mark.django_db

TEMPLATED = {
    plain.TextInput: forms.TextInput,
    plain.Select: forms.Select,
    plain.CheckboxInput: forms.CheckboxInput,
}


def _as_django_renders_it(form: forms.Form) -> forms.Form:
    """The same form with Django's own (template-rendered) widgets."""
    for field in form.fields.values():
        templated = TEMPLATED[type(field.widget)]()
        templated.attrs = dict(field.widget.attrs)
        templated.is_required = field.widget.is_required
        if hasattr(field.widget, "choices"):
            templated.choices = field.widget.choices
        field.widget = templated
    return form


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"q": 'slapen & "huilen" <b>', "status": "open", "urgency": "2", "overdue": "on"},
        {"assigned": "mine", "age_band": "0-1", "team": "all", "urgency": "x"},
        {"status": "nonsense", "overdue": ""},
    ],
)
def test_queue_filters_render_as_the_templates_render_them(data):
    topic = Topic.objects.create(name='Slapen & "rust"')
    if data:
        data = {**data, "topic": str(topic.pk)}
    for language in ("nl", "en"):
        with override(language):
            fast = QueueFilterForm(data)
            slow = _as_django_renders_it(QueueFilterForm(data))
            assert {type(f.widget) for f in fast.fields.values()} <= set(TEMPLATED)
            for name in fast.fields:
                assert str(fast[name]) == str(slow[name]), name
                assert fast[name].label_tag() == slow[name].label_tag()


def test_option_groups_and_boolean_attributes_render_as_the_templates_render_them():
    choices = [("", "—"), ("Groep <1>", [("a", "A & B"), ("b", "B")]), ("c", "C")]
    fast = plain.Select(attrs={"class": "form-select", "disabled": True, "data-x": False})
    slow = forms.Select(attrs={"class": "form-select", "disabled": True, "data-x": False})
    fast.choices = slow.choices = choices
    for value in ("a", "c", "", None):
        assert fast.render("pick", value, {"id": "id_pick"}) == slow.render(
            "pick", value, {"id": "id_pick"}
        )


@pytest.mark.parametrize(
    "data",
    [None, {}, {"team": "1", "moment": "x", "wijk": "2", "location": "<3>", "age_band": "0-1"}],
)
def test_planning_filters_render_as_the_templates_render_them(data):
    from types import SimpleNamespace as Named

    from contactmomenten.forms import PlanningFilterForm

    choices = {
        "moments": [Named(code="4w", name="4 weken & <meer>")],
        "locations": [Named(pk=3, name='Locatie "Oost"'), Named(pk=4, name="West")],
        "teams": [Named(pk=1, name="Noord")],
        "wijken": [Named(pk=2, name="Wijk 2")],
    }
    for language in ("nl", "en"):
        with override(language):
            fast = PlanningFilterForm(data, initial={"team": "1"}, **choices)
            slow = _as_django_renders_it(PlanningFilterForm(data, initial={"team": "1"}, **choices))
            assert {type(f.widget) for f in fast.fields.values()} == {plain.Select}
            for name in fast.fields:
                assert str(fast[name]) == str(slow[name]), name


@pytest.mark.parametrize("data", [None, {"location": "nonsense"}, {"choice": "x"}])
def test_booking_locations_render_as_the_templates_render_them(data):
    from afspraken.forms import BookingStartForm
    from afspraken.models import Location
    from tests.afspraken.factories import make_location

    make_location(name='Oost & "Noord"')
    data = data if data is None or "location" in data else {"location": str(make_location().pk)}
    locations = Location.objects.order_by("name")
    for language in ("nl", "en"):
        with override(language):
            kwargs = {"children": [], "types": [], "locations": locations}
            fast = BookingStartForm(data, **kwargs)
            slow = BookingStartForm(data, **kwargs)
            templated = forms.Select(attrs=dict(fast.fields["location"].widget.attrs))
            templated.choices = slow.fields["location"].widget.choices
            templated.is_required = True
            slow.fields["location"].widget = templated
            assert type(fast.fields["location"].widget) is plain.Select
            assert str(fast["location"]) == str(slow["location"])
