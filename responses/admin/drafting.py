"""Responses and their answers, saved through the same services as the editor."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from responses import roles, rules, services
from responses.admin.base import AskedForm, ReadOnlyHistory, RulebookAdmin
from responses.models import (
    Answer,
    Response,
)
from responses.rules import Action


def _in_group(name: str):
    return get_user_model().objects.filter(is_active=True, groups__name=name).order_by("username")


def _by_name(user) -> str:
    """A person in a picker: their name, and the username that tells two Jane Smiths apart."""
    name = user.get_full_name()
    return f"{name} ({user.get_username()})" if name else user.get_username()


class _NamedChoice(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return _by_name(user)


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
    lead_officer = _NamedChoice(
        queryset=_in_group(roles.LEAD_OFFICER),
        help_text="Assigns questions, agrees answers and submits for sign-off.",
    )
    director_user = _NamedChoice(
        queryset=_in_group(roles.EXECUTIVE_DIRECTOR),
        required=False,
        label="Executive Director's account",
    )
    portfolio_holder_user = _NamedChoice(
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
    list_display = ["title_now", "organisation_name", "consultation", "status"]
    list_filter = ["status"]
    list_select_related = ["consultation"]
    filter_horizontal = ["team"]

    @admin.display(description="Response", ordering="title")
    def title_now(self, response: Response) -> str:
        """Every council's response has much the same title: the row says to what."""
        return f"{response.current_title}, to “{response.consultation.title}”"

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
                .order_by("first_name", "last_name", "username")
            )
            field = super().formfield_for_manytomany(db_field, request, **kwargs)
            field.label_from_instance = _by_name
            return field
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_form(self, request: HttpRequest, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ResponseCreationForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request: HttpRequest, obj=None):
        if obj is None:
            return list(ResponseCreationForm.base_fields)
        return ["consultation", "organisation_name", "title", "team_page", *self.readonly_fields]

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        if obj is None:
            return []
        printed = ["organisation_name", "title"] if obj.is_locked else []
        return ["consultation", *printed, "team_page", *self.readonly_fields]

    @admin.display(description="Team")
    def team_page(self, response: Response) -> str:
        """Shown, not changed, here: the Team page changes it by the rulebook, unassigns
        whoever leaves and audits each change (responses/team.py)."""
        names = ", ".join(
            _by_name(user) for user in response.team.order_by("first_name", "last_name")
        )
        return format_html(
            '{} <a href="{}">Change the team on its Team page</a>',
            f"{names}." if names else "Nobody yet.",
            reverse("team", args=[response.pk]),
        )

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
            team=list(form.cleaned_data["team"]) if "team" in form.cleaned_data else None,
        )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class AnswerForm(AskedForm):
    class Meta:
        model = Answer
        fields = ["text", "status", "assignee", "position"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and "assignee" in self.fields:
            # Only who may be given the question, as the editor offers: anyone else
            # would be refused by the save, after the admin had typed their change.
            self.fields["assignee"].queryset = services.assignable(
                self.instance.response, also=self.instance.assignee_id
            )

    def clean(self) -> dict:
        data = super().clean()
        refusal = rules.refusal(self.user, Action.EDIT_ANSWER, self.instance.response)
        if refusal is not None:
            raise ValidationError(str(refusal))
        return data


@admin.register(Answer)
class AnswerAdmin(RulebookAdmin, ReadOnlyHistory):
    """Answers are made with their response, one per question: changed here, never added."""

    action = Action.EDIT_ANSWER
    form = AnswerForm
    list_display = ["question", "response", "status", "assignee", "changed_at"]
    list_filter = ["status", "response"]
    list_select_related = ["question", "response__consultation", "assignee"]
    readonly_fields = ["response", "question", "changed_by", "changed_at"]
    fields = [
        "response",
        "question",
        "text",
        "status",
        "assignee",
        "position",
        "version",
        "changed_by",
    ]
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
            position=data["position"],
        )
