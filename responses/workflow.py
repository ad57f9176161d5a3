"""The sign-off workflow: every change of a response's status, and nothing else, lives here.

drafting --submit--> awaiting Executive Director --approve--> awaiting Portfolio Holder
--approve--> signed off; either signatory may return it to drafting with a comment.

Each function checks who may act, then the state, on the response row locked for
the transaction; then writes the Sign-off and the audit record; e-mails go out
only once the transaction has committed.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from responses import content, roles
from responses.models import Answer, AuditEvent, CabinetReport, Response, SignOff

Status = Response.Status
logger = logging.getLogger(__name__)


class WorkflowError(Exception):
    """A step refused: the message says why, and nothing was changed."""


@dataclass(frozen=True)
class Gaps:
    """What is not finished: submitting with gaps needs a deliberate confirmation."""

    unanswered: list[str]
    not_agreed: list[str]

    def __bool__(self) -> bool:
        return bool(self.unanswered or self.not_agreed)


class NeedsConfirmation(WorkflowError):
    def __init__(self, gaps: Gaps) -> None:
        super().__init__(
            f"{len(gaps.unanswered)} question(s) have no answer and {len(gaps.not_agreed)} "
            "answer(s) are not agreed. Confirm to submit it as it is."
        )
        self.gaps = gaps


def gaps(response: Response) -> Gaps:
    answers = list(response.answers.for_appendix())
    return Gaps(
        unanswered=[a.question.number for a in answers if not a.text.strip()],
        not_agreed=[
            a.question.number
            for a in answers
            if a.text.strip() and a.status != Answer.Status.AGREED
        ],
    )


def is_administrator(user: AbstractBaseUser) -> bool:
    return user.is_superuser or user.groups.filter(name=roles.ADMINISTRATOR).exists()


def may_submit(user: AbstractBaseUser, report: CabinetReport) -> bool:
    """The report's lead officer, or an administrator."""
    lead = report.lead_officer_id == user.pk and user.has_perm("responses.submit_response")
    return lead or is_administrator(user)


def turn(response: Response) -> tuple[str, AbstractBaseUser | None] | None:
    """Whose decision the response awaits: (role, the named user), or None."""
    report = response.report
    if response.status == Status.AWAITING_DIRECTOR:
        return SignOff.Role.EXECUTIVE_DIRECTOR, report.director_user
    if response.status == Status.AWAITING_PORTFOLIO_HOLDER:
        return SignOff.Role.PORTFOLIO_HOLDER, report.portfolio_holder_user
    return None


def may_decide(user: AbstractBaseUser, response: Response) -> bool:
    waiting = turn(response)
    return (
        waiting is not None
        and waiting[1] is not None
        and waiting[1].pk == user.pk
        and user.has_perm("responses.sign_off_response")
    )


def _locked(response_id: int) -> Response:
    response = get_object_or_404(
        Response.objects.select_for_update(of=("self",)).select_related(
            "consultation",
            "report__lead_officer",
            "report__director_user",
            "report__portfolio_holder_user",
        ),
        pk=response_id,
    )
    if response.cabinet_report is None:
        raise WorkflowError("This response has no Cabinet report to sign off.")
    return response


def _record(response: Response, kind: str, actor, summary: str, comment: str = "") -> AuditEvent:
    return AuditEvent.objects.create(
        response=response, kind=kind, actor=actor, summary=summary, comment=comment
    )


@transaction.atomic
def submit(*, user: AbstractBaseUser, response_id: int, confirm_gaps: bool = False) -> Response:
    response = _locked(response_id)
    report = response.report
    if not may_submit(user, report):
        raise WorkflowError("Only the report's lead officer or an administrator submits it.")
    if response.status != Status.DRAFTING:
        raise WorkflowError(f"It is already {response.get_status_display().lower()}.")
    if report.director_user is None or report.portfolio_holder_user is None:
        raise WorkflowError(
            "The report has no account for its Executive Director or Portfolio Holder: "
            "an administrator must name them first."
        )
    missing = gaps(response)
    if missing and not confirm_gaps:
        raise NeedsConfirmation(missing)
    response.status = Status.AWAITING_DIRECTOR
    response.submission_round += 1
    response.save(update_fields=["status", "submission_round"])
    note = ""
    if missing:
        note = (
            f"Submitted with {len(missing.unanswered)} unanswered and "
            f"{len(missing.not_agreed)} not agreed."
        )
    _record(
        response,
        AuditEvent.Kind.SUBMITTED,
        user,
        f"Submitted for sign-off (submission {response.submission_round})",
        note,
    )
    _notify(response, report.director_user, "is ready for your sign-off")
    return response


def current_digest(response: Response) -> str:
    """The fingerprint of what the paper prints now: approvals must match it."""
    return content.digest(content.canonical(content.load(response)))


@transaction.atomic
def approve(*, user: AbstractBaseUser, response_id: int, seen_digest: str) -> SignOff:
    """Approve the content the signatory read: `seen_digest` is its fingerprint as shown."""
    response = _locked(response_id)
    role = _check_turn(user, response)
    if seen_digest != current_digest(response):
        raise WorkflowError(
            "The paper changed while you were reading it. Read it again before you approve."
        )
    sign_off = _decide(response, user, role, SignOff.Decision.APPROVED, "")
    report = response.report
    if role == SignOff.Role.EXECUTIVE_DIRECTOR:
        response.status = Status.AWAITING_PORTFOLIO_HOLDER
        _notify(response, report.portfolio_holder_user, "is ready for your sign-off")
    else:
        response.status = Status.SIGNED_OFF
        _notify(response, report.lead_officer, "has been signed off")
    response.save(update_fields=["status"])
    _record(response, AuditEvent.Kind.APPROVED, user, f"Approved as {sign_off.get_role_display()}")
    return sign_off


@transaction.atomic
def return_for_changes(*, user: AbstractBaseUser, response_id: int, comment: str) -> SignOff:
    response = _locked(response_id)
    role = _check_turn(user, response)
    comment = (comment or "").strip()
    if not comment:
        raise WorkflowError("Say what should change: a comment is required to return it.")
    sign_off = _decide(response, user, role, SignOff.Decision.RETURNED, comment)
    response.status = Status.DRAFTING
    response.save(update_fields=["status"])
    _record(
        response,
        AuditEvent.Kind.RETURNED,
        user,
        f"Returned for changes by the {sign_off.get_role_display()}",
        comment,
    )
    _notify(response, response.report.lead_officer, "was returned for changes", comment)
    return sign_off


@transaction.atomic
def record_cabinet_decision(*, user: AbstractBaseUser, response_id: int, decision: str) -> Response:
    response = _locked(response_id)
    if not may_submit(user, response.report):
        raise WorkflowError("Only the lead officer or an administrator records the decision.")
    if response.status != Status.SIGNED_OFF:
        raise WorkflowError("Cabinet decides on a signed-off paper: this one is not signed off.")
    if response.cabinet_decision:
        raise WorkflowError("Cabinet's decision is already recorded.")
    if decision not in Response.CabinetDecision.values:
        raise WorkflowError("Choose agreed, agreed with changes or deferred.")
    response.cabinet_decision = decision
    response.save(update_fields=["cabinet_decision"])
    label = Response.CabinetDecision(decision).label
    _record(response, AuditEvent.Kind.CABINET_DECISION, user, f"Cabinet decision: {label}")
    return response


@transaction.atomic
def record_sent_to_government(
    *, user: AbstractBaseUser, response_id: int, sent_on: datetime.date
) -> Response:
    response = _locked(response_id)
    if not may_submit(user, response.report):
        raise WorkflowError("Only the lead officer or an administrator records the sending.")
    if response.cabinet_decision not in (
        Response.CabinetDecision.AGREED,
        Response.CabinetDecision.AGREED_WITH_CHANGES,
    ):
        raise WorkflowError("Record Cabinet's agreement before recording that it was sent.")
    if sent_on > timezone.localdate():
        raise WorkflowError("The date it was sent cannot be in the future.")
    response.sent_to_government_on = sent_on
    response.save(update_fields=["sent_to_government_on"])
    _record(
        response,
        AuditEvent.Kind.SENT_TO_GOVERNMENT,
        user,
        f"Sent to government on {sent_on:%-d %B %Y}",
    )
    return response


def _check_turn(user: AbstractBaseUser, response: Response) -> str:
    waiting = turn(response)
    if waiting is None:
        raise WorkflowError(
            f"It is {response.get_status_display().lower()}: there is nothing to sign."
        )
    role, named = waiting
    if not may_decide(user, response):
        who = named.get_full_name() if named else "nobody yet"
        raise WorkflowError(
            f"It awaits the {SignOff.Role(role).label} named on the report ({who})."
        )
    return role


def _decide(response: Response, user, role: str, decision: str, comment: str) -> SignOff:
    return SignOff.objects.create(
        report=response.report,
        round=response.submission_round,
        role=role,
        user=user,
        decision=decision,
        comment=comment,
        content_digest=current_digest(response),
    )


def _notify(response: Response, recipient, what: str, comment: str = "") -> None:
    if recipient is None or not recipient.email:
        return
    url = settings.SITE_URL.rstrip("/") + reverse("sign_off", args=[response.pk])
    subject = f"{response.report.title} {what}"
    body = f"{response.report.title} {what}.\n\n{url}\n"
    if comment:
        body += f"\nComment:\n{comment}\n"

    def send() -> None:
        # The step is done and recorded; a mail server that is down must not undo it.
        try:
            send_mail(subject, body, None, [recipient.email])
        except Exception:
            logger.exception("Could not e-mail %s about response %s", recipient.email, response.pk)

    transaction.on_commit(send)


@dataclass(frozen=True)
class Signatures:
    """This round's approvals, and whether they prove the content as it is now."""

    approvals: dict[str, SignOff]
    complete: bool  # signed off, by both signatories
    matching: bool  # every approval's digest is the current content's

    @property
    def valid(self) -> bool:
        return self.complete and self.matching

    @property
    def content_changed(self) -> bool:
        return bool(self.approvals) and not self.matching


def signatures(response: Response, current_digest: str) -> Signatures:
    report = response.cabinet_report
    approvals: dict[str, SignOff] = {}
    if report is not None and response.submission_round:
        for sign_off in SignOff.objects.filter(
            report=report, round=response.submission_round, decision=SignOff.Decision.APPROVED
        ).select_related("user"):
            approvals[sign_off.role] = sign_off
    complete = response.status == Status.SIGNED_OFF and len(approvals) == len(SignOff.Role)
    matching = all(a.content_digest == current_digest for a in approvals.values())
    return Signatures(approvals, complete, matching)
