"""The Paper: everything a response's paper shows, read once and passed on.

The response page, the sign-off page, an approval, the PDF and its cache key all
take one `Paper`, so they can never disagree about what the paper says. It is read
in a fixed number of queries, whatever the number of questions; what is derived
from it (each answer's HTML, the canonical content and its digest, the signatures)
is worked out on first use and kept for the rest of the request.

The canonical content is what a digest is taken of: a sign-off records it, and the
PDF cache keys on it, so anyone can later prove the printed paper is the one signed.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.utils.safestring import SafeString

from responses import appendix, positions
from responses.models import (
    Answer,
    CabinetReport,
    Comment,
    ReportSection,
    Response,
    Section,
    SignOff,
    Suggestion,
)
from responses.text import Parsed, markdown_to_html, parse
from responses.text.crossrefs import QuestionNumbers, anchor

# Every detail of the report that the paper prints, in the order the form shows them.
REPORT_FIELDS = [
    "meeting_body",
    "meeting_date",
    "agenda_item",
    "title",
    "portfolio",
    "portfolio_holder_name",
    "service_area",
    "wards",
    "forward_plan",
    "contact_name",
    "contact_job_title",
    "contact_phone",
    "contact_email",
    "director_name",
]


@dataclass(frozen=True)
class Gaps:
    """What is not finished: submitting with gaps needs a deliberate confirmation."""

    unanswered: list[str]
    not_agreed: list[str]
    empty_sections: list[ReportSection] = field(default_factory=list)
    # Review still open: never printed, but a paper submitted with them was not reviewed.
    open_comments: list[str] = field(default_factory=list)  # what each thread is about
    open_suggestions: list[str] = field(default_factory=list)  # question numbers
    # Where the report prints the summary of positions, the questions with none.
    no_position: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any(
            (
                self.unanswered,
                self.not_agreed,
                self.empty_sections,
                self.open_comments,
                self.open_suggestions,
                self.no_position,
            )
        )

    @property
    def open_comment_places(self) -> list[tuple[str, int]]:
        return _places(self.open_comments)

    @property
    def open_suggestion_places(self) -> list[tuple[str, int]]:
        return _places(self.open_suggestions)

    @property
    def summary(self) -> str:
        """One line for the audit and for messages: "5 questions unanswered; …"."""
        parts = []
        if self.unanswered:
            parts.append(_count(len(self.unanswered), "question", "unanswered"))
        if self.not_agreed:
            parts.append(_count(len(self.not_agreed), "answer", "not agreed"))
        if self.empty_sections:
            parts.append(_count(len(self.empty_sections), "report section", "with no text"))
        if self.open_comments:
            parts.append(_count(len(self.open_comments), "comment thread", "open"))
        if self.open_suggestions:
            parts.append(_count(len(self.open_suggestions), "suggestion", "not decided"))
        if self.no_position:
            parts.append(_count(len(self.no_position), "question", "with no position"))
        return "; ".join(parts)


def _places(items: list[str]) -> list[tuple[str, int]]:
    """Each place once, in order, with how many items are there: a list naming
    "Question 2, Question 2" reads as a mistake."""
    return list(Counter(items).items())


def _count(number: int, noun: str, state: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''} {state}"


@dataclass(frozen=True)
class Signatures:
    """This round's approvals, and whether they prove the content as it is now."""

    approvals: dict[str, SignOff]
    complete: bool  # signed off, by both signatories
    matching: bool  # every approval's digest is the current content's

    @property
    def valid(self) -> bool:
        return self.complete and self.matching

    @property
    def content_changed(self) -> bool:
        return bool(self.approvals) and not self.matching


class Paper:
    """One response's paper: its report, Appendix 1 and Appendix 2, and its sign-offs."""

    def __init__(
        self,
        response: Response,
        *,
        sections: list[Section],
        answers: list[Answer],
        report_sections: list[ReportSection],
        decisions: list[SignOff],
        whole: bool = True,
    ) -> None:
        self.response = response
        self.consultation = response.consultation
        self.report: CabinetReport | None = response.cabinet_report
        self.sections = sections
        self.answers = answers
        self.report_sections = report_sections
        self.decisions = decisions  # every sign-off decision on the report, oldest first
        self.whole = whole

    @classmethod
    def load(cls, response: Response, *, appendix_only: bool = False) -> Paper:
        """Read the paper of a response loaded with `Response.objects.for_rules()`, all at
        once (four queries), so that what it shows is one moment's content.

        `appendix_only` reads Appendix 1 alone (two queries), for a page that shows only
        that; such a paper has no digest or signatures, and refuses to give them."""
        report = None if appendix_only else response.cabinet_report
        return cls(
            response,
            sections=list(
                Section.objects.filter(consultation_id=response.consultation_id).in_order()
            ),
            # Not response.answers, which sets .response on every answer (1.5 ms of the
            # response page at 350 questions): nothing here reads it.
            answers=list(Answer.objects.filter(response=response).for_appendix()),
            report_sections=list(report.sections.order_by("position", "pk")) if report else [],
            decisions=(
                list(report.sign_offs.select_related("user").order_by("round", "signed_at", "pk"))
                if report
                else []
            ),
            whole=not appendix_only,
        )

    # Appendix 1

    @cached_property
    def numbers(self) -> QuestionNumbers:
        return QuestionNumbers([answer.question.number for answer in self.answers])

    def entries(self, keep=None) -> list[appendix.Entry]:
        """Appendix 1's headings and questions in order; with `keep`, only kept answers."""
        return appendix.entries(self.sections, self.answers, keep)

    def answer_html(self, item: appendix.Item, *, for_print: bool = False) -> SafeString:
        """An answer as HTML, its references to other answers made into links."""
        return markdown_to_html(item.answer.text, for_print=for_print, **self._in_place(item))

    def answer_parse(self, item: appendix.Item) -> Parsed:
        """An answer's print parse: the tokens its printed HTML is rendered from, which
        the Word document reads."""
        return parse(item.answer.text, for_print=True, **self._in_place(item))

    def _in_place(self, item: appendix.Item) -> dict[str, Any]:
        """What an answer's parse takes from its place in the paper: the answers its
        references may link to, the one "answer above" means, its notes' ids."""
        return {
            "numbers": self.numbers,
            "previous": item.previous_number,
            "note_prefix": anchor(item.question.number),
        }

    @cached_property
    def positions_summary(self) -> str:
        """The summary of the council's positions, as a section carrying it prints it."""
        carrier = next((s for s in self.report_sections if s.summarises_positions), None)
        counts = positions.count(a.position for a in self.answers)
        if carrier is None:
            return positions.sentence(counts)
        return positions.summary_for(carrier, self.response, counts)

    def printed_body(self, section: ReportSection) -> str:
        """A report section's text as the paper prints it (with the summary of positions,
        where the lead officer inserted it)."""
        if not section.summarises_positions:
            return section.body
        return positions.printed_body(section, self.positions_summary)

    @cached_property
    def report_sections_html(self) -> list[tuple[ReportSection, SafeString]]:
        return [
            (section, markdown_to_html(self.printed_body(section), for_print=True))
            for section in self.report_sections
        ]

    @cached_property
    def executive_summary_html(self) -> SafeString:
        return markdown_to_html(self.consultation.executive_summary, for_print=True)

    @cached_property
    def gaps(self) -> Gaps:
        return Gaps(
            unanswered=[a.question.number for a in self.answers if not a.text.strip()],
            not_agreed=[
                a.question.number
                for a in self.answers
                if a.text.strip() and a.status != Answer.Status.AGREED
            ],
            empty_sections=[s for s in self.report_sections if not self.printed_body(s).strip()]
            if self.whole
            else [],
            open_comments=list(
                Comment.objects.open()
                .filter(response=self.response)
                .order_by("created_at", "pk")
                .values_list("about", flat=True)
            ),
            open_suggestions=list(
                Suggestion.objects.open()
                .filter(response=self.response)
                .order_by("answer__question__position", "pk")
                .values_list("answer__question__number", flat=True)
            ),
            no_position=[a.question.number for a in self.answers if not a.position]
            if self.whole and any(s.summarises_positions for s in self.report_sections)
            else [],
        )

    # What is signed

    @cached_property
    def canonical(self) -> dict[str, Any]:
        """Everything the paper prints, in a stable shape: answers, report and headings."""
        if not self.whole:
            raise ValueError("An Appendix-only paper has no digest: load the whole paper.")
        consultation, response, report = self.consultation, self.response, self.report
        canonical = {
            "consultation": {
                "title": consultation.title,
                "issued_by": consultation.issued_by,
                "responses_due_by": consultation.responses_due_by.isoformat(),
                "executive_summary": consultation.executive_summary,
            },
            "response": {"organisation": response.organisation_name, "title": response.title},
            "sections": [
                {"id": s.pk, "parent": s.parent_id, "title": s.title, "position": s.position}
                for s in self.sections
            ],
            "answers": [
                {
                    "number": a.question.number,
                    "question": a.question.text,
                    "section": a.question.section_id,
                    "position": a.question.position,
                    "answer": a.text,
                }
                for a in self.answers
            ],
            "report": (
                {name: _plain(getattr(report, name)) for name in REPORT_FIELDS} if report else None
            ),
            "report_sections": [
                # As printed: a summary of positions is signed as part of its section.
                {"heading": s.heading, "body": self.printed_body(s)}
                for s in self.report_sections
            ],
        }
        # Marked exempt or confidential, it prints on every page and is signed with the
        # rest. Only then: a paper for publication keeps the digest it always had.
        if report and report.not_for_publication:
            canonical["not_for_publication"] = report.not_for_publication
        if report and report.number_paragraphs:  # the paragraph numbers a minute cites
            canonical["number_paragraphs"] = True
        return canonical

    @cached_property
    def digest(self) -> str:
        return digest(self.canonical)

    @cached_property
    def signatures(self) -> Signatures:
        if not self.whole:
            raise ValueError("An Appendix-only paper has no signatures: load the whole paper.")
        round_ = self.response.submission_round
        approvals = {
            d.role: d
            for d in self.decisions
            if round_ and d.round == round_ and d.decision == SignOff.Decision.APPROVED
        }
        return Signatures(
            approvals,
            complete=self.response.status == Response.Status.SIGNED_OFF
            and len(approvals) == len(SignOff.Role),
            matching=all(a.content_digest == self.digest for a in approvals.values()),
        )


def digest(data: Any) -> str:
    """SHA-256 of a JSON value written canonically (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value
