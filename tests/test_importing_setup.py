"""The set-up service: one transaction, everything or nothing."""

from datetime import date

import pytest

from responses import rules
from responses.errors import Invalid, NotAllowed
from responses.importing import setup
from responses.importing.parser import parse
from responses.models import (
    Answer,
    AuditEvent,
    CabinetReport,
    Consultation,
    CouncilSettings,
    Question,
    ReportSection,
    Response,
    Section,
)
from responses.rules import Action

OUTLINE = """# Governance

## Partnerships

1. Should every area have a partnership?

2. Who should chair it?

# Capacity

3. What support would help?
"""


def _details(title: str = "Partnerships: the next steps") -> setup.ConsultationDetails:
    return setup.ConsultationDetails(
        title=title, issued_by="Department for Communities", responses_due_by=date(2027, 3, 3)
    )


def _report(lead, director, portfolio_holder, title="Partnerships: the next steps") -> dict:
    return setup.report_details(
        consultation_title=title,
        meeting_body="Cabinet",
        meeting_date=date(2027, 3, 1),
        lead=lead,
        director=director,
        portfolio_holder=portfolio_holder,
        portfolio="Leader",
        job_title="Policy Officer",
    )


def _create(user, lead, director, portfolio_holder, *, text=OUTLINE, title=None, team=()):
    details = _details(title) if title else _details()
    return setup.create_consultation(
        user=user,
        details=details,
        outline=parse(text),
        organisation_name="Walsall Council",
        report=_report(lead, director, portfolio_holder, details.title),
        team=list(team),
    )


def _counts() -> tuple[int, ...]:
    models = [Consultation, Section, Question, Response, Answer, CabinetReport, ReportSection]
    return tuple(model.objects.count() for model in models)


def test_a_lead_officer_sets_up_a_consultation_with_its_response_and_report(
    lead, director, portfolio_holder, officer
):
    response = _create(lead, lead, director, portfolio_holder, team=[officer])

    consultation = response.consultation
    sections = list(consultation.sections.in_order())
    assert [(s.title, s.parent.title if s.parent else None) for s in sections] == [
        ("Governance", None),
        ("Partnerships", "Governance"),
        ("Capacity", None),
    ]
    questions = list(consultation.questions.order_by("position"))
    assert [(q.number, q.section.title) for q in questions] == [
        ("1", "Partnerships"),
        ("2", "Partnerships"),
        ("3", "Capacity"),
    ]
    assert sorted(a.question.number for a in response.answers.all()) == ["1", "2", "3"]
    assert all(
        a.text == "" and a.status == Answer.Status.NOT_STARTED for a in response.answers.all()
    )
    report = response.report
    assert (report.lead_officer, report.director_user, report.portfolio_holder_user) == (
        lead,
        director,
        portfolio_holder,
    )
    standard = CouncilSettings.current().headings
    assert standard
    assert [s.heading for s in report.sections.order_by("position")] == standard
    assert response.organisation_name == "Walsall Council"
    assert response.title == "Draft Response by Walsall Council"
    assert AuditEvent.objects.get(response=response).kind == AuditEvent.Kind.SET_UP
    fresh = Response.objects.for_rules().get(pk=response.pk)
    assert rules.may(lead, Action.SUBMIT, fresh)
    assert rules.may(officer, Action.EDIT_ANSWER, fresh)


def test_a_title_already_used_creates_nothing(lead, director, portfolio_holder):
    _create(lead, lead, director, portfolio_holder)
    before = _counts()

    with pytest.raises(Invalid, match="already exists"):
        _create(lead, lead, director, portfolio_holder, title="PARTNERSHIPS: THE NEXT STEPS ")

    assert _counts() == before


def test_an_outline_that_must_be_fixed_creates_nothing(lead, director, portfolio_holder):
    with pytest.raises(Invalid, match="appears twice"):
        _create(lead, lead, director, portfolio_holder, text="1. One?\n\n1. One again?\n")
    assert _counts() == (0,) * 7


def test_a_refusal_late_in_the_set_up_leaves_nothing_half_created(lead, director, portfolio_holder):
    details = _details()
    report = _report(lead, director, portfolio_holder)
    report["wards"] = "x" * 500  # longer than the report allows: refused after the questions

    with pytest.raises(Invalid):
        setup.create_consultation(
            user=lead,
            details=details,
            outline=parse(OUTLINE),
            organisation_name="Walsall Council",
            report=report,
        )

    assert _counts() == (0,) * 7


@pytest.mark.parametrize("who", ["officer", "director", "outsider"])
def test_only_lead_officers_and_administrators_set_up_consultations(
    request, who, lead, director, portfolio_holder
):
    with pytest.raises(NotAllowed):
        _create(request.getfixturevalue(who), lead, director, portfolio_holder)
    assert _counts() == (0,) * 7


def test_an_administrator_sets_up_a_consultation_for_a_lead(
    administrator, lead, director, portfolio_holder
):
    response = _create(administrator, lead, director, portfolio_holder)
    assert response.report.lead_officer == lead


def test_set_up_costs_a_fixed_number_of_queries_per_question(lead, director, portfolio_holder):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(count: int, title: str) -> int:
        text = "# Questions\n\n" + "\n\n".join(f"{n}. Question {n}?" for n in range(1, count + 1))
        with CaptureQueriesContext(connection) as captured:
            _create(lead, lead, director, portfolio_holder, text=text, title=title)
        return len(captured)

    queries(1, "Warm-up")  # content types are cached on first use
    ten, twenty, forty = queries(10, "Ten"), queries(20, "Twenty"), queries(40, "Forty")

    assert forty - twenty == 2 * (twenty - ten)  # linear: the same cost for each question
    assert twenty - ten <= 2 * 10  # an answer and its history entry, no more
