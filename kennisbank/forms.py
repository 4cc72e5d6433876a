from django import forms
from django.utils.translation import gettext_lazy as _

from onderwerpen import age_bands
from onderwerpen.models import Topic

AGE_CHOICES = [("", _("All ages")), *age_bands.CHOICES]


class BrowseForm(forms.Form):
    """Search words and an age band; both optional. Only validates."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        error_messages={"max_length": _("Use at most %(limit_value)d characters.")},
    )
    age = forms.ChoiceField(label=_("Age"), required=False, choices=AGE_CHOICES)
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        required=False,
        queryset=Topic.objects.filter(is_active=True),
        error_messages={"invalid_choice": _("Choose a theme from the list.")},
    )

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())


class VoteForm(forms.Form):
    helpful = forms.TypedChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        error_messages={"required": _("Choose yes or no.")},
    )
