from django import forms
from django.utils.translation import gettext_lazy as _


class OpenFamilyForm(forms.Form):
    """The reason a professional gives to open another team's family."""

    family = forms.UUIDField(widget=forms.HiddenInput)
    next = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)
    reason = forms.CharField(
        label=_("Why do you need to see this family?"),
        help_text=_(
            "For example: a colleague of that team is ill and the parent called us. "
            "The privacy officer can read this reason."
        ),
        min_length=10,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write down why you need to see this family."),
            "min_length": _("Write down why you need to see this family (at least 10 characters)."),
        },
    )

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if len(reason) < 10 or "\x00" in reason:
            raise forms.ValidationError(
                _("Write down why you need to see this family (at least 10 characters).")
            )
        return reason
