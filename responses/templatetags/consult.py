from __future__ import annotations

import datetime

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString

from responses import crossrefs
from responses.forms import error_summary as problems_of
from responses.text import markdown_to_html

register = template.Library()


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms) -> dict:
    """The GOV.UK error summary for the forms on a page: {% error_summary form %}."""
    return {"problems": problems_of(*forms)}


@register.filter
def markdown(text: str) -> SafeString:
    return markdown_to_html(text)


@register.filter
def anchor(number: str) -> str:
    """A question's fragment id in templates, from the one function that builds it."""
    return crossrefs.anchor(str(number))


@register.filter
def days_from_today(day: datetime.date | None) -> int | None:
    """Whole days from today (Europe/London) to `day`; negative once it has passed."""
    if day is None:
        return None
    return (day - timezone.localdate()).days


@register.filter
def absolute(number: int) -> int:
    return abs(number)


@register.filter
def person(user, default: str = "") -> str:
    """A user's full name, else their username; `default` for nobody."""
    if user is None:
        return default
    return user.get_full_name() or user.get_username()
