from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from responses import appendix, rules
from responses.access import get_response
from responses.fragments import AppendixItem, render_appendix_item
from responses.models import Answer
from responses.paper import Paper
from responses.rules import Action
from responses.templatetags.consult import person


def response_detail(request: HttpRequest, response_id: int) -> HttpResponse:
    response = get_response(request.user, response_id)
    paper = Paper.load(response, appendix_only=True)
    shown = appendix.FILTERS_BY_NAME.get(request.GET.get("show", "all"))
    unknown_filter = shown is None
    shown = shown or appendix.FILTERS_BY_NAME["all"]
    user = request.user
    counts = {f.name: sum(1 for a in paper.answers if f.test(a, user)) for f in appendix.FILTERS}
    entries = paper.entries(keep=lambda answer: shown.test(answer, user))
    can_edit = rules.may(user, Action.EDIT_ANSWER, response)
    # One reverse() for the page, not two for every question.
    answers_url = f"{reverse('response', args=[response.pk])}answers/"
    return render(
        request,
        "responses/response_detail.html",
        {
            "response": response,
            "rows": [_row(paper, entry, answers_url, can_edit) for entry in entries],
            "filters": [(f, counts[f.name]) for f in appendix.FILTERS],
            "shown": shown,
            "unknown_filter": unknown_filter,
        },
    )


STATUS_LABELS = dict(Answer.Status.choices)


def _row(paper: Paper, entry: appendix.Entry, answers_url: str, can_edit: bool):
    """(heading, None) or (None, the question's rendered HTML): the template tests the
    first, so it never looks up an attribute that is not there (slow in templates)."""
    if isinstance(entry, appendix.Heading):
        return entry, None
    answer, number = entry.answer, quote(entry.question.number)
    return None, render_appendix_item(
        AppendixItem(
            anchor=entry.anchor,
            number=entry.question.number,
            question_text=entry.question.text,
            answer_html=paper.answer_html(entry),
            status=answer.status,
            status_label=STATUS_LABELS.get(answer.status, answer.status),
            assignee=person(answer.assignee),
            edit_url=f"{answers_url}{number}/edit/" if can_edit else "",
            history_url=f"{answers_url}{number}/history/",
        )
    )
