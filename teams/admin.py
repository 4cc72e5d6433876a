from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from privacy.admin import ReadOnlyAdmin
from teams.models import OutOfTeamAccess, PostcodeArea, Team, TeamLocation, TeamMembership, Wijk
from teams.tasks import refresh_family_teams_task


def _refresh_after_commit() -> None:
    # Every family's team may change; that pass takes seconds with 100,000 families, so it
    # runs as a task once the change is committed (access checks derive the team live).
    transaction.on_commit(refresh_family_teams_task.delay)


class RefreshFamilyTeamsMixin:
    """Teams, wijken, postcodes and locations decide every family's team: refresh the stored
    copy (`FamilyTeam`) after each save or delete."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        _refresh_after_commit()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        _refresh_after_commit()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        _refresh_after_commit()


class TeamLocationInline(admin.TabularInline):
    model = TeamLocation
    extra = 0
    autocomplete_fields = ["location"]


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 0
    autocomplete_fields = ["user"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = User.objects.filter(role__in=User.PROFESSIONAL_ROLES)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class WijkInline(admin.TabularInline):
    model = Wijk
    extra = 0
    fields = ["name"]
    show_change_link = True


@admin.register(Team)
class TeamAdmin(RefreshFamilyTeamsMixin, admin.ModelAdmin):
    list_display = ["name", "location_list", "wijk_list"]
    search_fields = ["name"]
    inlines = [TeamLocationInline, TeamMembershipInline, WijkInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("locations", "wijken")

    @admin.display(description=_("locations"))
    def location_list(self, obj):
        return ", ".join(location.name for location in obj.locations.all())

    @admin.display(description=_("neighbourhoods (wijken)"))
    def wijk_list(self, obj):
        return ", ".join(wijk.name for wijk in obj.wijken.all())


class PostcodeAreaInline(admin.TabularInline):
    model = PostcodeArea
    extra = 1


@admin.register(Wijk)
class WijkAdmin(RefreshFamilyTeamsMixin, admin.ModelAdmin):
    list_display = ["name", "team", "postcodes"]
    list_filter = ["team"]
    search_fields = ["name", "postcode_areas__digits"]
    list_select_related = ["team"]
    inlines = [PostcodeAreaInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("postcode_areas")

    @admin.display(description=_("postcode areas"))
    def postcodes(self, obj):
        return ", ".join(area.digits for area in obj.postcode_areas.all())


@admin.register(PostcodeArea)
class PostcodeAreaAdmin(RefreshFamilyTeamsMixin, admin.ModelAdmin):
    list_display = ["digits", "wijk", "team"]
    list_filter = ["wijk__team"]
    search_fields = ["digits", "wijk__name"]
    list_select_related = ["wijk__team"]
    autocomplete_fields = ["wijk"]

    @admin.display(description=_("team"), ordering="wijk__team__name")
    def team(self, obj):
        return obj.wijk.team


@admin.register(OutOfTeamAccess)
class OutOfTeamAccessAdmin(ReadOnlyAdmin):
    """Families opened outside the own team, with the reason: for the privacy officer."""

    list_display = ["created_at", "actor", "family_id", "reason", "expires_at"]
    list_select_related = ["actor"]
    search_fields = ["=family__id", "actor__email", "reason"]
    date_hierarchy = "created_at"
