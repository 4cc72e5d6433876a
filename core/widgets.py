"""Form widgets that write their HTML in Python instead of through the form renderer.

Django renders every widget, and every <option> of a select, through a template; on a busy
page with several filter selects that is most of the time of the request. These widgets make
the same HTML, byte for byte (tests/core/test_widgets.py compares them with Django's own
templates), from the same context (`get_context`), so labels, ids and attributes stay as
they are. Use them only where the form's renderer is not customised.
"""

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html."""
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(value)}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


class _InPython:
    def _render(self, template_name, context, renderer=None):
        # (The form renderer strips the template's output: so do these.)
        return mark_safe(self.html(context["widget"]))  # noqa: S308 - every part escaped


class TextInput(_InPython, forms.TextInput):
    def html(self, widget: dict) -> str:
        return _input(widget)


class CheckboxInput(_InPython, forms.CheckboxInput):
    def html(self, widget: dict) -> str:
        return _input(widget)


class Select(_InPython, forms.Select):
    """django/forms/widgets/select.html with select_option.html per option."""

    def html(self, widget: dict) -> str:
        parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in options:
                parts.append(
                    f'\n  <option value="{conditional_escape(option["value"])}"'
                    f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return "".join(parts)
