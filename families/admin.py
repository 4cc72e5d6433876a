from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from core.admin import LargeTableAdmin
from families.models import Child, Family, Invitation


class ChildInline(admin.TabularInline):
    model = Child
    extra = 0
    fields = ["first_name", "date_of_birth", "due_date"]


@admin.register(Family)
class FamilyAdmin(LargeTableAdmin):
    list_display = ["name", "created_at", "child_count"]
    # Part of the family name (trigram index) or a parent's exact e-mail address (unique).
    exact_search_fields = ("parents__email",)
    contains_search_fields = ("name",)
    inlines = [ChildInline]

    def get_queryset(self, request):
        # A subquery per listed family, not a GROUP BY over every family and child.
        children = (
            Child.objects.filter(family=OuterRef("pk"))
            .order_by()
            .values("family")
            .annotate(total=Count("pk"))
            .values("total")
        )
        count = Subquery(children, output_field=IntegerField())
        return super().get_queryset(request).annotate(_children=count)

    @admin.display(description=_("children"))
    def child_count(self, obj):
        return obj._children or 0


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
