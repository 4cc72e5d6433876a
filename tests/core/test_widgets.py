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
