from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from core.admin import LargeTableAdmin
from kennisbank.admin import ReadabilityAdminMixin, TranslationReviewInline
from onderwerpen.models import Topic
from vragen import services
from vragen.forms import AlarmRuleForm
from vragen.models import (
    AlarmRule,
    AlarmRuleChange,
    ClosedDay,
    Event,
    OpeningHours,
    Question,
    StandardAnswer,
    TriageDecision,
    UrgencyDeadline,
)


class StandardAnswerInline(TranslationStackedInline):
    model = StandardAnswer
    extra = 0


@admin.register(Topic)
class TopicAdmin(TranslationAdmin):
    list_display = ["name", "position", "is_active"]
    list_editable = ["position", "is_active"]
    inlines = [StandardAnswerInline]


@admin.register(StandardAnswer)
class StandardAnswerAdmin(ReadabilityAdminMixin, TranslationAdmin):
    list_display = ["title", "topic", "is_active"]
    list_filter = ["topic", "is_active"]
    search_fields = ["title", "body"]
    fields = ["topic", "title", "body", "readability", "is_active"]
    readonly_fields = ["readability"]
    inlines = [TranslationReviewInline]


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


class AlarmRuleChangeInline(ReadOnlyMixin, admin.TabularInline):
    model = AlarmRuleChange
    fields = ["changed_at", "action", "changed_by_name"]
    readonly_fields = fields
    extra = 0
    verbose_name_plural = _("history")


@admin.register(AlarmRule)
class AlarmRuleAdmin(TranslationAdmin):
    """Clinical content: only the jeugdarts may add, change or delete (model permissions per
    role in accounts/roles.py); managers read. Every save runs the rule's test sentences
    (AlarmRuleForm) and is recorded with its content before and after (AlarmRuleChange)."""

    form = AlarmRuleForm
    list_display = [
        "name",
        "language",
        "audience",
        "younger_than_months",
        "numbers",
        "is_active",
        "changed_at",
    ]
    list_filter = ["language", "audience", "is_active"]
    search_fields = ["name", "words", "and_words", "and_also_words"]
    # The words' language is set when a rule is seeded; matching ignores it (every rule is
    # checked against every question), so it is shown, not edited.
    readonly_fields = ["changed_at", "changed_by", "language"]
    fieldsets = [
        (None, {"fields": ["name", "is_active", "audience", "younger_than_months", "language"]}),
        (_("Words"), {"fields": ["words", "and_words", "and_also_words", "ignore"]}),
        (
            _("Call now page"),
            {
                "fields": [
                    "advice",
                    "call_112",
                    "call_gp",
                    "call_midwife",
                    "call_113",
                    "call_veilig_thuis",
                ]
            },
        ),
        (_("Test sentences"), {"fields": ["must_match", "must_not_match"]}),
        (_("Last change"), {"fields": ["changed_at", "changed_by"]}),
    ]
    inlines = [AlarmRuleChangeInline]

    @admin.display(description=_("numbers"))
    def numbers(self, obj):
        labels = {
            "call_112": "112",
            "call_gp": _("GP"),
            "call_midwife": _("midwife"),
            "call_113": "113",
            "call_veilig_thuis": "Veilig Thuis",
        }
        return ", ".join(str(labels[flag]) for flag in services.numbers_to_call([obj]))

    def save_model(self, request, obj, form, change):
        services.save_alarm_rule(actor=request.user, rule=obj)

    def delete_model(self, request, obj):
        services.delete_alarm_rule(actor=request.user, rule=obj)

    def delete_queryset(self, request, queryset):
        for rule in queryset:
            services.delete_alarm_rule(actor=request.user, rule=rule)


@admin.register(AlarmRuleChange)
class AlarmRuleChangeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["changed_at", "rule_name", "action", "changed_by_name"]
    list_filter = ["action"]
    search_fields = ["rule_name", "changed_by_name"]
    date_hierarchy = "changed_at"
    fields = ["rule", "rule_name", "action", "changed_by", "changed_at", "before", "after"]
    readonly_fields = fields


@admin.register(Question)
class QuestionAdmin(ReadOnlyMixin, LargeTableAdmin):
    """Timelines for managers: who did what and when. No question text or messages here:
    reading those is a professional's job, on the logged staff pages."""

    list_display = ["reference", "status", "urgency", "topic", "created_at", "deadline_at"]
    list_filter = ["status", "urgency", "topic"]
    exact_search_fields = ("reference",)
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
class EventAdmin(ReadOnlyMixin, LargeTableAdmin):
    list_display = ["at", "question", "actor", "kind", "from_value", "to_value"]
    list_filter = ["kind"]
    exact_search_fields = ("question__reference",)
    list_select_related = ["question", "actor"]
    # Newest first by id (the primary key's index); "at" has no index of its own.
    ordering = ["-pk"]
    verbose_name = _("timeline")
