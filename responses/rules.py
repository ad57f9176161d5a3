"""The rulebook: may this user do this to this response? One answer for every caller.

Forms, services, the workflow, views, templates and the admin all ask here, so a
rule is written once. A role is a Django group (what kind of work a person does)
scoped to a response (whose work it is):

- the **lead officer** is the account named on the response's Cabinet report, and
  in the Lead officer group; being a lead elsewhere gives nothing here;
- the **team** is the lead officer and the officers added to the response;
- the named **signatories** read it and decide at their turn;
- **administrators** see and set up everything, but never sign.

Anyone else may not know the response exists: they get `NotFound`. The checks run
in a fixed order (can see, then role, then the response's state), so the refusal
says the most useful thing: an officer on the team pressing Save after submission
hears that the paper is locked, not that they are not allowed.
"""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Q, QuerySet

from responses.errors import DomainError, Locked, NotAllowed, NotFound, WrongState
from responses.models import Response

Status = Response.Status


class Action(StrEnum):
    VIEW = "view"
    EDIT_ANSWER = "edit_answer"
    AGREE_ANSWER = "agree_answer"
    ASSIGN_ANSWER = "assign_answer"
    EDIT_REPORT_SECTION = "edit_report_section"
    EDIT_REPORT = "edit_report"
    ADD_REPORT_SECTION = "add_report_section"
    REMOVE_REPORT_SECTION = "remove_report_section"
    REORDER_REPORT = "reorder_report"
    SUBMIT = "submit"
    DECIDE = "decide"
    RECORD = "record"
    CHANGE_SIGNATORY = "change_signatory"
    SET_UP = "set_up"
    WITHDRAW = "withdraw"
    REOPEN = "reopen"
    COMMENT = "comment"
    RESOLVE_COMMENT = "resolve_comment"
    SUGGEST = "suggest"
    ACCEPT_SUGGESTION = "accept_suggestion"
    REJECT_SUGGESTION = "reject_suggestion"
    CHANGE_TEAM = "change_team"


# What each scoped role may do, whatever the state; `_STATE_RULES` then narrows it.
_DRAFTING_WORK = {Action.EDIT_ANSWER, Action.EDIT_REPORT_SECTION}
# Taking a paper back from its signatories is the lead officer's own call.
_TAKING_BACK = {Action.WITHDRAW, Action.REOPEN}
# Suggestions (responses/suggestions.py): proposed wording instead of an edit. Deciding
# is for the answer's assignee (an officer, asked per answer: `decide_refusal`) and the
# lead; deciding waits for drafting, since accepting writes the answer.
_DECIDING = {Action.ACCEPT_SUGGESTION, Action.REJECT_SUGGESTION}
_REVIEW_WORK = {Action.SUGGEST} | _DECIDING
_LEAD_WORK = (
    _DRAFTING_WORK
    | {
        Action.AGREE_ANSWER,
        Action.ASSIGN_ANSWER,
        Action.EDIT_REPORT,
        Action.ADD_REPORT_SECTION,
        Action.REMOVE_REPORT_SECTION,
        Action.REORDER_REPORT,
        Action.SUBMIT,
        Action.RECORD,
        Action.CHANGE_TEAM,
    }
    | _TAKING_BACK
    | _REVIEW_WORK
)
# Review in place: everyone on the paper comments (the team, its named signatories,
# administrators), in any state until it is sent; comments never change the paper.
_REVIEWING = {Action.COMMENT, Action.RESOLVE_COMMENT}
_OFFICER_WORK = _DRAFTING_WORK | _REVIEW_WORK
_ADMIN_WORK = (_LEAD_WORK - _TAKING_BACK) | {Action.CHANGE_SIGNATORY, Action.SET_UP}

# Which states each action applies in; content changes only while drafting.
_CONTENT_CHANGES = _LEAD_WORK - {Action.SUBMIT, Action.RECORD} - _TAKING_BACK - _REVIEW_WORK
_AWAITING = {Status.AWAITING_DIRECTOR, Status.AWAITING_PORTFOLIO_HOLDER}
# The steps of sign-off, which a response without a Cabinet report has none of.
_SIGN_OFF_STEPS = {Action.SUBMIT, Action.DECIDE, Action.RECORD, Action.CHANGE_SIGNATORY} | (
    _TAKING_BACK
)


@dataclass(frozen=True)
class Standing:
    """Who a user is to one response."""

    administrator: bool = False
    lead: bool = False
    officer: bool = False
    director: bool = False
    portfolio_holder: bool = False

    @property
    def sees(self) -> bool:
        return any(
            (self.administrator, self.lead, self.officer, self.director, self.portfolio_holder)
        )

    def may_try(self, action: Action) -> bool:
        """Whether the role allows the action at all, before the state is asked."""
        if action == Action.VIEW or action in _REVIEWING:
            return self.sees
        if action == Action.DECIDE:  # administrators never sign, even if named
            return (self.director or self.portfolio_holder) and not self.administrator
        if action == Action.SUGGEST and (self.director or self.portfolio_holder):
            return True  # at their turn only: `_state_refusal` asks whose turn it is
        if self.administrator:
            return action in _ADMIN_WORK
        if self.lead:
            return action in _LEAD_WORK
        if self.officer:
            return action in _OFFICER_WORK
        return False


def visible_to(user: AbstractBaseUser) -> QuerySet[Response]:
    """The responses this user works on, signs, or (as an administrator) oversees: the
    same as `standing(...).sees` lets them see, each scope counted only with its role."""
    if not has_a_role(user):
        return Response.objects.none()
    if is_administrator(user):
        return Response.objects.all()
    scopes = []
    if user.has_perm("responses.change_answer"):
        scopes.append(Q(team=user))
    if user.has_perm("responses.submit_response"):
        scopes.append(Q(report__lead_officer=user))
    if user.has_perm("responses.sign_off_response"):
        scopes += [Q(report__director_user=user), Q(report__portfolio_holder_user=user)]
    if not scopes:
        return Response.objects.none()
    mine = functools.reduce(operator.or_, scopes)
    return Response.objects.filter(pk__in=Response.objects.filter(mine).values("pk"))


def consultation_locked(consultation) -> bool:
    """A consultation's questions and sections print in every response to it: they may
    change only while none of those responses is locked."""
    return Response.objects.filter(consultation=consultation).locked().exists()


def is_administrator(user: AbstractBaseUser) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm("responses.administer"))


NO_ROLE = "Your account has no role in Consult: ask an administrator."


def has_a_role(user: AbstractBaseUser) -> bool:
    return user.is_active and user.has_perm("responses.view_response")


def standing(user: AbstractBaseUser, response: Response) -> Standing:
    """The user's roles on this response; remembered on the response for the request."""
    cache = response.__dict__.setdefault("_standing", {})
    if user.pk not in cache:
        cache[user.pk] = _standing(user, response)
    return cache[user.pk]


def _standing(user: AbstractBaseUser, response: Response) -> Standing:
    if not user.is_authenticated or not user.is_active:
        return Standing()
    report = response.cabinet_report
    lead = (
        report is not None
        and report.lead_officer_id == user.pk
        and user.has_perm("responses.submit_response")
    )
    administrator = is_administrator(user)
    # The lead and administrators do all an officer does: no need to ask about the team.
    officer = (
        not (lead or administrator)
        and user.has_perm("responses.change_answer")
        and response.has_team_member(user)
    )
    signs = user.has_perm("responses.sign_off_response") and report is not None
    return Standing(
        administrator=administrator,
        lead=lead,
        officer=officer,
        director=signs and report.director_user_id == user.pk,
        portfolio_holder=signs and report.portfolio_holder_user_id == user.pk,
    )


def refusal(
    user: AbstractBaseUser, action: Action, response: Response, *, state: bool = True
) -> DomainError | None:
    """Why the user may not do `action` to the response now, or None if they may.

    With `state=False`, only whether their role allows it at all (for a view that
    shows a locked page of its own before the service asks again)."""
    if not has_a_role(user):
        return NotAllowed(NO_ROLE)
    return refusal_for(standing(user, response), action, response, state=state)


def refusal_for(
    held: Standing, action: Action, response: Response, *, state: bool = True
) -> DomainError | None:
    """`refusal` for a standing already known (the gate's), asking nothing again."""
    if not held.sees:
        return NotFound("There is no such response, or it is not one of yours.")
    if action in _SIGN_OFF_STEPS and response.cabinet_report is None:
        return WrongState("This response has no Cabinet report to sign off.")
    if not held.may_try(action):
        return NotAllowed(_NOT_YOURS[action])
    return _state_refusal(held, action, response) if state else None


def _state_refusal(held: Standing, action: Action, response: Response) -> DomainError | None:
    status = response.status
    if action in _CONTENT_CHANGES and response.is_locked:
        return Locked(response)
    if action in _REVIEWING and response.sent_to_government_on:
        return WrongState(
            f"It was sent to government on {response.sent_to_government_on:%-d %B %Y}: "
            "its comments are closed."
        )
    if action == Action.SUBMIT and status != Status.DRAFTING:
        return WrongState(f"It is already {response.get_status_display().lower()}.")
    if action == Action.RECORD and status != Status.SIGNED_OFF:
        return WrongState("Cabinet's decision and the sending follow sign-off: not signed off yet.")
    if action == Action.WITHDRAW and status not in _AWAITING:
        return WrongState("It is not with its signatories: there is nothing to withdraw.")
    if action == Action.REOPEN:
        if status != Status.SIGNED_OFF:
            return WrongState("Only a signed-off paper is reopened: this one is not signed off.")
        if response.sent_to_government_on:
            return WrongState(
                f"It was sent to government on {response.sent_to_government_on:%-d %B %Y}: "
                "it can no longer be reopened."
            )
    if action == Action.CHANGE_SIGNATORY and status == Status.SIGNED_OFF:
        return WrongState("It is signed off: its signatories can no longer change.")
    if action == Action.SUGGEST:
        return _suggest_refusal(held, response)
    if action in _DECIDING and status != Status.DRAFTING:
        return WrongState(
            f"This response is {_where(response)}: accepting or rejecting a suggestion waits "
            "until it is back in drafting."
        )
    if action == Action.DECIDE:
        if status not in _AWAITING:
            return WrongState(f"It is {response.get_status_display().lower()}: nothing to sign.")
        director_turn = status == Status.AWAITING_DIRECTOR
        if not (held.director if director_turn else held.portfolio_holder):
            report = response.cabinet_report
            named = report.director_user if director_turn else report.portfolio_holder_user
            role = "Executive Director" if director_turn else "Portfolio Holder"
            who = (named.get_full_name() or named.get_username()) if named else "nobody yet"
            return NotAllowed(f"It awaits the {role} named on the report ({who}).")
    return None


def _where(response: Response) -> str:
    if response.status == Status.SIGNED_OFF:
        return "signed off"
    return f"with its signatories ({response.get_status_display()})"


def _suggest_refusal(held: Standing, response: Response) -> DomainError | None:
    """While drafting, the team suggests (and administrators); while the paper awaits a
    signatory, that signatory alone, since the paper is theirs to read; once signed off,
    nobody, until it is reopened. Accepting waits for drafting in any case."""
    status = response.status
    drafter = held.administrator or held.lead or held.officer
    if status == Status.DRAFTING:
        if drafter:
            return None
        return NotAllowed("A signatory suggests changes while the paper is with them.")
    if status == Status.SIGNED_OFF:
        return WrongState("It is signed off: suggestions wait until it is reopened for changes.")
    turn = held.director if status == Status.AWAITING_DIRECTOR else held.portfolio_holder
    if turn and not held.administrator:
        return None
    return WrongState(
        f"It is {_where(response)}: only the signatory whose turn it is suggests changes "
        "now; the team suggests and edits once it is back in drafting."
    )


def decide_refusal(
    held: Standing,
    action: Action,
    response: Response,
    *,
    user_id: int,
    assignee_id: int | None,
) -> DomainError | None:
    """Why this user may not accept or reject a suggestion on an answer assigned to
    `assignee_id`: the lead and administrators decide on every answer, an officer only
    on the answers assigned to them."""
    if (refused := refusal_for(held, action, response, state=False)) is not None:
        return refused
    if not (held.lead or held.administrator or assignee_id == user_id):
        return NotAllowed(_NOT_YOURS[action])
    return refusal_for(held, action, response)


def withdraw_suggestion_refusal(
    held: Standing, response: Response, *, user_id: int, author_id: int
) -> DomainError | None:
    """Only its author withdraws a suggestion, in any state: it changes no words."""
    if (refused := refusal_for(held, Action.VIEW, response)) is not None:
        return refused
    if author_id != user_id:
        return NotAllowed("Only the person who made a suggestion withdraws it.")
    return None


_NOT_YOURS = {
    Action.VIEW: "Your role cannot read this response.",
    Action.EDIT_ANSWER: "Only the response's team edits its answers.",
    Action.EDIT_REPORT_SECTION: "Only the response's team edits its report.",
    Action.AGREE_ANSWER: "Only the report's lead officer marks answers agreed or changes them.",
    Action.ASSIGN_ANSWER: "Only the report's lead officer assigns questions.",
    Action.EDIT_REPORT: "Only the report's lead officer edits the report's details.",
    Action.ADD_REPORT_SECTION: "Only the report's lead officer adds report sections.",
    Action.REMOVE_REPORT_SECTION: "Only the report's lead officer removes report sections.",
    Action.REORDER_REPORT: "Only the report's lead officer reorders the report.",
    Action.SUBMIT: "Only the report's lead officer or an administrator submits it.",
    Action.DECIDE: "Only the signatories named on the report approve or return it.",
    Action.RECORD: "Only the report's lead officer or an administrator records this.",
    Action.CHANGE_SIGNATORY: "Only an administrator changes who signs.",
    Action.SET_UP: "Only an administrator sets up a response and its team.",
    Action.WITHDRAW: "Only the report's lead officer withdraws it from sign-off.",
    Action.REOPEN: "Only the report's lead officer reopens it for changes.",
    Action.COMMENT: "Only the response's team and its signatories comment on it.",
    Action.RESOLVE_COMMENT: "Only the response's team and its signatories resolve its comments.",
    Action.SUGGEST: "Only the response's team, and a signatory at their turn, suggest changes.",
    Action.ACCEPT_SUGGESTION: (
        "Only the answer's assignee or the report's lead officer accepts a suggestion."
    ),
    Action.REJECT_SUGGESTION: (
        "Only the answer's assignee or the report's lead officer rejects a suggestion."
    ),
    Action.CHANGE_TEAM: "Only the report's lead officer or an administrator changes the team.",
}


def may(user: AbstractBaseUser, action: Action, response: Response, *, state: bool = True) -> bool:
    return refusal(user, action, response, state=state) is None


def may_set_up_consultations(user: AbstractBaseUser) -> bool:
    """Lead officers start the consultations they will lead; administrators any."""
    return is_administrator(user) or (
        has_a_role(user) and user.has_perm("responses.submit_response")
    )


def require_may_set_up_consultations(user: AbstractBaseUser) -> None:
    if not may_set_up_consultations(user):
        raise NotAllowed("Only lead officers and administrators set up new consultations.")
