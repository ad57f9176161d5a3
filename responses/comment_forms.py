"""The forms of review in place: a comment or reply, and the comments a signatory
returning the paper points at answers."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator

from responses.forms import MarkdownField
from responses.models.consultation import QUESTION_NUMBER
from responses.models.review import MAX_COMMENT_LENGTH
from responses.text import MARKDOWN_VALIDATORS

COMMENT_HELP = (
    f"Markdown, up to {MAX_COMMENT_LENGTH:,} characters. Mention someone on the paper "
    "with @ and their username or full name (@Olivia Officer): they are e-mailed. "
    "Comments are never printed."
)


def comment_field(label: str, *, required: bool = True) -> MarkdownField:
    return MarkdownField(
        label=label,
        required=required,
        max_length=MAX_COMMENT_LENGTH,
        validators=MARKDOWN_VALIDATORS,
        help_text=COMMENT_HELP,
        error_messages={
            "required": "Write your comment first.",
            "max_length": f"A comment must be {MAX_COMMENT_LENGTH:,} characters or fewer; "
            "it has %(show_value)s. Nothing was saved.",
        },
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "true"}),
    )


class CommentForm(forms.Form):
    """A new thread's first comment (prefix "comment") or a reply ("reply-<thread id>")."""

    body = comment_field("Comment")

    @classmethod
    def reply(cls, thread_id: int, data=None) -> CommentForm:
        form = cls(data, prefix=f"reply-{thread_id}")
        form.fields["body"].label = "Reply"
        return form


class PointedCommentForm(forms.Form):
    """One answer a signatory points at when returning the paper, and what to change."""

    number = forms.CharField(
        label="Question",
        required=False,
        max_length=10,
        validators=[RegexValidator(QUESTION_NUMBER, "Enter a question's number, as printed.")],
        widget=forms.TextInput(attrs={"list": "question-numbers", "size": 6}),
    )
    body = comment_field("What should change in its answer", required=False)

    def __init__(self, *args, numbers: frozenset[str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.numbers = numbers  # the paper's question numbers, where the view knows them

    def clean_number(self) -> str:
        number = self.cleaned_data["number"]
        if number and self.numbers is not None and number not in self.numbers:
            raise forms.ValidationError(f"This response has no question {number}.")
        return number

    def clean(self) -> dict:
        data = super().clean()
        number, body = data.get("number"), data.get("body")
        if number and not body and "body" not in self.errors:
            self.add_error("body", f"Say what should change in the answer to question {number}.")
        if body and not number and "number" not in self.errors:
            self.add_error("number", "Enter the number of the question this comment is about.")
        return data


POINTED_ROWS = 5
PointedFormSet = forms.formset_factory(
    PointedCommentForm,
    extra=POINTED_ROWS,
    max_num=POINTED_ROWS * 4,
    validate_max=True,
    absolute_max=POINTED_ROWS * 4,  # rows past it are never built, let alone cleaned
)
POINTED_PREFIX = "pointed"
POINTED_PROBLEM = (
    "A comment pointed at an answer needs attention (below): nothing was returned yet."
)


def pointed_formset(data=None, numbers: frozenset[str] | None = None) -> forms.BaseFormSet:
    """The return form's rows; a post without them (an older page) points at nothing.
    With the paper's `numbers`, a row naming no question of it says so on that row."""
    if data is not None and f"{POINTED_PREFIX}-TOTAL_FORMS" not in data:
        data = None
    return PointedFormSet(data, prefix=POINTED_PREFIX, form_kwargs={"numbers": numbers})


def pointed(formset: forms.BaseFormSet) -> list[tuple[str, str]]:
    """(question number, words) of each filled row of a valid formset."""
    if not formset.is_bound:
        return []
    return [
        (row.cleaned_data["number"], row.cleaned_data["body"])
        for row in formset.forms
        if row.cleaned_data.get("number") and row.cleaned_data.get("body")
    ]
