"""The sign-off workflow: every change of a response's status, and nothing else, lives here.

drafting --submit--> awaiting Executive Director --approve--> awaiting Portfolio Holder
--approve--> signed off; either signatory may return it to drafting with a comment.

Each step is a `gate.step`: it runs on the `Access` a view opened with `writing`
(the response's row locked, the rulebook asked once, role and state), checks what
its own arguments add, then writes the Sign-off and the audit record in that
transaction; e-mails go out only once it has committed.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone

from responses import comments, notifications, rules, services
from responses.errors import Invalid, WrongState
from responses.gate import Access, step
from responses.models import AuditEvent, Response, SignOff
from responses.models.drafting import MINUTE_LENGTH
from responses.paper import Gaps, Paper
from responses.rules import Action

Status = Response.Status
logger = logging.getLogger(__name__)

# Spaces and the zero-width characters that get pasted: a comment of only these says nothing.
_SIGNATORY_FIELDS = {
    SignOff.Role.EXECUTIVE_DIRECTOR: ("director_user", "director_name"),
    SignOff.Role.PORTFOLIO_HOLDER: ("portfolio_holder_user", "portfolio_holder_name"),
}


class NeedsConfirmation(WrongState):
    def __init__(self, gaps: Gaps) -> None:
        super().__init__(
            f"Not everything is finished: {gaps.summary}. Confirm to submit it as it is."
        )
        self.gaps = gaps


def turn(response: Response) -> tuple[str, AbstractBaseUser | None] | None:
    """Whose decision the response awaits: (role, the named user), or None."""
    report = response.cabinet_report
    for role, status in (
        (SignOff.Role.EXECUTIVE_DIRECTOR, Status.AWAITING_DIRECTOR),
        (SignOff.Role.PORTFOLIO_HOLDER, Status.AWAITING_PORTFOLIO_HOLDER),
    ):
        if response.status == status and report is not None:
            return role, getattr(report, _SIGNATORY_FIELDS[role][0])
    return None


def _with_report(access: Access) -> tuple[Response, AbstractBaseUser]:
    """The locked response, which must have a report, and the user taking the step."""
    if access.response.cabinet_report is None:
        raise WrongState("This response has no Cabinet report to sign off.")
    return access.response, access.user


def _record(response: Response, kind: str, actor, summary: str, comment: str = "") -> AuditEvent:
    return AuditEvent.objects.create(
        response=response, kind=kind, actor=actor, summary=summary, comment=comment
    )


@step(Action.SUBMIT)
def submit(access: Access, *, confirm_gaps: bool = False) -> Response:
    response, user = _with_report(access)
    report = response.report
    if report.director_user is None or report.portfolio_holder_user is None:
        raise WrongState(
            "The report has no account for its Executive Director or Portfolio Holder: "
            "an administrator must name them first."
        )
    for role, (user_field, _) in _SIGNATORY_FIELDS.items():
        _check_may_sign(getattr(report, user_field), role, report)
    paper = Paper.load(response)
    missing = paper.gaps
    if missing and not confirm_gaps:
        raise NeedsConfirmation(missing)
    # Built from the answers until now; from here on, the paper prints what is kept.
    services.keep_positions_summary(paper.report_sections, paper.positions_summary, user)
    response.status = Status.AWAITING_DIRECTOR
    response.submission_round += 1
    response.save(update_fields=["status", "submission_round"])
    note = f"Submitted with {missing.summary}." if missing else ""
    _record(
        response,
        AuditEvent.Kind.SUBMITTED,
        user,
        f"Submitted for sign-off (submission {response.submission_round})",
        note,
    )
    _notify(response, report.director_user, "is ready for your sign-off")
    return response


@step(Action.DECIDE)
def approve(access: Access, *, seen_digest: str) -> SignOff:
    """Approve the content the signatory read: `seen_digest` is its fingerprint as shown."""
    response, user = _with_report(access)
    paper = Paper.load(response)
    if seen_digest != paper.digest:
        raise WrongState(
            "The paper changed while you were reading it. Read it again before you approve."
        )
    role, _ = turn(response)
    sign_off = _decide(response, user, role, SignOff.Decision.APPROVED, "", paper.digest)
    report = response.report
    if role == SignOff.Role.EXECUTIVE_DIRECTOR:
        response.status = Status.AWAITING_PORTFOLIO_HOLDER
        _notify(response, report.portfolio_holder_user, "is ready for your sign-off")
    else:
        response.status = Status.SIGNED_OFF
        _notify(response, report.lead_officer, "has been signed off")
    response.save(update_fields=["status"])
    _record(
        response,
        AuditEvent.Kind.APPROVED,
        user,
        f"Approved as {sign_off.get_role_display()} (submission {response.submission_round}, "
        f"fingerprint {paper.digest[:8]})",
    )
    return sign_off


@step(Action.DECIDE)
def return_for_changes(
    access: Access, *, comment: str, pointed: Iterable[tuple[str, str]] = ()
) -> SignOff:
    """Return the paper to drafting with a comment, and with any comments `pointed` at
    answers as (question number, words): those are threads on each answer, made in the
    same transaction (`comments.point_at_answers`), so a return is all or nothing."""
    response, user = _with_report(access)
    comment = (comment or "").strip()
    if not _has_words(comment):
        raise Invalid("Say what should change: a comment is required to return it.")
    role, _ = turn(response)
    sign_off = _decide(
        response, user, role, SignOff.Decision.RETURNED, comment, Paper.load(response).digest
    )
    pointed = list(pointed)
    comments.point_at_answers(access, sign_off, pointed)
    response.status = Status.DRAFTING
    response.save(update_fields=["status"])
    _record(
        response,
        AuditEvent.Kind.RETURNED,
        user,
        f"Returned for changes by the {sign_off.get_role_display()}",
        comment,
    )
    on_answers = "".join(f"\n\nOn question {number}: {words}" for number, words in pointed)
    _notify(
        response, response.report.lead_officer, "was returned for changes", comment + on_answers
    )
    return sign_off


@step(Action.WITHDRAW)
def withdraw(access: Access, *, reason: str) -> Response:
    """The lead takes the paper back from the signatory it awaits, to change it."""
    response, user = _with_report(access)
    reason = _reason(reason, "withdraw it")
    role, signatory = turn(response)
    response.status = Status.DRAFTING
    response.save(update_fields=["status"])
    label = SignOff.Role(role).label
    _record(
        response,
        AuditEvent.Kind.WITHDRAWN,
        user,
        f"Withdrawn from sign-off (submission {response.submission_round}) "
        f"while it awaited the {label}",
        reason,
    )
    _notify(
        response,
        signatory,
        "was withdrawn from sign-off: it is no longer for you to sign",
        reason,
        "Reason",
    )
    return response


@step(Action.REOPEN)
def reopen(access: Access, *, reason: str) -> Response:
    """The lead reopens a signed-off paper, before it is sent, to change it: its
    signatures no longer stand (the paper prints as a draft again) and the next
    submission is a new round for both signatories."""
    response, user = _with_report(access)
    reason = _reason(reason, "reopen it")
    response.status = Status.DRAFTING
    # Cabinet decided on the paper as it was; the changed paper is decided on again.
    response.cabinet_decision, response.cabinet_decided_on, response.cabinet_minute = "", None, ""
    response.save(
        update_fields=["status", "cabinet_decision", "cabinet_decided_on", "cabinet_minute"]
    )
    _record(
        response,
        AuditEvent.Kind.REOPENED,
        user,
        f"Reopened for changes after sign-off (submission {response.submission_round}): "
        "the signatures no longer stand",
        reason,
    )
    report = response.report
    for signatory in (report.director_user, report.portfolio_holder_user):
        _notify(
            response,
            signatory,
            "was reopened for changes: it will come back to you to sign",
            reason,
            "Reason",
        )
    return response


def _reason(reason: str, doing: str) -> str:
    reason = (reason or "").strip()
    if not _has_words(reason):
        raise Invalid(f"Say why you {doing}: a reason is required.")
    return reason


# Letters by Unicode's count that print as nothing (Hangul fillers).
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")


def _has_words(text: str) -> bool:
    """A comment or reason says something: at least one letter or digit, not only
    spaces, marks or invisible characters."""
    return any(character.isalnum() and character not in _BLANK_LETTERS for character in text)


@step(Action.RECORD)
def record_cabinet_decision(
    access: Access, *, decision: str, decided_on: datetime.date, minute: str
) -> Response:
    """Cabinet's decision on the signed-off paper, with the date of the meeting that took
    it and the reference of the minute that records it."""
    response, user = _with_report(access)
    if response.cabinet_decision:
        raise WrongState("Cabinet's decision is already recorded.")
    if decision not in Response.CabinetDecision.values:
        raise Invalid("Choose agreed, agreed with changes or deferred.", field="decision")
    minute = " ".join((minute or "").split())
    if not _has_words(minute):
        raise Invalid("Enter the minute reference, as the minutes print it.", field="minute")
    if len(minute) > MINUTE_LENGTH:
        raise Invalid(
            f"The minute reference must be at most {MINUTE_LENGTH} characters.", field="minute"
        )
    _check_after_sign_off(response, decided_on, "the date Cabinet decided", "decided_on")
    response.cabinet_decision = decision
    response.cabinet_decided_on = decided_on
    response.cabinet_minute = minute
    response.save(update_fields=["cabinet_decision", "cabinet_decided_on", "cabinet_minute"])
    label = Response.CabinetDecision(decision).label
    _record(
        response,
        AuditEvent.Kind.CABINET_DECISION,
        user,
        f"Cabinet decision: {label} on {decided_on:%-d %B %Y} (minute {minute})",
    )
    return response


def _check_after_sign_off(
    response: Response, day: datetime.date, what: str, field: str | None = None
) -> None:
    """A step after sign-off happened on a day between this round's sign-off and today:
    `what` names the date ("the date it was sent"), `field` the form field it is in."""
    if day > timezone.localdate():
        raise Invalid(f"{what[:1].upper()}{what[1:]} cannot be in the future.", field=field)
    signed_at = (
        response.report.sign_offs.filter(round=response.submission_round)
        .order_by("-signed_at")
        .values_list("signed_at", flat=True)
        .first()
    )
    if signed_at is None:  # signed off before sign-offs were recorded by round
        return
    signed_on = timezone.localdate(signed_at)
    if day < signed_on:
        raise Invalid(
            f"It was signed off on {signed_on:%-d %B %Y}: {what} cannot be before that.",
            field=field,
        )


@step(Action.RECORD)
def record_sent_to_government(access: Access, *, sent_on: datetime.date) -> Response:
    response, user = _with_report(access)
    if response.cabinet_decision not in (
        Response.CabinetDecision.AGREED,
        Response.CabinetDecision.AGREED_WITH_CHANGES,
    ):
        raise WrongState("Record Cabinet's agreement before recording that it was sent.")
    if response.sent_to_government_on:
        raise WrongState("The date it was sent is already recorded.")
    _check_after_sign_off(response, sent_on, "the date it was sent", "sent_on")
    response.sent_to_government_on = sent_on
    response.save(update_fields=["sent_to_government_on"])
    _record(
        response,
        AuditEvent.Kind.SENT_TO_GOVERNMENT,
        user,
        f"Sent to government on {sent_on:%-d %B %Y}",
    )
    return response


@step(Action.CHANGE_SIGNATORY)
def change_signatory(
    access: Access, *, role: str, signatory: AbstractBaseUser, name: str = ""
) -> Response:
    """Name another account (and printed name) for a signatory: someone left, or is away.

    If the response awaits that signatory, the step restarts with the new one. If the
    printed name changes after someone approved this round, the content they approved
    is no longer the paper, so sign-off starts again from the Executive Director.
    """
    response, user = _with_report(access)
    if role not in _SIGNATORY_FIELDS:
        raise Invalid("Choose the Executive Director or the Portfolio Holder.")
    report = response.report
    _check_may_sign(signatory, role, report)
    user_field, name_field = _SIGNATORY_FIELDS[role]
    name = (name or signatory.get_full_name() or signatory.get_username()).strip()
    before = getattr(report, user_field)
    if before == signatory and getattr(report, name_field) == name:
        return response
    approved_this_round = (
        response.status
        in (
            Status.AWAITING_DIRECTOR,
            Status.AWAITING_PORTFOLIO_HOLDER,
        )
        and report.sign_offs.filter(round=response.submission_round).exists()
    )
    name_changed = getattr(report, name_field) != name
    setattr(report, user_field, signatory)
    setattr(report, name_field, name)
    report.version += 1
    report._history_user = user
    report.save()
    label = SignOff.Role(role).label
    _record(
        response,
        AuditEvent.Kind.ROLE_CHANGED,
        user,
        f"{label} changed from {before.get_full_name() if before else 'nobody'} to {name}",
    )
    if approved_this_round and name_changed:
        response.status = Status.AWAITING_DIRECTOR
        response.submission_round += 1
        response.save(update_fields=["status", "submission_round"])
        _record(
            response,
            AuditEvent.Kind.SUBMITTED,
            user,
            f"Sign-off restarted (submission {response.submission_round}): "
            f"the printed {label} changed",
        )
        _notify(response, report.director_user, "is ready for your sign-off")
    elif (waiting := turn(response)) is not None and waiting[0] == role:
        _notify(response, signatory, "is ready for your sign-off")
    return response


@step(Action.SET_UP)
def change_lead_officer(access: Access, *, lead: AbstractBaseUser) -> Response:
    """Hand the response to another lead officer (at any stage: someone must record
    Cabinet's decision even if the lead left after sign-off)."""
    response, user = _with_report(access)
    if not lead.is_active or not lead.has_perm("responses.submit_response"):
        raise Invalid(f"{lead} cannot lead it: the account is inactive or not a lead officer.")
    report = response.report
    if lead.pk in (report.director_user_id, report.portfolio_holder_user_id):
        raise Invalid(f"{lead} signs this paper, so cannot also lead it.")
    before = report.lead_officer
    if before == lead:
        return response
    report.lead_officer = lead
    report._history_user = user
    report.save(update_fields=["lead_officer"])
    _record(
        response,
        AuditEvent.Kind.ROLE_CHANGED,
        user,
        f"Lead officer changed from {before.get_full_name() if before else 'nobody'} "
        f"to {lead.get_full_name() or lead.get_username()}",
    )
    _notify(response, lead, "is now yours to lead")
    return response


def signatory_problem(signatory: AbstractBaseUser, role: str, report) -> str:
    """Why this account cannot sign as `role` on the report, or "" if it can. A signatory
    is an active account in a signatory's group, not an administrator, and neither the
    other signatory nor the lead officer: two people sign a paper a third submitted."""
    if not signatory.is_active or not signatory.has_perm("responses.sign_off_response"):
        return f"{signatory} cannot sign: the account is inactive or not a signatory."
    if rules.is_administrator(signatory):
        return f"{signatory} is an administrator: administrators never sign."
    other_field = next(f for r, (f, _) in _SIGNATORY_FIELDS.items() if r != role)
    if signatory.pk in (getattr(report, other_field + "_id"), report.lead_officer_id):
        return f"{signatory} already leads or signs this paper: each signatory is someone else."
    return ""


def _check_may_sign(signatory: AbstractBaseUser, role: str, report) -> None:
    if problem := signatory_problem(signatory, role, report):
        raise Invalid(problem)


def _decide(
    response: Response, user, role: str, decision: str, comment: str, digest: str
) -> SignOff:
    return SignOff.objects.create(
        report=response.report,
        round=response.submission_round,
        role=role,
        user=user,
        decision=decision,
        comment=comment,
        content_digest=digest,
        # As they are now: a later rename of the account changes nothing signed.
        signer_name=user.get_full_name() or user.get_username(),
        signer_title=SignOff.Role(role).label,
    )


def _notify(
    response: Response, recipient, what: str, comment: str = "", label: str = "Comment"
) -> None:
    """E-mail news of this step after it commits (see `notifications`)."""
    notifications.sign_off_news(response, recipient, what, comment, label)
