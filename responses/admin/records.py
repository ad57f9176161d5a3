"""Records kept by the workflow (read-only) and the council's own settings."""

from django.contrib import admin
from django.http import HttpRequest

from responses.admin.base import ReadOnlyAdmin
from responses.models import (
    AuditEvent,
    CouncilSettings,
    ReminderSent,
    SignOff,
    StandardHeading,
)


@admin.register(StandardHeading)
class StandardHeadingAdmin(admin.ModelAdmin):
    list_display = ["heading", "position"]
    list_editable = ["position"]


@admin.register(SignOff)
class SignOffAdmin(ReadOnlyAdmin):
    list_display = ["report", "round", "role", "user", "decision", "signed_at"]
    list_filter = ["role", "decision"]
    list_select_related = ["report", "user"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["response", "kind", "actor", "at"]
    list_filter = ["kind"]
    list_select_related = ["response", "actor"]


@admin.register(CouncilSettings)
class CouncilSettingsAdmin(admin.ModelAdmin):
    """The council's one settings row: changed, never added twice or deleted."""

    list_display = ["__str__", "report_deadline_working_days"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not CouncilSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context=None):
        CouncilSettings.load()  # so there is always the one row to change
        return super().changelist_view(request, extra_context)


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnlyAdmin):
    """Which deadline reminders went to whom: `send_reminders` writes them, nobody edits."""

    list_display = ["response", "recipient", "kind", "deadline", "sent_at"]
    list_filter = ["kind"]
    list_select_related = ["response__consultation", "recipient"]
