from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from responses import changes, workflow
from responses.access import get_report, get_response
from responses.documents.context import PAPER, document_context
from responses.errors import Invalid, NotAllowed, WrongState
from responses.forms import CabinetDecisionForm, ReasonForm, ReturnForm, SentToGovernmentForm
from responses.gate import Access, open_response
from responses.models import Response, SignOff
from responses.paper import Paper
from responses.rules import Action


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
        **{name: form for name, form in extra.items() if name.endswith("_form")},
    }
    context = {
        **document_context(PAPER, paper),
        "waiting_role": SignOff.Role(waiting[0]).label if waiting else "",
        "waiting_user": waiting[1] if waiting else None,
        "digest": paper.digest,
        "decisions": paper.decisions,
        # What they are signing: for the signatory whose turn it is.
        "signing_gaps": paper.gaps if access.may(Action.DECIDE) else None,
        "since_last_seen": (
            changes.seen_by(response, user, paper, record=bool(waiting)) if signatory else None
        ),
        "access": access,
        "now": timezone.now(),
        **forms,
        **extra,
    }
    return render(request, "responses/sign_off.html", context, status=status)


def _done(request: HttpRequest, response: Response, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("sign_off", response_id=response.pk)


def _refused(request: HttpRequest, response: Response, error: Exception) -> HttpResponse:
    messages.error(request, str(error))
    return redirect("sign_off", response_id=response.pk)


@require_POST
def submit(request: HttpRequest, response_id: int) -> HttpResponse:
    response = get_response(request.user, response_id, Action.SUBMIT)
    get_report(response)
    try:
        workflow.submit(
            user=request.user,
            response_id=response.pk,
            confirm_gaps=request.POST.get("confirm_gaps") == "yes",
        )
    except workflow.NeedsConfirmation as unconfirmed:
        return _page(request, response, status=409, gaps=unconfirmed.gaps)
    except (WrongState, Invalid, NotAllowed) as error:
        return _refused(request, response, error)
    return _done(request, response, "Submitted: the Executive Director has been asked to sign.")


@require_POST
def decide(request: HttpRequest, response_id: int) -> HttpResponse:
    response = get_response(request.user, response_id, Action.DECIDE)
    get_report(response)
    try:
        if request.POST.get("decision") == "approve":
            workflow.approve(
                user=request.user,
                response_id=response.pk,
                seen_digest=request.POST.get("digest", ""),
            )
            return _done(request, response, "Approved. Thank you.")
        form = ReturnForm(request.POST)
        if request.POST.get("decision") != "return":
            raise Invalid("Choose Approve or Return.")
        if not form.is_valid():
            return _page(request, response, status=400, return_form=form)
        try:
            workflow.return_for_changes(
                user=request.user, response_id=response.pk, comment=form.cleaned_data["comment"]
            )
        except Invalid as error:
            form.add_error("comment", str(error))
            return _page(request, response, status=400, return_form=form)
    except (WrongState, Invalid, NotAllowed) as error:
        return _refused(request, response, error)
    return _done(request, response, "Returned to the lead officer with your comment.")


@require_POST
def record(request: HttpRequest, response_id: int) -> HttpResponse:
    """After sign-off: Cabinet's decision, then the date the response went to government."""
    response = get_response(request.user, response_id, Action.RECORD)
    get_report(response)
    try:
        if "decision" in request.POST:
            form = CabinetDecisionForm(request.POST)
            if not form.is_valid():
                return _page(request, response, status=400, decision_form=form)
            workflow.record_cabinet_decision(
                user=request.user, response_id=response.pk, decision=form.cleaned_data["decision"]
            )
            return _done(request, response, "Cabinet's decision is recorded.")
        form = SentToGovernmentForm(request.POST)
        if not form.is_valid():
            return _page(request, response, status=400, sent_form=form)
        workflow.record_sent_to_government(
            user=request.user, response_id=response.pk, sent_on=form.cleaned_data["sent_on"]
        )
    except (WrongState, Invalid, NotAllowed) as error:
        return _refused(request, response, error)
    return _done(request, response, "Recorded as sent to government.")


def _take_back(request: HttpRequest, response_id: int, action: Action, step, done: str):
    response = get_response(request.user, response_id, action)
    get_report(response)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _page(request, response, status=400, reason_form=form, reason_action=action)
    try:
        step(user=request.user, response_id=response.pk, reason=form.cleaned_data["reason"])
    except Invalid as error:
        form.add_error("reason", str(error))
        return _page(request, response, status=400, reason_form=form, reason_action=action)
    except (WrongState, NotAllowed) as error:
        return _refused(request, response, error)
    return _done(request, response, done)


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
