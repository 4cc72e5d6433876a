from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.exceptions import HandoverRefused
from accounts.forms import HandoverForm
from accounts.models import User
from core.formats import moment

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
    actions = ["hand_over_work"]
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

    @admin.action(
        description=_("Hand over open questions, call backs and agenda to a colleague"),
        permissions=["change"],
    )
    def hand_over_work(self, request, queryset):
        """For a professional who is ill or leaves: pick the colleague, confirm, done."""
        from accounts.services import hand_over_work

        if queryset.count() != 1:
            self.message_user(request, gettext("Choose one person."), messages.WARNING)
            return None
        from_user = queryset.get()
        form = HandoverForm(request.POST if "apply" in request.POST else None, from_user=from_user)
        if form.is_bound and form.is_valid():
            to_user = form.cleaned_data["colleague"]
            try:
                result = hand_over_work(actor=request.user, from_user=from_user, to_user=to_user)
            except HandoverRefused:
                self.message_user(
                    request, gettext("This handover is not possible."), messages.ERROR
                )
                return None
            summary = gettext(
                "Handed over to %(name)s: open questions %(questions)s (call backs "
                "%(call_backs)s), slots %(slots)s with %(appointments)s appointments."
            ) % {
                "name": to_user.display_name,
                "questions": result.questions,
                "call_backs": result.call_backs,
                "slots": result.slots,
                "appointments": result.appointments,
            }
            self.log_change(request, from_user, summary)
            self.message_user(request, summary, messages.SUCCESS)
            if result.conflicts:
                kept = ", ".join(
                    f"{moment(slot.starts_at)} ({slot.location})" for slot in result.conflicts
                )
                self.message_user(
                    request,
                    gettext(
                        "These slots stayed, because %(name)s already has a slot at that time: "
                        "%(slots)s. Plan them in the agenda."
                    )
                    % {"name": to_user.display_name, "slots": kept},
                    messages.WARNING,
                )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Hand over work"),
            "opts": self.model._meta,
            "form": form,
            "from_user": from_user,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(
            request,
            "admin/accounts/user/handover.html",
            context,
            status=400 if form.is_bound else 200,
        )
