"""The answers as data: CSV for a spreadsheet, JSON for the receiving department's tools.

Both are made from one Appendix-only `Paper`, in printed order. A spreadsheet runs a
cell that starts like a formula (`=`, `+`, `-`, `@`, a tab or a carriage return), so
every such cell is written with a leading apostrophe, which Excel and LibreOffice show
as text; the JSON keeps every value as written.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from dataclasses import dataclass
from typing import Any

from responses.models import Answer, Section
from responses.paper import Paper
from responses.text import parse, reading

CSV_COLUMNS = [
    "Number",
    "Section",
    "Question",
    "Answer",
    "Answer (Markdown)",
    "Status",
    "Council's position",
]
# 2: the CSV's Answer is the words as printed, its Markdown in a column of its own.
# 3: each question carries the council's position (null where none is set).
SCHEMA_VERSION = 3
_FORMULA_STARTS = ("=", "+", "-", "@", "|", "\t", "\r")
# Characters a reader does not see, which a spreadsheet may skip before a formula.
# What a reader does not see before a cell's first mark, and a spreadsheet may skip:
# format characters (byte-order, zero-width, direction marks), spaces of every width,
# and line and paragraph separators.
_UNSEEN = {"Cf", "Zs", "Zl", "Zp"}
_STATUS = dict(Answer.Status.choices)
_POSITION = dict(Answer.Position.choices)


@dataclass(frozen=True)
class Row:
    number: str
    section_path: list[str]
    question: str
    answer: str  # Markdown, as written
    answer_text: str  # the words as printed, paragraphs apart
    status: str
    position: str  # as the editor names it ("Partly agrees"), "" where none is set


def rows(paper: Paper) -> list[Row]:
    """Every question with its answer, in printed order."""
    paths = _section_paths(paper.sections)
    return [
        Row(
            number=answer.question.number,
            section_path=paths.get(answer.question.section_id, []),
            question=answer.question.text,
            answer=answer.text,
            answer_text=plain_text(answer.text),
            status=_STATUS.get(answer.status, answer.status),
            position=_POSITION.get(answer.position, answer.position),
        )
        for answer in paper.answers
    ]


def response_csv(paper: Paper) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens it as UTF-8. The answer as a person
    reads it (the words as printed: list markers, link addresses, notes as [1] at the
    end), and beside it the Markdown as written, so nothing is lost."""
    out = io.StringIO()
    # Every cell quoted: a spreadsheet whose separator is ";" must not split a cell
    # into a new one that starts like a formula.
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(CSV_COLUMNS)
    for row in rows(paper):
        writer.writerow(
            [
                neutralised(cell)
                for cell in (
                    row.number,
                    " › ".join(row.section_path),
                    row.question,
                    row.answer_text,
                    row.answer,
                    row.status,
                    row.position,
                )
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def response_json(paper: Paper) -> bytes:
    consultation, response = paper.consultation, paper.response
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "consultation": {
            "title": consultation.title,
            "issued_by": consultation.issued_by,
            "published_on": _day(consultation.published_on),
            "responses_due_by": _day(consultation.responses_due_by),
            "reference_url": consultation.reference_url,
        },
        "response": {
            "organisation": response.organisation_name,
            "title": response.current_title,
            "status": response.get_status_display(),
        },
        "questions": [
            {
                "number": row.number,
                "section_path": row.section_path,
                "question": row.question,
                "answer_markdown": row.answer,
                "answer_text": row.answer_text,
                "status": row.status,
                "position": row.position or None,
            }
            for row in rows(paper)
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def neutralised(cell: str) -> str:
    """A cell a spreadsheet will show, never run: one that starts like a formula, also
    after invisible characters or in a full-width form ("＝"), gets a leading quote."""
    first = next((c for c in cell if unicodedata.category(c) not in _UNSEEN), "")
    head = unicodedata.normalize("NFKC", first)
    return f"'{cell}" if head.startswith(_FORMULA_STARTS) else cell


def plain_text(markdown: str) -> str:
    """The words as printed: paragraphs and list items apart, a link's address after
    its text, no Markdown marks (read off the text's one parse)."""
    return reading.plain_text(parse(markdown)) if markdown else ""


def _section_paths(sections: list[Section]) -> dict[int, list[str]]:
    by_id = {section.pk: section for section in sections}

    def path(section: Section) -> list[str]:
        chain, seen = [], set()
        while section is not None and section.pk not in seen:
            seen.add(section.pk)
            chain.insert(0, section.title)
            section = by_id.get(section.parent_id)
        return chain

    return {section.pk: path(section) for section in sections}


def _day(value) -> str | None:
    return value.isoformat() if value else None
