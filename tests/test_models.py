"""Invariants the models and the database hold, whatever writes to them."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from responses.models import Answer, SignOff
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


def test_question_number_is_unique_within_a_consultation():
    question = QuestionFactory(number="12")
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionFactory(number="12", section=question.section)


def test_two_consultations_may_both_have_a_question_12():
    QuestionFactory(number="12")
    QuestionFactory(number="12")


def test_a_question_has_one_answer_per_response():
    answer = AnswerFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(response=answer.response, question=answer.question)


def test_a_question_may_be_answered_by_two_councils():
    answer = AnswerFactory()
    other = ResponseFactory(consultation=answer.response.consultation)
    Answer.objects.create(response=other, question=answer.question)


def test_a_report_per_response():
    report = CabinetReportFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CabinetReportFactory(response=report.response)


def test_a_return_without_a_comment_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        SignOffFactory(decision=SignOff.Decision.RETURNED, comment="")


def test_a_return_with_a_comment_is_kept():
    assert SignOffFactory(decision=SignOff.Decision.RETURNED, comment="Please redo Q4").pk


def test_question_in_a_section_of_another_consultation_is_invalid():
    question = QuestionFactory.build(consultation=ConsultationFactory(), section=SectionFactory())
    with pytest.raises(ValidationError, match="another consultation"):
        question.full_clean()


def test_answer_to_a_question_of_another_consultation_is_invalid():
    answer = Answer(response=ResponseFactory(), question=QuestionFactory())
    with pytest.raises(ValidationError, match="another consultation"):
        answer.full_clean()


def test_answer_longer_than_20000_characters_is_invalid():
    answer = AnswerFactory()
    answer.text = "x" * 20_001
    with pytest.raises(ValidationError, match="at most 20000"):
        answer.full_clean()


def test_sub_section_parent_must_be_in_the_same_consultation():
    section = SectionFactory.build(consultation=ConsultationFactory(), parent=SectionFactory())
    with pytest.raises(ValidationError, match="another consultation"):
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
    assert not response.is_locked
    for status in ["awaiting_director", "awaiting_portfolio_holder", "signed_off"]:
        response.status = status
        assert response.is_locked
