from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from responses.models import (
    Answer,
    AuditEvent,
    CabinetReport,
    Consultation,
    Question,
    ReportSection,
    Response,
    Section,
    SignOff,
    StandardHeading,
)


class LockedWhileSigningMixin:
    """Nothing a signatory reads may change in the admin while it is with them."""

    def _locked(self, obj) -> bool:
        response = self.response_of(obj) if obj is not None else None
        return response is not None and response.is_locked

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return not self._locked(obj) and super().has_delete_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is not None and self._locked(obj):
            return False
        if isinstance(self, admin.options.InlineModelAdmin):
            return super().has_add_permission(request, obj)
        return super().has_add_permission(request)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of what happened: shown, never edited."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class SectionInline(admin.TabularInline):
    model = Section
    fields = ["title", "parent", "position"]
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            consultation_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Section.objects.filter(consultation_id=consultation_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class QuestionInline(admin.StackedInline):
    model = Question
    fields = ["number", "section", "position", "text"]
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            consultation_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Section.objects.filter(consultation_id=consultation_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["title", "issued_by", "responses_due_by"]
    search_fields = ["title", "issued_by"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [SectionInline, QuestionInline]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["title", "parent", "consultation", "position"]
    list_filter = ["consultation"]
    list_select_related = ["parent", "consultation"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["number", "section", "consultation"]
    list_filter = ["consultation"]
    list_select_related = ["section", "consultation"]
    search_fields = ["text"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation_name", "consultation", "status"]
    list_filter = ["status"]
    list_select_related = ["consultation"]
    # The workflow alone moves these (responses/workflow.py).
    readonly_fields = [
        "status",
        "submission_round",
        "cabinet_decision",
        "sent_to_government_on",
        "created_at",
    ]


@admin.register(Answer)
class AnswerAdmin(LockedWhileSigningMixin, SimpleHistoryAdmin):
    list_display = ["question", "response", "status", "assignee", "changed_at"]
    list_filter = ["status", "response"]
    list_select_related = ["question", "response__consultation", "assignee"]
    readonly_fields = ["changed_by", "changed_at", "version"]
    search_fields = ["text", "question__text"]

    @staticmethod
    def response_of(answer: Answer) -> Response:
        return answer.response

    def save_model(self, request: HttpRequest, obj: Answer, form, change: bool) -> None:
        obj.changed_by = request.user
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


class ReportSectionInline(LockedWhileSigningMixin, admin.StackedInline):
    model = ReportSection
    fields = ["heading", "position", "body"]
    extra = 0

    @staticmethod
    def response_of(report: CabinetReport) -> Response:
        return report.response


@admin.register(CabinetReport)
class CabinetReportAdmin(LockedWhileSigningMixin, admin.ModelAdmin):
    list_display = ["title", "meeting_body", "meeting_date"]
    list_select_related = ["response"]
    inlines = [ReportSectionInline]
    fieldsets = [
        (None, {"fields": ["response", "meeting_body", "meeting_date", "agenda_item", "title"]}),
        (
            "Portfolio",
            {
                "fields": [
                    "portfolio",
                    "portfolio_holder_name",
                    "service_area",
                    "wards",
                    "forward_plan",
                ]
            },
        ),
        (
            "Contact officer",
            {
                "fields": [
                    "contact_name",
                    "contact_job_title",
                    "contact_phone",
                    "contact_email",
                    "lead_officer",
                ]
            },
        ),
        ("Signatories", {"fields": ["director_name", "director_user", "portfolio_holder_user"]}),
    ]

    @staticmethod
    def response_of(report: CabinetReport) -> Response:
        return report.response

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if not change:
            form.instance.add_standard_sections()


@admin.register(ReportSection)
class ReportSectionAdmin(LockedWhileSigningMixin, SimpleHistoryAdmin):
    list_display = ["heading", "report", "position", "changed_at"]
    list_select_related = ["report"]
    readonly_fields = ["changed_by", "changed_at", "version"]

    @staticmethod
    def response_of(section: ReportSection) -> Response:
        return section.report.response

    def save_model(self, request: HttpRequest, obj: ReportSection, form, change: bool) -> None:
        obj.changed_by = request.user
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


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
