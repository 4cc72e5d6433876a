from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sms.models import OutgoingSms, SmsOptOut
from sms.services import enqueue_send


@admin.register(OutgoingSms)
class OutgoingSmsAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "to", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to", "reference", "provider_id"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutgoingSms._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send again"))
    def retry(self, request, queryset):
        # Only failed rows: a sent one must never go out twice. The reference stays the same,
        # so the provider lookup still guards against a duplicate.
        ids = list(queryset.filter(status=OutgoingSms.Status.FAILED).values_list("pk", flat=True))
        OutgoingSms.objects.filter(pk__in=ids).update(
            status=OutgoingSms.Status.QUEUED,
            created_at=timezone.now(),
            next_attempt_at=timezone.now(),
        )
        for sms_id in ids:
            enqueue_send(sms_id)


@admin.register(SmsOptOut)
class SmsOptOutAdmin(admin.ModelAdmin):
    list_display = ["phone", "source", "created_at"]
    list_filter = ["source"]
    search_fields = ["phone"]
