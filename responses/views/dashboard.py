from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from responses import rules
from responses.errors import NotAllowed
from responses.models import Answer, CouncilSettings, Response


def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not rules.has_a_role(user):
        raise NotAllowed("Your account has no role in Consult: ask an administrator.")
    visible = Response.objects.visible_to(user)
    return render(
        request,
        "responses/dashboard.html",
        {
            "responses": visible.with_progress(),
            "to_sign": visible.awaiting_signature_of(user),
            "assigned_answers": Answer.objects.assigned_to(user).filter(response__in=visible),
            "may_set_up": rules.may_set_up_consultations(user),
            # Read once for every card's report deadline (includes/deadline_chain.html).
            "report_deadline_working_days": CouncilSettings.current().report_deadline_working_days,
        },
    )
