"""New consultation: paste or upload the question list, preview it, create it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from responses import rules
from responses.errors import Invalid, NotAllowed
from responses.forms import error_summary
from responses.importing import setup
from responses.importing.forms import ConsultationForm, QuestionsForm
from responses.importing.parser import Outline


def new_consultation(request: HttpRequest) -> HttpResponse:
    rules.require_may_set_up_consultations(request.user)
    if request.method != "POST":
        return _page(request, ConsultationForm(user=request.user), QuestionsForm())

    details = ConsultationForm(request.POST, user=request.user)
    if request.POST.get("action") == "restart":
        return _page(request, details.unchecked(), QuestionsForm())
    questions = QuestionsForm(request.POST, request.FILES)
    outline = questions.parsed
    # Create only what the person has seen in the preview.
    creating = request.POST.get("action") == "create" and questions.previewed
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
                f"“{response.consultation.title}” is set up with {len(outline.questions)} "
                "questions. Assign them to the team, or start drafting.",
            )
            return redirect("response", response.pk)
    if outline is not None and not questions.previewed:
        questions = QuestionsForm.preview_of(outline)
    return _page(request, details if creating else details.unchecked(), questions, outline)


def _page(
    request: HttpRequest,
    details: ConsultationForm,
    questions: QuestionsForm,
    outline: Outline | None = None,
) -> HttpResponse:
    blocking = [w for w in outline.warnings if w.blocking] if outline else []
    problems = error_summary(details, questions) + [("warnings", w.message) for w in blocking]
    return render(
        request,
        "responses/consultation_new.html",
        {"details": details, "questions": questions, "outline": outline, "problems": problems},
        status=400 if problems else 200,
    )
