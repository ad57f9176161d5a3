"""Pieces shared by the answer and report-section editors: history, conflicts, drafts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from responses.diff import word_diff
from responses.errors import Locked, NotAllowed, StaleEdit
from responses.forms import MAX_ID


class RestoreForm(forms.Form):
    history_id = forms.IntegerField(min_value=1, max_value=MAX_ID)
    version = forms.IntegerField(min_value=1, max_value=MAX_ID)


@dataclass(frozen=True)
class Version:
    history_id: int
    number: int
    text: str
    user: Any
    date: Any
    kind: str


def versions(records, text_field: str) -> list[Version]:
    """A record's history, newest first, in the shape the history template shows."""
    kinds = {"+": "Created", "~": "Changed", "-": "Deleted"}
    return [
        Version(
            history_id=r.history_id,
            number=r.version,
            text=getattr(r, text_field),
            user=r.history_user,
            date=r.history_date,
            kind=kinds.get(r.history_type, r.history_type),
        )
        for r in records
    ]


def comparison(request: HttpRequest, history: list[Version]) -> dict[str, Any]:
    """The two versions asked for (default: the latest against the one before) and their diff."""
    by_id = {v.history_id: v for v in history}
    error = ""
    try:
        old = by_id[int(request.GET["from"])]
        new = by_id[int(request.GET["to"])]
    except KeyError:
        old, new = (history[1] if len(history) > 1 else None), (history[0] if history else None)
        if "from" in request.GET or "to" in request.GET:
            error = "Choose two versions of this text to compare."
    except ValueError:
        old, new = (history[1] if len(history) > 1 else None), (history[0] if history else None)
        error = "Choose two versions of this text to compare."
    diff = word_diff(old.text, new.text) if old and new else None
    return {"old": old, "new": new, "diff": diff, "compare_error": error}


def wire_editor(
    form: forms.Form,
    *,
    preview_url: str,
    key: str,
    previous: str | None = None,
    cross_references: bool = True,
) -> forms.Form:
    """Give the text field its live preview (htmx) and its browser-kept draft."""
    attrs = {
        "hx-post": preview_url,
        "hx-trigger": "input changed delay:400ms",
        "hx-target": "#preview",
        "hx-swap": "innerHTML",
        "hx-sync": "this:replace",
        "data-draft-key": key,
    }
    values = {"previous": previous or "", "plain": "" if cross_references else "1"}
    attrs["hx-vals"] = json.dumps(values)
    form.fields["text"].widget.attrs.update(attrs)
    return form


def draft_key(kind: str, *ids: Any) -> str:
    """Where the browser keeps unsaved text for one editor."""
    return "-".join([kind, *(str(i) for i in ids)])


def restore(request: HttpRequest, restore_version) -> None:
    """Restore the version a history page posted, through `restore_version(history_id=,
    expected_version=)`; the outcome goes into a message."""
    form = RestoreForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a version to restore.")
        return
    try:
        restored = restore_version(
            history_id=form.cleaned_data["history_id"],
            expected_version=form.cleaned_data["version"],
        )
    except StaleEdit:
        messages.error(
            request,
            "Someone saved a newer version while you were looking: nothing was restored. "
            "Compare again and choose.",
        )
    except (Locked, NotAllowed) as refused:
        messages.error(request, str(refused))
    else:
        if restored.version == form.cleaned_data["version"]:
            messages.info(request, "That version is the text as it stands: nothing changed.")
        else:
            messages.success(request, f"Restored as version {restored.version}.")


def locked_page(request: HttpRequest, response, subject: str, saved_text: str) -> HttpResponse:
    """What an editor shows once the response is with its signatories: no form, and
    for a save that arrived too late, the words that were typed, to copy elsewhere."""
    unsaved = request.POST.get("text", "") if request.method == "POST" else ""
    return render(
        request,
        "responses/locked.html",
        {
            "response": response,
            "subject": subject,
            "text": saved_text,
            "unsaved": unsaved if unsaved != saved_text else "",
        },
        status=409 if request.method == "POST" else 200,
    )
