"""Every write made while drafting, and the making of a response: pages, admin and shell alike.

Each function locks the response's row first, so a save and a submission for
sign-off cannot interleave; then asks the rulebook (who, and in which state), then
checks the version the editor was opened at, and only then writes, through `save()`
so that history records who and when. A refusal is a domain error, raised before
anything is written. A save that changes nothing leaves the version as it was, so
the caller can say so.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet

from responses import notifications
from responses.errors import Invalid, Locked, NotFound, StaleEdit, WrongState
from responses.gate import Access, open_response, step
from responses.models import (
    Answer,
    AuditEvent,
    CabinetReport,
    Consultation,
    CouncilSettings,
    ReportSection,
    Response,
)
from responses.models.counts import counted_once
from responses.rules import Action

KEEP: Any = object()  # leave this field as it is (an assignee, a position)


def _save_version(obj: Any, user: AbstractBaseUser, changes: dict[str, Any]) -> None:
    """Apply `changes` as a new version of `obj`; no new version when nothing differs.

    Browsers send a text box's line breaks as CRLF: kept as LF, so a save of the same
    words is no change (no new version, no new digest)."""
    changes = {
        field: value.replace("\r\n", "\n") if isinstance(value, str) else value
        for field, value in changes.items()
    }
    changed = {field for field, value in changes.items() if getattr(obj, field) != value}
    if not changed:
        return
    for field, value in changes.items():
        setattr(obj, field, value)
    # Only what changes is checked: a text saved before a rule was added (a relative
    # link, say) does not block a change of status or assignee.
    unchanged = [f.name for f in obj._meta.concrete_fields if f.name not in changed]
    try:
        obj.full_clean(exclude=unchanged, validate_unique=False, validate_constraints=False)
    except ValidationError as refused:
        raise Invalid(" ".join(refused.messages)) from refused
    obj.version += 1
    obj._history_user = user
    if hasattr(type(obj), "changed_by"):  # asked of the class: the instance would fetch it
        obj.changed_by = user
    obj.save()


def _check_version(obj: Any, expected_version: int) -> None:
    if obj.version != expected_version:
        raise StaleEdit(obj)


def answer_for_update(access: Access, number: str) -> Answer:
    """The answer to question `number`, its row locked, for a save through `access`."""
    answer = (
        Answer.objects.select_for_update(of=("self",))
        .select_related("question")
        .filter(response=access.response, question__number=number)
        .first()
    )
    if answer is None:
        raise NotFound(f"This response has no question {number}.")
    answer.response = access.response  # the locked row, not fetched again
    return answer


def assignable(response: Response, *, also: int | None = None) -> QuerySet:
    """Who may be given a question: the active members of the response's team and its
    lead officer; `also` keeps one more account listed (a current assignee who left)."""
    report = response.cabinet_report
    members = Q(is_active=True) & (
        Q(response_teams=response) | Q(pk=report.lead_officer_id if report else None)
    )
    return (
        get_user_model()
        .objects.filter(members | Q(pk=also))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


@transaction.atomic
def save_answer(
    *,
    user: AbstractBaseUser,
    response_id: int,
    number: str,
    text: str,
    status: str,
    assignee: AbstractBaseUser | None,
    expected_version: int,
    position: str = KEEP,
) -> Answer:
    """Save an answer for a caller that has not opened the response itself (the admin,
    commands): open it, locked, and write."""
    access = open_response(user, response_id, Action.EDIT_ANSWER, lock=True)
    return write_answer(
        access,
        answer_for_update(access, number),
        text=text,
        status=status,
        assignee=assignee,
        expected_version=expected_version,
        position=position,
    )


def write_answer(
    access: Access,
    answer: Answer,
    *,
    text: str,
    status: str,
    assignee: AbstractBaseUser | None,
    expected_version: int,
    position: str = KEEP,
) -> Answer:
    """Save an answer through a locked `access` that allows editing answers; only what
    this save adds (agreeing, assigning) is asked of the rulebook.

    The council's `position` is content, like the text: the same version, history and
    lock; on an agreed answer only the lead officer changes it. Left out, it stays."""
    _check_version(answer, expected_version)
    position = answer.position if position is KEEP else position
    if answer.status == Answer.Status.AGREED and position != answer.position:
        access.require(Action.AGREE_ANSWER)
    if text.strip() and status == Answer.Status.NOT_STARTED:
        status = Answer.Status.DRAFTING  # an answer with words in it has been started
    if answer.status == Answer.Status.AGREED and text != answer.text:
        access.require(Action.AGREE_ANSWER)
    if status != answer.status and Answer.Status.AGREED in (status, answer.status):
        access.require(Action.AGREE_ANSWER)
    if (assignee.pk if assignee else None) != answer.assignee_id:
        access.require(Action.ASSIGN_ANSWER)
        response = access.response
        if assignee is not None and not assignable(response).filter(pk=assignee.pk).exists():
            raise Invalid(f"{assignee} is not on this response's team.")
        notifications.question_assigned(answer, assignee, by=access.user)  # after commit
    _save_version(
        answer,
        access.user,
        {"text": text, "status": status, "assignee": assignee, "position": position},
    )
    return answer


def update_answers(
    *,
    user: AbstractBaseUser,
    response_id: int,
    selected: dict[int, int],
    assignee: AbstractBaseUser | None | object = KEEP,
    agree: bool = False,
) -> list[Answer]:
    """`agree_answers` or `assign_answers`, for a caller that has not opened the
    response itself (the admin, commands, tests)."""
    if agree:
        return agree_answers(
            user=user, response_id=response_id, selected=selected, assignee=assignee
        )
    return assign_answers(user=user, response_id=response_id, selected=selected, assignee=assignee)


@step(Action.AGREE_ANSWER)
def agree_answers(
    access: Access,
    *,
    selected: dict[int, int],
    assignee: AbstractBaseUser | None | object = KEEP,
) -> list[Answer]:
    """Mark the selected answers agreed (and assign them too, if `assignee` is given)."""
    if assignee is not KEEP:
        access.require(Action.ASSIGN_ANSWER)
    return _update_answers(access, selected, assignee, agree=True)


@step(Action.ASSIGN_ANSWER)
def assign_answers(
    access: Access, *, selected: dict[int, int], assignee: AbstractBaseUser | None | object
) -> list[Answer]:
    """Give the selected answers to `assignee` (None: to nobody)."""
    return _update_answers(access, selected, assignee, agree=False)


def _update_answers(
    access: Access,
    selected: dict[int, int],
    assignee: AbstractBaseUser | None | object,
    *,
    agree: bool,
) -> list[Answer]:
    """The lead's step over several answers at once: assign them, or mark them agreed.

    `selected` maps each answer's id to the version the lead saw. One transaction:
    if any answer is not this response's, changed since it was seen, or (to agree) has
    no words, nothing changes. Each answer that does change is a new version with its
    own history entry, as if saved on its own page."""
    if not selected:
        raise Invalid("Select at least one question first.")
    response, user = access.response, access.user
    answers = list(
        Answer.objects.select_for_update(of=("self",))
        .select_related("question", "assignee")
        .filter(response=response, pk__in=selected)
        .order_by("question__position", "pk")
    )
    if len(answers) != len(selected):
        raise NotFound("Some of the selected questions are not in this response.")
    stale = [a.question.number for a in answers if a.version != selected[a.pk]]
    if stale:
        raise WrongState(
            f"Someone changed question{'s' if len(stale) > 1 else ''} {', '.join(stale)} "
            "since you opened this page, so nothing was changed. Look again, then select again."
        )
    changes: dict[str, Any] = {}
    if agree:
        empty = [a.question.number for a in answers if not a.text.strip()]
        if empty:
            raise Invalid(
                f"Question{'s' if len(empty) > 1 else ''} {', '.join(empty)} "
                f"{'have' if len(empty) > 1 else 'has'} no answer to agree, so nothing was "
                "changed."
            )
        changes["status"] = Answer.Status.AGREED
    if assignee is not KEEP:
        if assignee is not None and not assignable(response).filter(pk=assignee.pk).exists():
            raise Invalid(f"{assignee} is not on this response's team.")
        changes["assignee"] = assignee
    if not changes:
        raise Invalid("Choose what to do with the selected questions.")
    if "assignee" in changes:
        given = [a for a in answers if a.assignee != changes["assignee"]]
        notifications.questions_assigned(given, changes["assignee"], by=user)
    with counted_once(response):
        for answer in answers:
            _save_version(answer, user, changes)
    return answers


def _history_record(obj: Any, history_id: int) -> Any:
    record = obj.history.filter(history_id=history_id).first()
    if record is None:
        raise NotFound("There is no such version of this text.")
    return record


def _report_for_update(response: Response) -> CabinetReport:
    report = CabinetReport.objects.select_for_update().filter(response=response).first()
    if report is None:
        raise NotFound("This response has no Cabinet report yet.")
    return report


@step(Action.EDIT_REPORT)
def save_report_details(
    access: Access, *, details: dict[str, Any], expected_version: int
) -> CabinetReport:
    response, user = access.response, access.user
    report = _report_for_update(response)
    _check_version(report, expected_version)
    _save_version(report, user, details)
    return report


@step(Action.EDIT_REPORT)
def mark_publication(
    access: Access, *, publication: str, exempt_paragraph: int | None = None
) -> CabinetReport:
    """Mark the report not for publication (exempt under a paragraph of Schedule 12A to
    the Local Government Act 1972, or confidential), or for publication again. It is a
    change to the report like any other (drafting only, a new version), and audited."""
    response, user = access.response, access.user
    Publication = CabinetReport.Publication
    if publication not in Publication.values:
        raise Invalid("Choose exempt, confidential or for publication.", field="publication")
    if publication == Publication.EXEMPT:
        if exempt_paragraph not in range(1, 8):
            raise Invalid(
                "Choose a paragraph from 1 to 7 of Schedule 12A.", field="exempt_paragraph"
            )
    else:
        exempt_paragraph = None
    report = _report_for_update(response)
    if (report.publication, report.exempt_paragraph) == (publication, exempt_paragraph):
        return report
    before = report.not_for_publication
    _save_version(report, user, {"publication": publication, "exempt_paragraph": exempt_paragraph})
    AuditEvent.objects.create(
        response=response,
        kind=AuditEvent.Kind.PUBLICATION,
        actor=user,
        summary=(
            f"Marked {report.not_for_publication}"
            if report.not_for_publication
            else "Marked for publication again"
        )[:300],
        comment=f"Before: {before}" if before else "",
    )
    return report


def _section_for_update(response: Response, section_id: int) -> ReportSection:
    section = (
        ReportSection.objects.select_for_update()
        .filter(pk=section_id, report__response=response)
        .first()
    )
    if section is None:
        raise NotFound("This report has no such section.")
    return section


@step(Action.EDIT_REPORT_SECTION)
def save_report_section(
    access: Access, *, section_id: int, heading: str, body: str, expected_version: int
) -> ReportSection:
    response, user = access.response, access.user
    section = _section_for_update(response, section_id)
    return _write_section(section, user, heading, body, expected_version)


@step(Action.EDIT_REPORT)
def insert_positions_summary(access: Access, *, section_id: int) -> ReportSection:
    """End a report section with the summary of the council's positions, kept up to date
    from the answers until the paper is submitted (responses/positions.py). One section
    of the report carries it; inserting it again where it is changes nothing."""
    section = _section_for_update(access.response, section_id)
    elsewhere = (
        ReportSection.objects.filter(report_id=section.report_id, summarises_positions=True)
        .exclude(pk=section.pk)
        .first()
    )
    if elsewhere is not None:
        raise WrongState(
            f"The summary of the council's positions is already in “{elsewhere.heading}”: "
            "remove it there first."
        )
    if not section.summarises_positions:
        _summary_moved(access, section, True, "inserted in")
    return section


@step(Action.EDIT_REPORT)
def remove_positions_summary(access: Access, *, section_id: int) -> ReportSection:
    """Take the summary of positions out of a report section again."""
    section = _section_for_update(access.response, section_id)
    if section.summarises_positions:
        _summary_moved(access, section, False, "removed from")
    return section


def _summary_moved(access: Access, section: ReportSection, carries: bool, done: str) -> None:
    _save_version(section, access.user, {"summarises_positions": carries, "positions_summary": ""})
    AuditEvent.objects.create(
        response=access.response,
        kind=AuditEvent.Kind.POSITIONS_SUMMARY,
        actor=access.user,
        summary=f"Summary of the council's positions {done} “{section.heading}”"[:300],
    )


def keep_positions_summary(
    sections: list[ReportSection], summary: str, user: AbstractBaseUser
) -> None:
    """At submission, keep the summary as it now reads in the section that carries it
    (a new version of the section): from then on the paper prints what was kept, so the
    words its signatories sign never change. Called by `workflow.submit`, which holds
    the response's row lock."""
    for section in sections:
        if section.summarises_positions:
            _save_version(section, user, {"positions_summary": summary})


def _write_section(
    section: ReportSection, user: AbstractBaseUser, heading: str, body: str, expected_version: int
) -> ReportSection:
    _check_version(section, expected_version)
    _save_version(section, user, {"heading": heading, "body": body})
    return section


def restore_version(
    *,
    user: AbstractBaseUser,
    response_id: int,
    history_id: int,
    expected_version: int,
    number: str | None = None,
    section_id: int | None = None,
) -> Answer | ReportSection:
    """`restore_answer` (`number`) or `restore_section` (`section_id`), for a caller
    that has not opened the response itself."""
    if number is not None:
        return restore_answer(
            user=user,
            response_id=response_id,
            number=number,
            history_id=history_id,
            expected_version=expected_version,
        )
    return restore_section(
        user=user,
        response_id=response_id,
        section_id=section_id,
        history_id=history_id,
        expected_version=expected_version,
    )


@step(Action.EDIT_ANSWER)
def restore_answer(
    access: Access, *, number: str, history_id: int, expected_version: int
) -> Answer:
    """Bring back an earlier version of an answer as a new version, through the same
    save: history only ever grows."""
    answer = answer_for_update(access, number)
    record = _history_record(answer, history_id)
    return write_answer(
        access,
        answer,
        text=record.text,
        status=answer.status,
        assignee=answer.assignee,
        expected_version=expected_version,
    )


@step(Action.EDIT_REPORT_SECTION)
def restore_section(
    access: Access, *, section_id: int, history_id: int, expected_version: int
) -> ReportSection:
    """Bring back an earlier version of a report section as a new version."""
    section = _section_for_update(access.response, section_id)
    record = _history_record(section, history_id)
    return _write_section(section, access.user, record.heading, record.body, expected_version)


@step(Action.ADD_REPORT_SECTION)
def add_report_section(access: Access, *, heading: str, body: str = "") -> ReportSection:
    response, user = access.response, access.user
    report = _report_for_update(response)
    last = report.sections.aggregate(last=Max("position"))["last"] or 0
    section = ReportSection(
        report=report, heading=heading, body=body, position=last + 1, changed_by=user
    )
    section.full_clean()
    section._history_user = user
    section.save()
    return section


@step(Action.REMOVE_REPORT_SECTION)
def delete_report_section(access: Access, *, section_id: int) -> str:
    response, user = access.response, access.user
    section = _section_for_update(response, section_id)
    heading = section.heading
    section._history_user = user
    section.delete()
    return heading


@step(Action.REORDER_REPORT)
def move_report_section(access: Access, *, section_id: int, offset: int) -> ReportSection:
    """Swap a section with its neighbour above (offset -1) or below (+1)."""
    if offset not in (-1, 1):
        raise Invalid("Move a section one place up or down.")
    response, user = access.response, access.user
    report = _report_for_update(response)
    sections = list(report.sections.select_for_update().order_by("position", "pk"))
    index = next((i for i, s in enumerate(sections) if s.pk == section_id), None)
    if index is None:
        raise NotFound("This report has no such section.")
    target = index + offset
    if not 0 <= target < len(sections):
        return sections[index]
    sections[index], sections[target] = sections[target], sections[index]
    for position, section in enumerate(sections, start=1):
        if section.position != position:
            section.position = position
            section._history_user = user
            section.save(update_fields=["position"])
    return sections[target]


@transaction.atomic
def create_response(
    *,
    consultation: Consultation,
    organisation_name: str,
    title: str,
    report: dict[str, Any] | None = None,
    team: list[AbstractBaseUser] = (),
    by: AbstractBaseUser | None = None,
) -> Response:
    """A response with one empty answer per question and, given its details, the
    Cabinet report with the council's standard headings: wherever a response is made
    (admin, shell, import), it is made here, so none lacks an answer or a report."""
    response = Response(consultation=consultation, organisation_name=organisation_name, title=title)
    response.full_clean()
    response.save()
    response.team.add(*team)
    add_missing_answers(response, by=by)
    if report is not None:
        create_report(response, report, by=by)
    return response


def create_report(
    response: Response, details: dict[str, Any], *, by: AbstractBaseUser | None = None
) -> CabinetReport:
    """The response's Cabinet report, starting from the council's standard headings (its
    settings', or a new installation's neutral list until an administrator saves them)."""
    council = CouncilSettings.current()
    report = CabinetReport(response=response, number_paragraphs=council.number_paragraphs)
    for name, value in details.items():
        setattr(report, name, value)
    report.full_clean()
    report._history_user = by
    report.save()
    for position, heading in enumerate(council.headings, start=1):
        section = ReportSection(report=report, heading=heading, position=position, changed_by=by)
        section._history_user = by
        section.save()
    return report


def add_missing_answers(response: Response, *, by: AbstractBaseUser | None = None) -> list[Answer]:
    """An empty answer for each question the response does not answer yet (its answer
    counts moved once, for all of them)."""
    answered = set(response.answers.values_list("question_id", flat=True))
    created = []
    with counted_once(response):
        for question in response.consultation.questions.order_by("position", "pk"):
            if question.pk not in answered:
                answer = Answer(response=response, question=question, changed_by=by)
                answer._history_user = by
                answer.save()
                created.append(answer)
    return created


@step(Action.SET_UP)
def update_response(
    access: Access,
    *,
    organisation_name: str,
    title: str,
    team: list[AbstractBaseUser] | None = None,
) -> Response:
    """An administrator's set-up: the printed names only while drafting, the team any time."""
    response = access.response
    if (organisation_name, title) != (response.organisation_name, response.title):
        if response.is_locked:
            raise Locked(response)
        response.organisation_name, response.title = organisation_name, title
        response.full_clean()
        response.save(update_fields=["organisation_name", "title"])
    if team is not None:
        response.team.set(team)
    return response


@transaction.atomic
def lock_consultation(consultation_id: int) -> list[Response]:
    """Lock every response to a consultation before its questions or headings change:
    they print in each of them, so none may be with its signatories."""
    responses = list(Response.objects.select_for_update().filter(consultation_id=consultation_id))
    for response in responses:
        if response.is_locked:
            raise Locked(response)
    return responses
