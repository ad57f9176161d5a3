"""The rulebook's table driven through the pages, with crafted requests.

Every role sends every request in every state, as a browser or a hand-made POST
would. Where the table allows it, something changes; where it refuses, the answer
is a refusal (a 403, a 404, a page that says why) and nothing at all changed.
Each request runs in a transaction rolled back afterwards, so each starts alike.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from responses.models import (
    Answer,
    AuditEvent,
    CabinetReport,
    Comment,
    ReportSection,
    SignOff,
    Suggestion,
)
from responses.rules import Action
from tests.papers import digest_of
from tests.test_paper import PRINTED_REPORT_DETAILS
from tests.test_rules import ALLOWED
from tests.world import ROLES, STATES, World

pytestmark = pytest.mark.django_db


def snapshot(world: World) -> tuple:
    """Everything a request could change."""
    response = world.fresh_response()
    return (
        digest_of(response),
        response.status,
        response.submission_round,
        response.cabinet_decision,
        list(Answer.objects.filter(response=response).values_list("text", "status", "assignee")),
        list(Answer.objects.filter(response=response).values_list("version", flat=True)),
        list(
            ReportSection.objects.filter(report__response=response)
            .order_by("pk")
            .values_list("heading", "body", "position", "version")
        ),
        CabinetReport.objects.get(response=response).version,
        SignOff.objects.count(),
        AuditEvent.objects.count(),
        list(Comment.objects.order_by("pk").values_list("body", "resolved_at")),
        list(Suggestion.objects.order_by("pk").values_list("status", "text")),
        sorted(response.team.values_list("pk", flat=True)),
    )


def _answer(world: World) -> Answer:
    return world.response.answers.select_related("question").order_by("question__position")[0]


def _suggested(world: World) -> Answer:
    """The second answer, assigned to the officer, with one open suggestion on it
    (`with_a_suggestion`): what accepting and rejecting are tried on."""
    return world.response.answers.select_related("question").order_by("question__position")[1]


def with_a_suggestion(world: World) -> Suggestion:
    answer = _suggested(world)
    Answer.objects.filter(pk=answer.pk).update(assignee=world.users["officer"])
    return Suggestion.objects.create(
        response=world.response,
        answer=answer,
        made_on_version=answer.version,
        base_text=answer.text,
        text="Words suggested before the request",
        author=world.users["lead"],
    )


def _decide_suggestion(world: World, name: str, data: dict) -> tuple[str, dict]:
    suggestion = Suggestion.objects.get(response=world.response)
    return reverse(f"suggestion_{name}", args=[world.response.pk, suggestion.pk]), {
        key.format(pk=suggestion.pk): value for key, value in data.items()
    }


def _section(world: World) -> ReportSection:
    return world.response.report.sections.order_by("position")[0]


def _edit_answer(world: World, **changes) -> tuple[str, dict]:
    answer = _answer(world)
    data = {"text": answer.text, "status": answer.status, "assignee": "", "version": answer.version}
    return reverse("answer_edit", args=[world.response.pk, answer.question.number]), {
        **data,
        **changes,
    }


def _report_details(world: World) -> tuple[str, dict]:
    report = world.response.report
    data = {name: getattr(report, name) for name in PRINTED_REPORT_DETAILS}
    data["meeting_date"] = report.meeting_date.isoformat()
    data["forward_plan"] = "on" if report.forward_plan else ""
    data.update({"title": "A new title", "version": report.version})
    return reverse("report_details", args=[world.response.pk]), data


def _thread(world: World) -> Comment:
    """A comment thread on the first answer, for resolving (made without a step)."""
    answer = _answer(world)
    thread, _ = Comment.objects.get_or_create(
        response=world.response,
        answer=answer,
        defaults={
            "about": f"Question {answer.question.number}",
            "made_on_version": answer.version,
            "author": world.users["officer"],
            "body": "A thread to resolve",
        },
    )
    return thread


def _section_edit(world: World) -> tuple[str, dict]:
    section = _section(world)
    url = reverse("section_edit", args=[world.response.pk, section.pk])
    return url, {"heading": section.heading, "text": "New words", "version": section.version}


Request = Callable[[World], tuple[str, dict | None]]
REQUESTS: dict[Action, Request] = {
    Action.VIEW: lambda w: (reverse("response", args=[w.response.pk]), None),
    Action.EDIT_ANSWER: lambda w: _edit_answer(w, text="Words from a crafted request"),
    Action.AGREE_ANSWER: lambda w: _edit_answer(w, status=Answer.Status.AGREED),
    Action.ASSIGN_ANSWER: lambda w: _edit_answer(w, assignee=w.users["officer"].pk),
    Action.EDIT_REPORT_SECTION: _section_edit,
    Action.EDIT_REPORT: _report_details,
    Action.ADD_REPORT_SECTION: lambda w: (
        reverse("section_add", args=[w.response.pk]),
        {"heading": "Added by a crafted request"},
    ),
    Action.REMOVE_REPORT_SECTION: lambda w: (
        reverse("section_delete", args=[w.response.pk, _section(w).pk]),
        {},
    ),
    Action.REORDER_REPORT: lambda w: (
        reverse("section_move", args=[w.response.pk, _section(w).pk]),
        {"direction": "down"},
    ),
    Action.SUBMIT: lambda w: (reverse("submit", args=[w.response.pk]), {"confirm_gaps": "yes"}),
    Action.DECIDE: lambda w: (
        reverse("decide", args=[w.response.pk]),
        {"decision": "approve", "digest": digest_of(w.response)},
    ),
    Action.RECORD: lambda w: (
        reverse("record", args=[w.response.pk]),
        {
            "decision": "agreed",
            "decided_on": timezone.localdate().isoformat(),
            "minute": "Minute 12/26",
        },
    ),
    Action.WITHDRAW: lambda w: (reverse("withdraw", args=[w.response.pk]), {"reason": "Changes"}),
    Action.REOPEN: lambda w: (reverse("reopen", args=[w.response.pk]), {"reason": "Changes"}),
    Action.COMMENT: lambda w: (
        reverse("answer_comments", args=[w.response.pk, _answer(w).question.number]),
        {"comment-body": "A comment from a crafted request"},
    ),
    Action.RESOLVE_COMMENT: lambda w: (
        reverse("comment_resolve", args=[w.response.pk, _thread(w).pk]),
        {},
    ),
    Action.SUGGEST: lambda w: (
        reverse("suggest", args=[w.response.pk, _suggested(w).question.number]),
        {"text": "Words from a crafted suggestion", "version": _suggested(w).version, "send": "1"},
    ),
    Action.ACCEPT_SUGGESTION: lambda w: _decide_suggestion(
        w, "accept", {"version": _suggested(w).version}
    ),
    Action.REJECT_SUGGESTION: lambda w: _decide_suggestion(
        w, "reject", {"s{pk}-reason": "Not these words"}
    ),
    Action.CHANGE_TEAM: lambda w: (
        reverse("team_add", args=[w.response.pk]),
        {"user": w.users["outside_officer"].pk},
    ),
}


def test_every_action_with_a_page_is_requested():
    admin_only = {Action.CHANGE_SIGNATORY, Action.SET_UP}  # see tests/test_admin.py
    assert set(REQUESTS) == set(Action) - admin_only


@pytest.mark.parametrize("state", STATES)
def test_every_request_changes_something_exactly_where_the_table_allows(state):
    world = World.build()
    world.set_state(state)
    _thread(world)  # for Resolve to find
    with_a_suggestion(world)
    wrong = []
    for action, request in REQUESTS.items():
        for role in ROLES:
            allowed = role in ALLOWED[action].get(state, set())
            with transaction.atomic():
                before = snapshot(world)
                client = Client()
                client.force_login(world.users[role])
                url, data = request(world)
                result = client.get(url) if data is None else client.post(url, data)
                changed = snapshot(world) != before
                transaction.set_rollback(True)
            if action == Action.VIEW:
                if (result.status_code == 200) != allowed:
                    wrong.append(f"{role} {action} in {state}: {result.status_code}")
            elif changed != allowed:
                verb = "changed nothing" if allowed else "changed something"
                wrong.append(f"{role} {action} in {state}: {verb} ({result.status_code})")
            elif not allowed and result.status_code >= 500:
                wrong.append(f"{role} {action} in {state}: {result.status_code}")
    assert wrong == []


@pytest.mark.parametrize("role", ["outside_officer", "other_lead"])
def test_someone_off_the_team_gets_404_on_every_url_of_the_response(role):
    world = World.build()
    suggestion = with_a_suggestion(world)
    client = Client()
    client.force_login(world.users[role])
    answer, section = _answer(world), _section(world)
    pk, number = world.response.pk, answer.question.number
    urls = [
        reverse(name, args=args)
        for name, args in [
            ("response", [pk]),
            ("answer_edit", [pk, number]),
            ("answer_history", [pk, number]),
            ("report", [pk]),
            ("report_details", [pk]),
            ("section_edit", [pk, section.pk]),
            ("section_history", [pk, section.pk]),
            ("section_delete", [pk, section.pk]),
            ("sign_off", [pk]),
            ("audit", [pk]),
            ("comments", [pk]),
            ("answer_comments", [pk, number]),
            ("section_comments", [pk, section.pk]),
            ("team", [pk]),
            ("cabinet_paper_pdf", [pk]),
            ("response_pdf", [pk]),
            ("suggest", [pk, number]),
            ("suggestion", [pk, suggestion.pk]),
        ]
    ]
    post_only = [
        reverse(name, args=args)
        for name, args in [
            ("preview", [pk]),
            ("submit", [pk]),
            ("decide", [pk]),
            ("record", [pk]),
            ("section_add", [pk]),
            ("section_move", [pk, section.pk]),
            ("comment_reply", [pk, _thread(world).pk]),
            ("comment_resolve", [pk, _thread(world).pk]),
            ("comment_reopen", [pk, _thread(world).pk]),
            ("suggestion_accept", [pk, suggestion.pk]),
            ("suggestion_reject", [pk, suggestion.pk]),
            ("suggestion_withdraw", [pk, suggestion.pk]),
            ("team_add", [pk]),
            ("team_remove", [pk]),
            ("presence", [pk, number]),
        ]
    ]
    before = snapshot(world)
    statuses = {url: client.get(url).status_code for url in urls}
    statuses.update({url: client.post(url, {"text": "x"}).status_code for url in post_only + urls})
    assert {url: s for url, s in statuses.items() if s != 404} == {}
    assert snapshot(world) == before
