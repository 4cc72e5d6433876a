from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from families.models import Child, Family, Invitation


class ChildInline(admin.TabularInline):
    model = Child
    extra = 0
    fields = ["first_name", "date_of_birth", "due_date"]


@admin.register(Family)
class FamilyAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at", "child_count"]
    search_fields = ["name", "parents__email", "children__first_name"]
    date_hierarchy = "created_at"
    inlines = [ChildInline]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_children=Count("children"))

    @admin.display(description=_("children"), ordering="_children")
    def child_count(self, obj):
        return obj._children


class BornFilter(admin.SimpleListFilter):
    title = _("born or expected")
    parameter_name = "born"

    def lookups(self, request, model_admin):
        return [("yes", _("Born")), ("no", _("Expected (pregnancy)"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(date_of_birth__isnull=False)
        if self.value() == "no":
            return queryset.filter(date_of_birth__isnull=True)
        return queryset


@admin.register(Child)
class ChildAdmin(admin.ModelAdmin):
    list_display = ["first_name", "family", "date_of_birth", "due_date", "age"]
    list_filter = [BornFilter]
    search_fields = ["first_name", "family__name"]
    list_select_related = ["family"]
    autocomplete_fields = ["family"]

    @admin.display(description=_("age"))
    def age(self, obj):
        return obj.age_display


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "family", "created_at", "expires_at", "accepted_at"]
    search_fields = ["email", "family__name"]
    list_select_related = ["family"]
    # The link's token is never stored; its hash is of no use to anyone reading the admin.
    exclude = ["token_hash"]
    # A search box, not a list of every family's name on the page.
    autocomplete_fields = ["family"]
    readonly_fields = ["created_at", "accepted_at", "accepted_by", "invited_by"]
