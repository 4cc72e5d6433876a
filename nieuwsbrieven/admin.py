from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from core.admin import LargeTableAdmin
from kennisbank.admin import ReadabilityAdminMixin, TranslationReviewInline, articles_for_age
from nieuwsbrieven import rendering, selectors
from nieuwsbrieven.models import Delivery, Edition, Milestone, MilestoneDelivery, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "status", "milestones", "consented_at", "consent_version"]
    list_filter = ["status", "milestones", "consent_version"]
    search_fields = ["email"]
    readonly_fields = [
        "parent",
        "email",
        "status",
        "key",
        "requested_at",
        "consented_at",
        "consent_version",
        "consent_text",
        "unsubscribed_at",
    ]
    fields = [*readonly_fields, "milestones"]

    def has_add_permission(self, request):
        return False  # consent can only be given by the parent (double opt-in)


class _PreviewMixin:
    preview_kind = "edition"

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "<int:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="{}_{}_preview".format(*info),
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id):
        obj = self.get_object(request, unquote(str(object_id)))  # None for a malformed id too
        if obj is None:
            raise Http404
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        template = rendering.build_template(kind=self.preview_kind, title=obj.title, body=obj.body)
        message = rendering.personalise(
            template,
            child_name="Noor",
            subscription_id="00000000-0000-0000-0000-000000000000",
            key="preview",
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": _("Preview: %(title)s") % {"title": obj.title},
            "message": message,
            "body_html": rendering.markdown_to_html(obj.body),
        }
        return TemplateResponse(request, "admin/nieuwsbrieven/preview.html", context)

    @admin.display(description=_("Preview"))
    def preview_link(self, obj):
        if not obj.pk:
            return "-"
        info = self.model._meta.app_label, self.model._meta.model_name
        url = reverse("admin:{}_{}_preview".format(*info), args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Show preview"))


@admin.register(Edition)
class EditionAdmin(ReadabilityAdminMixin, _PreviewMixin, TranslationAdmin):
    list_display = [
        "title",
        "phase",
        "target",
        "scheduled_at",
        "status",
        "progress",
        "preview_link",
    ]
    list_filter = ["status", "phase"]
    search_fields = ["title"]
    readonly_fields = [
        "status",
        "send_day",
        "fanned_out_at",
        "finished_at",
        "progress",
        "preview_link",
        "readability",
        "articles",
    ]
    fieldsets = [
        (None, {"fields": ["title", "body", "readability", "articles", "preview_link"]}),
        (
            _("Who gets it"),
            {"fields": ["phase", ("week_from", "week_to"), ("age_from_months", "age_to_months")]},
        ),
        (
            _("Sending"),
            {
                "fields": [
                    "scheduled_at",
                    "status",
                    "send_day",
                    "fanned_out_at",
                    "finished_at",
                    "progress",
                ]
            },
        ),
    ]
    actions = ["schedule"]
    inlines = [TranslationReviewInline]

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # Delivery counts of the editions on this page only, in one query.
        progress = selectors.edition_progress(edition_ids=[e.pk for e in changelist.result_list])
        for edition in changelist.result_list:
            edition.progress_counts = progress.get(edition.pk, selectors.Progress())
        return changelist

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj and obj.status in (Edition.Status.SENDING, Edition.Status.SENT):
            fields += [
                "title",
                "body",
                "phase",
                "week_from",
                "week_to",
                "age_from_months",
                "age_to_months",
                "scheduled_at",
                # Every language's text is frozen once sending starts.
                *(
                    f"{name}_{code}"
                    for name in ("title", "body")
                    for code in settings.CONTENT_LANGUAGES
                ),
            ]
        return fields

    @admin.display(description=_("Articles for this age (copy a link into the text)"))
    def articles(self, obj):
        if obj is None or not obj.pk:
            return _("Shown after saving.")
        if obj.phase == Edition.Phase.PREGNANCY:
            return articles_for_age(weeks=obj.week_from)
        return articles_for_age(months=obj.age_from_months)

    @admin.display(description=_("For"))
    def target(self, obj):
        if obj.phase == Edition.Phase.PREGNANCY:
            return _("pregnancy week %(a)s to %(b)s") % {"a": obj.week_from, "b": obj.week_to}
        return _("%(a)s to %(b)s months") % {"a": obj.age_from_months, "b": obj.age_to_months}

    @admin.display(description=_("Progress (sent / failed / total)"))
    def progress(self, obj):
        if not obj.pk:
            return "-"
        counts = getattr(obj, "progress_counts", None)
        if counts is None:
            counts = selectors.edition_progress(edition_ids=[obj.pk]).get(obj.pk)
            counts = counts or selectors.Progress()
        return f"{counts.sent} / {counts.failed} / {counts.total}"

    @admin.action(description=_("Schedule the selected editions (send at the set time)"))
    def schedule(self, request, queryset):
        queryset.filter(status=Edition.Status.DRAFT, scheduled_at__isnull=True).update(
            scheduled_at=timezone.now()
        )
        queryset.filter(status=Edition.Status.DRAFT).update(status=Edition.Status.SCHEDULED)


@admin.register(Milestone)
class MilestoneAdmin(_PreviewMixin, TranslationAdmin):
    preview_kind = "milestone"
    list_display = ["name", "age_months", "title", "is_active", "preview_link"]
    list_filter = ["is_active"]
    readonly_fields = ["preview_link"]
    inlines = [TranslationReviewInline]


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(_ReadOnlyAdmin, LargeTableAdmin):
    list_display = [
        "id",
        "edition",
        "subscription",
        "child_name",
        "status",
        "attempts",
        "sent_at",
        "last_error",
    ]
    list_filter = ["status", "edition"]
    list_select_related = ["edition", "subscription"]
    exact_search_fields = ("subscription__email",)


@admin.register(MilestoneDelivery)
class MilestoneDeliveryAdmin(_ReadOnlyAdmin):
    list_display = ["milestone", "child", "subscription", "email", "created_at"]
    list_select_related = ["milestone", "child", "subscription", "email"]
