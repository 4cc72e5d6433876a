from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from vragen.models import (
    AlarmPhrase,
    ClosedDay,
    Event,
    OpeningHours,
    Question,
    StandardAnswer,
    Topic,
    TriageDecision,
    UrgencyDeadline,
)


class StandardAnswerInline(admin.StackedInline):
    model = StandardAnswer
    extra = 0


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "is_active"]
    list_editable = ["position", "is_active"]
    inlines = [StandardAnswerInline]


@admin.register(StandardAnswer)
class StandardAnswerAdmin(admin.ModelAdmin):
    list_display = ["title", "topic", "is_active"]
    list_filter = ["topic", "is_active"]
    search_fields = ["title", "body"]


@admin.register(AlarmPhrase)
class AlarmPhraseAdmin(admin.ModelAdmin):
    list_display = ["phrase", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["phrase"]


@admin.register(UrgencyDeadline)
class UrgencyDeadlineAdmin(admin.ModelAdmin):
    list_display = ["urgency", "working_hours"]
    list_editable = ["working_hours"]


@admin.register(OpeningHours)
class OpeningHoursAdmin(admin.ModelAdmin):
    list_display = ["weekday", "opens_at", "closes_at"]


@admin.register(ClosedDay)
class ClosedDayAdmin(admin.ModelAdmin):
    list_display = ["date", "reason"]
    date_hierarchy = "date"


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyMixin, admin.TabularInline):
    model = Event
    fields = ["at", "actor", "kind", "from_value", "to_value"]
    readonly_fields = fields
    extra = 0


class TriageDecisionInline(ReadOnlyMixin, admin.TabularInline):
    model = TriageDecision
    fields = ["decided_at", "decided_by", "urgency", "deadline_at"]
    readonly_fields = fields
    extra = 0


@admin.register(Question)
class QuestionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Timelines for managers: who did what and when. No question text or messages here:
    reading those is a professional's job, on the logged staff pages."""

    list_display = ["reference", "status", "urgency", "topic", "created_at", "deadline_at"]
    list_filter = ["status", "urgency", "topic"]
    search_fields = ["reference"]
    list_select_related = ["topic"]
    fields = [
        "reference",
        "status",
        "urgency",
        "topic",
        "channel",
        "assignee",
        "created_at",
        "queued_at",
        "deadline_at",
        "closed_at",
        "close_reason",
    ]
    readonly_fields = fields
    inlines = [TriageDecisionInline, EventInline]


@admin.register(Event)
class EventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["at", "question", "actor", "kind", "from_value", "to_value"]
    list_filter = ["kind"]
    search_fields = ["question__reference"]
    list_select_related = ["question", "actor"]
    date_hierarchy = "at"
    verbose_name = _("timeline")
