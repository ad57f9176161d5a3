from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from responses import presence, services
from responses.access import get_response
from responses.audit import name_of
from responses.errors import Invalid, NotAllowed, NotFound, StaleEdit
from responses.forms import AnswerForm, MarkdownField
from responses.gate import Access, open_response, writing
from responses.importing.earlier import EarlierAnswer, earlier_answers
from responses.limits import Over, limited
from responses.models import Answer, Question, Response
from responses.models.drafting import MAX_TEXT_LENGTH
from responses.rules import Action
from responses.text import Parsed, parse, problems
from responses.text.crossrefs import QuestionNumbers, anchor
from responses.text.diff import word_diff
from responses.text.html import render as html
from responses.views import suggestions
from responses.views.editing import (
    comparison,
    draft_key,
    locked_page,
    restore,
    typed_text,
    versions,
    wire_editor,
)


def _answer(response: Response, number: str) -> Answer:
    answer = (
        Answer.objects.select_related("question__section", "assignee", "changed_by")
        .filter(response=response, question__number=number)
        .first()
    )
    if answer is None:
        raise NotFound(f"This response has no question {number}.")
    return answer


def _anchor_url(response: Response, number: str) -> str:
    return f"{reverse('response', args=[response.pk])}#{anchor(number)}"


def _neighbours(question: Question) -> tuple[str | None, str | None]:
    siblings = Question.objects.filter(consultation_id=question.consultation_id)
    before = siblings.filter(position__lt=question.position).order_by("-position", "-pk")
    after = siblings.filter(position__gt=question.position).order_by("position", "pk")
    return (
        before.values_list("number", flat=True).first(),
        after.values_list("number", flat=True).first(),
    )


def _numbers(response: Response) -> QuestionNumbers:
    return QuestionNumbers(
        list(
            Question.objects.filter(consultation_id=response.consultation_id).values_list(
                "number", flat=True
            )
        )
    )


def _preview(response: Response, text: str, previous: str | None, number: str = "") -> Parsed:
    return parse(
        text[:MAX_TEXT_LENGTH],
        numbers=_numbers(response),
        previous=previous,
        note_prefix=anchor(number) if number else "",
    )


@limited("save")
def answer_edit(request: HttpRequest, response_id: int, number: str) -> HttpResponse:
    """The editor of one answer. A save is checked and written under the response's row
    lock, through one `Access`: the form's checks and the write see the same rows."""
    if request.method == "POST" and not {"start_from", "preview"} & request.POST.keys():
        with writing(request.user, response_id, Action.EDIT_ANSWER, state=False) as access:
            answer = services.answer_for_update(access, number)
            result = _save(request, access, answer)
        if isinstance(result, HttpResponse):
            return result
        form = result
    else:
        access = open_response(request.user, response_id)
        if not access.may(Action.EDIT_ANSWER) and access.may(Action.SUGGEST):
            return suggestions.suggest_page(request, access, number)  # a signatory's turn
        access.require(Action.EDIT_ANSWER, state=False)
        answer = _answer(access.response, number)
        form = None
    response = access.response
    if not access.may(Action.EDIT_ANSWER) and response.is_locked:
        return locked_page(
            request,
            response,
            f"Question {number}",
            answer.text,
            reverse("answer_comments", args=[response.pk, number]),
        )
    initial = AnswerForm.initial_for(answer)
    offers = None  # asked for only when the page is shown, not on a save that succeeds
    if form is None:
        form = AnswerForm(initial=initial, access=access, answer=answer)
    if request.method == "POST" and "start_from" in request.POST:
        offers = _offers(form, request.user)
        form = _start_from(request, offers, initial=initial, access=access, answer=answer)
    elif request.method == "POST" and "preview" in request.POST:
        form = AnswerForm(request.POST, initial=initial, access=access, answer=answer)
        form.is_valid()
    previous, following = _neighbours(answer.question)
    wire_editor(
        form,
        preview_url=reverse("preview", args=[response.pk]),
        key=draft_key("answer", response.pk, number),
        previous=previous,
    )
    return render(
        request,
        "responses/answer_edit.html",
        {
            "response": response,
            "answer": answer,
            "question": answer.question,
            "section_path": [*answer.question.section.ancestors(), answer.question.section],
            "form": form,
            "preview": html(_preview(response, typed_text(form), previous, number)),
            "previous_number": previous,
            "next_number": following,
            "earlier_answers": _offers(form, request.user) if offers is None else offers,
            "presence": presence.describe(presence.here_on(response, number, request.user)),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _save(request: HttpRequest, access: Access, answer: Answer) -> HttpResponse | AnswerForm:
    """Check the posted form and save it: the page to go to, or the form with its errors.
    Runs inside the transaction that holds the lock, so a refusal writes nothing."""
    response, number = access.response, answer.question.number
    if response.is_locked:
        return locked_page(
            request,
            response,
            f"Question {number}",
            answer.text,
            reverse("answer_comments", args=[response.pk, number]),
        )
    initial = AnswerForm.initial_for(answer)
    form = AnswerForm(request.POST, initial=initial, access=access, answer=answer)
    if not form.is_valid():
        return form
    data = form.cleaned_data
    try:
        saved = services.write_answer(
            access,
            answer,
            text=data["text"],
            status=data["status"],
            assignee=data["assignee"],
            expected_version=data["version"],
            # A form that does not post the position (an older page) leaves it as it is.
            position=data["position"] if "position" in request.POST else services.KEEP,
        )
    except StaleEdit as stale:
        return _conflict(request, response, stale.current, form, access)
    except (NotAllowed, Invalid) as refused:
        form.add_error(None, f"{refused} Your text is still here; nothing was saved.")
        return form
    said = (
        f"Answer to question {number} saved."
        if saved.version != data["version"]
        else f"Nothing changed: the answer to question {number} was already this."
    )
    messages.success(request, said, extra_tags=draft_key("answer", response.pk, number))
    return redirect(_anchor_url(response, number))


def _offers(form: AnswerForm, user) -> list[EarlierAnswer]:
    """Earlier answers to offer; none for an answer the user may only read."""
    return [] if form.read_only else earlier_answers(form.answer.question, user)


def _start_from(request: HttpRequest, offers: list[EarlierAnswer], **form_kwargs) -> AnswerForm:
    """Put an offered earlier answer in the editor, as a preview does: nothing is saved.

    An empty editor takes the earlier answer; typed words stay, with it after a blank
    line. The posted version stays, so a later Save still finds a stale edit."""
    wanted = request.POST["start_from"]
    chosen = next((o for o in offers if str(o.answer_id) == wanted), None)
    data = request.POST.copy()
    if chosen is not None:
        typed = data.get("text", "")
        if chosen.text.strip() not in typed:  # pressed twice, it goes in once
            data["text"] = f"{typed.rstrip()}\n\n{chosen.text}" if typed.strip() else chosen.text
        if data.get("status") == Answer.Status.NOT_STARTED:
            data["status"] = Answer.Status.DRAFTING  # as a save of these words would set
    form = AnswerForm(data, **form_kwargs)
    form.fields["text"].widget.attrs["autofocus"] = True  # back to the words, to go on
    if chosen is None:
        form.add_error(
            None,
            "That earlier answer is not one offered for this question: the editor is as it was, "
            "and nothing was saved.",
        )
    elif form.is_valid():
        messages.info(
            request,
            f"The answer from {chosen.consultation_title}, question {chosen.question_number}, "
            "is in the editor. It is not saved until you press Save.",
        )
    return form


def _conflict(
    request: HttpRequest, response: Response, current: Answer, form, access: Access
) -> HttpResponse:
    """Their words, the newer saved words and the difference; saving again is deliberate."""
    theirs = form.cleaned_data
    merge_form = AnswerForm(
        initial={
            "text": theirs["text"],
            "status": theirs["status"],
            "assignee": theirs["assignee"].pk if theirs["assignee"] else None,
            "position": theirs["position"] if "position" in request.POST else current.position,
            "version": current.version,
        },
        access=access,
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
    if request.method == "POST":
        restore(request, response_id, Action.EDIT_ANSWER, services.restore_answer, number=number)
        return redirect("answer_history", response_id=response_id, number=number)
    access = open_response(request.user, response_id)
    response = access.response
    answer = _answer(response, number)
    records = answer.history.select_related("history_user", "assignee")
    history = versions(records, "text", _answer_changes)
    return render(
        request,
        "responses/history.html",
        {
            "response": response,
            "subject": f"Question {number}",
            "intro": answer.question.text,
            "history": history,
            "current_version": answer.version,
            "can_restore": access.refusal(Action.EDIT_ANSWER) is None,
            "back_url": _anchor_url(response, number),
            "edit_url": reverse("answer_edit", args=[response.pk, number]),
            **comparison(request, history),
        },
    )


def _answer_changes(before, after) -> list[str]:
    """What a version changed besides the words: "Status: Drafting → Agreed", "Assigned
    to Olivia Officer", "Unassigned". The first version says its status and assignee."""
    changes = []
    status = after.get_status_display()
    if before is None:
        changes.append(f"Status: {status}")
    elif before.status != after.status:
        changes.append(f"Status: {before.get_status_display()} → {status}")
    if (before.assignee_id if before else None) != after.assignee_id:
        changes.append(f"Assigned to {name_of(after.assignee)}" if after.assignee else "Unassigned")
    if (before.position if before else "") != after.position:
        position = after.get_position_display() if after.position else "not set"
        changes.append(f"Council's position: {position}")
    return changes


def _previewing_too_fast(request: HttpRequest, over: Over) -> HttpResponse:
    """What the editor shows in place of the preview: the words are untouched, and the
    next pause in typing asks again."""
    wait = f"{over.wait} second{'' if over.wait == 1 else 's'}"
    return render(
        request, "includes/preview.html", {"too_fast": True, "wait_said": wait}, status=429
    )


@require_POST
@limited("preview", _previewing_too_fast)
def preview(request: HttpRequest, response_id: int) -> HttpResponse:
    """The editor's live preview, rendered by the same function as the page and PDF."""
    response = get_response(request.user, response_id)
    text = request.POST.get("text", "")
    if len(text) > MAX_TEXT_LENGTH:
        return render(
            request, "includes/preview.html", {"too_long": len(text), "note_emptied": True}
        )
    text = MarkdownField().to_python(text)  # as Save would store it: stripped, LF only
    if request.POST.get("plain"):
        parsed = parse(text)
    else:
        parsed = _preview(response, text, request.POST.get("previous") or None)
    # What Save would refuse, said as the words are typed, read off the same parse.
    refused = [message for problem in problems(parsed) for message in problem.messages]
    return render(
        request,
        "includes/preview.html",
        {"html": html(parsed), "problems": refused, "note_emptied": True},
    )
