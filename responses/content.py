"""Everything a Cabinet paper prints, loaded once and written down canonically.

The canonical form is what a digest is taken of: the PDF cache keys on it, and a
sign-off records it, so that later anyone can prove the printed paper is the one
that was signed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from responses import appendix
from responses.models import Answer, CabinetReport, ReportSection, Response, Section

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
class PaperContent:
    response: Response
    report: CabinetReport | None
    report_sections: list[ReportSection]
    sections: list[Section]
    answers: list[Answer]


def load(response: Response) -> PaperContent:
    """The response's consultation, Appendix 1 and report, in a fixed number of queries."""
    sections, answers = appendix.load(response)
    report = response.cabinet_report
    report_sections = list(report.sections.order_by("position", "pk")) if report else []
    return PaperContent(response, report, report_sections, sections, answers)


def canonical(content: PaperContent) -> dict[str, Any]:
    """The signed content: answers, report sections and metadata, in a stable shape."""
    response, report = content.response, content.report
    consultation = response.consultation
    return {
        "consultation": {
            "title": consultation.title,
            "issued_by": consultation.issued_by,
            "responses_due_by": consultation.responses_due_by.isoformat(),
            "executive_summary": consultation.executive_summary,
        },
        "response": {"organisation": response.organisation_name, "title": response.title},
        "sections": [
            {"id": s.pk, "parent": s.parent_id, "title": s.title, "position": s.position}
            for s in content.sections
        ],
        "answers": [
            {
                "number": a.question.number,
                "question": a.question.text,
                "section": a.question.section_id,
                "position": a.question.position,
                "answer": a.text,
            }
            for a in content.answers
        ],
        "report": (
            {name: _plain(getattr(report, name)) for name in REPORT_FIELDS} if report else None
        ),
        "report_sections": [
            {"heading": s.heading, "body": s.body} for s in content.report_sections
        ],
    }


def digest(data: Any) -> str:
    """SHA-256 of a JSON value written canonically (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value
