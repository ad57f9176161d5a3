"""Suggestions: proposing wording for an answer instead of editing it, and deciding.

Each step is one function, under the response's row lock (`responses.gate`): ask the
rulebook, check the state, write, record an `AuditEvent`, and mail once it commits.

Accepting saves the proposal as a new version of the answer through the editor's own
save (`services.write_answer`), checked against the version the decider was shown:
the page shows what accepting would change to the answer *as it then stood*, so if
anyone saved since (an edit, or another suggestion accepted), the accept is refused
as a stale edit and the suggestion stays open, to be looked at again against the new
text. Two suggestions made on the same version therefore never overwrite each other
unseen: the second to be accepted must be accepted again, knowing what it replaces.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from responses import notifications, rules, services
from responses.audit import name_of
from responses.errors import Invalid, NotFound, WrongState
from responses.gate import Access, step, writing
from responses.models import Answer, AuditEvent, Suggestion
from responses.rules import Action
from responses.text.diff import rendered_word_diff

SAME_AS_NOW = "This is the answer as it stands: change the words to suggest something."
# Each open suggestion is drawn as a diff in the editor: a bound on what one page costs.
MOST_OPEN = 20
TOO_MANY = (
    "Question {number} has {most} suggestions waiting, the most it keeps: accept or reject "
    "some first, or say it in a comment."
)
NO_WORDS = "A suggestion needs words. To suggest the answer be left empty, say so in a comment."
SAME_AS_OPENED = (
    "These are the words you started from (version {version}): change them to suggest something."
)
REASON_NEEDED = "Say why the suggestion is rejected: its author reads this."


def _answer_for_update(access: Access, *, number: str | None = None, pk: int | None = None):
    """The answer (by question number or id) in this response, its row locked."""
    answers = Answer.objects.select_for_update(of=("self",)).select_related("question", "assignee")
    answers = answers.filter(response=access.response)
    answer = answers.filter(question__number=number).first() if number else None
    if pk is not None:
        answer = answers.filter(pk=pk).first()
    if answer is None:
        raise NotFound("This response has no such question.")
    answer.response = access.response  # the locked row, not fetched again
    return answer


def text_at(answer: Answer, version: int) -> str:
    """The answer's words at `version` (its latest record of that version)."""
    if version == answer.version:
        return answer.text
    record = (
        answer.history.filter(version=version).order_by("-history_date", "-history_id").first()
        if 0 < version < answer.version
        else None
    )
    if record is None:
        raise Invalid(
            "The page was opened at a version of the answer that is not known: "
            "open it again from the response.",
            field="text",
        )
    return record.text


def _full_clean(suggestion: Suggestion, *fields: str) -> None:
    exclude = [f.name for f in Suggestion._meta.concrete_fields if f.name not in fields]
    try:
        suggestion.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as refused:
        field = next(iter(refused.message_dict), None)
        raise Invalid(" ".join(refused.messages), field=field) from refused


@step(Action.SUGGEST)
def suggest(access: Access, *, number: str, text: str, made_on_version: int) -> Suggestion:
    """Propose `text` for the answer to question `number`, as a change of the version
    the suggester's page showed (`made_on_version`); the answer does not change."""
    answer = _answer_for_update(access, number=number)
    text = text.replace("\r\n", "\n")
    base = text_at(answer, made_on_version)
    if not text.strip():
        raise Invalid(NO_WORDS, field="text")
    if text == answer.text:
        raise Invalid(SAME_AS_NOW, field="text")
    if text == base:
        raise Invalid(SAME_AS_OPENED.format(version=made_on_version), field="text")
    if Suggestion.objects.open().filter(answer=answer).count() >= MOST_OPEN:
        raise Invalid(TOO_MANY.format(most=MOST_OPEN, number=number), field="text")
    suggestion = Suggestion(
        response=access.response,
        answer=answer,
        made_on_version=made_on_version,
        base_text=base,
        text=text,
        author=access.user,
    )
    _full_clean(suggestion, "text")
    suggestion.save()
    _audit(suggestion, AuditEvent.Kind.SUGGESTED, access.user, "Changes suggested")
    _tell_deciders(suggestion, answer)
    return suggestion


def _open_for_update(access: Access, suggestion_id: int) -> Suggestion:
    """The suggestion, if it is this response's (else `NotFound`) and still open."""
    suggestion = (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("author", "answer__question")
        .filter(response=access.response, pk=suggestion_id)
        .first()
    )
    if suggestion is None:
        raise NotFound("This response has no such suggestion.")
    suggestion.response = access.response
    if not suggestion.is_open:
        raise WrongState(already_decided(suggestion))
    return suggestion


def already_decided(suggestion: Suggestion) -> str:
    status = suggestion.get_status_display().lower()
    who = f" by {name_of(suggestion.decided_by)}" if suggestion.decided_by_id else ""
    return f"This suggestion was already {status}{who}: nothing changed."


def _decider(access: Access, action: Action, answer: Answer) -> None:
    refused = rules.decide_refusal(
        access.standing,
        action,
        access.response,
        user_id=access.user.pk,
        assignee_id=answer.assignee_id,
    )
    if refused is not None:
        raise refused


@step(Action.ACCEPT_SUGGESTION)
def accept(access: Access, *, suggestion_id: int, seen_version: int) -> Suggestion:
    """Save the suggestion as a new version of its answer, through the editor's save.

    `seen_version` is the answer's version when the decider was shown what accepting
    would change: if anyone saved since, `StaleEdit` is raised and nothing changes."""
    suggestion = _open_for_update(access, suggestion_id)
    answer = _answer_for_update(access, pk=suggestion.answer_id)
    _decider(access, Action.ACCEPT_SUGGESTION, answer)
    answer._change_reason = f"Suggestion by {name_of(suggestion.author)} accepted"[:100]
    services.write_answer(
        access,
        answer,
        text=suggestion.text,
        status=answer.status,
        assignee=answer.assignee,
        expected_version=seen_version,
    )
    _decide(suggestion, access.user, Suggestion.Status.ACCEPTED, produced_version=answer.version)
    _audit(
        suggestion,
        AuditEvent.Kind.SUGGESTION_ACCEPTED,
        access.user,
        f"Suggestion by {name_of(suggestion.author)} accepted as version {answer.version}",
    )
    _tell_author(suggestion, answer, access.user)
    return suggestion


@step(Action.REJECT_SUGGESTION)
def reject(access: Access, *, suggestion_id: int, reason: str) -> Suggestion:
    """Close the suggestion without changing the answer; the reason goes to its author."""
    reason = reason.replace("\r\n", "\n").strip()
    if not reason:
        raise Invalid(REASON_NEEDED, field="reason")
    suggestion = _open_for_update(access, suggestion_id)
    answer = _answer_for_update(access, pk=suggestion.answer_id)
    _decider(access, Action.REJECT_SUGGESTION, answer)
    suggestion.reason = reason
    _full_clean(suggestion, "reason")
    _decide(suggestion, access.user, Suggestion.Status.REJECTED)
    _audit(
        suggestion,
        AuditEvent.Kind.SUGGESTION_REJECTED,
        access.user,
        f"Suggestion by {name_of(suggestion.author)} rejected",
        comment=reason,
    )
    _tell_author(suggestion, answer, access.user)
    return suggestion


def withdraw(*, user: AbstractBaseUser, response_id: int, suggestion_id: int) -> Suggestion:
    """The author takes back their own open suggestion, in any state of the response."""
    with writing(user, response_id, Action.VIEW) as access:
        suggestion = _open_for_update(access, suggestion_id)
        refused = rules.withdraw_suggestion_refusal(
            access.standing, access.response, user_id=user.pk, author_id=suggestion.author_id
        )
        if refused is not None:
            raise refused
        _decide(suggestion, user, Suggestion.Status.WITHDRAWN)
        _audit(suggestion, AuditEvent.Kind.SUGGESTION_WITHDRAWN, user, "Suggestion withdrawn")
    return suggestion


def _decide(
    suggestion: Suggestion,
    user: AbstractBaseUser,
    status: str,
    *,
    produced_version: int | None = None,
) -> None:
    suggestion.status = status
    suggestion.decided_by = user
    suggestion.decided_at = timezone.now()
    suggestion.produced_version = produced_version
    suggestion.save(
        update_fields=["status", "decided_by", "decided_at", "produced_version", "reason"]
    )


def _audit(
    suggestion: Suggestion, kind: str, user: AbstractBaseUser, what: str, *, comment: str = ""
) -> None:
    number = suggestion.answer.question.number
    AuditEvent.objects.create(
        response=suggestion.response,
        kind=kind,
        actor=user,
        summary=f"{what} (question {number}, made on version {suggestion.made_on_version})"[:300],
        comment=comment,
    )


def _tell_deciders(suggestion: Suggestion, answer: Answer) -> None:
    """Mail the answer's assignee and the lead officer (not the author) once it commits."""
    response, author = suggestion.response, suggestion.author
    report = response.cabinet_report
    people = [answer.assignee, report.lead_officer if report else None]
    number = answer.question.number
    consultation = notifications.one_line(response.consultation.title)
    subject = f"Changes suggested to question {number} of {consultation}"
    body = (
        f"{name_of(author)} suggested changes to the answer to question {number} of "
        f"{consultation}. The answer is unchanged until someone accepts them.\n\n"
        f"See them, and accept or reject them, here:\n"
        f"{notifications.page_url('suggestion', response.pk, suggestion.pk)}\n"
    )
    told: set[int] = {author.pk}
    for person in people:
        if person is not None and person.pk not in told:
            told.add(person.pk)
            notifications.send_after_commit(person, subject, body, response=response)


def _tell_author(suggestion: Suggestion, answer: Answer, by: AbstractBaseUser) -> None:
    if suggestion.author_id == by.pk:
        return
    response = suggestion.response
    number = answer.question.number
    outcome = suggestion.get_status_display().lower()
    subject = f"Your suggestion for question {number} was {outcome}"
    body = f"{name_of(by)} {outcome} your suggestion for the answer to question {number}."
    if suggestion.status == Suggestion.Status.ACCEPTED:
        body += f" It is now version {suggestion.produced_version} of the answer."
    if suggestion.reason:
        body += f"\n\nTheir reason:\n{Truncator(suggestion.reason).chars(2000)}"
    body += f"\n\n{notifications.page_url('suggestion', response.pk, suggestion.pk)}\n"
    notifications.send_after_commit(suggestion.author, subject, body, response=response)


@dataclass(frozen=True)
class Shown:
    """A suggestion as a page shows it: what accepting would change now."""

    suggestion: Suggestion
    diff: SafeString
    current_version: int
    words_moved_on: bool  # the answer's words are not those the suggestion was made on
    may_decide: bool
    may_withdraw: bool
    waiting: str = ""  # why a decider cannot decide yet (the paper is with its signatories)

    @property
    def out_of_date(self) -> bool:
        """Made on an older version whose words have since changed: the diff is against
        the text as it stands. (A new version that only assigned the answer is not.)"""
        return self.suggestion.made_on_version != self.current_version and self.words_moved_on

    @property
    def no_change_now(self) -> bool:
        return "<ins>" not in self.diff and "<del>" not in self.diff


def shown(access: Access, answer: Answer, suggestion: Suggestion) -> Shown:
    """The suggestion with its word diff against the answer's *current* text ("words as
    printed", as the history page compares) and what this user may do with it."""
    user_id = access.user.pk
    decide = rules.decide_refusal(
        access.standing,
        Action.ACCEPT_SUGGESTION,
        access.response,
        user_id=user_id,
        assignee_id=answer.assignee_id,
    )
    return Shown(
        suggestion=suggestion,
        diff=rendered_word_diff(answer.text, suggestion.text),
        current_version=answer.version,
        words_moved_on=answer.text != suggestion.base_text,
        may_decide=suggestion.is_open and decide is None,
        waiting=str(decide) if suggestion.is_open and isinstance(decide, WrongState) else "",
        may_withdraw=suggestion.is_open
        and rules.withdraw_suggestion_refusal(
            access.standing, access.response, user_id=user_id, author_id=suggestion.author_id
        )
        is None,
    )
