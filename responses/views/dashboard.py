from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import SafeString

from responses import rules
from responses.errors import NotAllowed
from responses.fragments import ResponseCard, render_response_card
from responses.models import Answer, CouncilSettings, Response, SignOff
from responses.models.drafting import ResponseQuerySet

REVIEW_LISTED = 10
SENT_LISTED = 20


def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not rules.has_a_role(user):
        raise NotAllowed(rules.NO_ROLE)
    visible = rules.visible_to(user)
    leads = user.has_perm("responses.submit_response") and not rules.is_administrator(user)
    return render(
        request,
        "responses/dashboard.html",
        {
            "cards": _cards(visible.in_hand()),
            # Still reachable once sent: democratic services publish from them.
            "sent": visible.sent()[:SENT_LISTED],
            "to_sign": visible.awaiting_signature_of(user),
            "assigned_answers": Answer.objects.assigned_to(user).filter(
                response__in=visible.in_hand()
            ),
            # Only those who draft are ever given questions: to the rest, the list is noise.
            "drafts": user.has_perm("responses.change_answer") and not rules.is_administrator(user),
            "may_set_up": rules.may_set_up_consultations(user),
            # The lead officer's desk: what waits on them, and what they wait for.
            # The first few to review, and how many in all: listing hundreds helps nobody.
            "to_review": Answer.objects.ready_for_review_by(user)[:REVIEW_LISTED] if leads else [],
            "to_review_count": Answer.objects.ready_for_review_by(user).count() if leads else 0,
            "returned": SignOff.objects.returned_to(user).with_open_comments() if leads else [],
            "with_signatories": (
                Response.objects.awaiting_signatures_led_by(user) if leads else []
            ),
        },
    )


def _cards(in_hand: ResponseQuerySet) -> list[SafeString]:
    """Each response's card as HTML, in the dashboard's order.

    The responses are read as plain values, with the answer counts each keeps
    (responses/models/counts.py): one query for any number of cards, none of which
    reads an answer. A card is rendered only when something it shows has changed
    (`render_response_card`), as an administrator sees every one."""
    # Read once for every card's report deadline.
    working_days = CouncilSettings.current().report_deadline_working_days
    today = timezone.localdate()
    rows = in_hand.values_list(  # in ResponseCard's order
        "pk",
        "consultation__title",
        "title",
        "consultation__issued_by",
        "consultation__responses_due_by",
        "status",
        "report__meeting_body",
        "report__meeting_date",
        "answer_count",
        "answered_count",
        "agreed_count",
        "report__publication",
        "report__exempt_paragraph",
    )
    return [
        render_response_card(ResponseCard(*row, working_days=working_days, today=today))
        for row in rows
    ]
