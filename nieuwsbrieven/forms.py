from django import forms
from django.utils.translation import gettext_lazy as _

CONSENT_TEXT = _(
    "I want to receive the JGZ newsletter by e-mail, with tips that fit the age of my child. "
    "The JGZ uses my e-mail address and my children's age for this only. "
    "I can unsubscribe at any time with the link in every e-mail."
)


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send a link to this address. You are subscribed after you click it."),
    )
    milestones = forms.BooleanField(
        label=_("Also send a message when my child reaches an important age"),
        # Consent is an active choice (AVG): never ticked for the parent.
        required=False,
        initial=False,
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": _("Tick the box to say you agree.")},
    )


class PreferencesForm(forms.Form):
    milestones = forms.BooleanField(
        label=_("Also send a message when my child reaches an important age"),
        required=False,
    )
