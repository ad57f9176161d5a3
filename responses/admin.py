from django.contrib import admin
from django.core.exceptions import PermissionDenied
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


def consultation_locked(consultation: Consultation) -> bool:
    """A consultation's questions and sections print in every response to it."""
    return consultation.responses.exclude(status=Response.Status.DRAFTING).exists()


class LockedWhileSigningMixin:
    """Nothing a signatory reads may change in the admin while it is with them.

    `is_locked(obj)` says whether an object (for an inline: its parent) is printed in
    a response that is awaiting sign-off or signed off. The check runs on the object
    as stored (for the permissions) and again on the object as it would be saved, so
    moving a record into a locked response is refused as well.
    """

    def is_locked(self, obj) -> bool:
        raise NotImplementedError

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is not None and self.is_locked(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is not None and self.is_locked(obj):
            return False
        return super().has_delete_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        if isinstance(self, admin.options.InlineModelAdmin):
            return not (obj is not None and self.is_locked(obj)) and super().has_add_permission(
                request, obj
            )
        return super().has_add_permission(request)

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        if self.is_locked(obj):
            raise PermissionDenied(
                "That response is with its signatories or signed off: nothing in it can change."
            )
        super().save_model(request, obj, form, change)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of what happened: shown, never edited."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class SectionInline(LockedWhileSigningMixin, admin.TabularInline):
    model = Section

    def is_locked(self, consultation: Consultation) -> bool:
        return consultation_locked(consultation)

    fields = ["title", "parent", "position"]
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            consultation_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Section.objects.filter(consultation_id=consultation_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class QuestionInline(LockedWhileSigningMixin, admin.StackedInline):
    model = Question

    def is_locked(self, consultation: Consultation) -> bool:
        return consultation_locked(consultation)

    fields = ["number", "section", "position", "text"]
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            consultation_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Section.objects.filter(consultation_id=consultation_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Consultation)
class ConsultationAdmin(LockedWhileSigningMixin, admin.ModelAdmin):
    list_display = ["title", "issued_by", "responses_due_by"]
    search_fields = ["title", "issued_by"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [SectionInline, QuestionInline]

    def is_locked(self, consultation: Consultation) -> bool:
        return consultation.pk is not None and consultation_locked(consultation)


@admin.register(Section)
class SectionAdmin(LockedWhileSigningMixin, admin.ModelAdmin):
    list_display = ["title", "parent", "consultation", "position"]
    list_filter = ["consultation"]
    list_select_related = ["parent", "consultation"]

    def is_locked(self, section: Section) -> bool:
        return section.consultation_id is not None and consultation_locked(section.consultation)


@admin.register(Question)
class QuestionAdmin(LockedWhileSigningMixin, admin.ModelAdmin):
    list_display = ["number", "section", "consultation"]
    list_filter = ["consultation"]
    list_select_related = ["section", "consultation"]
    search_fields = ["text"]

    def is_locked(self, question: Question) -> bool:
        return question.consultation_id is not None and consultation_locked(question.consultation)


@admin.register(Response)
class ResponseAdmin(LockedWhileSigningMixin, admin.ModelAdmin):
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

    def is_locked(self, response: Response) -> bool:
        return response.pk is not None and response.is_locked


@admin.register(Answer)
class AnswerAdmin(LockedWhileSigningMixin, SimpleHistoryAdmin):
    list_display = ["question", "response", "status", "assignee", "changed_at"]
    list_filter = ["status", "response"]
    list_select_related = ["question", "response__consultation", "assignee"]
    readonly_fields = ["changed_by", "changed_at", "version"]
    search_fields = ["text", "question__text"]

    def is_locked(self, answer: Answer) -> bool:
        return answer.response_id is not None and answer.response.is_locked

    def save_model(self, request: HttpRequest, obj: Answer, form, change: bool) -> None:
        obj.changed_by = request.user
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


class ReportSectionInline(LockedWhileSigningMixin, admin.StackedInline):
    model = ReportSection
    fields = ["heading", "position", "body"]
    extra = 0

    def is_locked(self, report: CabinetReport) -> bool:
        return report.response.is_locked


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

    def is_locked(self, report: CabinetReport) -> bool:
        return report.response_id is not None and report.response.is_locked

    def save_model(self, request: HttpRequest, obj: CabinetReport, form, change: bool) -> None:
        if change and form.changed_data:
            obj.version += 1
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        # Sections edited here are new versions too, so an open editor sees a conflict.
        for section_form in formset.forms:
            if section_form.instance.pk and section_form.has_changed():
                section_form.instance.version += 1
                section_form.instance.changed_by = request.user
        super().save_formset(request, form, formset, change)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if not change:
            form.instance.add_standard_sections()


@admin.register(ReportSection)
class ReportSectionAdmin(LockedWhileSigningMixin, SimpleHistoryAdmin):
    list_display = ["heading", "report", "position", "changed_at"]
    list_select_related = ["report"]
    readonly_fields = ["changed_by", "changed_at", "version"]

    def is_locked(self, section: ReportSection) -> bool:
        return section.report_id is not None and section.report.response.is_locked

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
