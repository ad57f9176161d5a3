"""Records kept by the workflow (read-only) and the council's own settings."""

from django import forms
from django.contrib import admin
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from responses import logos, rules
from responses.admin.base import ReadOnlyAdmin
from responses.models import (
    AuditEvent,
    CouncilSettings,
    ReminderSent,
    SignOff,
)


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


class CouncilSettingsForm(forms.ModelForm):
    new_logo = forms.FileField(
        label="Logo",
        required=False,
        help_text="A PNG or SVG of at most 1 MB, printed at the head of the paper and the "
        "Word file. An SVG may only draw: no scripts, links or pictures from elsewhere.",
        widget=forms.ClearableFileInput(attrs={"accept": ".png,.svg,image/png,image/svg+xml"}),
        error_messages={"empty": "The file is empty. Choose the logo's PNG or SVG file."},
    )
    remove_logo = forms.BooleanField(label="Remove the logo", required=False)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("remove_logo") and self.files.get("new_logo"):
            self.add_error("remove_logo", "Choose a new logo or remove the logo, not both.")
        return data

    def clean_new_logo(self) -> logos.Logo | None:
        upload = self.cleaned_data.get("new_logo")
        if not upload:
            return None
        logos.check_size(upload.size)  # before reading it
        return logos.checked_logo(upload.read(logos.MAX_LOGO_BYTES + 1))

    def save(self, commit: bool = True) -> CouncilSettings:
        settings = super().save(commit=False)
        logo = self.cleaned_data.get("new_logo")
        if logo is not None:
            settings.logo, settings.logo_type, settings.logo_png = (
                logo.content,
                logo.content_type,
                logo.png,
            )
            settings.logo_digest = logo.digest
        elif self.cleaned_data.get("remove_logo"):
            settings.logo = settings.logo_png = b""
            settings.logo_type = settings.logo_digest = ""
        if commit:
            settings.save()
        return settings

    class Meta:
        model = CouncilSettings
        fields = [
            "name",
            "report_headings",
            "number_paragraphs",
            "report_deadline_working_days",
            "reminder_days_before",
        ]
        widgets = {
            "report_headings": forms.Textarea(attrs={"rows": 14, "cols": 60, "spellcheck": "true"}),
        }
        error_messages = {"name": {"required": "Enter the council's name."}}


@admin.register(CouncilSettings)
class CouncilSettingsAdmin(admin.ModelAdmin):
    """The council's one settings row, on one page: the list opens it, and there is
    nothing to add or delete (the row is made on first use). Administrators only, by
    the rulebook, whatever model permissions an account holds."""

    form = CouncilSettingsForm
    fieldsets = [
        (
            "The council",
            {
                "fields": [
                    "name",
                    "current_logo",
                    "new_logo",
                    "remove_logo",
                    "report_headings",
                    "number_paragraphs",
                ]
            },
        ),
        ("Timetable", {"fields": ["report_deadline_working_days", "reminder_days_before"]}),
    ]

    readonly_fields = ["current_logo"]

    @admin.display(description="Current logo")
    def current_logo(self, settings: CouncilSettings) -> str:
        if not settings.logo:
            return "None: the papers print without one."
        kind = "SVG" if settings.logo_type == logos.SVG else "PNG"
        size = len(settings.logo)
        return f"{kind}, {size:,} bytes" if size < 1024 else f"{kind}, {size / 1024:,.0f} KB"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return rules.is_administrator(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return rules.is_administrator(request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return rules.is_administrator(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context=None):
        """Straight to the one row (made with the defaults if nobody has saved it yet)."""
        if not self.has_view_permission(request):
            return super().changelist_view(request, extra_context)  # Django's refusal
        settings = CouncilSettings.load()
        return HttpResponseRedirect(
            reverse("admin:responses_councilsettings_change", args=[settings.pk])
        )

    def response_change(self, request: HttpRequest, obj):
        """Saved: back to the administration's home (the list is this page again)."""
        response = super().response_change(request, obj)
        if "_continue" not in request.POST:
            return HttpResponseRedirect(reverse("admin:index"))
        return response


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnlyAdmin):
    """Which deadline reminders went to whom: `send_reminders` writes them, nobody edits."""

    list_display = ["response", "recipient", "kind", "deadline", "sent_at"]
    list_filter = ["kind"]
    list_select_related = ["response__consultation", "recipient"]
