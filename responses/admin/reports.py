"""The Cabinet report, its people and its sections."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest

from responses import roles, rules, services, workflow
from responses.admin.base import AskedForm, ReadOnlyHistory, RulebookAdmin
from responses.models import (
    AuditEvent,
    CabinetReport,
    ReportSection,
    Response,
    SignOff,
)
from responses.paper import REPORT_FIELDS
from responses.rules import Action


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
