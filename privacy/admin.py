from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.admin import LargeTableAdmin
from privacy.models import (
    AccessLog,
    AccountDeletion,
    RetentionReport,
    SecurityEvent,
    YouthQuestion,
)
from privacy.selectors import SEARCH_PERMISSION


class ReadOnlyAdmin(admin.ModelAdmin):
    """Nothing here is added, changed or deleted by hand (the database refuses it too)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RoleFilter(admin.SimpleListFilter):
    """The roles as a fixed list: Django's default for a plain text column reads the distinct
    values from the whole table."""

    title = _("role")
    parameter_name = "actor_role"

    def lookups(self, request, model_admin):
        return get_user_model().Role.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.parameter_name: self.value()})
        return queryset


class SecurityRoleFilter(RoleFilter):
    parameter_name = "role"


class OfficerOnlyAdmin(ReadOnlyAdmin):
    """Reading logs is a privacy officer's task, separate from running the portal: managers,
    who hold every other permission, do not see these."""

    def _may_search(self, request) -> bool:
        return request.user.has_perm(SEARCH_PERMISSION)

    def has_view_permission(self, request, obj=None):
        return self._may_search(request)

    def has_module_permission(self, request):
        return self._may_search(request) or super().has_module_permission(request)


@admin.register(AccessLog)
class AccessLogAdmin(OfficerOnlyAdmin, LargeTableAdmin):
    list_display = ["at", "actor_email", "actor_role", "action", "record_type", "reason"]
    list_filter = ["action", RoleFilter]
    # Per child or family: the officer's search page (/privacy/toegangslog/) uses the indexes.
    exact_search_fields = ("actor_email",)


@admin.register(SecurityEvent)
class SecurityEventAdmin(OfficerOnlyAdmin, LargeTableAdmin):
    """Logins, logouts and failed attempts (NEN 7510)."""

    list_display = ["at", "kind", "email", "role", "ip_address", "detail"]
    list_filter = ["kind", SecurityRoleFilter]
    exact_search_fields = ("email",)


@admin.register(RetentionReport)
class RetentionReportAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "dry_run", "applied_at", "counts"]
    date_hierarchy = "created_at"


@admin.register(AccountDeletion)
class AccountDeletionAdmin(ReadOnlyAdmin):
    list_display = ["deleted_at", "family_removed", "counts"]
    date_hierarchy = "deleted_at"


@admin.register(YouthQuestion)
class YouthQuestionAdmin(admin.ModelAdmin):
    """Mark a question as the youth's own (from 16 its parents no longer see it)."""

    list_display = ["question", "marked_at", "marked_by"]
    raw_id_fields = ["question"]
    readonly_fields = ["marked_at", "marked_by"]

    def save_model(self, request, obj, form, change):
        obj.marked_by = request.user
        super().save_model(request, obj, form, change)
