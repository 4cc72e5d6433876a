from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from afspraken.models import Appointment, AppointmentType, Location
from afspraken.selectors import PARTS
from afspraken.services import OUTCOMES
from vragen.models import Topic


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class BookingStartForm(forms.Form):
    """Step 1: which child, what for, where."""

    child = forms.ChoiceField(label=_("For which child?"), widget=forms.RadioSelect)
    appointment_type = forms.ModelChoiceField(
        label=_("What kind of appointment?"),
        queryset=AppointmentType.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
    )
    location = forms.ModelChoiceField(
        label=_("Where?"), queryset=Location.objects.none(), empty_label=None
    )

    def __init__(self, *args, children, types, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.children = {str(c.pk): c for c in children}
        self.fields["child"].choices = [(str(c.pk), c.first_name) for c in children]
        self.fields["appointment_type"].queryset = types
        self.fields["location"].queryset = locations

    def clean(self):
        data = super().clean()
        child = self.children.get(data.get("child") or "")
        appointment_type = data.get("appointment_type")
        if child is not None and appointment_type is not None:
            if not appointment_type.fits_age(child.age_in_months()):
                self.add_error(
                    "appointment_type",
                    _("This appointment is not meant for a child of this age. Choose another."),
                )
        data["child_obj"] = child
        return data


class WeekForm(forms.Form):
    """Step 2 filters: the week shown and the part of the day."""

    week = forms.DateField(required=False, widget=DateInput())
    part = forms.ChoiceField(
        required=False,
        choices=[
            ("", _("All times")),
            ("evening", _("Evenings")),
            ("saturday", _("Saturdays")),
            ("daytime", _("During the day")),
            ("outside_office", _("Only outside office hours")),
        ],
    )

    def clean_part(self):
        part = self.cleaned_data.get("part") or ""
        return part if part in PARTS else ""

    def clean_week(self):
        return self.cleaned_data.get("week") or timezone.localdate()


class TopicsForm(forms.Form):
    """'Wat wil je bespreken?'"""

    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        required=False,
        queryset=Topic.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Anything else you want to tell us or ask?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Short is fine. Do not write medical details you would rather say in person."),
    )

    def clean_note(self):
        return self.cleaned_data["note"].replace("\x00", "").strip()


class ConfirmForm(TopicsForm):
    """Step 3: confirm the chosen time, optionally with what to discuss."""


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you cancelling? (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_reason(self):
        return self.cleaned_data["reason"].replace("\x00", "").strip()


class OutcomeForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in Appointment.Status if s in OUTCOMES],
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class ParentLookupForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the parent"))


class StaffBookingForm(forms.Form):
    """Book on a parent's behalf: child, type, location and a day; then pick a free time."""

    child = forms.ChoiceField(label=_("Child"))
    appointment_type = forms.ModelChoiceField(
        label=_("Appointment type"), queryset=AppointmentType.objects.none(), empty_label=None
    )
    location = forms.ModelChoiceField(
        label=_("Location"), queryset=Location.objects.none(), empty_label=None
    )
    day = forms.DateField(label=_("Day"), widget=DateInput())

    def __init__(self, *args, children, types, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [(str(c.pk), c.first_name) for c in children]
        self.fields["appointment_type"].queryset = types
        self.fields["location"].queryset = locations
