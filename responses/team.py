"""The team page's reads and writes: who drafts a response, what each has, and changes.

A response's team is its lead officer (named on the Cabinet report) and the officers
added to it. The lead officer or an administrator adds an active account of the
Officer or Lead officer group, found by name, or removes a member; the lead officer
is never removed here (an administrator names another lead on the report). Removing
someone who is assigned questions unassigns them in the same step, each answer a new
version with its own history entry, so nothing is left with a person who can no
longer open it. Every change is one transaction and one audit entry.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import reduce
from operator import and_

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Max, OuterRef, Q, QuerySet, Subquery

from responses import roles
from responses.audit import name_of
from responses.errors import Invalid, NotFound, WrongState
from responses.forms import MAX_ID
from responses.gate import Access, step
from responses.models import Answer, AuditEvent, ReportSection, Response
from responses.rules import Action
from responses.services import _save_version  # one way to write a new version

SEARCH_LIMIT = 20
QUERY_LENGTH = 100
DRAFTING_GROUPS = [roles.OFFICER, roles.LEAD_OFFICER]


@dataclass
class Member:
    """One row of the team page."""

    user: AbstractBaseUser
    lead: bool
    numbers: list[str] = field(default_factory=list)  # the questions assigned, in order
    last_active: datetime.datetime | None = None

    @property
    def name(self) -> str:
        return name_of(self.user)


def drafters() -> QuerySet:
    """Accounts that may be added to a team: active, in the Officer or Lead officer group."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=DRAFTING_GROUPS)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def _lead_id(response: Response) -> int | None:
    report = response.cabinet_report
    return report.lead_officer_id if report is not None else None


def candidates(response: Response, query: str) -> list[AbstractBaseUser]:
    """Officers not yet on the team whose first name, last name or username holds every
    word of `query` ("jane sm" finds Jane Smith), at most `SEARCH_LIMIT`; none for
    an empty query."""
    # A NUL is no one's name, and PostgreSQL refuses it in a query.
    words = query.replace("\x00", " ").split()[:5] if len(query) <= QUERY_LENGTH else []
    if not words:
        return []
    wanted = [
        Q(first_name__icontains=w) | Q(last_name__icontains=w) | Q(username__icontains=w)
        for w in words
    ]
    return list(
        drafters()
        .filter(reduce(and_, wanted))
        .exclude(response_teams=response)
        .exclude(pk=_lead_id(response))[:SEARCH_LIMIT]
    )


def members(response: Response) -> list[Member]:
    """The lead officer, then the officers by name, each with their assignments and
    their last activity on this response (an answer or report section saved, or a
    workflow step). Three queries however large the team."""
    lead_id = _lead_id(response)
    answers = Answer.history.filter(response_id=response.pk, history_user=OuterRef("pk"))
    events = AuditEvent.objects.filter(response_id=response.pk, actor=OuterRef("pk"))
    sections = ReportSection.history.filter(
        report__response_id=response.pk, history_user=OuterRef("pk")
    )

    def latest(rows: QuerySet, at: str) -> Subquery:
        return Subquery(rows.order_by().values(at).annotate(m=Max(at)).values("m")[:1])

    people = (
        get_user_model()
        .objects.filter(Q(response_teams=response) | Q(pk=lead_id))
        .distinct()
        .annotate(
            answer_at=latest(answers.values("history_user"), "history_date"),
            event_at=latest(events.values("actor"), "at"),
            section_at=latest(sections.values("history_user"), "history_date"),
        )
        .order_by("first_name", "last_name", "username")
    )
    rows = {
        user.pk: Member(
            user,
            lead=user.pk == lead_id,
            last_active=max(
                (t for t in (user.answer_at, user.event_at, user.section_at) if t), default=None
            ),
        )
        for user in people
    }
    assigned = (
        Answer.objects.filter(response=response, assignee__in=list(rows))
        .order_by("question__position", "question__pk")
        .values_list("assignee_id", "question__number")
    )
    for assignee_id, number in assigned:
        rows[assignee_id].numbers.append(number)
    return sorted(rows.values(), key=lambda m: not m.lead)


def _id(value: object) -> int:
    text = str(value)
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_ID:  # not "²", not "٣"
        raise Invalid("Choose an officer from the list.", field="user")
    return int(text)


def _record(access: Access, summary: str) -> None:
    AuditEvent.objects.create(
        response=access.response,
        kind=AuditEvent.Kind.TEAM_CHANGED,
        actor=access.user,
        summary=summary[:300],
    )


@step(Action.CHANGE_TEAM)
def add_member(access: Access, *, user_id: object) -> AbstractBaseUser:
    """Put an active officer on the team. Anyone else (inactive, in no drafting group,
    unknown, or already on it) is refused, and nothing changes."""
    response = access.response
    person = drafters().filter(pk=_id(user_id)).first()
    if person is None:
        raise Invalid(
            "Only an active officer or lead officer can join the team: choose one from the list.",
            field="user",
        )
    if person.pk == _lead_id(response) or response.team.filter(pk=person.pk).exists():
        raise Invalid(f"{name_of(person)} is already on the team.", field="user")
    response.team.add(person)
    _record(access, f"{name_of(person)} added to the team")
    return person


@step(Action.CHANGE_TEAM)
def remove_member(access: Access, *, user_id: object) -> tuple[AbstractBaseUser, list[str]]:
    """Take a member off the team, unassigning their questions in the same step.

    Returns who was removed and the numbers of the questions unassigned. The lead
    officer is refused: an administrator names another on the report first."""
    response = access.response
    member_id = _id(user_id)
    if member_id == _lead_id(response):
        raise WrongState(
            "The lead officer cannot be removed from the team: an administrator names another "
            "lead officer on the Cabinet report first."
        )
    person = response.team.filter(pk=member_id).first()
    if person is None:
        raise NotFound("That person is not on this response's team.")
    answers = list(
        Answer.objects.select_for_update(of=("self",))
        .select_related("question")
        .filter(response=response, assignee=person)
        .order_by("question__position", "question__pk")
    )
    for answer in answers:  # the assignee is not counted: no count moves
        _save_version(answer, access.user, {"assignee": None})
    response.team.remove(person)
    numbers = [a.question.number for a in answers]
    unassigned = f"; questions {', '.join(numbers)} unassigned" if numbers else ""
    _record(access, f"{name_of(person)} removed from the team{unassigned}")
    return person, numbers
