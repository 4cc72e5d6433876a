from django import forms
from django.utils.translation import gettext_lazy as _

from afspraken.models import AppointmentType, Location
from wachtlijst.models import Entry


class JoinForm(forms.Form):
    """The same filters as booking: time of day and location."""

    part = forms.ChoiceField(
        label=_("When can you come?"),
        choices=Entry.Part.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    location = forms.ModelChoiceField(
        label=_("Where?"),
        queryset=Location.objects.none(),
        required=False,
        empty_label=_("Any location"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations


class StaffFilterForm(forms.Form):
    location = forms.ModelChoiceField(
        label=_("Location"),
        queryset=Location.objects.order_by("name"),
        required=False,
        empty_label=_("All locations"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    appointment_type = forms.ModelChoiceField(
        label=_("Appointment type"),
        queryset=AppointmentType.objects.order_by("name"),
        required=False,
        empty_label=_("All types"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
