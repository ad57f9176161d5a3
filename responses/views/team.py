"""The team page: who drafts a response, what each has, and adding or removing officers."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from responses import team
from responses.audit import name_of
from responses.errors import Invalid, NotFound, WrongState
from responses.fragments import render_response_nav
from responses.gate import Access, open_response, writing
from responses.rules import Action


def _query(request: HttpRequest) -> str:
    return request.GET.get("q", request.POST.get("q", "")).strip()[: team.QUERY_LENGTH]


def _page(request: HttpRequest, access: Access, *, error: str = "", status: int = 200):
    query, may_change = _query(request), access.may(Action.CHANGE_TEAM)
    context = {
        "response": access.response,
        "query": query,
        "results": team.candidates(access.response, query) if query and may_change else [],
        "may_change": may_change,
        "error": error,
    }
    if request.GET.get("results"):  # the search box's own request, as the officer types
        return render(request, "includes/team_results.html", context)
    return render(
        request,
        "responses/team.html",
        {
            **context,
            "nav": render_response_nav(access.response, "team", team=True),
            "members": team.members(access.response),
        },
        status=status,
    )


def team_page(request: HttpRequest, response_id: int) -> HttpResponse:
    """The team, each member's questions and last activity; a search to add officers."""
    access = open_response(request.user, response_id, Action.CHANGE_TEAM, state=False, people=True)
    return _page(request, access)


def _back(response_id: int, query: str = "") -> str:
    url = reverse("team", args=[response_id])
    return f"{url}?{urlencode({'q': query})}" if query else url


@require_POST
def team_add(request: HttpRequest, response_id: int) -> HttpResponse:
    access = None
    try:
        with writing(request.user, response_id, Action.CHANGE_TEAM) as access:
            person = team.add_member(access, user_id=request.POST.get("user", ""))
    except (Invalid, WrongState) as refused:  # not an officer, already on it, or locked
        access = open_response(
            request.user, response_id, Action.CHANGE_TEAM, state=False, people=True
        )
        return _page(request, access, error=f"{refused} Nobody was added.", status=400)
    messages.success(request, f"{name_of(person)} added to the team.")
    return redirect(_back(response_id))


@require_POST
def team_remove(request: HttpRequest, response_id: int) -> HttpResponse:
    access = None
    try:
        with writing(request.user, response_id, Action.CHANGE_TEAM) as access:
            person, numbers = team.remove_member(access, user_id=request.POST.get("user", ""))
    except (Invalid, WrongState, NotFound) as refused:
        if access is None:
            raise  # not theirs to change (404/403), or locked: the middleware's page
        messages.error(request, f"{refused} Nobody was removed.")
        return redirect(_back(response_id))
    unassigned = (
        f" Question{'s' if len(numbers) > 1 else ''} {', '.join(numbers)} "
        f"{'are' if len(numbers) > 1 else 'is'} now unassigned."
        if numbers
        else ""
    )
    messages.success(request, f"{name_of(person)} removed from the team.{unassigned}")
    return redirect(_back(response_id))
