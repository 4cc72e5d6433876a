from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from outbox.models import OutgoingEmail
from outbox.services import enqueue_send


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "to", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "kind"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send again"))
    def retry(self, request, queryset):
        ids = list(queryset.exclude(status=OutgoingEmail.Status.SENT).values_list("pk", flat=True))
        # A fresh set of attempts: the cause (address, server) was presumably fixed.
        OutgoingEmail.objects.filter(pk__in=ids).update(
            status=OutgoingEmail.Status.QUEUED, attempts=0
        )
        for email_id in ids:
            enqueue_send(email_id)
