from functools import partial

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from responses import appendix, services
from responses.access import get_response
from responses.diff import word_diff
from responses.forms import AnswerForm
from responses.models import Answer, Question, Response
from responses.models.drafting import MAX_TEXT_LENGTH
from responses.text import markdown_to_html
from responses.views.editing import (
    comparison,
    draft_key,
    locked_page,
    restore,
    versions,
    wire_editor,
)


def _answer(response: Response, number: str) -> Answer:
    return get_object_or_404(
        Answer.objects.select_related("question__section", "assignee", "changed_by"),
        response=response,
        question__number=number,
    )


def _anchor_url(response: Response, number: str) -> str:
    return f"{reverse('response', args=[response.pk])}#q{number}"


def _neighbours(question: Question) -> tuple[str | None, str | None]:
    siblings = Question.objects.filter(consultation_id=question.consultation_id)
    before = siblings.filter(position__lt=question.position).order_by("-position", "-pk")
    after = siblings.filter(position__gt=question.position).order_by("position", "pk")
    return (
        before.values_list("number", flat=True).first(),
        after.values_list("number", flat=True).first(),
    )


def _numbers(response: Response) -> list[str]:
    return list(
        Question.objects.filter(consultation_id=response.consultation_id).values_list(
            "number", flat=True
        )
    )


def answer_edit(request: HttpRequest, response_id: int, number: str) -> HttpResponse:
    response = get_response(request.user, response_id, write="responses.change_answer")
    answer = _answer(response, number)
    if response.is_locked:
        return locked_page(request, response, f"Question {number}", answer.text)
    initial = AnswerForm.initial_for(answer)
    form = AnswerForm(initial=initial, user=request.user, answer=answer)
    if request.method == "POST":
        form = AnswerForm(request.POST, initial=initial, user=request.user, answer=answer)
        if form.is_valid() and "preview" not in request.POST:
            data = form.cleaned_data
            try:
                services.save_answer(
                    user=request.user,
                    response_id=response.pk,
                    number=number,
                    text=data["text"],
                    status=data["status"],
                    assignee=data["assignee"],
                    expected_version=data["version"],
                )
            except services.StaleEdit as stale:
                return _conflict(request, response, stale.current, form)
            except services.Locked as locked:
                messages.error(request, str(locked))
                return redirect(_anchor_url(response, number))
            messages.success(
                request,
                f"Answer to question {number} saved.",
                extra_tags=draft_key("answer", response.pk, number),
            )
            return redirect(_anchor_url(response, number))
    previous, following = _neighbours(answer.question)
    key = draft_key("answer", response.pk, number)
    wire_editor(
        form, preview_url=reverse("preview", args=[response.pk]), key=key, previous=previous
    )
    text = form["text"].value() or ""
    return render(
        request,
        "responses/answer_edit.html",
        {
            "response": response,
            "answer": answer,
            "question": answer.question,
            "section_path": [*answer.question.section.ancestors(), answer.question.section],
            "form": form,
            "preview": appendix.render_answer(
                Answer(text=text[:MAX_TEXT_LENGTH]), _numbers(response), previous
            ),
            "previous_number": previous,
            "next_number": following,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _conflict(request: HttpRequest, response: Response, current: Answer, form) -> HttpResponse:
    """Their words, the newer saved words and the difference; saving again is deliberate."""
    theirs = form.cleaned_data
    merge_form = AnswerForm(
        initial={
            "text": theirs["text"],
            "status": theirs["status"],
            "assignee": theirs["assignee"].pk if theirs["assignee"] else None,
            "version": current.version,
        },
        user=request.user,
        answer=current,
    )
    return render(
        request,
        "responses/answer_conflict.html",
        {
            "response": response,
            "answer": current,
            "question": current.question,
            "theirs": theirs["text"],
            "diff": word_diff(current.text, theirs["text"]),
            "form": wire_editor(
                merge_form,
                preview_url=reverse("preview", args=[response.pk]),
                key=draft_key("answer", response.pk, current.question.number),
            ),
        },
        status=409,
    )


def answer_history(request: HttpRequest, response_id: int, number: str) -> HttpResponse:
    response = get_response(request.user, response_id)
    answer = _answer(response, number)
    if request.method == "POST":
        get_response(request.user, response_id, write="responses.change_answer")
        restore(
            request,
            partial(
                services.restore_answer,
                user=request.user,
                response_id=response.pk,
                number=number,
            ),
        )
        return redirect("answer_history", response_id=response.pk, number=number)
    history = versions(answer.history.select_related("history_user"), "text")
    return render(
        request,
        "responses/history.html",
        {
            "response": response,
            "subject": f"Question {number}",
            "intro": answer.question.text,
            "history": history,
            "current_version": answer.version,
            "can_restore": request.user.has_perm("responses.change_answer")
            and not response.is_locked,
            "back_url": _anchor_url(response, number),
            "edit_url": reverse("answer_edit", args=[response.pk, number]),
            **comparison(request, history),
        },
    )


@require_POST
def preview(request: HttpRequest, response_id: int) -> HttpResponse:
    """The editor's live preview, rendered by the same function as the page and PDF."""
    response = get_response(request.user, response_id)
    text = request.POST.get("text", "")
    if len(text) > MAX_TEXT_LENGTH:
        return render(request, "includes/preview.html", {"too_long": len(text)})
    if request.POST.get("plain"):
        html = markdown_to_html(text)
    else:
        previous = request.POST.get("previous") or None
        html = appendix.render_answer(Answer(text=text), _numbers(response), previous)
    return render(request, "includes/preview.html", {"html": html})
