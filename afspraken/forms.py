from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from afspraken.models import Appointment, AppointmentType, Location
from afspraken.selectors import PARTS
from afspraken.services import OUTCOMES
from core import widgets as plain
from core.languages import INTERPRETER_LANGUAGES
from onderwerpen.models import Topic


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class BookingStartForm(forms.Form):
    """Step 1: what for and for which child (one choice), and where.

    The appointment types are offered per child, only those that fit the child's age today:
    one radio group, so a parent never picks a combination that is refused after submitting.
    `day` and `part` come from the "nearest evening / Saturday" links and are passed on.
    """

    choice = forms.ChoiceField(
        label=_("What kind of appointment, and for whom?"),
        error_messages={"required": _("Choose an appointment for one of your children.")},
    )
    location = forms.ModelChoiceField(
        label=_("Where?"),
        queryset=Location.objects.none(),
        empty_label=None,
        # In Python (`core.widgets`): a region has over a hundred locations, and rendering
        # each option through a template was a third of this page's time.
        widget=plain.Select(attrs={"class": "form-select"}),
    )
    day = forms.DateField(required=False, widget=forms.HiddenInput)
    part = forms.ChoiceField(required=False, choices=[("", "")] + [(p, p) for p in PARTS])

    def __init__(self, *args, children, types, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.children = {str(c.pk): c for c in children}
        self.types = {str(t.pk): t for t in types}
        today = timezone.localdate()
        self.groups = []
        for child in children:
            months = child.age_in_months(today)
            options = [(f"{child.pk}:{t.pk}", t) for t in types if t.age_problem(months) is None]
            self.groups.append((child, options))
        offered = [value for _, options in self.groups for value, _ in options]
        # Every child/type pair is accepted here; clean() gives the reason for one that is
        # not offered (an edited URL), instead of "not a valid choice".
        self.fields["choice"].choices = [
            (f"{c}:{t}", "") for c in self.children for t in self.types
        ]
        if not self.is_bound:
            if len(offered) == 1:
                self.initial.setdefault("choice", offered[0])
            # From a link: drop what is not a date or a known part, rather than fail later
            # on a hidden field the parent cannot correct.
            if self.initial.get("part") not in PARTS:
                self.initial.pop("part", None)
            if self.chosen_day() is None:
                self.initial.pop("day", None)
        self.fields["location"].queryset = locations

    def clean(self):
        data = super().clean()
        child_id, _sep, type_id = (data.get("choice") or "").partition(":")
        child, appointment_type = self.children.get(child_id), self.types.get(type_id)
        if "choice" in data and child is not None and appointment_type is not None:
            problem = appointment_type.age_problem(child.age_in_months())
            if problem:
                self.add_error("choice", AGE_MESSAGES[problem])
        data["child_obj"], data["type_obj"] = child, appointment_type
        return data

    def selected_choice(self) -> str:
        return str(self["choice"].value() or "")

    def chosen_day(self):
        """The day a "nearest evening / Saturday" link asked for, if it is a date."""
        try:
            return self.fields["day"].to_python(self["day"].value())
        except forms.ValidationError:
            return None


AGE_MESSAGES = {
    "too_young": _(
        "Your child is too young for this appointment on that day. Choose another appointment."
    ),
    "too_old": _(
        "Your child is too old for this appointment on that day. Choose another appointment."
    ),
}


class WeekForm(forms.Form):
    """Step 2 filters: the week shown, the day opened in it and the part of the day."""

    week = forms.DateField(required=False, widget=DateInput())
    day = forms.DateField(required=False, widget=DateInput())
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

    def clean(self):
        data = super().clean()
        # A link to one day ("nearest evening") opens the week of that day.
        data["week"] = data.get("week") or data.get("day") or timezone.localdate()
        return data


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

    interpreter = forms.BooleanField(label=_("I want an interpreter"), required=False)
    interpreter_language = forms.ChoiceField(
        label=_("Interpreter for which language?"),
        required=False,
        choices=[("", "—"), *INTERPRETER_LANGUAGES],
        help_text=_("Free for you. The nurse arranges the interpreter (by phone or present)."),
    )

    def clean_note(self):
        return self.cleaned_data["note"].replace("\x00", "").strip()

    def clean(self):
        data = super().clean()
        if not data.get("interpreter"):
            data["interpreter_language"] = ""
        elif not data.get("interpreter_language"):
            self.add_error("interpreter_language", _("Choose the language for the interpreter."))
        return data


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


class JgzCancelForm(forms.Form):
    """The confirm step before the JGZ cancels a family's appointment: a reason is required."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "For example: the nurse is ill. No medical details: the parent can read this "
            "in their data download."
        ),
        error_messages={"required": _("Give a reason for cancelling.")},
    )

    def clean_reason(self):
        return self.cleaned_data["reason"].replace("\x00", "").strip()


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

    moment = forms.ChoiceField(label=_("Check-up"), required=False)
    # From 16 a check-up is the youth's: its confirmation and reminders go to them, not the
    # parents (only used for such a check-up).
    youth_email = forms.EmailField(
        label=_("E-mail address of the young person (16 or older)"),
        required=False,
        help_text=_("Only for a check-up of a young person of 16 or older. Never the parents."),
    )
    youth_phone = forms.CharField(
        label=_("Mobile number of the young person (16 or older)"),
        required=False,
        max_length=30,
        help_text=_("For the reminder by text message the day before."),
    )

    def clean_youth_phone(self):
        from sms.phone import normalise_phone

        raw = self.cleaned_data["youth_phone"].strip()
        return normalise_phone(raw) if raw else ""

    def __init__(self, *args, children, types, locations, moments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [(str(c.pk), c.first_name) for c in children]
        self.fields["appointment_type"].queryset = types
        self.fields["location"].queryset = locations
        self.fields["moment"].choices = [("", _("No check-up of the schedule")), *moments]


class GroupBookForm(forms.Form):
    share_first_name = forms.BooleanField(
        label=_("The co-host of this meeting may see my first name"),
        required=False,
        help_text=_("So they can greet you by name. Nothing else is shared."),
    )
