"""Editors keep articles here; the readability mixin also serves editions and standard answers.

Every language has its own tab of fields (modeltranslation's TranslationAdmin); "Checked
translations" records which language a native speaker has checked.
"""

from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from kennisbank import readability, services
from kennisbank.models import Article, TranslationReview, Vote


class ReadabilityAdminMixin:
    """Shows the Dutch readability of `readability_field` and warns on save above B1."""

    readability_field = "body"

    def _dutch_text(self, obj) -> str:
        name = self.readability_field
        return getattr(obj, f"{name}_nl", None) or getattr(obj, name, "") or ""

    @admin.display(description=_("Readability (B1 check)"))
    def readability(self, obj):
        if obj is None or not obj.pk:
            return _("Shown after saving.")
        return readability.highlighted(self._dutch_text(obj))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        result = readability.check(self._dutch_text(obj))
        level = messages.WARNING if result.above_b1 else messages.INFO
        text = readability.summary(result)
        if result.above_b1:
            text += " " + str(_("This text is harder than B1: use shorter sentences and words."))
        self.message_user(request, text, level)


def articles_for_age(*, months: int | None = None, weeks: int | None = None):
    """Markdown links to the published articles for an age, for an edition's text."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils.html import format_html_join

    from kennisbank import selectors

    if weeks is not None:
        found = selectors.list_for_pregnancy_week(week=weeks, limit=8)
    elif months is not None:
        found = selectors.list_for_months(months=months, limit=8)
    else:
        found = []
    if not found:
        return "-"
    return format_html_join(
        "",
        "<div><code>[{}]({})</code></div>",
        (
            (a.title, settings.SITE_URL + reverse("kennisbank:article", args=[a.slug]))
            for a in found
        ),
    )


class TranslationReviewInline(GenericTabularInline):
    model = TranslationReview
    ct_field = "content_type"
    ct_fk_field = "object_id"
    fields = ["language", "reviewer_name", "reviewed_at"]
    readonly_fields = ["reviewed_at"]
    extra = 0
    verbose_name = _("translation checked by a native speaker")
    verbose_name_plural = _("translations checked by a native speaker")


class DueForReviewFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", _("Due for review"))]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.filter(review_by__lte=timezone.localdate())
        return queryset


@admin.register(Article)
class ArticleAdmin(ReadabilityAdminMixin, TranslationAdmin):
    list_display = [
        "title",
        "age_range",
        "checked_on",
        "review_by",
        "is_published",
        "helpful_count",
        "not_helpful_count",
    ]
    list_filter = [DueForReviewFilter, "is_published", "topics"]
    search_fields = ["title_nl", "summary_nl"]
    prepopulated_fields = {"slug": ["title_nl"]}
    filter_horizontal = ["topics"]
    readonly_fields = ["readability", "updated_at"]
    inlines = [TranslationReviewInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body", "readability", "topics"]}),
        (_("For which age"), {"fields": [("week_from", "week_to"), ("month_from", "month_to")]}),
        (
            _("Checked"),
            {"fields": ["checked_on", "source", "review_by", "is_published", "updated_at"]},
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                yes=Count("votes", filter=Q(votes__helpful=True)),
                no=Count("votes", filter=Q(votes__helpful=False)),
            )
        )

    @admin.display(description=_("For"))
    def age_range(self, obj):
        parts = []
        if obj.week_from is not None:
            parts.append(
                _("pregnancy week %(a)s to %(b)s") % {"a": obj.week_from, "b": obj.week_to}
            )
        if obj.month_from is not None:
            parts.append(_("%(a)s to %(b)s months") % {"a": obj.month_from, "b": obj.month_to})
        return ", ".join(str(p) for p in parts)

    @admin.display(description=_("helpful"), ordering="yes")
    def helpful_count(self, obj):
        return obj.yes

    @admin.display(description=_("not helpful"), ordering="no")
    def not_helpful_count(self, obj):
        return obj.no

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.article_saved(article=form.instance)


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["article", "helpful", "created_at"]
    list_filter = ["helpful"]
    fields = ["article", "helpful", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
