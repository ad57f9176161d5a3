"""Rendered pieces of a page that repeat by the hundred, cached by everything they show.

A question with its answer is the response page's repeating piece: at 3,500
questions, rendering each through the template engine on every view dominates the
page. The fragment's cache key is the whole of what it displays, so any change to
a question, an answer, its status or its assignee renders it afresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.template.loader import render_to_string
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class AppendixItem:
    anchor: str
    number: str
    question_text: str
    answer_html: SafeString
    status: str
    status_label: str
    assignee: str
    edit_url: str  # empty where the reader may not edit
    history_url: str
    select_value: str = ""  # "answer id:version" where the reader may select it for a step


@lru_cache(maxsize=8192)
def render_appendix_item(item: AppendixItem) -> SafeString:
    return render_to_string("includes/appendix_item.html", {"item": item})
