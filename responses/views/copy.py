"""The answers laid out to be copied, one by one, into a government online form."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from responses.access import get_response
from responses.documents import data
from responses.paper import Paper


@dataclass(frozen=True)
class Item:
    row: data.Row
    section: str  # the section path, only where it changes from the question before
    characters: str  # the answer's length, as an online form's limit would be read


@require_GET
def copy_answers(request: HttpRequest, response_id: int) -> HttpResponse:
    paper = Paper.load(get_response(request.user, response_id), appendix_only=True)
    return render(
        request,
        "responses/copy.html",
        {"response": paper.response, "items": items(data.rows(paper))},
    )


def items(rows: list[data.Row]) -> list[Item]:
    """Each row with what the page prints beside it. The section is named once where
    it starts, not above every question, so a long chapter reads as one."""
    result, previous = [], None
    for row in rows:
        path = " › ".join(row.section_path)
        result.append(Item(row, path if path != previous else "", characters(row.answer_text)))
        previous = path
    return result


def characters(text: str) -> str:
    """The length as Python counts it, one per character (an emoji is one): "1,234
    characters". Said beside each answer because online forms often limit the length."""
    count = len(text)
    return f"{count:,} character{'' if count == 1 else 's'}"
