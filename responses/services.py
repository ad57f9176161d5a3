"""Every write made while drafting: answers, the report's details and its sections.

Each function takes the acting user, checks permission, then the response's state
(nothing changes once it is submitted for sign-off), then the version the editor
was opened at, and only then writes, through `save()` so that history records who
and when. The response row is locked first, so a save and a submission for sign-off
cannot interleave.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Max
from django.http import Http404
from django.shortcuts import get_object_or_404

from responses.models import Answer, CabinetReport, ReportSection, Response


class Locked(Exception):
    """The response is with its signatories: its content cannot change."""

    def __init__(self, response: Response) -> None:
        super().__init__(
            f"This response is {response.get_status_display().lower()}: "
            "its answers and report cannot be changed until it is returned for drafting."
        )


class StaleEdit(Exception):
    """Someone saved a newer version since the editor was opened."""

    def __init__(self, current: models.Model) -> None:
        super().__init__("Someone else saved a newer version while you were editing.")
        self.current = current


def _require(user: AbstractBaseUser, permission: str, message: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied(message)


def _lock_response(response_id: int) -> Response:
    response = get_object_or_404(Response.objects.select_for_update(), pk=response_id)
    if response.is_locked:
        raise Locked(response)
    return response


def _save_version(obj: Any, user: AbstractBaseUser, changes: dict[str, Any]) -> bool:
    """Apply `changes` as a new version of `obj`; False when nothing differs."""
    if all(getattr(obj, field) == value for field, value in changes.items()):
        return False
    for field, value in changes.items():
        setattr(obj, field, value)
    obj.full_clean(validate_unique=False, validate_constraints=False)
    obj.version += 1
    obj._history_user = user
    if hasattr(obj, "changed_by"):
        obj.changed_by = user
    obj.save()
    return True


def _check_version(obj: Any, expected_version: int) -> None:
    if obj.version != expected_version:
        raise StaleEdit(obj)


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
) -> Answer:
    _require(user, "responses.change_answer", "You may not edit answers.")
    _lock_response(response_id)
    answer = get_object_or_404(
        Answer.objects.select_for_update(of=("self",)).select_related("question", "assignee"),
        response_id=response_id,
        question__number=number,
    )
    _check_version(answer, expected_version)
    if answer.status == Answer.Status.AGREED and text != answer.text:
        _require(user, "responses.agree_answer", "Only the lead officer changes an agreed answer.")
    if text.strip() and status == Answer.Status.NOT_STARTED:
        status = Answer.Status.DRAFTING  # an answer with words in it has been started
    if status != answer.status and Answer.Status.AGREED in (status, answer.status):
        _require(user, "responses.agree_answer", "Only the lead officer marks answers agreed.")
    if assignee != answer.assignee:
        _require(user, "responses.assign_answer", "Only the lead officer assigns questions.")
    _save_version(answer, user, {"text": text, "status": status, "assignee": assignee})
    return answer


@transaction.atomic
def restore_answer(
    *, user: AbstractBaseUser, response_id: int, number: str, history_id: int, expected_version: int
) -> Answer:
    """Bring back an earlier text as a new version: history only ever grows."""
    answer = get_object_or_404(Answer, response_id=response_id, question__number=number)
    record = get_object_or_404(answer.history.all(), history_id=history_id)
    return save_answer(
        user=user,
        response_id=response_id,
        number=number,
        text=record.text,
        status=answer.status,
        assignee=answer.assignee,
        expected_version=expected_version,
    )


def _report_of(response_id: int) -> CabinetReport:
    return get_object_or_404(CabinetReport.objects.select_for_update(), response_id=response_id)


@transaction.atomic
def save_report_details(
    *, user: AbstractBaseUser, response_id: int, details: dict[str, Any], expected_version: int
) -> CabinetReport:
    _require(user, "responses.change_cabinetreport", "Only the lead officer edits the report.")
    _lock_response(response_id)
    report = _report_of(response_id)
    _check_version(report, expected_version)
    _save_version(report, user, details)
    return report


def _section_for_update(response_id: int, section_id: int) -> ReportSection:
    return get_object_or_404(
        ReportSection.objects.select_for_update(), pk=section_id, report__response_id=response_id
    )


@transaction.atomic
def save_report_section(
    *,
    user: AbstractBaseUser,
    response_id: int,
    section_id: int,
    heading: str,
    body: str,
    expected_version: int,
) -> ReportSection:
    _require(user, "responses.change_reportsection", "You may not edit the report.")
    _lock_response(response_id)
    section = _section_for_update(response_id, section_id)
    _check_version(section, expected_version)
    _save_version(section, user, {"heading": heading, "body": body})
    return section


@transaction.atomic
def restore_report_section(
    *,
    user: AbstractBaseUser,
    response_id: int,
    section_id: int,
    history_id: int,
    expected_version: int,
) -> ReportSection:
    section = get_object_or_404(ReportSection, pk=section_id, report__response_id=response_id)
    record = get_object_or_404(section.history.all(), history_id=history_id)
    return save_report_section(
        user=user,
        response_id=response_id,
        section_id=section_id,
        heading=record.heading,
        body=record.body,
        expected_version=expected_version,
    )


@transaction.atomic
def add_report_section(*, user: AbstractBaseUser, response_id: int, heading: str) -> ReportSection:
    _require(user, "responses.add_reportsection", "Only the lead officer adds report sections.")
    _lock_response(response_id)
    report = _report_of(response_id)
    last = report.sections.aggregate(last=Max("position"))["last"] or 0
    section = ReportSection(report=report, heading=heading, position=last + 1, changed_by=user)
    section.full_clean()
    section._history_user = user
    section.save()
    return section


@transaction.atomic
def delete_report_section(*, user: AbstractBaseUser, response_id: int, section_id: int) -> str:
    _require(user, "responses.delete_reportsection", "Only the lead officer removes sections.")
    _lock_response(response_id)
    section = _section_for_update(response_id, section_id)
    heading = section.heading
    section._history_user = user
    section.delete()
    return heading


@transaction.atomic
def move_report_section(
    *, user: AbstractBaseUser, response_id: int, section_id: int, offset: int
) -> ReportSection:
    """Swap a section with its neighbour above (offset -1) or below (+1)."""
    _require(user, "responses.change_cabinetreport", "Only the lead officer reorders the report.")
    _lock_response(response_id)
    report = _report_of(response_id)
    sections = list(report.sections.select_for_update().order_by("position", "pk"))
    index = next((i for i, s in enumerate(sections) if s.pk == section_id), None)
    if index is None:
        raise Http404("No such section in this report.")
    target = index + offset
    if offset not in (-1, 1) or not 0 <= target < len(sections):
        return sections[index]
    sections[index], sections[target] = sections[target], sections[index]
    for position, section in enumerate(sections, start=1):
        if section.position != position:
            section.position = position
            section._history_user = user
            section.save(update_fields=["position"])
    return sections[target]
