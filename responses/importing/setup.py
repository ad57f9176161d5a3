"""The set-up service: a consultation from its outline, with the council's response.

One transaction makes the consultation, its chapters, sub-sections and questions,
the council's response with an empty answer per question, and the Cabinet report
from the council's standard headings (through `services.create_response`, the one
place a response is made). If any part is refused, nothing is left behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from responses import rules, services
from responses.errors import Invalid
from responses.importing.parser import DEFAULT_CHAPTER, Heading, Outline
from responses.models import AuditEvent, Consultation, Question, Response, Section

SECTION_STEP = 10


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
        "title": f"Consultation response “{consultation_title}”",
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


def title_taken(title: str) -> bool:
    return Consultation.objects.filter(title__iexact=title.strip()).exists()


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
        title=details.title.strip(),
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
