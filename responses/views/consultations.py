"""New consultation: paste or upload the question list, preview it, create it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from responses import rules
from responses.errors import Invalid, NotAllowed
from responses.forms import error_summary
from responses.importing import setup
from responses.importing.forms import LEFT_OUT_SHOWN, ConsultationForm, QuestionsForm
from responses.importing.parser import Outline


def new_consultation(request: HttpRequest) -> HttpResponse:
    rules.require_may_set_up_consultations(request.user)
    if request.method != "POST":
        return _page(request, ConsultationForm(user=request.user), QuestionsForm())

    details = ConsultationForm(request.POST, user=request.user)
    if request.POST.get("action") == "restart":
        return _page(request, details.unchecked(), QuestionsForm())
    questions = QuestionsForm(request.POST, request.FILES)
    outline, found, read = questions.parsed, questions.found, questions.read
    creating = request.POST.get("action") == "create" and questions.previewed
    if creating and not questions.checked_as_it_stands:
        # Create only what the person has seen checked: changed text is checked first.
        messages.info(
            request,
            "You changed the questions since they were checked. Look at them below, then "
            "press Create consultation again.",
        )
        creating = False
    if creating and details.is_valid() and outline is not None and outline.can_be_created:
        try:
            response = setup.create_consultation(
                user=request.user,
                details=details.details(),
                outline=outline,
                organisation_name=details.cleaned_data["organisation_name"],
                report=details.report(),
                team=list(details.cleaned_data["team"]),
            )
        except (Invalid, NotAllowed) as refused:
            details.add_error(None, f"{refused} Nothing was created.")
        else:
            messages.success(
                request,
                f"“{response.consultation.title}” is set up with {outline.summary}. "
                "Assign the questions to the team, or start drafting.",
            )
            return redirect("response", response.pk)
    left_out: list[str] = []
    if outline is not None:
        if questions.previewed:
            left_out = questions.carried_left_out
            questions = QuestionsForm.shown(questions.cleaned_data["outline"], left_out, read)
        else:  # first sight of the text: what was understood, in the form it is corrected
            left_out = outline.dropped
            questions = QuestionsForm.shown(outline.to_text(), left_out, read)
    return _page(
        request,
        details if creating else details.unchecked(found),
        questions,
        outline,
        left_out,
        read,
    )


def _page(
    request: HttpRequest,
    details: ConsultationForm,
    questions: QuestionsForm,
    outline: Outline | None = None,
    left_out: list[str] = (),
    read: str = "",
) -> HttpResponse:
    blocking = [w for w in outline.warnings if w.blocking] if outline else []
    problems = error_summary(details, questions) + [("warnings", w.message) for w in blocking]
    return render(
        request,
        "responses/consultation_new.html",
        {
            "details": details,
            "questions": questions,
            "outline": outline,
            **_listed(left_out, outline.dropped if outline else []),
            "problems": problems,
            "read": read,
        },
        status=400 if problems else 200,
    )


def _listed(carried: list[str], dropped: list[str]) -> dict[str, object]:
    """What was left out, as "Text left out" lists it: the first reading's, then any new,
    at most `LEFT_OUT_SHOWN` of them; a page of 100,000 lines is no help to anyone."""
    seen = set(carried)
    pieces = [*carried, *(piece for piece in dropped if piece not in seen)]
    return {
        "left_out": pieces[:LEFT_OUT_SHOWN],
        "left_out_count": len(pieces),
        "left_out_more": max(0, len(pieces) - LEFT_OUT_SHOWN),
    }
