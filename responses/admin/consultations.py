"""Consultations, their sections and questions: changed only while no response to
them is locked, since they print in every one."""

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from responses import rules, services
from responses.models import (
    Consultation,
    Question,
    Section,
)


class ConsultationSetUp:
    """Saves under a lock on every response to the consultation, then gives each
    response an answer to every new question."""

    def consultation_of(self, obj) -> Consultation | None:
        raise NotImplementedError

    def _is_locked(self, obj) -> bool:
        consultation = self.consultation_of(obj) if obj is not None else None
        return (
            consultation is not None and consultation.pk and rules.consultation_locked(consultation)
        )

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return not self._is_locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return not self._is_locked(obj) and super().has_delete_permission(request, obj)


def _answer_new_questions(consultation: Consultation, user) -> None:
    for response in services.lock_consultation(consultation.pk):
        services.add_missing_answers(response, by=user)


class SectionInline(ConsultationSetUp, admin.TabularInline):
    model = Section
    fields = ["title", "parent", "position"]
    extra = 0

    def consultation_of(self, consultation: Consultation) -> Consultation:
        return consultation

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return not self._is_locked(obj) and super().has_add_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            consultation_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Section.objects.filter(consultation_id=consultation_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class QuestionInline(SectionInline):
    model = Question
    fields = ["number", "section", "position", "text"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            consultation_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Section.objects.filter(consultation_id=consultation_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Consultation)
class ConsultationAdmin(ConsultationSetUp, admin.ModelAdmin):
    list_display = ["title", "issued_by", "responses_due_by"]
    search_fields = ["title", "issued_by"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [SectionInline, QuestionInline]

    def consultation_of(self, consultation: Consultation) -> Consultation:
        return consultation

    def save_model(self, request: HttpRequest, obj: Consultation, form, change: bool) -> None:
        if change:
            services.lock_consultation(obj.pk)
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        _answer_new_questions(form.instance, request.user)


@admin.register(Section)
class SectionAdmin(ConsultationSetUp, admin.ModelAdmin):
    list_display = ["title", "parent", "consultation", "position"]
    list_filter = ["consultation"]
    list_select_related = ["parent", "consultation"]

    def consultation_of(self, section: Section) -> Consultation | None:
        return section.consultation if section.consultation_id else None

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        # Printed in its consultation's responses: it never moves to another consultation.
        return ["consultation"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Section, form, change: bool) -> None:
        services.lock_consultation(obj.consultation_id)
        super().save_model(request, obj, form, change)


@admin.register(Question)
class QuestionAdmin(SectionAdmin):
    list_display = ["number", "section", "consultation"]
    list_select_related = ["section", "consultation"]
    search_fields = ["text"]

    def save_model(self, request: HttpRequest, obj: Question, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        _answer_new_questions(obj.consultation, request.user)


# The response, its report and its text: through the services.
