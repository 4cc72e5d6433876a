from django.contrib import admin

from wachtlijst.models import Entry, Offer


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "status", "appointment_type", "part", "location")
    list_filter = ("status", "part")
    date_hierarchy = "created_at"
    raw_id_fields = ("family", "parent", "child", "appointment", "meeting")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ("created_at", "status", "sent_at", "expires_at", "answered_at")
    list_filter = ("status",)
    date_hierarchy = "created_at"
    exclude = ("token",)
    raw_id_fields = ("entry", "parent", "slot", "appointment")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
