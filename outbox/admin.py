from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin import LargeTableAdmin
from outbox.models import OutgoingEmail
from outbox.services import enqueue_send

BODY_FIELDS = ("body_text", "body_html", "headers", "attachments")


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(LargeTableAdmin):
    list_display = [
        "created_at",
        "kind",
        "to",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ]
    list_filter = ["status", "kind", "contains_secret"]
    exact_search_fields = ("to",)
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]
    actions = ["retry"]

    def get_fields(self, request, obj=None):
        fields = [f.name for f in OutgoingEmail._meta.fields if f.name != "id"]
        if obj is None or obj.contains_secret:
            # A password-reset, confirmation or invitation link would let the reader act as
            # the recipient: such bodies are never shown, not even while queued.
            fields = [name for name in fields if name not in BODY_FIELDS]
        return fields

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send again"))
    def retry(self, request, queryset):
        rows = queryset.exclude(status=OutgoingEmail.Status.SENT).filter(
            body_purged_at__isnull=True
        )
        ids = list(rows.values_list("pk", flat=True))
        if len(ids) < queryset.count():
            messages.warning(
                request, _("Sent e-mails, and e-mails whose text was removed, are not sent again.")
            )
        # One more try now; if it fails, the row follows the retry schedule again.
        OutgoingEmail.objects.filter(pk__in=ids).update(
            status=OutgoingEmail.Status.QUEUED, next_attempt_at=timezone.now()
        )
        for email_id in ids:
            enqueue_send(email_id)
