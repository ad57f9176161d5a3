"""Pieces shared by the answer and report-section editors: history, conflicts, drafts."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from responses import rules
from responses.errors import Locked, NotAllowed, StaleEdit
from responses.forms import MAX_ID
from responses.gate import open_response, writing
from responses.rules import Action
from responses.text.diff import rendered_word_diff


class RestoreForm(forms.Form):
    history_id = forms.IntegerField(min_value=1, max_value=MAX_ID)
    version = forms.IntegerField(min_value=1, max_value=MAX_ID)


@dataclass(frozen=True)
class Version:
    """One row of a history page: a version number, first saved by `user` at `date`.

    `history_id` is the version's latest record (what Restore brings back);
    `history_ids` are all its records, so a link to any of them finds the row.
    `changes` says what else the version changed: its status, assignee or heading."""

    history_id: int
    number: int
    text: str
    user: Any
    date: Any
    kind: str
    changes: tuple[str, ...] = ()
    history_ids: frozenset[int] = frozenset()


Describe = Callable[[Any, Any], list[str]]
_KINDS = {"+": "Created", "~": "Changed", "-": "Deleted"}


def versions(
    records: Iterable[Any], text_field: str, describe: Describe | None = None
) -> list[Version]:
    """A record's history, newest first, one row per version number.

    Records that keep the version number (the seed's own record and a later save that
    only assigned it, a reordering, a save of the same words) fold into that version's
    row, their changes listed with it. `describe(before, after)` says what changed
    between two records besides the text; `before` is None for the first."""
    rows: list[Version] = []
    previous = None
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        changes = tuple(describe(previous, record)) if describe else ()
        if rows and rows[-1].number == record.version:
            rows[-1] = replace(
                rows[-1],
                history_id=record.history_id,
                text=getattr(record, text_field),
                changes=rows[-1].changes + changes,
                history_ids=rows[-1].history_ids | {record.history_id},
            )
        else:
            rows.append(
                Version(
                    history_id=record.history_id,
                    number=record.version,
                    text=getattr(record, text_field),
                    user=record.history_user,
                    date=record.history_date,
                    kind=_KINDS.get(record.history_type, record.history_type),
                    changes=changes,
                    history_ids=frozenset({record.history_id}),
                )
            )
        previous = record
    return rows[::-1]


def comparison(request: HttpRequest, history: list[Version]) -> dict[str, Any]:
    """The two versions asked for (default: the latest against the one before) and the
    difference in their words as a reader sees them."""
    by_id = {history_id: v for v in history for history_id in v.history_ids}
    old, new = (history[1] if len(history) > 1 else None), (history[0] if history else None)
    error = ""
    if "from" in request.GET or "to" in request.GET:
        try:
            old, new = by_id[int(request.GET["from"])], by_id[int(request.GET["to"])]
        except (KeyError, ValueError):
            error = "Choose two versions of this text to compare."
    diff = rendered_word_diff(old.text, new.text) if old and new else None
    return {
        "old": old,
        "new": new,
        "diff": diff,
        "same_words": diff is not None and "<ins>" not in diff and "<del>" not in diff,
        "compare_error": error,
    }


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


def typed_text(form: forms.Form) -> str:
    """The editor's words as its checks read them (stripped, with LF line breaks), for
    its preview to share their parse rather than parse the text again."""
    return form.fields["text"].to_python(form["text"].value())


def draft_key(kind: str, *ids: Any) -> str:
    """Where the browser keeps unsaved text for one editor."""
    return "-".join([kind, *(str(i) for i in ids)])


def restore(request: HttpRequest, response_id: int, action: Action, step, **which) -> None:
    """Restore the version a history page posted, through the service `step`
    (`restore_answer` or `restore_section`, `which` says of what) under one lock and
    one question to the rulebook; the outcome goes into a message."""
    form = RestoreForm(request.POST)
    if not form.is_valid():
        open_response(request.user, response_id, action, state=False)  # a 403 before a hint
        messages.error(request, "Choose a version to restore.")
        return
    access = None
    try:
        with writing(request.user, response_id, action) as access:
            restored = step(
                access,
                history_id=form.cleaned_data["history_id"],
                expected_version=form.cleaned_data["version"],
                **which,
            )
    except StaleEdit:
        messages.error(
            request,
            "Someone saved a newer version while you were looking: nothing was restored. "
            "Compare again and choose.",
        )
    except (Locked, NotAllowed) as refused:
        if access is None and not isinstance(refused, Locked):
            raise  # their role may not edit it at all: the middleware's 403
        messages.error(request, str(refused))
    else:
        if restored.version == form.cleaned_data["version"]:
            messages.info(request, "That version is the text as it stands: nothing changed.")
        else:
            messages.success(request, f"Restored as version {restored.version}.")


def _unlocking(user, response) -> dict[str, Any]:
    """The step that would let the response change again, and whether this user may
    take it (the lead officer withdraws it or reopens it; others ask them)."""
    action = Action.REOPEN if response.status == response.Status.SIGNED_OFF else Action.WITHDRAW
    return {
        "unlock_step": (
            "reopen it for changes" if action == Action.REOPEN else "withdraw it from sign-off"
        ),
        "may_unlock": rules.refusal(user, action, response) is None,
    }


def locked_page(
    request: HttpRequest, response, subject: str, saved_text: str, comments_url: str = ""
) -> HttpResponse:
    """What an editor shows once the response is with its signatories: no form, and
    for a save that arrived too late, the words that were typed, to copy elsewhere;
    and where its comments are, which stay open whatever the state."""
    unsaved = request.POST.get("text", "") if request.method == "POST" else ""
    return render(
        request,
        "responses/locked.html",
        {
            "response": response,
            "subject": subject,
            "text": saved_text,
            "unsaved": unsaved if unsaved != saved_text else "",
            "comments_url": comments_url,
            **_unlocking(request.user, response),
        },
        status=409 if request.method == "POST" else 200,
    )
