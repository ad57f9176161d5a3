"""The set-up service: a consultation from its outline, with the council's response.

One transaction makes the consultation, its chapters, sub-sections and questions,
the council's response with an empty answer per question, and the Cabinet report
from the council's standard headings (through `services.create_response`, the one
place a response is made). If any part is refused, nothing is left behind.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from responses import rules, services
from responses.errors import Invalid, NotAllowed
from responses.importing.parser import DEFAULT_CHAPTER, INVISIBLE, Heading, Outline
from responses.models import (
    AuditEvent,
    CabinetReport,
    Consultation,
    Question,
    Response,
    Section,
    SignOff,
)

SECTION_STEP = 10

REPORT_TITLE = "Consultation response “{}”"


@dataclass(frozen=True)
class ConsultationDetails:
    title: str
    issued_by: str
    responses_due_by: date
    published_on: date | None = None
    reference_url: str = ""
    executive_summary: str = ""


def report_details(
    *,
    consultation_title: str,
    meeting_body: str,
    meeting_date: date,
    lead: AbstractBaseUser,
    director: AbstractBaseUser,
    portfolio_holder: AbstractBaseUser,
    portfolio: str,
    job_title: str,
    phone: str = "",
    service_area: str = "All",
    wards: str = "All",
) -> dict[str, Any]:
    """The Cabinet report's details, its printed names taken from the people's accounts."""
    return {
        "meeting_body": meeting_body,
        "meeting_date": meeting_date,
        "title": REPORT_TITLE.format(consultation_title),
        "portfolio": portfolio,
        "portfolio_holder_name": _name(portfolio_holder),
        "portfolio_holder_user": portfolio_holder,
        "service_area": service_area,
        "wards": wards,
        "contact_name": _name(lead),
        "contact_job_title": job_title,
        "contact_phone": phone,
        "contact_email": lead.email,
        "lead_officer": lead,
        "director_name": _name(director),
        "director_user": director,
    }


def _name(user: AbstractBaseUser) -> str:
    return user.get_full_name() or user.get_username()


def tidy_title(title: str) -> str:
    """A title as it is kept: composed characters, no invisible ones, single spaces."""
    title = unicodedata.normalize("NFC", title).translate(INVISIBLE)
    return " ".join(title.split())


def title_taken(title: str) -> bool:
    """Whether a consultation has this title already, whatever its case or spacing
    (compared here, as SQLite folds the case of ASCII letters only)."""
    wanted = tidy_title(title).casefold()
    return any(
        tidy_title(existing).casefold() == wanted
        for existing in Consultation.objects.values_list("title", flat=True)
    )


def create_consultation(
    *,
    user: AbstractBaseUser,
    details: ConsultationDetails,
    outline: Outline,
    organisation_name: str,
    report: dict[str, Any] | None,
    team: list[AbstractBaseUser] = (),
) -> Response:
    """The consultation, its response and report, or `Invalid` and nothing at all."""
    rules.require_may_set_up_consultations(user)
    if report is not None:
        _check_people(user, report)
    if not outline.can_be_created:
        problems = [w.message for w in outline.warnings if w.blocking] or ["No questions."]
        raise Invalid(" ".join(problems))
    try:
        with transaction.atomic():
            response = _create(user, details, outline, organisation_name, report, team)
    except IntegrityError as clash:
        if title_taken(details.title):
            raise Invalid(_taken(details.title)) from clash
        raise
    except ValidationError as invalid:
        raise Invalid(" ".join(invalid.messages)) from invalid
    return response


def _check_people(user: AbstractBaseUser, report: dict[str, Any]) -> None:
    """The report's lead leads and its signatories sign, as the page's choices allow:
    the command line and the shell get no way round them."""
    from responses import workflow

    lead = report.get("lead_officer")
    if lead is None or not lead.is_active or not lead.has_perm("responses.submit_response"):
        raise Invalid(f"{lead or 'Nobody'} is not an active lead officer: name one to lead it.")
    if not rules.is_administrator(user) and lead.pk != user.pk:
        raise NotAllowed("A lead officer sets up the consultations they lead themselves.")
    for role, field in (
        (SignOff.Role.EXECUTIVE_DIRECTOR, "director_user"),
        (SignOff.Role.PORTFOLIO_HOLDER, "portfolio_holder_user"),
    ):
        signatory = report.get(field)
        if signatory is None:
            continue
        probe = CabinetReport(
            **{k: v for k, v in report.items() if k.endswith(("_user", "officer"))}
        )
        if problem := workflow.signatory_problem(signatory, role, probe):
            raise Invalid(problem)


def _taken(title: str) -> str:
    return f"A consultation called “{title}” already exists: give this one another title."


def _create(
    user: AbstractBaseUser,
    details: ConsultationDetails,
    outline: Outline,
    organisation_name: str,
    report: dict[str, Any] | None,
    team: list[AbstractBaseUser],
) -> Response:
    if title_taken(details.title):
        raise Invalid(_taken(details.title))
    consultation = Consultation(
        title=tidy_title(details.title),
        issued_by=details.issued_by,
        published_on=details.published_on,
        responses_due_by=details.responses_due_by,
        reference_url=details.reference_url,
        executive_summary=details.executive_summary,
    )
    consultation.full_clean()
    consultation.save()
    _create_questions(consultation, outline)
    response = services.create_response(
        consultation=consultation,
        organisation_name=organisation_name,
        title=f"Draft Response by {organisation_name}",
        report=report,
        team=list(team),
        by=user,
    )
    AuditEvent.objects.create(
        response=response,
        kind=AuditEvent.Kind.SET_UP,
        actor=user,
        summary=f"Set up with {outline.summary}",
    )
    return response


def _create_questions(consultation: Consultation, outline: Outline) -> None:
    """Sections and questions in printed order; positions leave room to insert later."""
    kept = {id(heading) for heading, _ in outline.tree()}
    open_sections: list[tuple[int, Section]] = []
    section: Section | None = None
    position = 0
    questions: list[Question] = []
    for item in outline.items:
        position += SECTION_STEP
        if isinstance(item, Heading):
            if id(item) not in kept:
                continue
            while open_sections and open_sections[-1][0] >= item.level:
                open_sections.pop()
            parent = open_sections[-1][1] if open_sections else None
            section = Section.objects.create(
                consultation=consultation, parent=parent, title=item.title[:300], position=position
            )
            open_sections.append((item.level, section))
            continue
        if section is None:
            section = Section.objects.create(
                consultation=consultation, title=DEFAULT_CHAPTER, position=position
            )
            open_sections.append((1, section))
            position += SECTION_STEP
        question = Question(
            consultation=consultation,
            section=section,
            number=item.number,
            text=item.text,
            position=position,
        )
        question.full_clean(
            exclude=["consultation", "section"], validate_unique=False, validate_constraints=False
        )
        questions.append(question)
    Question.objects.bulk_create(questions)
