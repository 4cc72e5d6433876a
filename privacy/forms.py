from django import forms
from django.utils.translation import gettext_lazy as _

from families.forms import DateInput
from privacy.models import AccessLog


class AccessLogSearchForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    who = forms.CharField(label=_("Staff e-mail address"), required=False, max_length=254)
    family_id = forms.UUIDField(label=_("Family id"), required=False)
    child_id = forms.UUIDField(label=_("Child id"), required=False)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All"))] + AccessLog.Action.choices
    )
    record_type = forms.CharField(label=_("Record type"), required=False, max_length=60)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            raise forms.ValidationError(_("The end date is before the start date."))
        return data


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(), max_length=256
    )
    understood = forms.BooleanField(
        label=_("I understand that this cannot be undone."), required=True
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This password is not correct."))
        return password


class OwnDetailsForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=30,
        required=False,
        help_text=_("Only if you want JGZ to be able to call you."),
    )

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not all(c.isdigit() or c in " +-()" for c in phone):
            raise forms.ValidationError(_("Fill in a phone number with digits only."))
        return phone
