from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class HandoverForm(forms.Form):
    colleague = forms.ModelChoiceField(
        label=_("Colleague who takes over"),
        queryset=User.objects.none(),
        help_text=_("Their open questions, call backs and future appointments go to this person."),
    )

    def __init__(self, *args, from_user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["colleague"].queryset = (
            User.objects.filter(role__in=User.PROFESSIONAL_ROLES, is_active=True)
            .exclude(pk=from_user.pk)
            .order_by("first_name", "last_name", "email")
        )


class DigiDLinkForm(forms.Form):
    """First DigiD login: "I already have an account" (confirmed with its password)."""

    email = forms.EmailField(label=_("E-mail address of your account"))
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)


class DigiDCreateForm(forms.Form):
    """First DigiD login: a new account, optionally with the activation code from the JGZ."""

    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send you a message when there is news, for example an answer."),
    )
    activation_code = forms.CharField(
        label=_("Activation code (if you have one)"),
        required=False,
        max_length=20,
        help_text=_("It is in the letter or text message from the JGZ, for example ABCDE-23456."),
    )


class DigiDCodeRequestForm(forms.Form):
    """First DigiD login, no password at hand: a code by e-mail instead."""

    email = forms.EmailField(label=_("E-mail address of your account"))


class DigiDCodeForm(forms.Form):
    code = forms.CharField(label=_("Code from the e-mail"), max_length=12)
