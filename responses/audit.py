"""The audit timeline: every edit (from history) and every workflow step (from audit events)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from responses.models import Answer, CabinetReport, Question, ReportSection, Response

CHANGE = {"+": "created", "~": "changed", "-": "removed"}


@dataclass(frozen=True)
class Event:
    at: datetime.datetime
    actor: object  # a user, or None for the seed and the system
    kind: str
    summary: str
    comment: str = ""


def timeline(response: Response) -> list[Event]:
    """Newest first; a fixed number of queries however long the history."""
    numbers = dict(
        Question.objects.filter(consultation_id=response.consultation_id).values_list(
            "pk", "number"
        )
    )
    events = [
        Event(
            h.history_date,
            h.history_user,
            "Edit",
            f"Answer to question {numbers.get(h.question_id, '?')} {CHANGE[h.history_type]} "
            f"(version {h.version}, {h.get_status_display().lower()})",
        )
        for h in Answer.history.filter(response_id=response.pk).select_related("history_user")
    ]
    report = response.cabinet_report
    if report is not None:
        events += [
            Event(
                h.history_date,
                h.history_user,
                "Edit",
                f"Report section “{h.heading}” {CHANGE[h.history_type]} (version {h.version})",
            )
            for h in ReportSection.history.filter(report_id=report.pk).select_related(
                "history_user"
            )
        ]
        events += [
            Event(
                h.history_date,
                h.history_user,
                "Edit",
                f"Report details {CHANGE[h.history_type]} (version {h.version})",
            )
            for h in CabinetReport.history.filter(response_id=response.pk).select_related(
                "history_user"
            )
        ]
    events += [
        Event(e.at, e.actor, e.get_kind_display(), e.summary, e.comment)
        for e in response.audit_events.select_related("actor")
    ]
    return sorted(events, key=lambda event: event.at, reverse=True)
