"""The audit timeline: every edit (from history) and every workflow step (from audit events).

History records say what a row looked like after each save, not what happened, so
each record is read against the one before it for the same answer or section: the
words changed ("Answer to question 12 edited"), the status, the assignee ("Question 12
assigned to Olivia Officer"), the heading, the place ("moved up"). A record that
changed none of these (a save of the same words, the seed's own first record) says
nothing. Each entry links to where the change can be seen.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from responses.forms import ReportDetailsForm
from responses.models import Answer, AuditEvent, CabinetReport, Question, ReportSection, Response
from responses.paper import REPORT_FIELDS

# The kinds of entry a reader can filter by, in the order the filter lists them.
KINDS: dict[str, str] = {
    "answer": "Answers edited",
    "status": "Answer status changed",
    "assignment": "Questions assigned",
    "report": "Report sections and details",
    "sign_off": "Sign-off",
    "people": "Set-up, team, lead officer and signatories",
    "comment": "Comments",
    "suggestion": "Suggestions",
}
SYSTEM = "System (seed data)"
_PEOPLE_KINDS = {
    AuditEvent.Kind.SET_UP,
    AuditEvent.Kind.ROLE_CHANGED,
    AuditEvent.Kind.TEAM_CHANGED,
}
_COMMENT_KINDS = {
    AuditEvent.Kind.COMMENTED,
    AuditEvent.Kind.COMMENT_REPLIED,
    AuditEvent.Kind.COMMENT_RESOLVED,
    AuditEvent.Kind.COMMENT_REOPENED,
}
_SUGGESTION_KINDS = {
    AuditEvent.Kind.SUGGESTED,
    AuditEvent.Kind.SUGGESTION_ACCEPTED,
    AuditEvent.Kind.SUGGESTION_REJECTED,
    AuditEvent.Kind.SUGGESTION_WITHDRAWN,
}
_ROLE_FIELDS = ("lead_officer_id", "director_user_id", "portfolio_holder_user_id")
# Saves of one reordering are one transaction: within this, they are one move.
_SAME_MOVE = datetime.timedelta(seconds=2)


@dataclass(frozen=True)
class Event:
    at: datetime.datetime
    actor: Any  # a user, or None for the seed and the system
    kind: str  # a key of KINDS
    summary: str
    url: str = ""
    comment: str = ""

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


def name_of(user: Any) -> str:
    """A person as pages name them: full name, else username."""
    return user.get_full_name() or user.get_username()


def timeline(response: Response) -> list[Event]:
    """Newest first; a fixed number of queries however long the history."""
    numbers = dict(
        Question.objects.filter(consultation_id=response.consultation_id).values_list(
            "pk", "number"
        )
    )
    answers = Answer.history.filter(response_id=response.pk).select_related(
        "history_user", "assignee"
    )
    events = list(_answer_events(response, numbers, answers.order_by("history_id")))
    report = response.cabinet_report
    if report is not None:
        sections = ReportSection.history.filter(report_id=report.pk).select_related("history_user")
        events += _section_events(response, list(sections.order_by("history_id")))
        details = CabinetReport.history.filter(response_id=response.pk).select_related(
            "history_user"
        )
        events += _detail_events(response, details.order_by("history_id"))
    events += _workflow_events(response, response.audit_events.select_related("actor"))
    return sorted(events, key=lambda event: event.at, reverse=True)


def people(events: Iterable[Event]) -> list[tuple[str, str]]:
    """Everyone who appears in `events`, as (filter value, name), by name."""
    found = {_person_key(e.actor): (name_of(e.actor) if e.actor else SYSTEM) for e in events}
    return sorted(found.items(), key=lambda item: item[1].lower())


def matching(events: Iterable[Event], *, person: str = "", kind: str = "") -> list[Event]:
    """The events by `person` (a value from `people`) of `kind` (a key of KINDS); an
    empty filter keeps everything."""
    return [
        e
        for e in events
        if (not person or _person_key(e.actor) == person) and (not kind or e.kind == kind)
    ]


def _person_key(actor: Any) -> str:
    return str(actor.pk) if actor is not None else "system"


def _compared(history: str, before, after) -> str:
    """The history page comparing two records, or "" where there is no page."""
    if not history:
        return ""
    return f"{history}?{urlencode({'from': before.history_id, 'to': after.history_id})}"


def _previous_of(records: Iterable[Any]) -> Iterator[tuple[Any, Any]]:
    """Each record (oldest first) with the record before it for the same row, or None."""
    last: dict[int, Any] = {}
    for record in records:
        yield last.get(record.id), record
        last[record.id] = record


def _answer_events(response: Response, numbers: dict[int, str], records) -> Iterator[Event]:
    histories: dict[str, str] = {}
    for before, after in _previous_of(records):
        number = numbers.get(after.question_id)
        if number is None:
            yield from _answer_changes(before, after, "?", "")
            continue
        if number not in histories:
            histories[number] = reverse("answer_history", args=[response.pk, number])
        yield from _answer_changes(before, after, number, histories[number])


def _answer_changes(before, after, number: str, history: str) -> Iterator[Event]:
    def event(kind: str, summary: str, url: str = history) -> Event:
        return Event(after.history_date, after.history_user, kind, summary, url)

    if after.history_type == "-":
        yield event("answer", f"Answer to question {number} removed", "")
        return
    if before is None:
        if after.text:
            yield event("answer", f"Answer to question {number} created")
    elif before.text != after.text:
        yield event(
            "answer", f"Answer to question {number} edited", _compared(history, before, after)
        )
    if before is not None and before.status != after.status:
        yield event(
            "status",
            f"Answer to question {number} marked {after.get_status_display()} "
            f"(was {before.get_status_display()})",
        )
    if (before.assignee_id if before else None) != after.assignee_id:
        if after.assignee is not None:
            yield event("assignment", f"Question {number} assigned to {name_of(after.assignee)}")
        else:
            yield event("assignment", f"Question {number} unassigned")
    if (before.position if before else "") != after.position:
        yield event("answer", f"Council's position on question {number}: {_position(after)}")


def _position(record) -> str:
    return record.get_position_display() if record.position else "not set"


def _section_events(response: Response, records: list[Any]) -> list[Event]:
    """Edits, renames, additions and removals of sections, and their moves."""
    removed = {r.id for r in records if r.history_type == "-"}

    def history(record) -> str:
        if record.id in removed:
            return ""
        return reverse("section_history", args=[response.pk, record.id])

    events: list[Event] = []
    moves: list[tuple[Any, Any]] = []
    for before, after in _previous_of(records):
        if _only_moved(before, after):
            moves.append((before, after))
            continue
        events += _section_changes(before, after, history(after))
    report_url = reverse("report", args=[response.pk])
    for run in _runs(moves, records):
        events += _moves(run, lambda r: "" if r.id in removed else f"{report_url}#section-{r.id}")
    return events


def _only_moved(before, after) -> bool:
    return (
        before is not None
        and after.history_type == "~"
        and (before.heading, before.body) == (after.heading, after.body)
        and before.position != after.position
    )


def _section_changes(before, after, history: str) -> list[Event]:
    def event(summary: str, url: str = history) -> Event:
        return Event(after.history_date, after.history_user, "report", summary, url)

    heading = f"Report section “{after.heading}”"
    if after.history_type == "-":
        return [event(f"{heading} removed", "")]
    if before is None:
        return [event(f"{heading} created")]
    events = []
    if before.heading != after.heading:
        events.append(event(f"Report section “{before.heading}” renamed “{after.heading}”"))
    if before.body != after.body:
        events.append(event(f"{heading} edited", _compared(history, before, after)))
    return events


def _runs(moves: list[tuple[Any, Any]], records: list[Any]) -> Iterator[list[tuple[Any, Any]]]:
    """The saves of one reordering: next to each other in history, by one person, at once."""
    index = {r.history_id: i for i, r in enumerate(records)}
    run: list[tuple[Any, Any]] = []
    for move in moves:
        after = move[1]
        if run and not _same_move(run[-1][1], after, index):
            yield run
            run = []
        run.append(move)
    if run:
        yield run


def _same_move(previous, after, index: dict[int, int]) -> bool:
    return (
        index[after.history_id] == index[previous.history_id] + 1
        and after.history_user_id == previous.history_user_id
        and after.history_date - previous.history_date <= _SAME_MOVE
    )


def _moves(run: list[tuple[Any, Any]], place) -> list[Event]:
    """One event per swap: the section that went up, above the one that went down.

    A reordering numbers every section afresh, so sections after a removed one change
    number without changing place; those say nothing when the swap is found."""
    rising = {after.position: after for before, after in run if after.position < before.position}
    events = []
    for before, after in run:
        above = rising.get(after.position - 1) if after.position > before.position else None
        if above is not None:
            summary = f"Report section “{above.heading}” moved up, above “{after.heading}”"
            events.append(
                Event(above.history_date, above.history_user, "report", summary, place(above))
            )
    if events:
        return events
    return [
        Event(
            after.history_date,
            after.history_user,
            "report",
            f"Report section “{after.heading}” moved "
            f"{'up' if after.position < before.position else 'down'}",
            place(after),
        )
        for before, after in run
    ]


def _detail_events(response: Response, records) -> Iterator[Event]:
    """Changes to the report's printed details; a change of lead officer or signatory
    is the workflow's own entry, so its record here says nothing more."""
    report_url = reverse("report", args=[response.pk])
    for before, after in _previous_of(records):
        if before is None:
            yield Event(
                after.history_date,
                after.history_user,
                "report",
                "Cabinet report created",
                report_url,
            )
            continue
        if any(getattr(before, f) != getattr(after, f) for f in _ROLE_FIELDS):
            continue
        changed = [f for f in REPORT_FIELDS if getattr(before, f) != getattr(after, f)]
        if changed:
            fields = ", ".join(_detail_label(f) for f in changed)
            summary = f"Report details changed: {fields}"
            yield Event(after.history_date, after.history_user, "report", summary, report_url)


def _detail_label(field: str) -> str:
    return str(ReportDetailsForm.base_fields[field].label)


_SUBMISSION = re.compile(r"\(submission (\d+)([,)])")
# An approval names the paper's version as its documents print it ("version 1a2b3c4d");
# entries recorded before that called it the fingerprint.
_FINGERPRINT = re.compile(r"\bfingerprint ([0-9a-f]{8})\b")


def _workflow_events(response: Response, records) -> Iterator[Event]:
    sign_off = reverse("sign_off", args=[response.pk])
    team = reverse("team", args=[response.pk])
    for record in records:
        kind = "people" if record.kind in _PEOPLE_KINDS else "sign_off"
        url = (
            reverse("response", args=[response.pk])
            if record.kind == AuditEvent.Kind.SET_UP
            else team
            if record.kind == AuditEvent.Kind.TEAM_CHANGED
            else sign_off
        )
        if record.kind == AuditEvent.Kind.POSITIONS_SUMMARY:
            kind, url = "report", reverse("report", args=[response.pk])
        if record.kind in _COMMENT_KINDS:  # every thread, whatever became of its answer
            kind, url = "comment", reverse("comments", args=[response.pk])
        if record.kind in _SUGGESTION_KINDS:
            kind, url = "suggestion", reverse("response", args=[response.pk])
        summary = _SUBMISSION.sub(r"(round \1\2", record.summary)
        summary = _FINGERPRINT.sub(r"version \1", summary)
        yield Event(record.at, record.actor, kind, summary, url, record.comment)
