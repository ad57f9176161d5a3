from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from responses import changes, services, sign_off_steps, workflow
from responses.access import get_report, get_response
from responses.comment_forms import POINTED_PROBLEM, pointed, pointed_formset
from responses.documents.context import PAPER, document_context
from responses.errors import Invalid, WrongState
from responses.forms import (
    CabinetDecisionForm,
    PublicationForm,
    ReasonForm,
    ReturnForm,
    SentToGovernmentForm,
)
from responses.gate import Access, open_response, writing
from responses.models import Question, Response, SignOff
from responses.paper import Paper
from responses.rules import Action
from responses.views.comments import review_on_sign_off


def sign_off(request: HttpRequest, response_id: int) -> HttpResponse:
    response = open_response(request.user, response_id, people=True).response
    get_report(response)
    return _page(request, response)


def _page(request: HttpRequest, response: Response, *, status: int = 200, **extra) -> HttpResponse:
    paper = Paper.load(response)
    user = request.user
    access = Access.of(user, response)
    waiting = workflow.turn(response)
    held = access.standing
    signatory = (held.director or held.portfolio_holder) and not held.administrator
    forms = {
        "return_form": ReturnForm(),
        "reason_form": ReasonForm(),
        "decision_form": CabinetDecisionForm(),
        "sent_form": SentToGovernmentForm(),
        "publication_form": PublicationForm(
            initial={
                "publication": response.report.publication or PublicationForm.PUBLIC,
                "exempt_paragraph": response.report.exempt_paragraph,
            }
        ),
        **{name: form for name, form in extra.items() if name.endswith("_form")},
    }
    context = {
        **document_context(PAPER, paper),
        "waiting_role": SignOff.Role(waiting[0]).label if waiting else "",
        "waiting_user": waiting[1] if waiting else None,
        "digest": paper.digest,
        "decisions": paper.decisions,
        # Every submission, decision, withdrawal and reopening, with its reason.
        "steps": sign_off_steps.steps(response, paper.decisions),
        # What they are signing: for the signatory whose turn it is.
        "signing_gaps": paper.gaps if access.may(Action.DECIDE) else None,
        "since_last_seen": (
            changes.seen_by(response, user, paper, record=bool(waiting)) if signatory else None
        ),
        "access": access,
        "now": timezone.now(),
        **review_on_sign_off(access, paper, extra.get("pointed_formset")),
        **forms,
        **extra,
    }
    return render(request, "responses/sign_off.html", context, status=status)


def _done(request: HttpRequest, response_id: int, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("sign_off", response_id=response_id)


def _refused(request: HttpRequest, response_id: int, error: Exception) -> HttpResponse:
    """A step the response's state refused: the sign-off page says why. A role that may
    not take the step at all (`NotAllowed`) or a response it may not know of
    (`NotFound`) is not caught: the middleware answers 403 or 404."""
    messages.error(request, str(error))
    return redirect("sign_off", response_id=response_id)


def _page_for(request: HttpRequest, response_id: int, **extra) -> HttpResponse:
    """The sign-off page again with a form's errors, before any step was tried."""
    response = get_response(request.user, response_id)
    get_report(response)
    return _page(request, response, status=400, **extra)


@require_POST
def submit(request: HttpRequest, response_id: int) -> HttpResponse:
    try:
        with writing(request.user, response_id, Action.SUBMIT) as access:
            workflow.submit(access, confirm_gaps=request.POST.get("confirm_gaps") == "yes")
    except workflow.NeedsConfirmation as unconfirmed:
        return _page(request, access.response, status=409, gaps=unconfirmed.gaps)
    except (WrongState, Invalid) as error:
        return _refused(request, response_id, error)
    return _done(request, response_id, "Submitted: the Executive Director has been asked to sign.")


@require_POST
def decide(request: HttpRequest, response_id: int) -> HttpResponse:
    # Who may decide is asked before any form is read: checking a return's comments
    # costs a parse each, which nobody else may make the server do.
    response = get_response(request.user, response_id, Action.DECIDE)
    decision = request.POST.get("decision")
    if decision not in ("approve", "return"):
        return _refused(request, response_id, Invalid("Choose Approve or Return."))
    form = ReturnForm(request.POST)
    numbers = frozenset(
        Question.objects.filter(consultation_id=response.consultation_id).values_list(
            "number", flat=True
        )
    )
    points = pointed_formset(request.POST, numbers)  # comments pointed at answers, if any
    points_ok = not points.is_bound or points.is_valid()  # both asked: every error shown
    if decision == "return" and not (form.is_valid() & points_ok):
        if form.is_valid():
            form.add_error(None, POINTED_PROBLEM)
        return _page_for(request, response_id, return_form=form, pointed_formset=points)
    try:
        with writing(request.user, response_id, Action.DECIDE) as access:
            if decision == "approve":
                workflow.approve(access, seen_digest=request.POST.get("digest", ""))
            else:
                workflow.return_for_changes(
                    access, comment=form.cleaned_data["comment"], pointed=pointed(points)
                )
    except Invalid as error:
        if decision == "approve":
            return _refused(request, response_id, error)
        form.add_error("comment" if error.field is None else None, str(error))
        return _page_for(request, response_id, return_form=form, pointed_formset=points)
    except WrongState as error:
        return _refused(request, response_id, error)
    if decision == "approve":
        return _done(request, response_id, "Approved. Thank you.")
    return _done(request, response_id, "Returned to the lead officer with your comment.")


@require_POST
def record(request: HttpRequest, response_id: int) -> HttpResponse:
    """After sign-off: Cabinet's decision, then the date the response went to government."""
    if "decision" in request.POST:
        form, name = CabinetDecisionForm(request.POST), "decision_form"
    else:
        form, name = SentToGovernmentForm(request.POST), "sent_form"
    if not form.is_valid():
        get_response(request.user, response_id, Action.RECORD)  # 403 for who may not
        return _page_for(request, response_id, **{name: form})
    try:
        with writing(request.user, response_id, Action.RECORD) as access:
            if name == "decision_form":
                workflow.record_cabinet_decision(access, **form.cleaned_data)
            else:
                workflow.record_sent_to_government(access, sent_on=form.cleaned_data["sent_on"])
    except Invalid as error:
        if error.field in form.fields:
            form.add_error(error.field, str(error))
            return _page_for(request, response_id, **{name: form})
        return _refused(request, response_id, error)
    except WrongState as error:
        return _refused(request, response_id, error)
    if name == "decision_form":
        return _done(request, response_id, "Cabinet's decision is recorded.")
    return _done(request, response_id, "Recorded as sent to government.")


@require_POST
def publication(request: HttpRequest, response_id: int) -> HttpResponse:
    """The lead officer marks the report exempt or confidential, or for publication."""
    form = PublicationForm(request.POST)
    if not form.is_valid():
        get_response(request.user, response_id, Action.EDIT_REPORT)
        return _page_for(request, response_id, publication_form=form)
    try:
        with writing(request.user, response_id, Action.EDIT_REPORT) as access:
            report = services.mark_publication(access, **form.cleaned_data)
    except Invalid as error:
        form.add_error(error.field if error.field in form.fields else None, str(error))
        return _page_for(request, response_id, publication_form=form)
    except WrongState as error:
        return _refused(request, response_id, error)
    return _done(request, response_id, f"Marked {report.not_for_publication or 'for publication'}.")


def _take_back(request: HttpRequest, response_id: int, action: Action, step, done: str):
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _page_for(request, response_id, reason_form=form, reason_action=action)
    try:
        with writing(request.user, response_id, action) as access:
            step(access, reason=form.cleaned_data["reason"])
    except Invalid as error:
        form.add_error("reason", str(error))
        return _page_for(request, response_id, reason_form=form, reason_action=action)
    except WrongState as error:
        return _refused(request, response_id, error)
    return _done(request, response_id, done)


@require_POST
def withdraw(request: HttpRequest, response_id: int) -> HttpResponse:
    return _take_back(
        request,
        response_id,
        Action.WITHDRAW,
        workflow.withdraw,
        "Withdrawn from sign-off: it is back in drafting, and the signatory has been told.",
    )


@require_POST
def reopen(request: HttpRequest, response_id: int) -> HttpResponse:
    return _take_back(
        request,
        response_id,
        Action.REOPEN,
        workflow.reopen,
        "Reopened for changes: it prints as a draft until both signatories sign it again.",
    )
