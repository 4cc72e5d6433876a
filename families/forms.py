from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.postcodes import normalise_postcode


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ChildForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=80)
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty if your baby is not born yet."),
    )
    due_date = forms.DateField(
        label=_("Expected due date"),
        required=False,
        widget=DateInput(),
        help_text=_("Only during pregnancy."),
    )

    def clean_first_name(self):
        name = self.cleaned_data["first_name"].strip()
        if not name or "\x00" in name:
            raise forms.ValidationError(_("Fill in a first name."))
        return name

    def clean_date_of_birth(self):
        born = self.cleaned_data.get("date_of_birth")
        today = timezone.localdate()
        if born and born > today:
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        if born and born < today - timedelta(days=365 * 19):
            raise forms.ValidationError(
                _("The portal is for children up to 18 years. Check the date of birth.")
            )
        return born

    def clean_due_date(self):
        due = self.cleaned_data.get("due_date")
        today = timezone.localdate()
        if due and not (today - timedelta(days=30) <= due <= today + timedelta(days=300)):
            raise forms.ValidationError(_("Fill in a due date within the coming 10 months."))
        return due

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("date_of_birth") and not data.get("due_date"):
            raise forms.ValidationError(
                _("Fill in a date of birth, or the expected due date if your baby is not born yet.")
            )
        return data


class PostcodeForm(forms.Form):
    postcode = forms.CharField(
        label=_("Postcode"),
        required=False,
        max_length=12,
        help_text=_("For example 3512 AB. We use it to find the JGZ team in your neighbourhood."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "text"}),
    )

    def clean_postcode(self):
        try:
            return normalise_postcode(self.cleaned_data["postcode"])
        except ValueError as exc:
            raise forms.ValidationError(
                _("Fill in a postcode like 3512 AB: 4 digits and 2 letters.")
            ) from exc


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the other parent or carer"), max_length=254)
