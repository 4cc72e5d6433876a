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
