"""Set-up for administrators. Every change goes through the same services as the pages.

So the admin asks the same rulebook, locks the same rows, raises versions and keeps
history exactly as an editor does: nothing a signatory reads changes here while it
is with them, and an editor open on a record sees the admin's save as a conflict.
The forms ask first, to show a refusal beside the field; the services ask again
under the row lock, and a refusal that slips between the two reaches the user
through the one page for domain errors.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from responses import (
    admin_users,  # noqa: F401  (registers the user admin)
    roles,
    rules,
    services,
    workflow,
)
from responses.forms import MAX_ID
from responses.models import (
    Answer,
    AuditEvent,
    CabinetReport,
    Consultation,
    CouncilSettings,
    Question,
    ReminderSent,
    ReportSection,
    Response,
    Section,
    SignOff,
    StandardHeading,
)
from responses.paper import REPORT_FIELDS
from responses.rules import Action


class AskedForm(forms.ModelForm):
    """A model form that knows who is asking, and the version they loaded."""

    user = None  # set by `RulebookAdmin.get_form`
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            self.fields["version"].required = False

    def clean(self) -> dict:
        data = super().clean()
        version = data.get("version")
        if self.instance.pk and version and version != self.instance.version:
            raise ValidationError(
                f"Someone saved version {self.instance.version} while you were editing: "
                "nothing was saved. Open the page again to see their change."
            )
        return data


class RulebookAdmin(admin.ModelAdmin):
    """Change and delete only what the rulebook allows on the object's response now."""

    action: Action = Action.SET_UP

    def response_of(self, obj) -> Response | None:
        raise NotImplementedError

    def get_form(self, request: HttpRequest, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def _allows(self, request: HttpRequest, obj) -> bool:
        response = self.response_of(obj) if obj is not None else None
        return response is None or rules.may(request.user, self.action, response)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_change_permission(request, obj) and self._allows(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and self._allows(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of what happened: shown, never edited."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


# The consultation: questions and headings print in every response to it.


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


def _in_group(name: str):
    return get_user_model().objects.filter(is_active=True, groups__name=name).order_by("username")


class ResponseCreationForm(forms.ModelForm):
    """A new response comes with its Cabinet report: these are the report's essentials."""

    meeting_body = forms.CharField(initial="Cabinet", max_length=100)
    meeting_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    report_title = forms.CharField(max_length=300, label="Report title")
    portfolio = forms.CharField(max_length=200)
    portfolio_holder_name = forms.CharField(max_length=200)
    service_area = forms.CharField(max_length=200)
    wards = forms.CharField(max_length=200, initial="All")
    contact_name = forms.CharField(max_length=200)
    contact_job_title = forms.CharField(max_length=200)
    director_name = forms.CharField(max_length=200, label="Executive Director")
    lead_officer = forms.ModelChoiceField(
        queryset=_in_group(roles.LEAD_OFFICER),
        help_text="Assigns questions, agrees answers and submits for sign-off.",
    )
    director_user = forms.ModelChoiceField(
        queryset=_in_group(roles.EXECUTIVE_DIRECTOR),
        required=False,
        label="Executive Director's account",
    )
    portfolio_holder_user = forms.ModelChoiceField(
        queryset=_in_group(roles.PORTFOLIO_HOLDER),
        required=False,
        label="Portfolio Holder's account",
    )

    class Meta:
        model = Response
        fields = ["consultation", "organisation_name", "title", "team"]

    def report_details(self) -> dict:
        data = self.cleaned_data
        names = [name for name in ResponseCreationForm.declared_fields if name != "report_title"]
        return {**{name: data[name] for name in names}, "title": data["report_title"]}


@admin.register(Response)
class ResponseAdmin(RulebookAdmin):
    list_display = ["title", "organisation_name", "consultation", "status"]
    list_filter = ["status"]
    list_select_related = ["consultation"]
    filter_horizontal = ["team"]
    # The workflow alone moves these (responses/workflow.py).
    readonly_fields = [
        "status",
        "submission_round",
        "cabinet_decision",
        "sent_to_government_on",
        "created_at",
    ]

    def response_of(self, response: Response) -> Response:
        return response

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "team":
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(groups__name__in=[roles.OFFICER, roles.LEAD_OFFICER])
                .distinct()
                .order_by("username")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_form(self, request: HttpRequest, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ResponseCreationForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request: HttpRequest, obj=None):
        if obj is None:
            return list(ResponseCreationForm.base_fields)
        return ["consultation", "organisation_name", "title", "team", *self.readonly_fields]

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        if obj is None:
            return []
        printed = ["organisation_name", "title"] if obj.is_locked else []
        return ["consultation", *printed, *self.readonly_fields]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # a response is a record: it is never deleted

    def save_model(self, request: HttpRequest, obj: Response, form, change: bool) -> None:
        if not change:
            created = services.create_response(
                consultation=obj.consultation,
                organisation_name=obj.organisation_name,
                title=obj.title,
                report=form.report_details(),
                by=request.user,
            )
            obj.pk, obj._state.adding, obj._state.db = created.pk, False, created._state.db
            return
        services.update_response(
            user=request.user,
            response_id=obj.pk,
            organisation_name=obj.organisation_name,
            title=obj.title,
        )

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        services.update_response(
            user=request.user,
            response_id=form.instance.pk,
            organisation_name=form.instance.organisation_name,
            title=form.instance.title,
            team=list(form.cleaned_data["team"]),
        )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class AnswerForm(AskedForm):
    class Meta:
        model = Answer
        fields = ["text", "status", "assignee"]

    def clean(self) -> dict:
        data = super().clean()
        refusal = rules.refusal(self.user, Action.EDIT_ANSWER, self.instance.response)
        if refusal is not None:
            raise ValidationError(str(refusal))
        return data


class ReadOnlyHistory(SimpleHistoryAdmin):
    """History is shown here, never reverted: a restore is the app's history page, through
    the services, as a new version."""

    def history_form_view(self, request: HttpRequest, object_id, version_id, extra_context=None):
        if not str(version_id).isdigit():
            raise Http404("No such version.")
        if request.method == "POST":
            raise PermissionDenied("Restore a version from the history page in Consult.")
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Answer)
class AnswerAdmin(RulebookAdmin, ReadOnlyHistory):
    """Answers are made with their response, one per question: changed here, never added."""

    action = Action.EDIT_ANSWER
    form = AnswerForm
    list_display = ["question", "response", "status", "assignee", "changed_at"]
    list_filter = ["status", "response"]
    list_select_related = ["question", "response__consultation", "assignee"]
    readonly_fields = ["response", "question", "changed_by", "changed_at"]
    fields = ["response", "question", "text", "status", "assignee", "version", "changed_by"]
    search_fields = ["text", "question__text"]

    def response_of(self, answer: Answer) -> Response:
        return Response.objects.for_rules().get(pk=answer.response_id)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Answer, form, change: bool) -> None:
        data = form.cleaned_data
        services.save_answer(
            user=request.user,
            response_id=obj.response_id,
            number=obj.question.number,
            text=data["text"],
            status=data["status"],
            assignee=data["assignee"],
            expected_version=data["version"],
        )


class ReportSectionInline(admin.TabularInline):
    """Shown for reference; each section is edited on its own page, through the services."""

    model = ReportSection
    fields = ["position", "heading", "version", "changed_at"]
    readonly_fields = fields
    extra = 0
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class CabinetReportForm(AskedForm):
    """Offers as lead officer and signatories only accounts that may be: each signatory's
    choice is checked here as the workflow will check it, so a refusal shows on the form."""

    class Meta:
        model = CabinetReport
        fields = [
            "response",
            *REPORT_FIELDS,
            "lead_officer",
            "director_user",
            "portfolio_holder_user",
        ]

    GROUPS = {
        "lead_officer": roles.LEAD_OFFICER,
        "director_user": roles.EXECUTIVE_DIRECTOR,
        "portfolio_holder_user": roles.PORTFOLIO_HOLDER,
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, group in self.GROUPS.items():
            if name in self.fields:
                current = getattr(self.instance, f"{name}_id", None)
                self.fields[name].queryset = (
                    get_user_model()
                    .objects.filter(Q(is_active=True, groups__name=group) | Q(pk=current))
                    .exclude(groups__name=roles.ADMINISTRATOR)
                    .distinct()
                    .order_by("first_name", "last_name", "username")
                )
                self.fields[name].label_from_instance = _person

    def clean(self) -> dict:
        data = super().clean()
        if not self.instance.pk:
            return data
        for role, name in [
            (SignOff.Role.EXECUTIVE_DIRECTOR, "director_user"),
            (SignOff.Role.PORTFOLIO_HOLDER, "portfolio_holder_user"),
        ]:
            chosen = data.get(name)
            if chosen and chosen.pk != getattr(self.instance, f"{name}_id"):
                trial = CabinetReport(
                    lead_officer_id=getattr(data.get("lead_officer"), "pk", None)
                    or self.instance.lead_officer_id,
                    director_user_id=getattr(data.get("director_user"), "pk", None),
                    portfolio_holder_user_id=getattr(data.get("portfolio_holder_user"), "pk", None),
                )
                if problem := workflow.signatory_problem(chosen, role, trial):
                    self.add_error(name, problem)
        return data


def _person(user) -> str:
    name = user.get_full_name()
    return f"{name} ({user.get_username()})" if name else user.get_username()


_PEOPLE = ["lead_officer", "director_user", "portfolio_holder_user"]


@admin.register(CabinetReport)
class CabinetReportAdmin(RulebookAdmin):
    """The report's printed details change while drafting; who leads and who signs can
    change until it is signed off, so that nobody's leaving leaves a response stuck."""

    form = CabinetReportForm
    list_display = ["title", "meeting_body", "meeting_date"]
    list_select_related = ["response"]
    inlines = [ReportSectionInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "response",
                    "meeting_body",
                    "meeting_date",
                    "agenda_item",
                    "title",
                    "version",
                ]
            },
        ),
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

    def response_of(self, report: CabinetReport) -> Response:
        return Response.objects.for_rules().get(pk=report.response_id)

    def _allows(self, request: HttpRequest, obj) -> bool:
        if obj is None:
            return True
        response = self.response_of(obj)
        return rules.may(request.user, Action.SET_UP, response)

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        if obj is None:
            return []
        status = self.response_of(obj).status
        if status == Response.Status.SIGNED_OFF:  # signed: only who leads may still change
            return ["response", *REPORT_FIELDS, "director_user", "portfolio_holder_user"]
        if self.response_of(obj).is_locked:  # with its signatories: who signs, not the text
            names = {"director_name", "portfolio_holder_name"}
            return ["response", *(name for name in REPORT_FIELDS if name not in names)]
        return ["response"]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: CabinetReport, form, change: bool) -> None:
        data = form.cleaned_data
        if not change:
            services.create_report(
                data["response"], {name: data[name] for name in REPORT_FIELDS}, by=request.user
            )
            obj.pk, obj._state.adding = (
                CabinetReport.objects.get(response=data["response"]).pk,
                False,
            )
            self._say(request, _change_people(request.user, obj.response_id, data))
            return
        response_id = obj.response_id
        report = CabinetReport.objects.get(response_id=response_id)
        # A signatory's printed name changes with the account, through the workflow.
        details = {
            name: data[name]
            for name in REPORT_FIELDS
            if name in data
            and not (name in _SIGNATORY_NAMES and getattr(report, _SIGNATORY_NAMES[name]))
        }
        if details and not self.response_of(obj).is_locked:
            services.save_report_details(
                user=request.user,
                response_id=response_id,
                details=details,
                expected_version=data["version"],
            )
        self._say(request, _change_people(request.user, response_id, data))

    def _say(self, request: HttpRequest, events: list[AuditEvent]) -> None:
        response = Response.objects.get(pk=events[0].response_id) if events else None
        for event in events:
            self.message_user(request, f"{event.summary}. It is in the response's audit.")
        if response is not None:
            self.message_user(request, f"The response is now: {response.get_status_display()}.")


_SIGNATORY_NAMES = {
    "director_name": "director_user",
    "portfolio_holder_name": "portfolio_holder_user",
}


def _change_people(user, response_id: int, data: dict) -> list[AuditEvent]:
    """Who leads and who signs, each change audited by the workflow (the audit records
    are returned). A new signatory is printed under the name typed for them, or else
    their account's full name."""
    report = CabinetReport.objects.get(response_id=response_id)
    latest = AuditEvent.objects.filter(response_id=response_id).order_by("-pk").first()
    if data.get("lead_officer") and data["lead_officer"] != report.lead_officer:
        workflow.change_lead_officer(user=user, response_id=response_id, lead=data["lead_officer"])
    for role, name_field, user_field in [
        (SignOff.Role.EXECUTIVE_DIRECTOR, "director_name", "director_user"),
        (SignOff.Role.PORTFOLIO_HOLDER, "portfolio_holder_name", "portfolio_holder_user"),
    ]:
        current = getattr(report, user_field)
        chosen = data.get(user_field) or current
        typed = data.get(name_field) or ""
        name_changed = bool(typed) and typed != getattr(report, name_field)
        if chosen is not None and (chosen != current or name_changed):
            workflow.change_signatory(
                user=user,
                response_id=response_id,
                role=role,
                signatory=chosen,
                name=typed if name_changed else "",
            )
    newer = AuditEvent.objects.filter(response_id=response_id, pk__gt=latest.pk if latest else 0)
    return list(newer.order_by("pk"))


class ReportSectionForm(AskedForm):
    class Meta:
        model = ReportSection
        fields = ["report", "heading", "body"]

    def clean(self) -> dict:
        data = super().clean()
        report = self.instance.report if self.instance.pk else data.get("report")
        if report is not None:
            action = Action.EDIT_REPORT_SECTION if self.instance.pk else Action.ADD_REPORT_SECTION
            response = Response.objects.for_rules().get(pk=report.response_id)
            refusal = rules.refusal(self.user, action, response)
            if refusal is not None:
                raise ValidationError(str(refusal))
        return data


@admin.register(ReportSection)
class ReportSectionAdmin(RulebookAdmin, ReadOnlyHistory):
    action = Action.EDIT_REPORT_SECTION
    form = ReportSectionForm
    list_display = ["heading", "report", "position", "changed_at"]
    list_select_related = ["report"]
    readonly_fields = ["position", "changed_by", "changed_at"]

    def response_of(self, section: ReportSection) -> Response:
        return Response.objects.for_rules().get(report__pk=section.report_id)

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return [*self.readonly_fields, "report"] if obj else self.readonly_fields

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is None:
            return super().has_delete_permission(request, obj)
        response = self.response_of(obj)
        return rules.may(request.user, Action.REMOVE_REPORT_SECTION, response)

    def save_model(self, request: HttpRequest, obj: ReportSection, form, change: bool) -> None:
        data = form.cleaned_data
        if not change:
            added = services.add_report_section(
                user=request.user,
                response_id=data["report"].response_id,
                heading=data["heading"],
                body=data["body"],
            )
            obj.pk, obj._state.adding = added.pk, False
            return
        services.save_report_section(
            user=request.user,
            response_id=obj.report.response_id,
            section_id=obj.pk,
            heading=data["heading"],
            body=data["body"],
            expected_version=data["version"],
        )

    def delete_model(self, request: HttpRequest, obj: ReportSection) -> None:
        services.delete_report_section(
            user=request.user, response_id=obj.report.response_id, section_id=obj.pk
        )

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for section in queryset.select_related("report"):
            self.delete_model(request, section)


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
