from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User

# A new account cannot log in straight away: allauth first asks to confirm the e-mail address
# (ACCOUNT_EMAIL_VERIFICATION = "mandatory"), and staff then set up two-step verification.
NEW_ACCOUNT_STEPS = _(
    "A new account must confirm its e-mail address first: at the first login the portal sends "
    "a link to this address. Staff then set up two-step verification with an authenticator app "
    "before they can open any staff page."
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "family", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    list_select_related = ["family"]
    autocomplete_fields = ["family"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "phone", "role", "family"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "role", "password1", "password2"],
                "description": NEW_ACCOUNT_STEPS,
            },
        )
    ]

    def save_model(self, request, obj, form, change):
        from accounts.services import set_role

        super().save_model(request, obj, form, change)
        if "role" in form.changed_data or not change:
            set_role(user=obj, role=obj.role)
        if not change:
            messages.info(request, NEW_ACCOUNT_STEPS)
