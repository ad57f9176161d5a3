"""Suggesting changes to an answer, and accepting or rejecting them: thin views over
responses/suggestions.py. The diff a decider reads is always against the answer as it
stands, and the Accept form posts that version, so the service can refuse an accept
that would replace words the decider has not seen."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from responses import suggestions
from responses.errors import Invalid, NotFound, StaleEdit, WrongState
from responses.forms import InPageForm, VersionedForm, markdown_field
from responses.gate import Access, open_response, writing
from responses.limits import limited
from responses.models import Answer, Suggestion
from responses.models.drafting import MAX_TEXT_LENGTH
from responses.models.suggestions import MAX_REASON_LENGTH
from responses.rules import Action
from responses.text.crossrefs import anchor
from responses.text.diff import rendered_word_diff
from responses.text.html import markdown_to_html
from responses.views.editing import draft_key, typed_text, wire_editor


def _answer(response, number: str) -> Answer:
    answer = (
        Answer.objects.select_related("question", "assignee")
        .filter(response=response, question__number=number)
        .first()
    )
    if answer is None:
        raise NotFound(f"This response has no question {number}.")
    return answer


class SuggestionForm(VersionedForm):
    text = markdown_field("Suggested answer")


class AcceptForm(forms.Form):
    version = VersionedForm.base_fields["version"]


class RejectForm(InPageForm, forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Its author reads this. Up to 2,000 characters.",
        error_messages={
            "required": suggestions.REASON_NEEDED,
            "max_length": f"The reason must be {MAX_REASON_LENGTH:,} characters or fewer; "
            "it has %(show_value)s.",
        },
    )


def _suggest_page(
    request: HttpRequest,
    access: Access,
    answer: Answer,
    form: SuggestionForm,
    *,
    unsaved: bool = False,
) -> HttpResponse:
    response, number = access.response, answer.question.number
    wire_editor(
        form,
        preview_url=reverse("preview", args=[response.pk]),
        key=draft_key("answer", response.pk, number),
    )
    return render(
        request,
        "responses/suggest.html",
        {
            "response": response,
            "answer": answer,
            "question": answer.question,
            "current_html": markdown_to_html(answer.text),
            "form": form,
            "preview": _preview(typed_text(form)),
            "may_edit": access.may(Action.EDIT_ANSWER),
            "unsaved": unsaved,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _preview(text: str) -> str:
    """The words as they would print; none for text longer than an answer may be, which
    the form refuses (drawing it first would let anyone spend the server's time)."""
    return markdown_to_html(text) if len(text) <= MAX_TEXT_LENGTH else ""


def suggest_page(request: HttpRequest, access: Access, number: str) -> HttpResponse:
    """The suggestion editor, started from the answer as it stands (also what the
    answer's editor shows a signatory at their turn, who may suggest but not edit)."""
    answer = _answer(access.response, number)
    form = SuggestionForm(initial={"text": answer.text, "version": answer.version})
    return _suggest_page(request, access, answer, form)


def _posted_version(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 10 else None


@limited("comment")
def suggest(request: HttpRequest, response_id: int, number: str) -> HttpResponse:
    """The editor in suggestion mode. GET: started from the answer as it stands. POST
    from the answer editor's Suggest changes button: started from the words typed
    there, nothing kept yet. POST with Send suggestion: keep the words as a
    suggestion; the answer does not change."""
    if request.method != "POST":
        access = open_response(request.user, response_id, Action.SUGGEST)
        return suggest_page(request, access, number)
    if "send" not in request.POST:
        access = open_response(request.user, response_id, Action.SUGGEST)
        answer = _answer(access.response, number)
        version = _posted_version(request.POST.get("version")) or answer.version
        text = request.POST.get("text", answer.text).replace("\r\n", "\n")
        if len(text) > MAX_TEXT_LENGTH:  # said as the form says it, and nothing drawn
            form = SuggestionForm({"text": text, "version": version})
            form.is_valid()
        else:
            form = SuggestionForm(initial={"text": text, "version": version})
        return _suggest_page(request, access, answer, form, unsaved=text != answer.text)
    access = open_response(request.user, response_id, Action.SUGGEST, state=False)
    answer = _answer(access.response, number)
    form = SuggestionForm(request.POST)
    if form.is_valid():
        try:
            with writing(request.user, response_id, Action.SUGGEST) as locked:
                made = suggestions.suggest(
                    locked,
                    number=number,
                    text=form.cleaned_data["text"],
                    made_on_version=form.cleaned_data["version"],
                )
        except (Invalid, WrongState) as refused:
            form.add_error(
                getattr(refused, "field", None), f"{refused} Nothing was saved as a suggestion."
            )
        else:
            messages.success(
                request,
                f"Your suggestion for question {number} is kept. The answer is unchanged "
                "until its assignee or the lead officer accepts it.",
                extra_tags=draft_key("answer", response_id, number),
            )
            return redirect("suggestion", response_id=response_id, suggestion_id=made.pk)
    return _suggest_page(request, access, answer, form)


def _suggestion(access: Access, suggestion_id: int) -> tuple[Suggestion, Answer]:
    suggestion = (
        Suggestion.objects.select_related("author", "decided_by")
        .filter(response=access.response, pk=suggestion_id)
        .first()
    )
    if suggestion is None:
        raise NotFound("This response has no such suggestion.")
    answer = (
        Answer.objects.select_related("question", "assignee").filter(pk=suggestion.answer_id).get()
    )
    suggestion.answer = answer
    return suggestion, answer


def suggestion_detail(
    request: HttpRequest,
    response_id: int,
    suggestion_id: int,
    *,
    reject_form: RejectForm | None = None,
) -> HttpResponse:
    """One suggestion: what accepting it would change now, and Accept or Reject."""
    access = open_response(request.user, response_id)
    suggestion, answer = _suggestion(access, suggestion_id)
    return render(
        request,
        "responses/suggestion.html",
        {
            "response": access.response,
            "answer": answer,
            "question": answer.question,
            "item": suggestions.shown(access, answer, suggestion),
            "reject_form": reject_form or RejectForm(prefix=f"s{suggestion.pk}"),
            "text_html": markdown_to_html(suggestion.text),
            "made_diff": rendered_word_diff(suggestion.base_text, suggestion.text),
        },
        status=400 if reject_form is not None else 200,
    )


def _back(request: HttpRequest, suggestion: Suggestion) -> str:
    """Where a decision returns to: the answer's editor it was taken in, else the
    suggestion's own page. The answer is the suggestion's, whatever the form says."""
    if request.POST.get("back") == "editor":
        return reverse(
            "answer_edit", args=[suggestion.response_id, suggestion.answer.question.number]
        )
    return reverse("suggestion", args=[suggestion.response_id, suggestion.pk])


@require_POST
@limited("save")
def suggestion_accept(request: HttpRequest, response_id: int, suggestion_id: int) -> HttpResponse:
    form = AcceptForm(request.POST)
    here = reverse("suggestion", args=[response_id, suggestion_id])
    if not form.is_valid():
        open_response(request.user, response_id)  # a 404 before a hint
        messages.error(request, form.errors["version"][0])
        return redirect(here)
    try:
        with writing(request.user, response_id, Action.ACCEPT_SUGGESTION) as access:
            accepted = suggestions.accept(
                access, suggestion_id=suggestion_id, seen_version=form.cleaned_data["version"]
            )
    except StaleEdit as stale:
        messages.error(
            request,
            f"The answer changed while you were looking (it is now version "
            f"{stale.current.version}): nothing was accepted. This shows what accepting "
            "would change now.",
        )
        return redirect(here)
    except WrongState as refused:
        messages.error(request, str(refused))
        return redirect(here)
    number = accepted.answer.question.number
    messages.success(
        request,
        f"Suggestion accepted: the answer to question {number} is now version "
        f"{accepted.produced_version}.",
    )
    return redirect(_back(request, accepted))


@require_POST
def suggestion_reject(request: HttpRequest, response_id: int, suggestion_id: int) -> HttpResponse:
    form = RejectForm(request.POST, prefix=f"s{suggestion_id}")
    if not form.is_valid():
        return suggestion_detail(request, response_id, suggestion_id, reject_form=form)
    try:
        with writing(request.user, response_id, Action.REJECT_SUGGESTION) as access:
            rejected = suggestions.reject(
                access, suggestion_id=suggestion_id, reason=form.cleaned_data["reason"]
            )
    except Invalid as refused:
        form.add_error("reason", str(refused))
        return suggestion_detail(request, response_id, suggestion_id, reject_form=form)
    except WrongState as refused:
        messages.error(request, str(refused))
        return redirect("suggestion", response_id=response_id, suggestion_id=suggestion_id)
    messages.success(
        request,
        f"Suggestion rejected; {rejected.author.get_full_name() or rejected.author} "
        "is told why. The answer is unchanged.",
    )
    return redirect(_back(request, rejected))


@require_POST
def suggestion_withdraw(request: HttpRequest, response_id: int, suggestion_id: int) -> HttpResponse:
    try:
        withdrawn = suggestions.withdraw(
            user=request.user, response_id=response_id, suggestion_id=suggestion_id
        )
    except WrongState as refused:
        messages.error(request, str(refused))
        return redirect("suggestion", response_id=response_id, suggestion_id=suggestion_id)
    messages.success(request, "Suggestion withdrawn. The answer is unchanged.")
    number = withdrawn.answer.question.number
    return redirect(f"{reverse('response', args=[response_id])}#{anchor(number)}")
