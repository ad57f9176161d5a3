"""Review in place beside an editor: `{% comments_beside answer %}` in its aside."""

from __future__ import annotations

from django import template

from responses.gate import Access

register = template.Library()


@register.inclusion_tag("includes/comments.html", takes_context=True)
def comments_beside(context: template.Context, target) -> dict:
    """The threads on an answer or a report section, with the forms this user may use.
    The page's view opened the response through the gate, so its standing is known."""
    from responses.views.comments import threads_context

    access = Access.of(context["request"].user, context["response"])
    return {**threads_context(access, target), "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("includes/return_comments.html", takes_context=True)
def pointed_comments(context: template.Context, decision) -> dict:
    """The comments a return pointed at answers (the sign-off page's `pointed_by_return`)."""
    return {"pointed": context.get("pointed_by_return", {}).get(decision.pk, [])}
