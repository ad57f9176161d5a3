from __future__ import annotations

import datetime

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import date as date_format
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from responses.forms import error_summary as problems_of
from responses.text import crossrefs, markdown_to_html

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
def days_left(day: datetime.date | None, today: datetime.date | None = None) -> SafeString:
    """A date and how far it is from today: "3 March 2006 (12 days left)", marked soon
    within a week and past once gone. A filter, not an include: a dashboard shows it
    three times on each of hundreds of cards. `today` is the one a cached card is kept
    for; by default, today in Europe/London."""
    if day is None:
        return SafeString("")
    days = (day - (today or timezone.localdate())).days
    if days > 1:
        words = f"{intcomma(days)} days left"
    elif days == 1:
        words = "tomorrow"
    elif days == 0:
        words = "today"
    elif days == -1:
        words = "yesterday"
    else:
        words = f"{intcomma(-days)} days ago"
    tone = " days-left-past" if days < 0 else " days-left-soon" if days <= 7 else ""
    return format_html(
        '{}\n<span class="days-left{}">({})</span>', date_format(day, "j F Y"), tone, words
    )


@register.filter
def person(user, default: str = "") -> str:
    """A user's full name, else their username; `default` for nobody."""
    if user is None:
        return default
    return user.get_full_name() or user.get_username()


@register.filter
def may_change_team(response, user) -> bool:
    """Whether the Team tab is the reader's: the report's lead officer or an
    administrator (the page shows the team read-only while the paper is locked)."""
    from responses import rules
    from responses.rules import Action

    if response is None or not getattr(user, "is_authenticated", False):
        return False
    if not (rules.is_administrator(user) or user.has_perm("responses.submit_response")):
        return False  # an officer or signatory: asked without a query
    return rules.may(user, Action.CHANGE_TEAM, response, state=False)
