from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from responses.models import (
    Answer,
    CabinetReport,
    Consultation,
    Question,
    ReportSection,
    Response,
    Section,
    SignOff,
    StandardHeading,
)


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


@admin.register(Answer)
class AnswerAdmin(SimpleHistoryAdmin):
    list_display = ["question", "response", "status", "assignee", "changed_at"]
    list_filter = ["status", "response"]
    list_select_related = ["question", "response__consultation", "assignee"]
    readonly_fields = ["changed_by", "changed_at", "version"]
    search_fields = ["text", "question__text"]

    def save_model(self, request: HttpRequest, obj: Answer, form, change: bool) -> None:
        obj.changed_by = request.user
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


class ReportSectionInline(admin.StackedInline):
    model = ReportSection
    fields = ["heading", "position", "body"]
    extra = 0


@admin.register(CabinetReport)
class CabinetReportAdmin(admin.ModelAdmin):
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

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if not change:
            form.instance.add_standard_sections()


@admin.register(ReportSection)
class ReportSectionAdmin(SimpleHistoryAdmin):
    list_display = ["heading", "report", "position", "changed_at"]
    list_select_related = ["report"]
    readonly_fields = ["changed_by", "changed_at", "version"]

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
class SignOffAdmin(admin.ModelAdmin):
    list_display = ["report", "role", "user", "decision", "signed_at"]
    list_filter = ["role", "decision"]
    list_select_related = ["report", "user"]
