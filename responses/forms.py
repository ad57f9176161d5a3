from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Q

from responses import roles
from responses.content import REPORT_FIELDS
from responses.models import Answer, CabinetReport, ReportSection, Response
from responses.models.drafting import MAX_TEXT_LENGTH

MARKDOWN_HELP = (
    "Markdown: a blank line between paragraphs, **bold**, *italic*, lists starting "
    "with - or 1., links as [text](https://…). Up to 20,000 characters."
)


class VersionedForm(forms.Form):
    """Carries the version the editor was opened at, for the save to check."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


def markdown_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=MAX_TEXT_LENGTH,
        help_text=MARKDOWN_HELP,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "true"}),
    )


def drafting_users(also: int | None = None):
    """Active officers and lead officers; `also` keeps a current assignee selectable
    after they have left those roles."""
    drafting = Q(is_active=True, groups__name__in=[roles.OFFICER, roles.LEAD_OFFICER])
    return (
        get_user_model()
        .objects.filter(drafting | Q(pk=also) if also else drafting)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class AssigneeField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.get_username()


class AnswerForm(VersionedForm):
    text = markdown_field("Answer")
    status = forms.ChoiceField(choices=Answer.Status.choices)
    assignee = AssigneeField(queryset=None, required=False, empty_label="Nobody")

    def __init__(self, *args, user: AbstractBaseUser, answer: Answer, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = drafting_users(also=answer.assignee_id)
        if not user.has_perm("responses.agree_answer"):
            self.fields["status"].choices = [
                c for c in Answer.Status.choices if c[0] != Answer.Status.AGREED
            ]
            if answer.status == Answer.Status.AGREED:
                for name in ("text", "status"):
                    self.fields[name].disabled = True
                self.fields["status"].choices = Answer.Status.choices
                self.fields[
                    "text"
                ].help_text = "Agreed by the lead officer: only they can change an agreed answer."
        if not user.has_perm("responses.assign_answer"):
            self.fields["assignee"].disabled = True
            self.fields["assignee"].help_text = "Only the lead officer assigns questions."

    @classmethod
    def initial_for(cls, answer: Answer) -> dict:
        return {
            "text": answer.text,
            "status": answer.status,
            "assignee": answer.assignee_id,
            "version": answer.version,
        }


class ReportSectionForm(VersionedForm):
    heading = forms.CharField(max_length=200)
    text = markdown_field("Text")

    @classmethod
    def initial_for(cls, section: ReportSection) -> dict:
        return {"heading": section.heading, "text": section.body, "version": section.version}


class NewReportSectionForm(forms.Form):
    heading = forms.CharField(label="Heading of the new section", max_length=200)


class ReportDetailsForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = CabinetReport
        fields = REPORT_FIELDS
        widgets = {"meeting_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        labels = {
            "meeting_body": "Meeting",
            "agenda_item": "Agenda item",
            "forward_plan": "On the forward plan",
            "director_name": "Executive Director",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="Comment",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required to return: say what should change.",
    )


class CabinetDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Cabinet's decision", choices=Response.CabinetDecision.choices
    )


class SentToGovernmentForm(forms.Form):
    sent_on = forms.DateField(
        label="Date sent to government", widget=forms.DateInput(attrs={"type": "date"})
    )
