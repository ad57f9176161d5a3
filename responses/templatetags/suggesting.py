"""Suggestions on the answer editor, read where they are shown, so the editor's view
needs no change to list them: {% load suggesting %}."""

from __future__ import annotations

from django import template

from responses import rules
from responses.gate import Access
from responses.models import Answer, Response, Suggestion
from responses.rules import Action
from responses.suggestions import Shown, shown

register = template.Library()


@register.simple_tag(takes_context=True)
def open_suggestions(context: template.Context, answer: Answer) -> list[Shown]:
    """The answer's open suggestions, each with its diff against the current text and
    what the reader may do with it (one query, for the suggestions and their authors)."""
    access = Access.of(context["request"].user, context["response"])
    return [shown(access, answer, s) for s in Suggestion.objects.for_answer(answer)]


@register.simple_tag(takes_context=True)
def may_suggest(context: template.Context, response: Response) -> bool:
    return rules.may(context["request"].user, Action.SUGGEST, response)
