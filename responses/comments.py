"""Comment threads on answers and report sections: make, reply, resolve, reopen.

Each step is a `gate.step` (the response's row locked and the rulebook asked once,
by the view's `writing`, or by the step itself for the admin, commands and tests),
then checks what its own arguments add (the answer, section or thread is this
response's), writes, and records an `AuditEvent` with the comment's words, in one
transaction. Comments never change the paper, so they may be made in any state
until the response is sent to government (`rules`).

`@name`: a comment that mentions someone on the paper (its team, lead officer or
named signatories) tells them by e-mail, once it commits. A mention is `@` and the
person's username (`@olivia`), or `@` and their full name as Consult shows it
(`@Olivia Officer`), in any case; any other `@word` is only text. One person's
mentions send at most `MENTION_MAILS_PER_HOUR` e-mails an hour (`limits`): past that
the comment is still made, and is read on the paper, but mails no one.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from responses import limits, notifications
from responses.errors import Invalid, NotFound, WrongState
from responses.gate import Access, step
from responses.models import Answer, AuditEvent, Comment, ReportSection, Response, SignOff
from responses.models.review import MAX_COMMENT_LENGTH
from responses.rules import Action

logger = logging.getLogger(__name__)

Target = Answer | ReportSection
# Every comment on an answer or section is drawn beside its editor: a bound on that page.
MOST_COMMENTS = 200

# "@" not inside a word or an e-mail address, then a username's characters.
_MENTION = re.compile(r"(?<![\w@.+-])@([\w.+-]*\w)")


def about(target: Target) -> str:
    """What a comment is about, as it stays readable after the target changes."""
    if isinstance(target, Answer):
        return f"Question {target.question.number}"
    return target.heading


def answer_of(response: Response, number: str) -> Answer:
    answer = (
        Answer.objects.select_related("question")
        .filter(response=response, question__number=number)
        .first()
    )
    if answer is None:
        raise NotFound(f"This response has no question {number}.")
    return answer


def section_of(response: Response, section_id: int) -> ReportSection:
    section = ReportSection.objects.filter(pk=section_id, report__response=response).first()
    if section is None:
        raise NotFound("This report has no such section.")
    return section


def thread_of(response: Response, comment_id: int, *, lock: bool = False) -> Comment:
    """The first comment of the thread `comment_id` is in, if it is this response's."""
    comments = Comment.objects.filter(response=response)
    if lock:
        comments = comments.select_for_update(of=("self",))
    comment = comments.filter(pk=comment_id).first()
    if comment is not None and comment.parent_id is not None:
        comment = comments.filter(pk=comment.parent_id).first()
    if comment is None:
        raise NotFound("This response has no such comment.")
    return comment


@step(Action.COMMENT)
def add_comment(
    access: Access, *, body: str, number: str | None = None, section_id: int | None = None
) -> Comment:
    """Start a thread on the answer to question `number`, or on report section
    `section_id`: either must be the response's, or nothing is written."""
    if (number is None) == (section_id is None):
        raise Invalid("Say which answer or report section the comment is about.")
    response = access.response
    target = answer_of(response, number) if number is not None else section_of(response, section_id)
    return _make(access, body, target=target)


@step(Action.COMMENT)
def reply(access: Access, *, comment_id: int, body: str) -> Comment:
    """Reply to a thread; a reply to a reply joins the same thread (one level)."""
    root = thread_of(access.response, comment_id)
    return _make(access, body, target=root.target, parent=root)


@step(Action.RESOLVE_COMMENT)
def resolve(access: Access, *, comment_id: int) -> Comment:
    root = thread_of(access.response, comment_id, lock=True)
    if root.is_resolved:
        raise WrongState("This thread is already resolved.")
    root.resolved_at, root.resolved_by = timezone.now(), access.user
    root.save(update_fields=["resolved_at", "resolved_by"])
    _record(access, AuditEvent.Kind.COMMENT_RESOLVED, f"Comments on {root.about} resolved", "")
    return root


@step(Action.RESOLVE_COMMENT)
def reopen(access: Access, *, comment_id: int) -> Comment:
    root = thread_of(access.response, comment_id, lock=True)
    if not root.is_resolved:
        raise WrongState("This thread is open already.")
    root.resolved_at, root.resolved_by = None, None
    root.save(update_fields=["resolved_at", "resolved_by"])
    _record(access, AuditEvent.Kind.COMMENT_REOPENED, f"Comments on {root.about} reopened", "")
    return root


def point_at_answers(
    access: Access, sign_off: SignOff, pointed: Iterable[tuple[str, str]]
) -> list[Comment]:
    """The comments a signatory returning the paper points at answers, as
    (question number, words): made with the return, in its transaction. Run by
    `workflow.return_for_changes`, on the access it was opened with."""
    pointed = list(pointed)
    if not pointed:
        return []
    access.require(Action.COMMENT)
    made = []
    for number, body in pointed:
        answer = (
            Answer.objects.select_related("question")
            .filter(response=access.response, question__number=number)
            .first()
        )
        if answer is None:
            raise Invalid(f"This response has no question {number}.", field="pointed")
        made.append(_make(access, body, target=answer, sign_off=sign_off))
    return made


def _make(
    access: Access,
    body: str,
    *,
    target: Target | None,
    parent: Comment | None = None,
    sign_off: SignOff | None = None,
) -> Comment:
    response, user = access.response, access.user
    body = (body or "").replace("\r\n", "\n").strip()
    if not any(character.isalnum() for character in body):
        raise Invalid("Write your comment first.", field="body")
    about_same = Q(answer=target) if isinstance(target, Answer) else Q(section=target)
    if target is not None and Comment.objects.filter(about_same).count() >= MOST_COMMENTS:
        raise Invalid(
            f"{about(target)} has {MOST_COMMENTS} comments, the most it keeps.", field="body"
        )
    if len(body) > MAX_COMMENT_LENGTH:
        raise Invalid(
            f"A comment must be {MAX_COMMENT_LENGTH:,} characters or fewer; it has {len(body):,}.",
            field="body",
        )
    comment = Comment(
        response=response,
        answer=target if isinstance(target, Answer) else None,
        section=target if isinstance(target, ReportSection) else None,
        about=about(target) if target is not None else parent.about,
        made_on_version=target.version if target is not None else parent.made_on_version,
        parent=parent,
        author=user,
        body=body,
        sign_off=sign_off,
    )
    try:
        comment.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as refused:
        raise Invalid(" ".join(refused.messages), field="body") from refused
    comment.save()
    if parent is None:
        kind, summary = AuditEvent.Kind.COMMENTED, f"Comment on {comment.about}"
        if sign_off is not None:
            summary += f", with the return by the {sign_off.get_role_display()}"
    else:
        kind, summary = AuditEvent.Kind.COMMENT_REPLIED, f"Reply to the comments on {parent.about}"
    _record(access, kind, summary, body)
    _mail_mentioned(comment, body, user)
    return comment


def _mail_mentioned(comment: Comment, body: str, user: AbstractBaseUser) -> None:
    for person in mentioned(body, on_the_paper(comment.response)):
        if person.pk == user.pk or not notifications.may_be_mailed(person):
            continue
        if not limits.allowed(user, "mention_mails"):
            logger.warning(
                "%s has sent the most mention e-mails an hour allows: %s was not e-mailed.",
                user.get_username(),
                person.get_username(),
            )
            continue
        notifications.mentioned(comment, person, by=user)  # after commit


def _record(access: Access, kind: str, summary: str, comment: str) -> AuditEvent:
    return AuditEvent.objects.create(
        response=access.response,
        kind=kind,
        actor=access.user,
        summary=summary[:300],
        comment=comment,
    )


def on_the_paper(response: Response) -> QuerySet:
    """Who a comment may mention: the team, the lead officer and the named
    signatories, with active accounts."""
    report = response.cabinet_report
    named = (
        [report.lead_officer_id, report.director_user_id, report.portfolio_holder_user_id]
        if report is not None
        else []
    )
    return (
        get_user_model()
        .objects.filter(Q(response_teams=response) | Q(pk__in=[pk for pk in named if pk]))
        .filter(is_active=True)
        .distinct()
        .order_by("pk")
    )


def mentioned(body: str, people: Iterable[AbstractBaseUser]) -> list[AbstractBaseUser]:
    """Those of `people` the body mentions by `@username` or `@Full Name` (any case)."""
    usernames = {name.lower() for name in _MENTION.findall(body)}
    lowered = " ".join(body.lower().split())  # a name broken over a line still matches
    found = []
    for person in people:
        full = " ".join(person.get_full_name().split()).lower()
        by_name = bool(full) and re.search(rf"(?<![\w@.+-])@{re.escape(full)}(?!\w)", lowered)
        if person.get_username().lower() in usernames or by_name:
            found.append(person)
    return found
