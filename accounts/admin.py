from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.exceptions import HandoverRefused, RoleChangeRefused
from accounts.forms import HandoverForm
from accounts.models import RoleChange, User
from accounts.services import change_raw_permissions, change_roles, check_role_change
from core.formats import moment
from privacy.admin import ReadOnlyAdmin

# A new account cannot log in straight away: allauth first asks to confirm the e-mail address
# (ACCOUNT_EMAIL_VERIFICATION = "mandatory"), and staff then set up two-step verification.
NEW_ACCOUNT_STEPS = _(
    "A new account must confirm its e-mail address first: at the first login the portal sends "
    "a link to this address. Staff then set up two-step verification with an authenticator app "
    "before they can open any staff page."
)

REFUSALS = {
    "not_yours": _("You may not change this account: it has rights you cannot give."),
    "role": _("You may not give or take away this role: %(what)s."),
    "superuser": _("Only a superuser may make someone a superuser."),
    "parent_extra_roles": _("A parent or carer has no extra roles."),
    "unknown_role": _("Choose a role from the list."),
}


def _role_choices(allowed) -> list[tuple[str, str]]:
    return [(value, label) for value, label in User.Role.choices if value in allowed]


class RoleFieldsMixin(forms.Form):
    """Roles are not model fields of the form: `change_roles` applies them after checking
    the grant table, so this form can never write `role` or `is_superuser` itself."""

    actor: User  # set per request by UserAdmin.get_form

    primary_role = forms.ChoiceField(label=_("Role"), help_text=roles.ROLE_HELP)
    extra_roles = forms.MultipleChoiceField(
        label=_("Extra roles"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For example a manager who also answers questions as a nurse."),
    )
    superuser = forms.BooleanField(label=_("Superuser"), required=False)
    raw_groups = forms.ModelMultipleChoiceField(
        label=_("Other groups"),
        queryset=Group.objects.exclude(name__in=list(roles.GROUP_NAMES.values())),
        required=False,
    )
    raw_permissions = forms.ModelMultipleChoiceField(
        label=_("Separate permissions"),
        queryset=Permission.objects.select_related("content_type"),
        required=False,
        widget=FilteredSelectMultiple(_("permissions"), is_stacked=False),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_up_role_fields()

    def clean(self):
        data = super().clean()
        self._clean_roles(data)
        return data

    def _set_up_role_fields(self):
        user = self.instance if self.instance.pk else None
        allowed = roles.grantable_roles(actor=self.actor, source=RoleChange.Source.ADMIN)
        self.fields["primary_role"].choices = _role_choices(allowed)
        self.fields["primary_role"].initial = user.role if user else User.Role.NURSE
        self.fields["extra_roles"].choices = _role_choices(allowed - {User.Role.PARENT})
        if user is not None:
            self.fields["extra_roles"].initial = sorted(user.extra_roles)
        if user is None:
            del self.fields["extra_roles"]
        if user is None or not self.actor.is_superuser:
            # Raw rights are a superuser's alone: the fields do not exist for anyone else.
            for name in ("superuser", "raw_groups", "raw_permissions"):
                del self.fields[name]
            return
        role_groups = list(roles.GROUP_NAMES.values())
        self.fields["superuser"].initial = user.is_superuser
        self.fields["raw_groups"].initial = list(user.groups.exclude(name__in=role_groups))
        self.fields["raw_permissions"].initial = list(user.user_permissions.all())

    def _clean_roles(self, data):
        if "primary_role" not in data:
            return
        try:
            check_role_change(
                actor=self.actor,
                user=self.instance if self.instance.pk else None,
                role=data["primary_role"],
                extra_roles=data.get("extra_roles", []),
                is_superuser=data.get("superuser") if "superuser" in self.fields else None,
                source=RoleChange.Source.ADMIN,
            )
        except RoleChangeRefused as exc:
            raise forms.ValidationError(REFUSALS[exc.reason] % {"what": exc.what}) from exc


class RolesChangeForm(RoleFieldsMixin, UserChangeForm):
    pass


class RolesCreationForm(RoleFieldsMixin, AdminUserCreationForm):
    pass


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = RolesChangeForm
    add_form = RolesCreationForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "family", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    list_select_related = ["family"]
    actions = ["hand_over_work"]
    autocomplete_fields = ["family"]
    readonly_fields = ["is_staff", "last_login", "date_joined"]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "primary_role", "password1", "password2"],
                "description": NEW_ACCOUNT_STEPS,
            },
        )
    ]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        person = (_("Person"), {"fields": ["first_name", "last_name", "phone", "family"]})
        dates = (_("Dates"), {"fields": ["last_login", "date_joined"]})
        if not self.has_change_permission(request, obj):
            # View only (e.g. a manager looking at another manager): no form fields at all.
            role_fields = ["role", "roles_display", "is_superuser", "is_active", "is_staff"]
            return [
                (None, {"fields": ["email"]}),
                person,
                (_("Roles"), {"fields": role_fields}),
                dates,
            ]
        role_fields = ["primary_role", "extra_roles"]
        if request.user.is_superuser:
            role_fields += ["superuser", "raw_groups", "raw_permissions"]
        return [
            (None, {"fields": ["email", "password"]}),
            person,
            (_("Roles"), {"fields": role_fields}),
            (_("Permissions"), {"fields": ["is_active", "is_staff"]}),
            dates,
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    @admin.display(description=_("Roles"))
    def roles_display(self, obj):
        return ", ".join(str(User.Role(role).label) for role in sorted(obj.roles))

    def _may_manage(self, request, obj) -> bool:
        return obj is None or roles.may_manage(actor=request.user, user=obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_manage(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_manage(request, obj)

    def get_actions(self, request):
        # Bulk delete would skip the per-account check above.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        data = form.cleaned_data
        try:
            change_roles(
                actor=request.user,
                user=obj,
                role=data["primary_role"],
                extra_roles=data.get("extra_roles", []),
                is_superuser=data.get("superuser") if "superuser" in form.fields else None,
                source=RoleChange.Source.ADMIN,
            )
        except RoleChangeRefused as exc:
            raise PermissionDenied from exc
        if not change:
            messages.info(request, NEW_ACCOUNT_STEPS)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if "raw_groups" in form.fields:
            change_raw_permissions(
                actor=request.user,
                user=form.instance,
                groups=form.cleaned_data["raw_groups"],
                permissions=form.cleaned_data["raw_permissions"],
            )

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


@admin.register(RoleChange)
class RoleChangeAdmin(ReadOnlyAdmin):
    """Who gave whom which role, when: read-only, for privacy officers (and managers)."""

    list_display = ["at", "actor_email", "action", "what_display", "user_email", "source"]
    list_filter = ["action", "source", "what"]
    search_fields = ["actor_email", "user_email", "what"]
    date_hierarchy = "at"

    @admin.display(description=_("role or permission"), ordering="what")
    def what_display(self, obj):
        return obj.what_label
