"""Rendered pieces of a page that repeat by the hundred, cached by everything they show.

A question with its answer is the response page's repeating piece: at 3,500
questions, rendering each through the template engine on every view dominates the
page. The fragment's cache key is the whole of what it displays, so any change to
a question, an answer, its status or its assignee renders it afresh. The same holds
for a dashboard's cards, of which an administrator sees hundreds.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import quote

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from responses.deadlines import DeadlineChain, report_deadline
from responses.models import Answer, Response
from responses.models.report import publication_marking
from responses.text.crossrefs import anchor


@dataclass(frozen=True)
class AppendixItem:
    anchor: str
    number: str
    question_text: str
    answer_html: SafeString
    status: str
    status_label: str
    assignee: str
    edit_url: str  # empty where the reader may not edit
    history_url: str
    select_value: str = ""  # "answer id:version" where the reader may select it for a step
    position_label: str = ""  # the council's position, where one is set
    open_comments: int = 0  # its open comment threads (never printed)
    comments_url: str = ""
    suggestions: int = 0  # open suggestions on the answer (responses/suggestions.py)
    suggest_url: str = ""  # where a reader who may suggest but not edit suggests changes
    open_by: str = ""  # who has it open in an editor now (responses/presence.py)


@lru_cache(maxsize=8192)
def render_appendix_item(item: AppendixItem) -> SafeString:
    return render_to_string("includes/appendix_item.html", {"item": item})


STATUS_LABELS = dict(Answer.Status.choices)
POSITION_LABELS = dict(Answer.Position.choices)


@lru_cache(maxsize=8192)
def render_question(
    answer_html: SafeString,
    number: str,
    question_text: str,
    status: str,
    assignee: str,
    answers_url: str,
    editable: bool,
    select_value: str,
    position: str = "",
    open_comments: int = 0,
    suggestions: int = 0,
    suggest_only: bool = False,
    open_by: str = "",
) -> SafeString:
    """A question on the response page, looked up by the plain values it shows (quicker
    to hash than an `AppendixItem`, which is built only when they change)."""
    quoted = quote(number)
    return render_appendix_item(
        AppendixItem(
            anchor=anchor(number),
            number=number,
            question_text=question_text,
            answer_html=answer_html,
            status=status,
            status_label=STATUS_LABELS.get(status, status),
            assignee=assignee,
            edit_url=f"{answers_url}{quoted}/edit/" if editable else "",
            history_url=f"{answers_url}{quoted}/history/",
            select_value=select_value,
            position_label=POSITION_LABELS.get(position, position),
            open_comments=open_comments,
            comments_url=f"{answers_url}{quoted}/comments/",
            suggestions=suggestions,
            suggest_url=f"{answers_url}{quoted}/suggest/" if suggest_only else "",
            open_by=open_by,
        )
    )


@lru_cache(maxsize=1024)
def render_appendix_heading(title: str, level: int) -> SafeString:
    """A chapter's or section's heading over the questions on the response page."""
    return render_to_string("includes/appendix_heading.html", {"title": title, "level": level})


class ResponseCard(NamedTuple):
    """All a dashboard card shows, as plain values: the key its HTML is cached by.

    `today` and the council's `working_days` are in it, so a card says "tomorrow" no
    longer than it is true and follows a change of the setting."""

    pk: int
    consultation_title: str
    title: str
    issued_by: str
    due: datetime.date
    status: str
    meeting_body: str | None  # None while the response has no report
    meeting_date: datetime.date | None
    total: int
    answered: int
    agreed: int
    publication: str | None  # the report's marking (CabinetReport.Publication)
    exempt_paragraph: int | None
    working_days: int
    today: datetime.date


RESPONSE_STATUS_LABELS = dict(Response.Status.choices)


@lru_cache(maxsize=4096)
def render_response_card(card: ResponseCard) -> SafeString:
    """A card as HTML: an administrator's dashboard shows hundreds, so each is rendered
    through the template once, and a view only looks it up by what it shows."""
    chain = None
    if card.meeting_date is not None:
        chain = DeadlineChain(
            closing=card.due,
            meeting=card.meeting_date,
            report_deadline=report_deadline(card.meeting_date, card.working_days),
            meeting_body=card.meeting_body,
        )
    return render_to_string(
        "includes/response_card.html",
        {
            "card": card,
            "status_label": RESPONSE_STATUS_LABELS.get(card.status, card.status),
            "not_for_publication": publication_marking(card.publication, card.exempt_paragraph),
            "chain": chain,
            "warnings": chain.warnings_for(card.status, card.today) if chain else [],
        },
    )


_NAVS: dict[tuple, SafeString] = {}


def render_response_nav(response: Response, tab: str, *, team: bool = False) -> SafeString:
    """The response's tabs and downloads (includes/response_nav.html) with `tab` open,
    rendered once for each state that changes them: its dozen addresses, reversed on
    every view, cost the response page more than 35 of its questions. The key is every
    field of the response the template reads, and whether the reader may change the
    team (`team`: the Team tab is theirs only)."""
    key = (
        response.pk,
        tab,
        team,
        response.cabinet_report is not None,
        response.status,
        bool(response.sent_to_government_on),
        response.cabinet_decision,
        bool(response.cabinet_report and response.cabinet_report.not_for_publication),
    )
    html = _NAVS.get(key)
    if html is None:
        if len(_NAVS) >= 4096:
            _NAVS.clear()
        html = _NAVS[key] = render_to_string(
            "includes/response_nav.html", {"response": response, "tab": tab, "show_team": team}
        )
    return html
