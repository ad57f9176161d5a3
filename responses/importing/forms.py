"""The New consultation page's forms: what the consultation is, who works on it, and
its questions (pasted, uploaded, or the previewed outline as corrected)."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone
from django.utils.html import format_html

from responses import roles, rules
from responses.forms import MARKDOWN_VALIDATORS, MAX_ID, AssigneeField, InPageForm, MarkdownField
from responses.importing import readers, setup
from responses.importing.bounded import read_within_limits
from responses.importing.details import FoundDetails, find_details
from responses.importing.facts import Facts
from responses.importing.parser import Outline, parse
from responses.importing.sniffing import basename
from responses.models import CabinetReport, Consultation, CouncilSettings
from responses.models.consultation import PLAUSIBLE_DATE

MAX_PASTE = 400_000
MAX_SUMMARY = 100_000
MAX_SUGGESTED = 2000
LEFT_OUT_SHOWN = 500  # pieces of text listed as left out, and carried to the next check
_MAX_CARRIED = 2 * LEFT_OUT_SHOWN * 300 * 2  # their JSON, each character escaped at worst
_READ_NOTE = re.compile(r"Read [\d,]+ (?:page|paragraph)s? of “[^\n]{1,300}”\.")
SUGGESTIBLE = ("title", "issued_by", "published_on", "responses_due_by", "reference_url")
SUGGESTION_NOTE = "Read from the document: check it."


def _people(group: str):
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=group)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class PersonField(AssigneeField):
    """Shows people by name, as the paper prints them."""


class TeamField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.get_username()

    def _check_values(self, value):
        # An id no database holds is no one: refused here, before the query overflows.
        for pk in value:
            if not str(pk).isdigit() or int(pk) > MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


_REQUIRED = {
    "title": "Enter the consultation's title.",
    "issued_by": "Enter who issued the consultation.",
    "responses_due_by": "Enter the date responses are due by.",
    "organisation_name": "Enter the council's name.",
    "meeting_body": "Enter the meeting, for example Cabinet.",
    "meeting_date": "Enter the meeting's date.",
    "lead_officer": "Choose the lead officer.",
    "contact_job_title": "Enter the lead officer's job title.",
    "director_user": "Choose the Executive Director.",
    "portfolio_holder_user": "Choose the Portfolio Holder.",
    "portfolio": "Enter the portfolio, for example Leader.",
    "service_area": "Enter the service area, or All.",
    "wards": "Enter the wards, or All.",
}


class ConsultationForm(InPageForm, forms.Form):
    # The Cabinet report's title wraps it: "Consultation response “…”".
    title = forms.CharField(
        max_length=CabinetReport._meta.get_field("title").max_length
        - len(setup.REPORT_TITLE.format("")),
        help_text="As the government printed it.",
    )
    issued_by = forms.CharField(
        max_length=200, help_text="For example: Office of the Deputy Prime Minister."
    )
    published_on = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Published on"
    )
    responses_due_by = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), label="Responses due by"
    )
    reference_url = forms.URLField(
        required=False,
        max_length=Consultation._meta.get_field("reference_url").max_length,
        label="Reference URL",
        assume_scheme="https",
        help_text="The consultation's web page, for the record. Optional.",
    )
    executive_summary = MarkdownField(
        required=False,
        max_length=MAX_SUMMARY,
        error_messages={
            "max_length": f"The executive summary must be {MAX_SUMMARY:,} characters or fewer; "
            "it has %(show_value)s."
        },
        validators=MARKDOWN_VALIDATORS,
        label="Executive summary",
        help_text="Optional: the government's own summary of the consultation, printed as "
        "Appendix 2 of the Cabinet paper. Start each paragraph on a new line; write a "
        "footnote as [^1].",
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "true"}),
    )
    organisation_name = forms.CharField(
        max_length=200,
        label="Council",
        help_text="Printed on the response. It starts as the name an administrator set in "
        "the council's settings.",
    )
    meeting_body = forms.CharField(
        max_length=100, initial="Cabinet", label="Meeting", help_text="For example: Cabinet."
    )
    meeting_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    lead_officer = PersonField(
        queryset=None,
        empty_label=None,
        help_text="Assigns questions, agrees answers and submits for sign-off.",
    )
    contact_job_title = forms.CharField(
        max_length=200, label="Lead officer's job title", help_text="Printed as the contact."
    )
    contact_phone = forms.CharField(max_length=50, required=False, label="Contact phone")
    director_user = PersonField(queryset=None, label="Executive Director")
    portfolio_holder_user = PersonField(queryset=None, label="Portfolio Holder")
    portfolio = forms.CharField(max_length=200, help_text="For example: Leader.")
    service_area = forms.CharField(max_length=200, initial="All")
    wards = forms.CharField(max_length=200, initial="All")
    team = TeamField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The officers who will draft answers. You can change this later on the "
        "response's Team page (the Team tab beside Answers and Audit).",
    )
    # What the document suggested, so a suggestion keeps its note until it is changed.
    suggested = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        leads = _people(roles.LEAD_OFFICER)
        if not rules.is_administrator(user):
            leads = leads.filter(pk=user.pk)  # a lead officer sets up what they will lead
        self.fields["lead_officer"].queryset = leads
        self.fields["director_user"].queryset = _people(roles.EXECUTIVE_DIRECTOR)
        self.fields["portfolio_holder_user"].queryset = _people(roles.PORTFOLIO_HOLDER)
        self.fields["team"].queryset = _people(roles.OFFICER)
        if not self.is_bound:
            self.initial = {**_carried_over(user), **self.initial}
            for name in ("lead_officer", "director_user", "portfolio_holder_user"):
                choices = list(self.fields[name].queryset[:2])
                if len(choices) == 1 and not self.initial.get(name):
                    self.initial[name] = choices[0].pk
        for name, message in _REQUIRED.items():
            self.fields[name].error_messages["required"] = message
        for name in ("published_on", "responses_due_by", "meeting_date"):
            self.fields[name].error_messages["invalid"] = "Enter a real date, like 3 March 2027."
            self.fields[name].validators = [*self.fields[name].validators, *PLAUSIBLE_DATE]
        self._note_suggestions()
        self._note_a_closing_date_past()

    def _note_suggestions(self) -> None:
        """A field still holding what the document suggested says so beside it."""
        values = self.data if self.is_bound else self.initial
        for name, value in self.suggestions.items():
            key = self.add_prefix(name) if self.is_bound else name
            if str(values.get(key) or "").strip() == value:
                field = self.fields[name]
                field.help_text = format_html(
                    '<span class="suggestion">{}</span> {}', SUGGESTION_NOTE, field.help_text
                )

    def _note_a_closing_date_past(self) -> None:
        """An old document, or a date misread: said beside the date, not refused, since a
        council may record a response it sent late."""
        key = self.add_prefix("responses_due_by") if self.is_bound else "responses_due_by"
        value = (self.data if self.is_bound else self.initial).get(key)
        field = self.fields["responses_due_by"]
        try:
            due = field.to_python(value)
        except forms.ValidationError:
            return
        if due is not None and due < timezone.localdate():
            field.help_text = format_html(
                '<span class="date-passed">This date has passed: check it.</span> {}',
                field.help_text,
            )

    @property
    def suggestions(self) -> dict[str, str]:
        """The document's suggestions this form carries; anything else is ignored."""
        if self.is_bound:
            return _suggestions(self.data.get(self.add_prefix("suggested")))
        return _suggestions(self.initial.get("suggested"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        published, due, meeting = (
            data.get("published_on"),
            data.get("responses_due_by"),
            data.get("meeting_date"),
        )
        if published and due and published > due:
            self.add_error(
                "published_on", "It was published after responses were due: check both dates."
            )
        if meeting and due and meeting > due:
            self.add_error(
                "meeting_date",
                f"The meeting is after responses are due ({due:%-d %B %Y}): the response could "
                "not be agreed in time. Choose an earlier meeting, or check the closing date.",
            )
        return data

    def clean_title(self) -> str:
        title = setup.tidy_title(self.cleaned_data["title"])
        if setup.title_taken(title):
            raise forms.ValidationError(
                "A consultation with this title already exists: give this one another title."
            )
        return title

    def unchecked(self, found: FoundDetails | None = None) -> ConsultationForm:
        """The same values, not yet checked: a preview shows them without errors.

        With details `found` in a document just read, each fills its field where the
        person has typed nothing (or the field holds the last document's suggestion,
        unchanged): what a person typed is never replaced.
        """
        values = {
            name: field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            for name, field in self.fields.items()
        }
        suggested = self.suggestions
        if found is not None:
            new = found.as_initial()
            for name in SUGGESTIBLE:
                typed = str(values.get(name) or "").strip()
                if typed and typed != suggested.get(name):
                    suggested.pop(name, None)
                    continue
                values[name] = new.get(name, "")
                if name in new:
                    suggested[name] = new[name]
                else:
                    suggested.pop(name, None)
        values["suggested"] = json.dumps(suggested, ensure_ascii=False) if suggested else ""
        return ConsultationForm(initial=values, user=self.user)

    def details(self) -> setup.ConsultationDetails:
        data = self.cleaned_data
        return setup.ConsultationDetails(
            title=data["title"],
            issued_by=data["issued_by"],
            published_on=data["published_on"],
            responses_due_by=data["responses_due_by"],
            reference_url=data["reference_url"],
            executive_summary=data["executive_summary"],
        )

    def report(self) -> dict[str, Any]:
        data = self.cleaned_data
        return setup.report_details(
            consultation_title=data["title"],
            meeting_body=data["meeting_body"],
            meeting_date=data["meeting_date"],
            lead=data["lead_officer"],
            director=data["director_user"],
            portfolio_holder=data["portfolio_holder_user"],
            portfolio=data["portfolio"],
            job_title=data["contact_job_title"],
            phone=data["contact_phone"],
            service_area=data["service_area"],
            wards=data["wards"],
        )


def _suggestions(carried: object) -> dict[str, str]:
    if not isinstance(carried, str) or not carried or len(carried) > MAX_SUGGESTED:
        return {}
    try:
        suggestions = json.loads(carried)
    except (ValueError, RecursionError):  # not ours: a crafted or damaged form
        return {}
    if not isinstance(suggestions, dict):
        return {}
    return {
        name: value
        for name, value in suggestions.items()
        if name in SUGGESTIBLE and isinstance(value, str) and value
    }


def _carried_over(user: AbstractBaseUser) -> dict[str, Any]:
    """What stays the same from one consultation to the next: the council's name, from
    its settings (never from a response, which may be another team's), and, from this
    lead's own last report, the people and the portfolio."""
    initial: dict[str, Any] = {"lead_officer": user.pk}
    if name := CouncilSettings.current().name:
        initial["organisation_name"] = name
    last_report = (
        CabinetReport.objects.filter(lead_officer=user).order_by("-meeting_date", "-pk").first()
    )
    if last_report is not None:
        initial.update(
            contact_job_title=last_report.contact_job_title,
            contact_phone=last_report.contact_phone,
            director_user=last_report.director_user_id,
            portfolio_holder_user=last_report.portfolio_holder_user_id,
            portfolio=last_report.portfolio,
            service_area=last_report.service_area,
            wards=last_report.wards,
            meeting_body=last_report.meeting_body,
        )
    return initial


class QuestionsForm(forms.Form):
    """The questions: first as pasted or uploaded, then as the previewed outline."""

    pasted = forms.CharField(
        required=False,
        max_length=MAX_PASTE,
        label="Paste the consultation",
        help_text="Copy the government's consultation from its web page, PDF or Word "
        "document and paste it here: the whole of it, or just its questions with their "
        "headings.",
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
    )
    document = forms.FileField(
        required=False,
        label="Or upload the document",
        help_text="A .docx, .pdf, .md or .txt file, up to 10 MB.",
        allow_empty_file=True,  # refused by the reader, in words that name the file
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(readers.READABLE)}),
    )
    checked = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)
    # What the first reading left out, carried as JSON; never an error, since no one
    # sees it to correct it: anything not as the page wrote it is dropped.
    left_out = forms.CharField(required=False, widget=forms.HiddenInput, strip=False)
    # "Read 47 pages of “x.pdf”.", kept while the outline is corrected; only ever our words.
    read_from = forms.CharField(required=False, widget=forms.HiddenInput)
    outline = forms.CharField(
        required=False,
        max_length=2 * MAX_PASTE,  # written out, a pasted list may grow a little
        label="The questions as understood",
        widget=forms.Textarea(
            attrs={"rows": 18, "spellcheck": "true", "aria-describedby": "outline-help"}
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        outline, pasted, document = data.get("outline"), data.get("pasted"), data.get("document")
        data["found"], data["read"] = None, ""
        if outline and outline.strip():
            data["text"] = outline
        elif document:
            if document.size > readers.MAX_UPLOAD_BYTES:
                raise forms.ValidationError({"document": _too_big(document.size)})
            try:
                reading = read_within_limits(document.name, document.read())
            except readers.UnreadableDocument as unreadable:
                raise forms.ValidationError({"document": str(unreadable)}) from unreadable
            data["text"] = reading.text
            data["found"] = find_details(reading.text, reading.facts)
            if reading.facts.extent:
                data["read"] = read_note(reading.facts.extent, basename(document.name))
        elif pasted and pasted.strip():
            data["text"] = pasted
            data["found"] = find_details(pasted, Facts())
        else:
            field = "outline" if "outline" in self.data else "pasted"
            raise forms.ValidationError({field: "Paste the consultation, or upload its document."})
        data["parsed"] = parse(data["text"], corrected=bool(outline and outline.strip()))
        return data

    def clean_read_from(self) -> str:
        """Only a note as the page writes it: anything else was not ours, and is dropped."""
        carried = self.cleaned_data["read_from"]
        return carried if len(carried) <= 400 and _READ_NOTE.fullmatch(carried) else ""

    @classmethod
    def shown(cls, text: str, left_out: list[str], read: str = "") -> QuestionsForm:
        """The preview's text box holding `text`, marked as checked as it stands, and
        carrying what the first reading left out, and read, so they stay said."""
        form = cls(
            {
                "outline": text,
                "checked": fingerprint(text),
                "left_out": json.dumps(
                    [piece[:300] for piece in left_out[:LEFT_OUT_SHOWN]], ensure_ascii=False
                ),
                "read_from": read,
            }
        )
        form.is_valid()
        return form

    @property
    def previewed(self) -> bool:
        return bool(str(self.data.get("outline", "")).strip())

    @property
    def checked_as_it_stands(self) -> bool:
        """Whether the text box holds exactly what was last checked and shown."""
        return self.data.get("checked", "") == fingerprint(str(self.data.get("outline", "")))

    @property
    def carried_left_out(self) -> list[str]:
        carried = self.data.get("left_out") or "[]"
        if len(carried) > _MAX_CARRIED:
            return []  # not ours: the page writes at most 500 pieces of 300 characters
        try:
            pieces = json.loads(carried)
        except (ValueError, RecursionError):  # not ours: a crafted or damaged form
            return []
        if not isinstance(pieces, list):
            return []
        return [p[:300] for p in pieces[:LEFT_OUT_SHOWN] if isinstance(p, str)]

    @property
    def parsed(self) -> Outline | None:
        return self.cleaned_data.get("parsed") if self.is_valid() else None

    @property
    def found(self) -> FoundDetails | None:
        """The consultation's details, in a document or paste just read (not an outline)."""
        return self.cleaned_data.get("found") if self.is_valid() else None

    @property
    def read(self) -> str:
        """“Read 47 pages of “consultation.pdf”.”, for a document just read or carried
        from its first preview."""
        if not self.is_valid():
            return ""
        return self.cleaned_data.get("read") or self.cleaned_data.get("read_from", "")


def read_note(extent: str, name: str) -> str:
    return f"Read {extent} of “{name}”."


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.replace("\r\n", "\n").encode("utf-8", "replace")).hexdigest()


def _too_big(size: int) -> str:
    return (
        f"The file is {size / 1024 / 1024:.1f} MB; the largest that can be read is "
        f"{readers.MAX_UPLOAD_BYTES // 1024 // 1024} MB. Save the questions alone as a "
        "smaller document, or paste them."
    )
