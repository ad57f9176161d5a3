import re
from collections import Counter

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from responses import appendix, presence, rules, services
from responses.access import get_response
from responses.errors import Invalid, NotFound, WrongState
from responses.fragments import render_appendix_heading, render_question, render_response_nav
from responses.gate import writing
from responses.models import Comment, Suggestion
from responses.paper import Paper
from responses.rules import Action
from responses.templatetags.consult import person


def response_detail(request: HttpRequest, response_id: int) -> HttpResponse:
    response = get_response(request.user, response_id)
    paper = Paper.load(response, appendix_only=True)
    shown = appendix.FILTERS_BY_NAME.get(request.GET.get("show", "all"))
    unknown_filter = shown is None
    shown = shown or appendix.EVERYTHING
    user = request.user
    counts = {f.name: sum(1 for a in paper.answers if f.test(a, user)) for f in appendix.FILTERS}
    held = Counter(a.position for a in paper.answers)  # one pass for the positions' row
    counts |= {f.name: held[f.position] for f in appendix.POSITION_FILTERS}
    entries = paper.entries(
        keep=None if shown is appendix.EVERYTHING else lambda answer: shown.test(answer, user)
    )
    can_edit = rules.may(user, Action.EDIT_ANSWER, response)
    can_select = rules.may(user, Action.ASSIGN_ANSWER, response)
    # A signatory at their turn suggests changes instead of editing.
    suggest_only = not can_edit and rules.may(user, Action.SUGGEST, response)
    open_suggestions = Suggestion.objects.open_counts(response)
    # One reverse() for the page, not two for every question.
    answers_url = f"{reverse('response', args=[response.pk])}answers/"
    return render(
        request,
        "responses/response_detail.html",
        {
            "response": response,
            "nav": render_response_nav(
                response,
                "appendix",
                team=rules.may(user, Action.CHANGE_TEAM, response, state=False),
            ),
            "appendix_html": _appendix_html(
                paper,
                entries,
                answers_url,
                can_edit,
                can_select,
                Comment.objects.open_counts_by_answer(response),
                open_suggestions,
                suggest_only,
                presence.open_elsewhere(response, user),
            ),
            "team": list(services.assignable(response)) if can_select else [],
            "filters": [(f, counts[f.name]) for f in appendix.FILTERS],
            "position_filters": [(f, counts[f.name]) for f in appendix.POSITION_FILTERS],
            "shown": shown,
            "unknown_filter": unknown_filter,
        },
    )


def _appendix_html(
    paper: Paper,
    entries: list[appendix.Entry],
    answers_url: str,
    can_edit: bool,
    can_select: bool,
    open_comments: dict[int, int],
    open_suggestions: dict[int, int],
    suggest_only: bool,
    open_by: dict[int, str],
) -> SafeString:
    """Appendix 1 as one piece of HTML: each heading and question is rendered once and
    cached by what it shows, so a view only joins them (a template loop over hundreds
    of rows costs more than the page's own work)."""
    parts = []
    for entry in entries:
        if isinstance(entry, appendix.Heading):
            parts.append(render_appendix_heading(entry.title, entry.level))
            continue
        answer = entry.answer
        parts.append(
            render_question(
                paper.answer_html(entry),
                answer.question.number,
                answer.question.text,
                answer.status,
                person(answer.assignee),
                answers_url,
                can_edit,
                f"{answer.pk}:{answer.version}" if can_select else "",
                answer.position,
                open_comments.get(answer.pk, 0),
                open_suggestions.get(answer.pk, 0),
                suggest_only,
                open_by.get(answer.pk, ""),
            )
        )
    # Each part is safe (rendered by the template engine), so their join is.
    return mark_safe("\n".join(parts))  # noqa: S308


_BULK_STEPS = {"agree": Action.AGREE_ANSWER, "assign": Action.ASSIGN_ANSWER}


@require_POST
def answers_bulk(request: HttpRequest, response_id: int) -> HttpResponse:
    """Assign several answers, or mark them agreed, in one step from the response page:
    one lock, one question to the rulebook."""
    back = reverse("response", args=[response_id])
    if (shown := request.POST.get("show")) in appendix.FILTERS_BY_NAME:
        back += f"?show={shown}"
    action = _BULK_STEPS.get(request.POST.get("action", ""))
    if action is None:
        get_response(request.user, response_id, Action.ASSIGN_ANSWER)
        messages.error(request, "Choose Assign or Mark agreed.")
        return redirect(back)
    access = None
    try:
        with writing(request.user, response_id, action) as access:
            selected = _selected(request.POST.getlist("answer"))
            if action is Action.AGREE_ANSWER:
                answers = services.agree_answers(access, selected=selected)
                done = f"Marked agreed: {_numbers(answers)}."
            else:
                assignee = _assignee(access.response, request.POST.get("assignee", ""))
                answers = services.assign_answers(access, selected=selected, assignee=assignee)
                done = f"{_numbers(answers).capitalize()} assigned to {person(assignee, 'nobody')}."
    except (Invalid, NotFound, WrongState) as refused:
        if access is None and isinstance(refused, NotFound):
            raise  # no such response, or not one of theirs: the middleware's 404
        messages.error(request, str(refused))
        return redirect(back)
    messages.success(request, done)
    return redirect(back)


# Ids and versions as the database holds them (ASCII digits, at most nine, as in URLs).
_SELECTED = re.compile(r"(?P<id>[0-9]{1,9}):(?P<version>[0-9]{1,9})")
_ID = re.compile(r"[0-9]{1,9}")


def _selected(values: list[str]) -> dict[int, int]:
    """{answer id: the version seen} from the ticked boxes ("id:version")."""
    selected = {}
    for value in values:
        match = _SELECTED.fullmatch(value)
        if match is None:
            raise Invalid("The selection could not be read: reload the page and select again.")
        selected[int(match["id"])] = int(match["version"])
    return selected


def _assignee(response, value: str):
    if value == "nobody":
        return None
    member = (
        services.assignable(response).filter(pk=int(value)).first()
        if _ID.fullmatch(value)
        else None
    )
    if member is None:
        raise Invalid("Choose who to assign the selected questions to.")
    return member


def _numbers(answers) -> str:
    numbers = [a.question.number for a in answers]
    return f"question{'s' if len(numbers) > 1 else ''} {', '.join(numbers)}"
