from django import forms
from django.utils.translation import gettext_lazy as _

from bereik.models import AttentionReason, OutreachAction, OutreachCase

# A region's export (300,000 children) is about 30 MB.
MAX_IMPORT_BYTES = 64 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))
    full_export = forms.BooleanField(
        label=_("This is a full export"),
        required=False,
        help_text=_(
            "Tick this only when the file holds every child in our care: children who are "
            "missing from it are then marked as moved out of the region."
        ),
    )

    def __init__(self, *args, full_option: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not full_option:
            del self.fields["full_export"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is too large (at most 64 MB)."))
        return upload


class WorklistFilterForm(forms.Form):
    team = forms.ChoiceField(label=_("Team"), required=False)
    wijk = forms.ChoiceField(label=_("Neighbourhood (wijk)"), required=False)

    def __init__(self, *args, teams, wijken, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", _("All my teams"))] + [
            (str(t.pk), t.name) for t in teams
        ]
        self.fields["wijk"].choices = [("", _("All neighbourhoods"))] + [
            (str(w.pk), w.name) for w in wijken
        ]


class OutreachActionForm(forms.Form):
    kind = forms.ChoiceField(choices=OutreachAction.Kind.choices)
    outcome = forms.ChoiceField(choices=OutreachAction.Outcome.choices, required=False)
    closing = forms.ChoiceField(
        label=_("Closed because"),
        choices=[("", "-"), *OutreachCase.Closing.choices],
        required=False,
    )

    def clean(self):
        data = super().clean()
        kind, outcome = data.get("kind"), data.get("outcome", "")
        allowed = OutreachAction.OUTCOMES.get(kind, ())
        if allowed and outcome not in allowed:
            raise forms.ValidationError(_("Choose how it went."))
        if kind == OutreachAction.Kind.CLOSED and not data.get("closing"):
            raise forms.ValidationError(_("Choose why you close this."))
        return data


class AttentionForm(forms.Form):
    reason = forms.ModelChoiceField(
        label=_("Reason for extra attention"), queryset=AttentionReason.objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = AttentionReason.objects.filter(is_active=True)


class ActivationForm(forms.Form):
    code = forms.CharField(
        label=_("Your code"),
        max_length=20,
        help_text=_(
            "It is on the letter from the JGZ, or in the text message. For example ABCDE-23456."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}
        ),
    )


class MergeForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the parent who signed up"),
        help_text=_("The family this parent made online is merged into the imported family."),
    )
    key = forms.CharField(label=_("DD JGZ key of a child in the imported family"), max_length=64)


class DeskRegistrationForm(forms.Form):
    """A family registered by phone or at the desk: no e-mail, no account."""

    parent_name = forms.CharField(label=_("Name of the parent"), max_length=150)
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    postcode = forms.CharField(label=_("Postcode"), max_length=12, required=False)
    language = forms.CharField(label=_("Language"), max_length=3, initial="nl")
    child_name = forms.CharField(label=_("First name of the child"), max_length=80)
    child_born = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    child_due = forms.DateField(
        label=_("Or: expected due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_phone(self):
        from sms.phone import normalise_phone

        return normalise_phone(self.cleaned_data["phone"])

    def clean_postcode(self):
        from families.postcodes import normalise_postcode

        try:
            return normalise_postcode(self.cleaned_data["postcode"])
        except ValueError as exc:
            raise forms.ValidationError(
                _("Fill in a postcode like 3512 AB: 4 digits and 2 letters.")
            ) from exc

    def clean(self):
        data = super().clean()
        if not data.get("child_born") and not data.get("child_due"):
            raise forms.ValidationError(_("Fill in the date of birth or the due date."))
        return data


class EraseFamilyForm(forms.Form):
    confirm = forms.BooleanField(label=_("The family asked us to erase their data"))
