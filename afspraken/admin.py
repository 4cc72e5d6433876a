from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from afspraken.models import (
    Appointment,
    AppointmentChange,
    AppointmentType,
    Closure,
    FollowUp,
    Location,
    Reminder,
    Schedule,
    Slot,
)
from core.admin import LargeTableAdmin


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "neighbourhood", "phone", "is_active"]
    search_fields = ["name", "neighbourhood", "address"]


@admin.register(AppointmentType)
class AppointmentTypeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "duration_minutes",
        "buffer_minutes",
        "mode",
        "capacity",
        "min_age_months",
        "max_age_months",
        "bookable_online",
    ]
    list_filter = ["mode", "bookable_online"]


class ScheduleForm(forms.ModelForm):
    class Meta:
        model = Schedule
        fields = [
            "professional",
            "location",
            "weekday",
            "start_time",
            "end_time",
            "types",
            "co_hosts",
            "valid_from",
            "valid_until",
        ]

    def clean(self):
        data = super().clean()
        types = list(data.get("types") or [])
        if any(t.is_group for t in types) and len(types) > 1:
            raise forms.ValidationError(
                _("A parent group meeting needs its own schedule: choose only that type.")
            )
        professional, weekday = data.get("professional"), data.get("weekday")
        start, end = data.get("start_time"), data.get("end_time")
        valid_from, valid_until = data.get("valid_from"), data.get("valid_until")
        if None in (professional, weekday, start, end, valid_from):
            return data
        overlapping = (
            Schedule.objects.filter(
                professional=professional,
                weekday=weekday,
                start_time__lt=end,
                end_time__gt=start,
            )
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from))
            .exclude(pk=self.instance.pk)
        )
        if valid_until is not None:
            overlapping = overlapping.filter(valid_from__lte=valid_until)
        if overlapping.exists():
            # Two schedules at the same time would let one professional be booked twice.
            raise forms.ValidationError(_("This professional already has a schedule at this time."))
        return data


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    form = ScheduleForm
    list_display = ["__str__", "professional", "location", "valid_from", "valid_until"]
    list_filter = ["location", "weekday"]
    filter_horizontal = ["types", "co_hosts"]
    autocomplete_fields = ["location"]


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["reason", "location", "professional", "starts_at", "ends_at"]
    list_filter = ["location"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only professionals have an agenda; the full user list would show every parent.
        if db_field.name == "professional":
            kwargs["queryset"] = User.objects.filter(role__in=User.PROFESSIONAL_ROLES)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Slot)
class SlotAdmin(LargeTableAdmin):
    list_display = [
        "starts_at",
        "location",
        "professional",
        "capacity",
        "booked_count",
        "is_active",
        "needs_attention",
    ]
    list_filter = ["needs_attention", "is_active", "is_group", "location"]
    # Bookings change only through the services (row lock + counts); not by hand here.
    readonly_fields = ["booked_count", "schedule", "professional", "location", "starts_at"]
    list_select_related = ["location", "professional"]

    def has_add_permission(self, request):
        return False


class AppointmentChangeInline(admin.TabularInline):
    """Who booked, moved, cancelled or changed topics: parent, e-mail link, staff or system."""

    model = AppointmentChange
    fields = ["at", "action", "by", "user", "detail"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Appointment)
class AppointmentAdmin(LargeTableAdmin):
    list_display = ["starts_at", "appointment_type", "status"]
    list_filter = ["status", "appointment_type"]
    list_select_related = ["appointment_type"]
    # Family data: staff read and change appointments through the agenda (access-logged).
    fields = ["starts_at", "ends_at", "appointment_type", "status", "slot"]
    readonly_fields = fields
    inlines = [AppointmentChangeInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["kind", "created_at", "done_at"]
    readonly_fields = ["appointment", "kind", "created_at", "created_by", "done_at", "done_by"]

    def has_add_permission(self, request):
        return False


@admin.register(Reminder)
class ReminderAdmin(LargeTableAdmin):
    """Reminders are written by the periodic scan only (afspraken/reminders.py)."""

    list_display = ["appointment", "kind", "status", "for_starts_at", "created_at", "email"]
    list_filter = ["kind", "status"]
    list_select_related = ["appointment", "email"]
    ordering = ["-pk"]  # newest first from the primary key's index

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
