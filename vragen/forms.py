import re

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from vragen import selectors
from vragen.models import Question, Topic, Urgency

ABOUT_PARENT = "parent"
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{8,16}[0-9]$")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _text(label, *, help_text="", min_length=2, max_length=4000, rows=5):
    return forms.CharField(
        label=label,
        help_text=help_text,
        min_length=min_length,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": _("Fill in this field."),
            "min_length": _("Write a little more, please."),
        },
    )


class AskForm(forms.Form):
    about = forms.ChoiceField(
        label=_("Who is your question about?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who your question is about.")},
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.none(),
        empty_label=_("Choose a topic"),
        error_messages={"required": _("Choose a topic.")},
    )
    text = _text(
        _("Your question"),
        help_text=_("Tell us what is going on. Do not write about an emergency here."),
        min_length=10,
    )
    channel = forms.ChoiceField(
        label=_("How do you want the answer?"),
        choices=Question.Channel.choices,
        initial=Question.Channel.ONLINE,
        widget=forms.RadioSelect,
    )
    call_back_phone = forms.CharField(
        label=_("Phone number for the call back"), max_length=30, required=False
    )
    call_back_part_of_day = forms.ChoiceField(
        label=_("When can we call you?"),
        choices=[("", _("Choose a part of the day")), *Question.PartOfDay.choices],
        required=False,
    )
    appointment = forms.ChoiceField(
        label=_("Which appointment?"),
        required=False,
        help_text=_("Only when you want to discuss your question at your appointment."),
    )
    # Set by the "call now" page when the parent chooses to send anyway.
    alarm_confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, children=(), appointments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.children = {str(child.pk): child for child in children}
        self.appointments = {str(a.pk): a for a in appointments}
        self.fields["appointment"].choices = [
            ("", _("Choose an appointment") if appointments else _("You have no appointment yet")),
            *(
                (pk, f"{date_format(localtime(a.starts_at), 'l j F H:i')} · {a.appointment_type}")
                for pk, a in self.appointments.items()
            ),
        ]
        self.fields["about"].choices = [
            *((pk, child.first_name) for pk, child in self.children.items()),
            (ABOUT_PARENT, _("Myself, as a parent")),
        ]
        self.fields["topic"].queryset = selectors.list_topics()

    def clean_about(self):
        value = self.cleaned_data["about"]
        return None if value == ABOUT_PARENT else self.children[value]

    def clean_call_back_phone(self):
        return self.cleaned_data["call_back_phone"].strip()

    def clean(self):
        data = super().clean()
        if data.get("channel") == Question.Channel.CALL_BACK:
            phone = data.get("call_back_phone", "")
            if not phone:
                self.add_error("call_back_phone", _("Fill in a phone number so we can call you."))
            elif not _PHONE.match(phone):
                self.add_error("call_back_phone", _("Fill in a valid phone number."))
            if not data.get("call_back_part_of_day"):
                self.add_error("call_back_part_of_day", _("Choose when we can call you."))
        if data.get("channel") == Question.Channel.APPOINTMENT and not data.get("appointment"):
            self.add_error(
                "appointment",
                _("Choose your appointment.")
                if self.appointments
                else _("You have no appointment yet. Choose another way to get an answer."),
            )
        return data

    def clean_appointment(self):
        return self.appointments.get(self.cleaned_data["appointment"])

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "child": data["about"],
            "topic": data["topic"],
            "text": data["text"],
            "channel": data["channel"],
            "call_back_phone": data["call_back_phone"],
            "call_back_part_of_day": data["call_back_part_of_day"],
            "appointment": data.get("appointment"),
        }


class ReplyForm(forms.Form):
    body = _text(_("Your reply"), rows=4)


class UrgencyForm(forms.Form):
    urgency = forms.TypedChoiceField(label=_("Urgency"), choices=Urgency.choices, coerce=int)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assign to"),
        queryset=selectors.list_assignable_staff(),
        required=False,
        empty_label=_("Nobody (back to the team)"),
    )


class AnswerForm(forms.Form):
    prefix = "answer"  # several forms share one page: unique field ids

    body = _text(_("Answer to the parent"), rows=8)


class InfoRequestForm(forms.Form):
    prefix = "info"  # several forms share one page: unique field ids

    body = _text(_("What do you want to know from the parent?"), rows=4)


class NoteForm(forms.Form):
    prefix = "note"  # several forms share one page: unique field ids

    body = _text(
        _("Internal note"), help_text=_("Only colleagues see this. Never the parent."), rows=3
    )


class CallBackForm(forms.Form):
    prefix = "call_back"  # several forms share one page: unique field ids

    on = forms.DateField(label=_("Call on"), widget=DateInput())
    part_of_day = forms.ChoiceField(label=_("Part of the day"), choices=Question.PartOfDay.choices)
    phone = forms.CharField(label=_("Phone number"), max_length=30)
    message = _text(_("Message to the parent"), rows=3)

    def clean_on(self):
        day = self.cleaned_data["on"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later date."))
        return day

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if not _PHONE.match(phone):
            raise forms.ValidationError(_("Fill in a valid phone number."))
        return phone


class CloseForm(forms.Form):
    prefix = "close"  # several forms share one page: unique field ids

    reason = forms.ChoiceField(
        label=_("Reason for closing"),
        choices=[
            c for c in Question.CloseReason.choices if c[0] != Question.CloseReason.SOLVED_BY_PARENT
        ],
    )


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All open questions")), *Question.Status.choices],
    )
    urgency = forms.TypedChoiceField(
        label=_("Urgency"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Every urgency")), *Urgency.choices],
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"), required=False, queryset=Topic.objects.all(), empty_label=_("Every topic")
    )
    age_band = forms.ChoiceField(
        label=_("Age"),
        required=False,
        choices=[("", _("Every age")), *selectors.AgeBand.CHOICES],
    )
    assigned = forms.ChoiceField(
        label=_("Assigned"),
        required=False,
        choices=[
            ("", _("Whole team")),
            ("mine", _("Assigned to me")),
            ("unassigned", _("Not assigned")),
            ("others", _("Assigned to colleagues")),
        ],
    )
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Rendered by hand (not crispy): the queue is the busiest staff page.
        for name, field in self.fields.items():
            css = {"q": "form-control", "overdue": "form-check-input"}.get(name, "form-select")
            field.widget.attrs["class"] = css

    def filters(self) -> selectors.QueueFilters:
        data = self.cleaned_data if self.is_valid() else {}
        topic = data.get("topic")
        return selectors.QueueFilters(
            status=data.get("status", ""),
            urgency=data.get("urgency"),
            topic_id=topic.pk if topic else None,
            age_band=data.get("age_band", ""),
            assigned=data.get("assigned", ""),
            overdue=bool(data.get("overdue")),
            q=(data.get("q") or "").strip(),
        )
