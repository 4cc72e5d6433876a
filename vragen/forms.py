import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from core import widgets as plain
from onderwerpen.models import Topic
from vragen import alarms, selectors
from vragen.models import AlarmRule, Question, Urgency

ABOUT_PARENT = "parent"
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{8,16}[0-9]$")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class LongTextField(forms.CharField):
    """A text box without the `maxlength` attribute: with it, a browser cuts pasted text off
    without a word. The server checks the length (Dutch message, text kept) and
    static/js/counter.js shows the characters left while typing."""

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        if self.max_length is not None:
            attrs.update(
                {
                    "data-counter-max": str(self.max_length),
                    "data-counter-left": _("%(count)s characters left"),
                    "data-counter-over": _("%(count)s characters too many"),
                }
            )
        return attrs


def _text(label, *, help_text="", min_length=2, max_length=4000, rows=5):
    return LongTextField(
        label=label,
        help_text=help_text,
        min_length=min_length,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": _("Fill in this field."),
            "min_length": _("Write a little more, please."),
            "max_length": _(
                "Your text has %(show_value)d characters; %(limit_value)d fit. "
                "Make it shorter, please: nothing has been sent yet."
            ),
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
        help_text=_(
            "Tell us what is going on. Do not write about an emergency here. "
            "At most 4,000 characters."
        ),
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
        choices=[("", _("Choose a part of the day"))],
        required=False,
    )
    appointment = forms.ChoiceField(
        label=_("Which appointment?"),
        required=False,
        help_text=_("Only when you want to discuss your question at your appointment."),
    )
    # Set by the "call now" page when the parent chooses to send anyway.
    alarm_confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, children=(), appointments=(), family_id=None, **kwargs):
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
        self.fields["call_back_part_of_day"].choices = [
            ("", _("Choose a part of the day")),
            *selectors.list_call_back_parts_of_day(family_id=family_id),
        ]

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
    part_of_day = forms.ChoiceField(label=_("Part of the day"), choices=())
    phone = forms.CharField(label=_("Phone number"), max_length=30)
    message = _text(_("Message to the parent"), rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["part_of_day"].choices = selectors.list_call_back_parts_of_day()

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
    """The queue's filters. Its widgets write their HTML in Python (`core.widgets`): the
    queue is the busiest staff page, and rendering seven selects option by option through
    templates was about a third of its time."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200, widget=plain.TextInput)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All open questions")), *Question.Status.choices],
        widget=plain.Select,
    )
    urgency = forms.TypedChoiceField(
        label=_("Urgency"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Every urgency")), *Urgency.choices],
        widget=plain.Select,
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        required=False,
        queryset=Topic.objects.all(),
        empty_label=_("Every topic"),
        widget=plain.Select,
    )
    age_band = forms.ChoiceField(
        label=_("Age"),
        required=False,
        choices=[("", _("Every age")), *selectors.AgeBand.CHOICES],
        widget=plain.Select,
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
        widget=plain.Select,
    )
    overdue = forms.BooleanField(
        label=_("Only overdue"), required=False, widget=plain.CheckboxInput
    )
    team = forms.ChoiceField(label=_("Team"), required=False, widget=plain.Select)

    def __init__(self, *args, **kwargs):
        from teams.selectors import list_teams

        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [
            ("", _("My teams")),
            ("all", _("All teams")),
            *((str(team.pk), team.name) for team in list_teams()),
        ]
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
            team=data.get("team", ""),
        )


# --- Admin: alarm rules ------------------------------------------------------------------------

_PATTERN_ERRORS = {
    "prefix": _("Line %(line)d, ‘%(text)s’: put at least 3 letters before the *."),
    "empty": _("Line %(line)d, ‘%(text)s’: there is no word here."),
    "gap_at_edge": _("Line %(line)d, ‘%(text)s’: put ... only between two words."),
}


class AlarmRuleForm(forms.ModelForm):
    """The jeugdarts' form in the admin. Saving runs the rule's own test sentences: a rule that
    misses a sentence it must catch, or catches one it must not, is not saved."""

    class Meta:
        model = AlarmRule
        fields = AlarmRule.CONTENT_FIELDS
        widgets = {
            name: forms.Textarea(attrs={"rows": rows, "cols": 60})
            for name, rows in [
                ("words", 6),
                ("and_words", 4),
                ("and_also_words", 3),
                ("ignore", 3),
                ("advice", 3),
                ("must_match", 6),
                ("must_not_match", 6),
            ]
        }

    def _check_patterns(self, name: str) -> str:
        text = self.cleaned_data.get(name, "")
        errors = []
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                alarms.compile_pattern(line)
            except alarms.PatternError as exc:
                errors.append(
                    ValidationError(
                        _PATTERN_ERRORS[str(exc)], params={"line": number, "text": line.strip()}
                    )
                )
        if errors:
            raise ValidationError(errors)
        return text

    def clean_words(self):
        return self._check_patterns("words")

    def clean_and_words(self):
        return self._check_patterns("and_words")

    def clean_and_also_words(self):
        return self._check_patterns("and_also_words")

    def clean_ignore(self):
        return self._check_patterns("ignore")

    def clean(self):
        data = super().clean()
        audience = data.get("audience")
        if audience == AlarmRule.Audience.CHILD and not data.get("younger_than_months"):
            self.add_error(
                "younger_than_months", _("Fill in the age below which this rule applies.")
            )
        elif audience != AlarmRule.Audience.CHILD and data.get("younger_than_months"):
            self.add_error("younger_than_months", _("An age only counts for a rule about a child."))
        if self.errors:
            return data
        rule = alarms.compile_rule(
            audience=audience,
            younger_than_months=data.get("younger_than_months"),
            word_lists=[data["words"], data.get("and_words", ""), data.get("and_also_words", "")],
            ignore=data.get("ignore", ""),
        )
        self._check_sentences(rule, "must_match", should_match=True)
        self._check_sentences(rule, "must_not_match", should_match=False)
        if self.errors:
            raise ValidationError(
                _("The rule has not been saved. Correct the fields marked in red.")
            )
        return data

    def _check_sentences(self, rule: alarms.CompiledRule, name: str, *, should_match: bool):
        today = timezone.localdate()
        errors = []
        for sentence in alarms.lines(self.cleaned_data.get(name, "")):
            try:
                text, context = alarms.sentence_context(
                    sentence, audience=rule.audience, today=today
                )
            except alarms.SentenceError as exc:
                errors.append(
                    ValidationError(
                        _(
                            "‘%(text)s’: unknown context [%(label)s]. Use for example "
                            "[5 weken], [4 jaar], [zwanger] or [ouder]."
                        ),
                        params={"text": sentence, "label": str(exc)},
                    )
                )
                continue
            if rule.matches(alarms.tokenize(text), context) != should_match:
                message = (
                    _("This sentence must give an alarm, but it does not: ‘%(text)s’")
                    if should_match
                    else _("This sentence must not give an alarm, but it does: ‘%(text)s’")
                )
                errors.append(ValidationError(message, params={"text": sentence}))
        for error in errors:
            self.add_error(name, error)
