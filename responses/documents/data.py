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
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from responses.models import Answer, Section
from responses.paper import Paper
from responses.text import markdown_to_html

CSV_COLUMNS = ["Number", "Section", "Question", "Answer", "Status"]
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_STATUS = dict(Answer.Status.choices)
_LINE_BREAK = "\x00"  # a hard line break; any other line break in the HTML is a space


@dataclass(frozen=True)
class Row:
    number: str
    section_path: list[str]
    question: str
    answer: str  # Markdown, as written
    answer_text: str  # the words as printed, paragraphs apart
    status: str


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
        )
        for answer in paper.answers
    ]


def response_csv(paper: Paper) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens it as UTF-8; the answer in Markdown,
    as written, so no word or link address is lost."""
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
                    row.answer,
                    row.status,
                )
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def response_json(paper: Paper) -> bytes:
    consultation, response = paper.consultation, paper.response
    data: dict[str, Any] = {
        "consultation": {
            "title": consultation.title,
            "issued_by": consultation.issued_by,
            "published_on": _day(consultation.published_on),
            "responses_due_by": _day(consultation.responses_due_by),
            "reference_url": consultation.reference_url,
        },
        "response": {
            "organisation": response.organisation_name,
            "title": response.title,
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
            }
            for row in rows(paper)
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def neutralised(cell: str) -> str:
    """A cell a spreadsheet will show, never run."""
    return f"'{cell}" if cell.startswith(_FORMULA_STARTS) else cell


def plain_text(markdown: str) -> str:
    """The words as printed: paragraphs and list items apart, a link's address after
    its text, no Markdown marks."""
    parser = _PlainText()
    parser.feed(str(markdown_to_html(markdown or "")))
    parser.close()
    return parser.text()


class _PlainText(HTMLParser):
    """The words as printed: paragraphs a blank line apart, list items one per line,
    numbered as printed and indented by level; a link's address after its words
    unless the words already are the address."""

    _BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, int | None]] = []  # (text, its list, if an item)
        self.list_count = 0
        self.current: list[str] = []
        self.links: list[tuple[str | None, int]] = []  # (href, where its words start)
        self.lists: list[list[int]] = []  # per open list: [next number] or [] if bulleted
        self.prefix = ""
        self.in_item = False

    def handle_starttag(self, tag: str, attrs) -> None:
        attributes = dict(attrs)
        if tag in ("ul", "ol"):
            self._flush()
            if not self.lists:
                self.list_count += 1
            start = attributes.get("start") or "1"
            self.lists.append([int(start) if start.isdigit() else 1] if tag == "ol" else [])
        elif tag == "li":
            self._flush()
            depth = max(len(self.lists) - 1, 0)
            numbering = self.lists[-1] if self.lists else []
            marker = f"{numbering[0]}. " if numbering else "- "
            if numbering:
                numbering[0] += 1
            self.prefix, self.in_item = "  " * depth + marker, True
        elif tag in self._BLOCKS:
            if "".join(self.current).strip():
                self._flush()
        elif tag == "a":
            self.links.append((attributes.get("href"), len("".join(self.current))))
        elif tag == "br":
            self.current.append(_LINE_BREAK)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol"):
            self._flush()
            if self.lists:
                self.lists.pop()
            self.prefix, self.in_item = "", False
        elif tag == "li":
            self._flush()
            self.prefix, self.in_item = "", False
        elif tag in self._BLOCKS:
            self._flush()
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            words = "".join(self.current)[start:]
            if href and href.lower().startswith(("http:", "https:", "mailto:")):
                address = href[len("mailto:") :] if href.lower().startswith("mailto:") else href
                if _bare(address) not in _bare(words):
                    self.current.append(f" ({address})")

    def handle_data(self, data: str) -> None:
        self.current.append(data)

    def _flush(self) -> None:
        lines = "".join(self.current).split(_LINE_BREAK)
        text = "\n".join(" ".join(line.split()) for line in lines).strip()
        if text:
            self.blocks.append((self.prefix + text, self.list_count if self.in_item else None))
            self.prefix = " " * len(self.prefix) if self.in_item else ""
        self.current = []

    def text(self) -> str:
        self._flush()
        out, previous = "", None
        for text, in_list in self.blocks:
            if out:
                out += "\n" if in_list is not None and in_list == previous else "\n\n"
            out += text
            previous = in_list
        return out


def _bare(address: str) -> str:
    """An address as a reader compares it: no scheme, no www., no closing slash."""
    bare = re.sub(r"^(https?://)?(www\.)?", "", address.strip().lower())
    return bare.removesuffix("/")


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
