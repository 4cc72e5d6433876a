from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from contactmomenten import services
from contactmomenten.models import ContactMoment, ContactMomentVersion, PreConsultQuestion
from kennisbank.admin import TranslationReviewInline


class PreConsultQuestionInline(admin.TabularInline):
    model = PreConsultQuestion
    extra = 1
    fields = ["position", "text", "kind", "choices", "is_active"]


class VersionInline(admin.TabularInline):
    model = ContactMomentVersion
    extra = 0
    fields = ["version", "replaced_at", "replaced_by", "content"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ContactMoment)
class ContactMomentAdmin(TranslationAdmin):
    """Managers keep the schedule here. A change of age, window, who, where, online planning,
    types or questions makes a new version; moments children already have keep their window."""

    list_display = [
        "name",
        "code",
        "target",
        "window",
        "who",
        "where",
        "online_planning",
        "version",
        "is_active",
    ]
    list_filter = ["where", "who", "online_planning", "is_active"]
    search_fields = ["name", "code"]
    readonly_fields = ["version", "changed_at"]
    filter_horizontal = ["appointment_types"]
    inlines = [PreConsultQuestionInline, VersionInline, TranslationReviewInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "description", "is_active", "version", "changed_at"]}),
        (
            _("When"),
            {
                "fields": [
                    "target_value",
                    "target_unit",
                    "target_plus_days",
                    "window_before_days",
                    "window_after_days",
                ]
            },
        ),
        (
            _("Who, where, how"),
            {"fields": ["who", "where", "online_planning", "appointment_types"]},
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        # The code is what imports and figures count by: fixed once the moment exists.
        return [*self.readonly_fields, "code"] if obj else self.readonly_fields

    @admin.display(description=_("target age"))
    def target(self, obj):
        extra = f" + {obj.target_plus_days} d" if obj.target_plus_days else ""
        return f"{obj.target_value} {obj.get_target_unit_display()}{extra}"

    @admin.display(description=_("window"))
    def window(self, obj):
        return f"-{obj.window_before_days} / +{obj.window_after_days} d"

    def save_model(self, request, obj, form, change):
        if change:
            request._moment_before = services.snapshot(ContactMoment.objects.get(pk=obj.pk))
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        before = getattr(request, "_moment_before", None)
        if change and before is not None:
            services.record_definition_change(
                moment_id=form.instance.pk, before=before, actor=request.user
            )
