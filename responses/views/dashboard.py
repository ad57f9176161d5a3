from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from responses import rules
from responses.errors import NotAllowed
from responses.models import Answer, CouncilSettings, Response, SignOff

REVIEW_LISTED = 10
SENT_LISTED = 20


def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not rules.has_a_role(user):
        raise NotAllowed(rules.NO_ROLE)
    visible = Response.objects.visible_to(user)
    leads = user.has_perm("responses.submit_response") and not rules.is_administrator(user)
    return render(
        request,
        "responses/dashboard.html",
        {
            "responses": visible.in_hand().with_progress(),
            # Still reachable once sent: democratic services publish from them.
            "sent": visible.sent()[:SENT_LISTED],
            "to_sign": visible.awaiting_signature_of(user),
            "assigned_answers": Answer.objects.assigned_to(user).filter(
                response__in=visible.in_hand()
            ),
            "may_set_up": rules.may_set_up_consultations(user),
            # The lead officer's desk: what waits on them, and what they wait for.
            # The first few to review, and how many in all: listing hundreds helps nobody.
            "to_review": Answer.objects.ready_for_review_by(user)[:REVIEW_LISTED] if leads else [],
            "to_review_count": Answer.objects.ready_for_review_by(user).count() if leads else 0,
            "returned": SignOff.objects.returned_to(user) if leads else [],
            "with_signatories": (
                Response.objects.awaiting_signatures_led_by(user) if leads else []
            ),
            # Read once for every card's report deadline (includes/deadline_chain.html).
            "report_deadline_working_days": CouncilSettings.current().report_deadline_working_days,
        },
    )
