"""Invariants the models and the database hold, whatever writes to them."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from responses.models import Answer, CabinetReport, Question, Response, SignOff
from tests.factories import (
    AnswerFactory,
    CabinetReportFactory,
    ConsultationFactory,
    QuestionFactory,
    ReportSectionFactory,
    ResponseFactory,
    SectionFactory,
    SignOffFactory,
)

pytestmark = pytest.mark.django_db


# The IntegrityError matches name the constraint's columns, as both SQLite and
# PostgreSQL report them: another failure (a NOT NULL, say) would not pass.


def test_question_number_is_unique_within_a_consultation():
    question = QuestionFactory(number="12")
    with pytest.raises(IntegrityError, match="consultation_id.*number"), transaction.atomic():
        QuestionFactory(number="12", section=question.section)
    assert Question.objects.filter(number="12").count() == 1


def test_two_consultations_may_both_have_a_question_12():
    first = QuestionFactory(number="12")
    second = QuestionFactory(number="12")
    assert first.consultation_id != second.consultation_id
    assert set(Question.objects.filter(number="12").values_list("consultation", flat=True)) == {
        first.consultation_id,
        second.consultation_id,
    }


def test_a_question_has_one_answer_per_response():
    answer = AnswerFactory()
    with pytest.raises(IntegrityError, match="response_id.*question_id"), transaction.atomic():
        Answer.objects.create(response=answer.response, question=answer.question)
    assert list(Answer.objects.filter(question=answer.question)) == [answer]


def test_a_question_may_be_answered_by_two_councils():
    answer = AnswerFactory()
    other = ResponseFactory(consultation=answer.response.consultation)
    Answer.objects.create(response=other, question=answer.question)
    answered_by = Answer.objects.filter(question=answer.question).values_list("response", flat=True)
    assert set(answered_by) == {answer.response_id, other.pk}


def test_a_report_per_response():
    report = CabinetReportFactory()
    with pytest.raises(IntegrityError, match="response_id"), transaction.atomic():
        CabinetReportFactory(response=report.response)
    assert list(CabinetReport.objects.filter(response=report.response)) == [report]


def test_a_return_without_a_comment_is_refused_by_the_database():
    with pytest.raises(IntegrityError, match="returned_sign_off_has_comment"), transaction.atomic():
        SignOffFactory(decision=SignOff.Decision.RETURNED, comment="")
    assert not SignOff.objects.exists()


def test_a_return_with_a_comment_and_an_approval_without_one_are_kept():
    returned = SignOffFactory(decision=SignOff.Decision.RETURNED, comment="Please redo Q4")
    approved = SignOffFactory(decision=SignOff.Decision.APPROVED, comment="")
    kept = SignOff.objects.in_bulk([returned.pk, approved.pk])
    assert (kept[returned.pk].decision, kept[returned.pk].comment) == (
        SignOff.Decision.RETURNED,
        "Please redo Q4",
    )
    assert (kept[approved.pk].decision, kept[approved.pk].comment) == (
        SignOff.Decision.APPROVED,
        "",
    )


def test_question_in_a_section_of_another_consultation_is_invalid():
    section = SectionFactory()
    question = QuestionFactory.build(consultation=ConsultationFactory(), section=section)
    with pytest.raises(ValidationError, match="another consultation"):
        question.full_clean()
    question.consultation = section.consultation
    question.full_clean()


def test_answer_to_a_question_of_another_consultation_is_invalid():
    question = QuestionFactory()
    answer = Answer(response=ResponseFactory(), question=question)
    with pytest.raises(ValidationError, match="another consultation"):
        answer.full_clean()
    answer.response = ResponseFactory(consultation=question.consultation)
    answer.full_clean()


def test_answer_text_is_limited_to_20000_characters():
    answer = AnswerFactory()
    answer.text = "x" * 20_000
    answer.full_clean()
    answer.text = "x" * 20_001
    with pytest.raises(ValidationError, match="at most 20000"):
        answer.full_clean()


def test_sub_section_parent_must_be_in_the_same_consultation():
    parent = SectionFactory()
    section = SectionFactory.build(consultation=ConsultationFactory(), parent=parent)
    with pytest.raises(ValidationError, match="another consultation"):
        section.full_clean()
    section.consultation = parent.consultation
    section.full_clean()


def test_section_cannot_be_inside_itself():
    chapter = SectionFactory()
    sub = SectionFactory(consultation=chapter.consultation, parent=chapter)
    chapter.parent = sub
    with pytest.raises(ValidationError, match="inside itself"):
        chapter.full_clean()


def test_sections_nest_two_levels_and_more():
    chapter = SectionFactory(title="Accountability")
    sub = SectionFactory(
        consultation=chapter.consultation, parent=chapter, title="Between partners"
    )
    subsub = SectionFactory(consultation=chapter.consultation, parent=sub, title="Protocols")
    subsub.full_clean()
    assert [s.title for s in subsub.ancestors()] == ["Accountability", "Between partners"]


def test_every_save_of_an_answer_is_kept_in_its_history():
    answer = AnswerFactory(text="First")
    answer.text = "Second"
    answer.save()
    assert [h.text for h in answer.history.order_by("history_date")] == ["First", "Second"]


def test_every_save_of_a_report_section_is_kept_in_its_history():
    section = ReportSectionFactory(body="First")
    section.body = "Second"
    section.save()
    assert [h.body for h in section.history.order_by("history_date")] == ["First", "Second"]


def test_response_is_locked_except_while_drafting():
    response = ResponseFactory()
    assert response.status == Response.Status.DRAFTING
    locked = {}
    for status in Response.Status:
        response.status = status
        locked[status] = response.is_locked
    assert locked == {
        Response.Status.DRAFTING: False,
        Response.Status.AWAITING_DIRECTOR: True,
        Response.Status.AWAITING_PORTFOLIO_HOLDER: True,
        Response.Status.SIGNED_OFF: True,
    }


@pytest.mark.parametrize("number", ["4/5", "12 ", "", "1\x00", "a" * 11, "-1", "#3"])
def test_a_question_number_that_cannot_stand_in_a_url_is_refused(number):
    question = QuestionFactory.build(number=number, section=SectionFactory())
    with pytest.raises(ValidationError) as refused:
        question.full_clean()
    assert "number" in refused.value.message_dict


@pytest.mark.parametrize("number", ["12", "3a", "4.1", "Q7", "10-b"])
def test_a_question_number_as_printed_is_accepted(number):
    question = QuestionFactory.build(number=number, section=SectionFactory())
    question.full_clean()


def test_a_consultations_summary_keeps_line_breaks_as_lf(db):
    from tests.factories import ConsultationFactory

    consultation = ConsultationFactory(executive_summary="One.\r\n\r\nTwo.")
    consultation.full_clean()

    assert consultation.executive_summary == "One.\n\nTwo."
