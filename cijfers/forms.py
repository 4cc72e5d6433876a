from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cijfers.models import SurveyAnswer
from families.forms import DateInput

MAX_DAYS = 5 * 366


class FilterForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput)
    end = forms.DateField(label=_("Until"), widget=DateInput)
    team = forms.ChoiceField(label=_("Team"), required=False)
    wijk = forms.ChoiceField(label=_("Wijk"), required=False)
    compare = forms.BooleanField(label=_("Compare with the previous period"), required=False)

    def __init__(self, data=None, *, teams, wijken, **kwargs):
        today = timezone.localdate()
        if data is not None and not {"start", "end"} & set(data):
            data = None  # first visit: the defaults below
        super().__init__(data, **kwargs)
        self.initial.update({"start": today - timedelta(days=90), "end": today})
        self.fields["team"].choices = [("", _("All my teams"))] + [
            (str(t.pk), t.name) for t in teams
        ]
        self.fields["wijk"].choices = [("", _("All wijken"))] + [
            (str(w.pk), w.name) for w in wijken
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end date is before the start date."))
            elif (end - start).days > MAX_DAYS:
                self.add_error("end", _("Choose a period of at most five years."))
        return data


class SurveyForm(forms.Form):
    """Three short questions in B1 Dutch and an optional remark; no name is asked."""

    enough_time = forms.TypedChoiceField(
        label=_("Did you have enough time?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    discussed = forms.ChoiceField(
        label=_("Did we talk about your question?"),
        choices=SurveyAnswer.Discussed.choices,
        widget=forms.RadioSelect,
    )
    score = forms.TypedChoiceField(
        label=_("What score do you give the visit? 1 is bad, 5 is very good."),
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    remark = forms.CharField(
        label=_("Do you want to tell us something else? (optional)"),
        help_text=_("Do not write names or medical details. We keep remarks for one year."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PublicResponseForm(forms.Form):
    """A manager's "Jullie zeiden, wij deden": a theme from the remarks and what we did."""

    theme = forms.CharField(label=_("Theme"), max_length=120)
    you_said = forms.CharField(
        label=_("You said"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In your own words, without names or anything that points to one family."),
    )
    we_did = forms.CharField(
        label=_("We did"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4})
    )
    publish = forms.BooleanField(label=_("Publish now on the public page"), required=False)
