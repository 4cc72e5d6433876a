from django import forms
from django.utils.translation import gettext_lazy as _

from contactmomenten.models import ChildMoment, VisitNote
from core import widgets as plain
from families.models import Child, Family
from onderwerpen import age_bands
from sms.phone import can_receive_sms, normalise_phone


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class AnswersForm(forms.Form):
    """The pre-consult questions of one moment; every answer is optional."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            name = f"q{question.pk}"
            if question.kind == "yes_no":
                field = forms.ChoiceField(
                    choices=[("", _("No answer")), ("ja", _("Yes")), ("nee", _("No"))],
                    widget=forms.RadioSelect,
                )
            elif question.kind == "choice":
                field = forms.ChoiceField(
                    choices=[("", _("No answer"))] + [(c, c) for c in question.choice_list],
                    widget=forms.RadioSelect,
                )
            else:
                field = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
            field.label = question.text
            field.required = False
            self.fields[name] = field

    def clean(self):
        data = super().clean()
        data["answers"] = {
            q.pk: (data.get(f"q{q.pk}") or "").replace("\x00", "").strip() for q in self.questions
        }
        return data


class PreferencesForm(forms.Form):
    invitations = forms.BooleanField(
        label=_("Invitations for check-ups"),
        required=False,
        help_text=_("If you switch this off, we call you when it is time for a check-up."),
    )
    channel = forms.ChoiceField(
        label=_("How do you want to get invitations and reminders?"),
        choices=Family.Channel.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=30,
        required=False,
        help_text=_("For text messages (SMS). For example 06 12345678."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    quiet_from = forms.TimeField(
        label=_("No text messages from"), required=False, widget=TimeInput()
    )
    quiet_until = forms.TimeField(label=_("until"), required=False, widget=TimeInput())

    def clean_phone(self):
        raw = self.cleaned_data["phone"].strip()
        if not raw:
            return ""
        phone = normalise_phone(raw)
        if not can_receive_sms(phone):
            raise forms.ValidationError(
                _("This is not a mobile number. We can only send a text message to a mobile.")
            )
        return phone

    def clean(self):
        data = super().clean()
        data["channel"] = data.get("channel") or Family.Channel.EMAIL
        if data["channel"] != Family.Channel.EMAIL and not data.get("phone"):
            if "phone" not in self.errors:
                self.add_error("phone", _("Enter your mobile number to get text messages."))
        start, end = data.get("quiet_from"), data.get("quiet_until")
        if (start is None) != (end is None):
            self.add_error("quiet_until", _("Fill in both times, or neither."))
        elif start is not None and start == end:
            self.add_error("quiet_until", _("The two times must be different."))
        return data


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("What we agreed"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Short, in plain words, for the parent. Not the medical record."),
    )
    follow_up = forms.ChoiceField(
        label=_("Follow-up"), choices=VisitNote.FollowUp.choices, required=False
    )
    follow_up_text = forms.CharField(label=_("Follow-up details"), max_length=300, required=False)
    follow_up_link = forms.URLField(label=_("Link"), required=False, assume_scheme="https")

    def clean_text(self):
        text = self.cleaned_data["text"].replace("\x00", "").strip()
        if not text:
            raise forms.ValidationError(_("Write what you agreed."))
        return text


class OutreachForm(forms.Form):
    action = forms.ChoiceField(choices=ChildMoment.Outreach.choices)


class CareStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Care status"), choices=Child.CareStatus.choices)


class PlanningFilterForm(forms.Form):
    """The planning list's filters. Its selects write their HTML in Python (`core.widgets`):
    a region's locations and wijken are a few hundred options, each rendered through a
    template otherwise."""

    team = forms.ChoiceField(label=_("Team"), required=False, widget=plain.Select)
    moment = forms.ChoiceField(label=_("Check-up"), required=False, widget=plain.Select)
    wijk = forms.ChoiceField(label=_("Neighbourhood"), required=False, widget=plain.Select)
    location = forms.ChoiceField(label=_("Location"), required=False, widget=plain.Select)
    age_band = forms.ChoiceField(label=_("Age"), required=False, widget=plain.Select)

    def __init__(self, *args, moments, locations, teams=(), wijken=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", _("All teams"))] + [
            (str(team.pk), team.name) for team in teams
        ]
        self.fields["moment"].choices = [("", _("All check-ups"))] + [
            (m.code, m.name) for m in moments
        ]
        self.fields["wijk"].choices = [("", _("All neighbourhoods"))] + [
            (str(wijk.pk), wijk.name) for wijk in wijken
        ]
        self.fields["location"].choices = [("", _("All locations"))] + [
            (str(loc.pk), loc.name) for loc in locations
        ]
        self.fields["age_band"].choices = [("", _("Every age")), *age_bands.CHOICES]


class CallbackForm(forms.Form):
    """'Bel me terug' for a moment the JGZ arranges with the family."""

    phone = forms.CharField(label=_("Your phone number"), max_length=30)
    part_of_day = forms.ChoiceField(
        label=_("When can we call you best?"),
        choices=[("", _("Does not matter")), *ChildMoment.PartOfDay.choices],
        required=False,
    )

    def __init__(self, *args, evening: bool = False, **kwargs):
        """`evening`: the family's own team works in the evening, so it may ask for then."""
        super().__init__(*args, **kwargs)
        self.fields["part_of_day"].choices = [
            choice
            for choice in self.fields["part_of_day"].choices
            if choice[0] != ChildMoment.PartOfDay.EVENING or evening
        ]

    def clean_phone(self):
        phone = self.cleaned_data["phone"].replace("\x00", "").strip()
        digits = sum(c.isdigit() for c in phone)
        if not all(c.isdigit() or c in " +-()" for c in phone) or not 10 <= digits <= 15:
            raise forms.ValidationError(_("Fill in a phone number of 10 digits, like 06 12345678."))
        return phone
