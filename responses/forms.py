from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core import validators

from responses import services
from responses.gate import Access
from responses.models import Answer, CabinetReport, ReportSection, Response
from responses.models.drafting import MAX_TEXT_LENGTH, MINUTE_LENGTH
from responses.paper import REPORT_FIELDS
from responses.rules import Action
from responses.text import MARKDOWN_VALIDATORS

MARKDOWN_HELP = (
    "Markdown: a blank line between paragraphs, **bold**, *italic*, lists starting "
    "with - or 1. (or a), (a), i. as you would write them: they print so), links as "
    "[text](https://…). Up to 20,000 characters."
)


# The largest id or version a form accepts: past it, the database would refuse the number.
MAX_ID = 2**31 - 1


def error_summary(*forms: forms.BaseForm | None) -> list[tuple[str, str]]:
    """Every error on the page as (the id to link to, the message), in page order,
    for the error summary at the top of the page."""
    problems = []
    for form in forms:
        if form is None or not form.is_bound or form.is_valid():
            continue
        for message in form.non_field_errors():
            problems.append(("main", message))
        for field in form:
            for message in field.errors:
                target = "main" if field.is_hidden else (field.id_for_label or field.auto_id)
                problems.append((target, message))
    return problems


class InPageForm:
    """A form set inside a page's own <form> tag, which carries the CSRF token."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class SignInForm(AuthenticationForm):
    """Django's sign-in, saying plainly what to do."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username."
        self.fields["password"].error_messages["required"] = "Enter your password."


OUT_OF_DATE = "This page is out of date: open it again from the response, then make your change."


class VersionedForm(InPageForm, forms.Form):
    """Carries the version the editor was opened at, for the save to check."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        max_value=MAX_ID,
        error_messages=dict.fromkeys(
            ["required", "invalid", "min_value", "max_value"], OUT_OF_DATE
        ),
    )


class MarkdownField(forms.CharField):
    """A Markdown text box, counted as the server stores it and never cut short.

    Browsers send a text box's line breaks as CRLF, and the text is stored with LF
    (see services._save_version): counted before that, every line break would count
    twice and text the counter said fitted would be refused. The browser's own
    maxlength is left off because it cuts a paste silently; the page's counter
    (static/js/counter.js) reads the limit from data-max-length instead."""

    def to_python(self, value: object) -> str:
        return super().to_python(value).replace("\r\n", "\n")

    def run_validators(self, value: str) -> None:
        """Over the length limit, say so and stop: the Markdown checks parse the whole
        text, and a huge post would keep a worker busy only to be refused anyway."""
        if self.max_length is None or len(value) <= self.max_length:
            super().run_validators(value)
            return
        every = self.validators
        self.validators = [v for v in every if isinstance(v, validators.MaxLengthValidator)]
        try:
            super().run_validators(value)  # with the field's own message for the length
        finally:
            self.validators = every

    def widget_attrs(self, widget: forms.Widget) -> dict:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        attrs["data-markdown"] = True
        if self.max_length is not None:
            attrs["data-max-length"] = str(self.max_length)
        return attrs


def markdown_field(label: str) -> MarkdownField:
    return MarkdownField(
        label=label,
        required=False,
        max_length=MAX_TEXT_LENGTH,
        error_messages={
            "max_length": f"The {label.lower()} must be {MAX_TEXT_LENGTH:,} characters or fewer; "
            "it has %(show_value)s. Nothing was saved."
        },
        validators=MARKDOWN_VALIDATORS,
        help_text=MARKDOWN_HELP,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "true"}),
    )


class AssigneeField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.get_username()


class AnswerForm(VersionedForm):
    text = markdown_field("Answer")
    status = forms.ChoiceField(
        choices=Answer.Status.choices,
        error_messages={"invalid_choice": "Choose a status from the list."},
    )
    assignee = AssigneeField(
        queryset=None,
        required=False,
        empty_label="Nobody",
        error_messages={"invalid_choice": "Choose someone on the team."},
    )
    position = forms.ChoiceField(
        label="Council's position",
        choices=[("", "Not yet set"), *Answer.Position.choices],
        required=False,
        help_text="On what the question proposes: the Cabinet report can summarise these.",
        error_messages={"invalid_choice": "Choose a position from the list."},
    )

    def __init__(self, *args, access: Access, answer: Answer, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.answer = answer
        # A former member stays shown as the assignee until someone else is chosen.
        self.fields["assignee"].queryset = services.assignable(
            access.response, also=answer.assignee_id
        )
        self.may_agree = access.may(Action.AGREE_ANSWER)
        self.read_only = not self.may_agree and answer.status == Answer.Status.AGREED
        if not self.may_agree:
            if answer.status == Answer.Status.AGREED:
                self.fields["status"].disabled = True
                self.fields["position"].disabled = True
                self.fields["text"].widget.attrs["readonly"] = True
                self.fields[
                    "text"
                ].help_text = "Agreed by the lead officer: only they can change an agreed answer."
            else:
                self.fields["status"].choices = [
                    c for c in Answer.Status.choices if c[0] != Answer.Status.AGREED
                ]
        if not access.may_try(Action.ASSIGN_ANSWER):
            self.fields["assignee"].disabled = True
            self.fields["assignee"].help_text = "Only the lead officer assigns questions."

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if (
            not self.may_agree
            and self.answer.status == Answer.Status.AGREED
            and text != self.answer.text
        ):
            raise forms.ValidationError(
                "The lead officer has agreed this answer: only they can change it. "
                "Your text is still here: copy it and send it to them."
            )
        return text

    @classmethod
    def initial_for(cls, answer: Answer) -> dict:
        return {
            "text": answer.text,
            "status": answer.status,
            "assignee": answer.assignee_id,
            "position": answer.position,
            "version": answer.version,
        }


class ReportSectionForm(VersionedForm):
    heading = forms.CharField(
        max_length=200,
        error_messages={
            "required": "Enter a heading.",
            "max_length": "The heading must be 200 characters or fewer.",
        },
    )
    text = markdown_field("Text")

    @classmethod
    def initial_for(cls, section: ReportSection) -> dict:
        return {"heading": section.heading, "text": section.body, "version": section.version}


class NewReportSectionForm(forms.Form):
    heading = forms.CharField(
        label="Heading of the new section",
        max_length=200,
        error_messages={
            "required": "Enter a heading for the new section.",
            "max_length": "The heading must be 200 characters or fewer.",
        },
    )


class ReportDetailsForm(InPageForm, forms.ModelForm):
    version = VersionedForm.base_fields["version"]

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
        error_messages = {
            "meeting_body": {"required": "Enter the meeting, for example Cabinet."},
            "meeting_date": {
                "required": "Enter the meeting's date.",
                "invalid": "Enter the meeting's date as a real date, like 1 March 2027.",
            },
            "title": {"required": "Enter the report's title."},
            "portfolio": {"required": "Enter the portfolio, for example Leader."},
            "portfolio_holder_name": {"required": "Enter the Portfolio Holder's name."},
            "service_area": {"required": "Enter the service area, or All."},
            "wards": {"required": "Enter the wards affected, or All."},
            "contact_name": {"required": "Enter the contact officer's name."},
            "contact_job_title": {"required": "Enter the contact officer's job title."},
            "contact_email": {"invalid": "Enter an e-mail address like name@walsall.gov.uk."},
            "director_name": {"required": "Enter the Executive Director's name."},
        }


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="Comment",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required to return: say what should change.",
        error_messages={
            "required": "Enter a comment: say what should change before you return it."
        },
    )


class ReasonForm(forms.Form):
    """Why the lead takes a paper back: the signatories are told, the audit keeps it."""

    reason = forms.CharField(
        label="Reason",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The signatories are told, and the audit keeps it.",
        error_messages={"required": "Enter the reason: the signatories will be told it."},
    )


class CabinetDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Cabinet's decision",
        choices=[("", "Choose Cabinet's decision"), *Response.CabinetDecision.choices],
        error_messages={"required": "Choose Cabinet's decision."},
    )
    decided_on = forms.DateField(
        label="Date of Cabinet's decision",
        help_text="The date of the meeting that decided it: not before sign-off, not in "
        "the future.",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Enter the date Cabinet decided.",
            "invalid": "Enter the date Cabinet decided as a real date, like 14/3/2026.",
        },
    )
    minute = forms.CharField(
        label="Minute reference",
        help_text="As the minutes print it, for example 123/06.",
        max_length=MINUTE_LENGTH,
        error_messages={
            "required": "Enter the minute reference, as the minutes print it.",
            "max_length": f"The minute reference must be at most {MINUTE_LENGTH} characters.",
        },
    )


PUBLIC_CHOICE = "public"  # the form's value for the model's "" (for publication)


class PublicationForm(forms.Form):
    """Whether the Cabinet report is for publication, and if not, why not."""

    # The choice must be sent: a form posted without it (or emptied) changes nothing,
    # rather than unmarking a report. "public" stands for the model's "".
    PUBLIC = PUBLIC_CHOICE
    publication = forms.ChoiceField(
        label="Publication",
        choices=[
            (PUBLIC_CHOICE if value == CabinetReport.Publication.PUBLIC else value, label)
            for value, label in CabinetReport.Publication.choices
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the report is for publication."},
    )
    exempt_paragraph = forms.TypedChoiceField(
        label="Paragraph of Schedule 12A",
        help_text="The paragraph of Part 1 of Schedule 12A to the Local Government Act 1972 "
        "the information is exempt under (1 to 7).",
        choices=[("", "Choose a paragraph"), *[(n, str(n)) for n in range(1, 8)]],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Choose a paragraph from 1 to 7 of Schedule 12A."},
    )

    def clean(self) -> dict:
        data = super().clean()
        exempt = data.get("publication") == CabinetReport.Publication.EXEMPT
        if (
            exempt
            and data.get("exempt_paragraph") is None
            and "exempt_paragraph" not in (self.errors)
        ):
            self.add_error(
                "exempt_paragraph", "Choose the paragraph of Schedule 12A it is exempt under."
            )
        if not exempt:
            data["exempt_paragraph"] = None
        if data.get("publication") == self.PUBLIC:
            data["publication"] = CabinetReport.Publication.PUBLIC
        return data


class SentToGovernmentForm(forms.Form):
    sent_on = forms.DateField(
        label="Date sent to government",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Enter the date the response was sent to government.",
            "invalid": "Enter the date the response was sent as a real date, like 14/3/2026.",
        },
    )
