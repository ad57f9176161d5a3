"""The Paper: everything it prints is in its digest, so a signature proves the print."""

import datetime

import pytest

from responses import workflow
from responses.documents import pdf, rendering
from responses.models import Answer, Question, Response, Section
from responses.paper import REPORT_FIELDS
from tests.papers import digest_of, paper_of

pytestmark = pytest.mark.django_db


def _other_value(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, datetime.date):
        return value + datetime.timedelta(days=1)
    return f"{value} (changed)"


@pytest.mark.parametrize("field", REPORT_FIELDS)
def test_every_report_detail_is_in_the_digest(seed, field):
    before = digest_of(seed)
    report = seed.report
    setattr(report, field, _other_value(getattr(report, field)))
    report.save()
    assert digest_of(seed) != before


def _change_report_section_heading(seed):
    section = seed.report.sections.get(heading="Recommendations")
    section.heading = "Recommendation"
    section.save()


def _change_report_section_body(seed):
    section = seed.report.sections.get(heading="Recommendations")
    section.body += " And one more."
    section.save()


def _reorder_report_sections(seed):
    first, second = seed.report.sections.order_by("position")[:2]
    first.position, second.position = second.position, first.position
    first.save()
    second.save()


def _change_answer(seed):
    answer = seed.answers.get(question__number="12")
    answer.text += " One more sentence."
    answer.save()


def _change_question_text(seed):
    Question.objects.filter(number="12").update(text="A reworded question?")


def _change_question_number(seed):
    Question.objects.filter(number="12").update(number="12a")


def _move_question(seed):
    question = Question.objects.get(number="12")
    question.section = Section.objects.exclude(pk=question.section_id).first()
    question.save()


def _change_heading(seed):
    Section.objects.filter(title="Accountability").update(title="Accountabilities")


def _change_consultation(field):
    def change(seed):
        consultation = seed.consultation
        setattr(consultation, field, _other_value(getattr(consultation, field)))
        consultation.save()

    change.__name__ = f"_change_consultation_{field}"
    return change


def _change_response(field):
    def change(seed):
        Response.objects.filter(pk=seed.pk).update(**{field: "Another Council"})

    change.__name__ = f"_change_response_{field}"
    return change


CHANGES = [
    _change_report_section_heading,
    _change_report_section_body,
    _reorder_report_sections,
    _change_answer,
    _change_question_text,
    _change_question_number,
    _move_question,
    _change_heading,
    _change_consultation("title"),
    _change_consultation("issued_by"),
    _change_consultation("executive_summary"),
    _change_response("title"),
    _change_response("organisation_name"),
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__.strip("_"))
def test_every_printed_thing_is_in_the_digest_and_the_documents_key(seed, change):
    before = paper_of(seed)
    change(seed)
    after = paper_of(seed)
    assert after.digest != before.digest
    assert rendering.key_for(after, "paper", "pdf") != rendering.key_for(before, "paper", "pdf")


def test_a_change_after_signing_voids_the_signatures(seed, lead, director, portfolio_holder):
    workflow.submit(user=lead, response_id=seed.pk, confirm_gaps=True)
    for signatory in (director, portfolio_holder):
        workflow.approve(user=signatory, response_id=seed.pk, seen_digest=digest_of(seed))
    assert paper_of(seed).signatures.valid
    Answer.objects.filter(response=seed, question__number="1").update(text="Changed behind")
    paper = paper_of(seed)
    assert not paper.signatures.valid
    assert paper.signatures.content_changed


def test_the_digest_does_not_change_when_nothing_printed_changes(seed, officer):
    before = digest_of(seed)
    answer = seed.answers.get(question__number="12")
    answer.assignee = officer
    answer.status = Answer.Status.READY_FOR_REVIEW
    answer.save()
    assert digest_of(seed) == before


def test_the_pdf_layout_covers_every_template_the_paper_includes():
    found = {
        name.rsplit("templates/", 1)[-1] for name in pdf.layout_templates(pdf.TEMPLATES.values())
    }
    assert {
        "pdf/base.html",
        "pdf/cabinet_paper.html",
        "pdf/paper_body.html",
        "pdf/appendix_1.html",
        "pdf/response.html",
        "includes/question_and_answer.html",
    } <= found


def test_the_gaps_name_unanswered_and_unagreed_questions(seed):
    gaps = paper_of(seed).gaps
    assert gaps.unanswered == ["28", "32", "33", "34", "35"]
    assert "12" in gaps.not_agreed
    assert not set(gaps.unanswered) & set(gaps.not_agreed)


def test_signatures_count_only_this_rounds_approvals(seed, lead, director, portfolio_holder):
    workflow.submit(user=lead, response_id=seed.pk, confirm_gaps=True)
    workflow.approve(user=director, response_id=seed.pk, seen_digest=digest_of(seed))
    workflow.return_for_changes(user=portfolio_holder, response_id=seed.pk, comment="Fix 28.")
    Answer.objects.filter(response=seed, question__number="28").update(text="Now answered.")
    workflow.submit(user=lead, response_id=seed.pk, confirm_gaps=True)
    signatures = paper_of(seed).signatures
    # Round 1's approval and return are history: round 2 has no decision yet.
    assert signatures.approvals == {}
    assert not signatures.content_changed
    assert not signatures.valid


def test_an_appendix_only_paper_refuses_to_give_a_digest_or_signatures(seed):
    from responses.paper import Paper

    paper = Paper.load(Response.objects.for_rules().get(pk=seed.pk), appendix_only=True)
    assert len(paper.answers) == 35
    with pytest.raises(ValueError, match="no digest"):
        getattr(paper, "digest")  # noqa: B009 - a property that must raise
    with pytest.raises(ValueError, match="no signatures"):
        getattr(paper, "signatures")  # noqa: B009 - a property that must raise
