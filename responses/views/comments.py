"""Comment threads beside the answer and section editors, and their own pages.

Every write is a POST that opens the response with `writing` for its action, calls
one step of `responses.comments`, and goes back to where the thread is shown (the
editor, when the user may edit it now; else the thread's own page), anchored to the
thread. A form with errors is shown again on the thread's page, with the words typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from responses import comments
from responses.comment_forms import CommentForm, pointed_formset
from responses.errors import Invalid, WrongState
from responses.gate import Access, open_response, writing
from responses.limits import limited
from responses.models import Answer, Comment, ReportSection, SignOff
from responses.rules import Action

Target = Answer | ReportSection


@dataclass
class Thread:
    root: Comment
    comments: list[Comment]
    reply_form: CommentForm
    current_version: int | None  # the target's version now; None once the section is gone
    noun: str  # "answer" or "section"


def threads_context(
    access: Access,
    target: Target | None,
    *,
    comment_form: CommentForm | None = None,
    reply_form: CommentForm | None = None,
    reply_to: int | None = None,
) -> dict[str, Any]:
    """What `includes/comments.html` shows: the target's threads (or, without a target,
    every thread on the response) and the forms the user may use."""
    response = access.response
    found = Comment.objects.filter(response=response)
    if isinstance(target, Answer):
        found, new_url = found.filter(answer=target), _answer_url(response.pk, target)
    elif isinstance(target, ReportSection):
        found = found.filter(section=target)
        new_url = reverse("section_comments", args=[response.pk, target.pk])
    else:
        new_url = ""
    threads = []
    for root in found.threads():
        on = root.target
        threads.append(
            Thread(
                root=root,
                comments=[root, *root.replies.all()],
                reply_form=(
                    reply_form
                    if reply_to == root.pk and reply_form is not None
                    else CommentForm.reply(root.pk)
                ),
                current_version=on.version if on is not None else None,
                noun="answer" if root.answer_id else "section",
            )
        )
    return {
        "threads": threads,
        "open_count": sum(1 for t in threads if not t.root.is_resolved),
        "comment_form": comment_form or CommentForm(prefix="comment"),
        "new_comment_url": new_url,
        "may_comment": access.may(Action.COMMENT),
        "may_resolve": access.may(Action.RESOLVE_COMMENT),
        "show_about": target is None,
        "response": response,
    }


def _answer_url(response_id: int, answer: Answer) -> str:
    return reverse("answer_comments", args=[response_id, answer.question.number])


def back_to(access: Access, comment: Comment) -> str:
    """Where a thread is shown to this user: the editor where they may edit it now,
    else the thread's own page; anchored to the thread."""
    response_id = access.response.pk
    if comment.answer_id is not None:
        number = comment.answer.question.number
        page = (
            reverse("answer_edit", args=[response_id, number])
            if access.may(Action.EDIT_ANSWER)
            else reverse("answer_comments", args=[response_id, number])
        )
    elif comment.section_id is not None:
        view = "section_edit" if access.may(Action.EDIT_REPORT_SECTION) else "section_comments"
        page = reverse(view, args=[response_id, comment.section_id])
    else:
        page = reverse("comments", args=[response_id])
    return f"{page}#comment-{comment.parent_id or comment.pk}"


def _page(
    request: HttpRequest, access: Access, target: Target | None, *, status: int = 200, **forms
) -> HttpResponse:
    response = access.response
    context = threads_context(access, target, **forms)
    if isinstance(target, Answer):
        title = f"Comments on question {target.question.number}"
        may_edit = access.may(Action.EDIT_ANSWER)
        edit_url = reverse("answer_edit", args=[response.pk, target.question.number])
    elif isinstance(target, ReportSection):
        title = f"Comments on “{target.heading}”"
        may_edit = access.may(Action.EDIT_REPORT_SECTION)
        edit_url = reverse("section_edit", args=[response.pk, target.pk])
    else:
        title, may_edit, edit_url = "Comments", False, ""
    bound = [f for f in (forms.get("comment_form"), forms.get("reply_form")) if f is not None]
    return render(
        request,
        "responses/comments.html",
        {
            **context,
            "title": title,
            "target": target,
            "edit_url": edit_url if may_edit else "",
            "reply_form": forms.get("reply_form"),
            "has_errors": any(f.is_bound and f.errors for f in bound),
        },
        status=status,
    )


@limited("comment")
def answer_comments(request: HttpRequest, response_id: int, number: str) -> HttpResponse:
    """An answer's threads, with the answer as it stands; a POST starts a thread."""
    if request.method == "POST":
        return _start(request, response_id, number=number)
    access = open_response(request.user, response_id)
    return _page(request, access, comments.answer_of(access.response, number))


@limited("comment")
def section_comments(request: HttpRequest, response_id: int, section_id: int) -> HttpResponse:
    """A report section's threads, with the section as it stands; a POST starts a thread."""
    if request.method == "POST":
        return _start(request, response_id, section_id=section_id)
    access = open_response(request.user, response_id)
    return _page(request, access, comments.section_of(access.response, section_id))


def all_comments(request: HttpRequest, response_id: int) -> HttpResponse:
    """Every thread on the response, including those on sections since removed."""
    return _page(request, open_response(request.user, response_id), None)


def _target(access: Access, number: str | None, section_id: int | None) -> Target:
    if number is not None:
        return comments.answer_of(access.response, number)
    return comments.section_of(access.response, section_id)


def _start(
    request: HttpRequest,
    response_id: int,
    *,
    number: str | None = None,
    section_id: int | None = None,
) -> HttpResponse:
    form = CommentForm(request.POST, prefix="comment")
    if not form.is_valid():
        access = open_response(request.user, response_id, Action.COMMENT, state=False)
        return _page(
            request, access, _target(access, number, section_id), status=400, comment_form=form
        )
    access = None
    try:
        with writing(request.user, response_id, Action.COMMENT) as access:
            comment = comments.add_comment(
                access, body=form.cleaned_data["body"], number=number, section_id=section_id
            )
    except Invalid as refused:
        form.add_error("body", str(refused))
        return _page(
            request, access, _target(access, number, section_id), status=400, comment_form=form
        )
    except WrongState as refused:
        access = access or open_response(request.user, response_id, Action.COMMENT, state=False)
        return _refused(request, access, refused, _target(access, number, section_id))
    messages.success(request, f"Comment added on {comment.about}.")
    return redirect(back_to(access, comment))


def _refused(request: HttpRequest, access: Access, refused: Exception, target) -> HttpResponse:
    messages.error(request, str(refused))
    return _page(request, access, target, status=409)


@require_POST
@limited("comment")
def reply(request: HttpRequest, response_id: int, comment_id: int) -> HttpResponse:
    form = CommentForm.reply(comment_id, request.POST)
    if not form.is_valid():
        access = open_response(request.user, response_id, Action.COMMENT, state=False)
        root = comments.thread_of(access.response, comment_id)
        return _page(request, access, root.target, status=400, reply_form=form, reply_to=root.pk)
    access = None
    try:
        with writing(request.user, response_id, Action.COMMENT) as access:
            made = comments.reply(access, comment_id=comment_id, body=form.cleaned_data["body"])
    except Invalid as refused:
        root = comments.thread_of(access.response, comment_id)
        form.add_error("body", str(refused))
        return _page(request, access, root.target, status=400, reply_form=form, reply_to=root.pk)
    except WrongState as refused:
        access = access or open_response(request.user, response_id, Action.COMMENT, state=False)
        root = comments.thread_of(access.response, comment_id)
        return _refused(request, access, refused, root.target)
    messages.success(request, f"Reply added on {made.about}.")
    return redirect(back_to(access, made))


def _thread_step(request: HttpRequest, response_id: int, comment_id: int, step, done: str):
    access = None
    try:
        with writing(request.user, response_id, Action.RESOLVE_COMMENT) as access:
            root = step(access, comment_id=comment_id)
    except WrongState as refused:
        access = access or open_response(
            request.user, response_id, Action.RESOLVE_COMMENT, state=False
        )
        root = comments.thread_of(access.response, comment_id)
        messages.error(request, str(refused))
        return redirect(back_to(access, root))
    messages.success(request, f"{done} the comments on {root.about}.")
    return redirect(back_to(access, root))


@require_POST
def resolve(request: HttpRequest, response_id: int, comment_id: int) -> HttpResponse:
    return _thread_step(request, response_id, comment_id, comments.resolve, "Resolved")


@require_POST
def reopen(request: HttpRequest, response_id: int, comment_id: int) -> HttpResponse:
    return _thread_step(request, response_id, comment_id, comments.reopen, "Reopened")


@dataclass
class Pointed:
    """A comment a signatory pointed at an answer when returning the paper."""

    comment: Comment
    url: str  # its thread, where this reader sees it


def review_on_sign_off(access: Access, paper, formset=None) -> dict[str, Any]:
    """What the sign-off page adds for review: the rows of the return form that point
    comments at answers, and each return's pointed comments (one query, if any)."""
    returns = [d for d in paper.decisions if d.decision == SignOff.Decision.RETURNED]
    by_return: dict[int, list[Pointed]] = {}
    if returns:
        for comment in Comment.objects.pointed_at_returns(returns):
            by_return.setdefault(comment.sign_off_id, []).append(
                Pointed(comment, back_to(access, comment))
            )
    return {
        "pointed_formset": formset if formset is not None else pointed_formset(),
        "question_numbers": [answer.question.number for answer in paper.answers],
        "pointed_by_return": by_return,
    }
