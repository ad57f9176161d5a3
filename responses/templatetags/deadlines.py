"""The deadline chain of a response card, from fields the page has already loaded."""

from __future__ import annotations

from django import template
from django.utils import timezone

from responses.deadlines import DeadlineChain
from responses.models import Response

register = template.Library()


@register.simple_tag
def deadline_chain(response: Response, working_days: int) -> dict | None:
    """The chain and today's warnings for `response`, or None while it has no report.

    Takes the council's setting as loaded once by the page, so a card costs no query.
    """
    chain = DeadlineChain.for_response(response, working_days)
    if chain is None:
        return None
    return {
        "chain": chain,
        "working_days": working_days,
        "warnings": chain.warnings_for(response, timezone.localdate()),
    }
