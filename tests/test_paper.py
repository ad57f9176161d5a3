"""The Paper: everything it prints is in its digest, so a signature proves the print."""

import datetime
import hashlib

import pytest

from responses import workflow
from responses.documents import pdf, rendering
from responses.models import Answer, Question, Response, Section
from responses.paper import digest
from tests.factories import (
    AnswerFactory,
    CabinetReportFactory,
    ConsultationFactory,
    QuestionFactory,
    ReportSectionFactory,
    ResponseFactory,
    SectionFactory,
)
from tests.papers import digest_of, paper_of

pytestmark = pytest.mark.django_db


def _other_value(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, datetime.date):
        return value + datetime.timedelta(days=1)
    return f"{value} (changed)"


# Every detail of the report the printed paper shows (its front sheet and contact box),
# written out here: a detail dropped from the code's list fails its own case.
PRINTED_REPORT_DETAILS = [
    "meeting_body",
    "meeting_date",
    "agenda_item",
    "title",
    "portfolio",
    "portfolio_holder_name",
    "service_area",
    "wards",
    "forward_plan",
    "contact_name",
    "contact_job_title",
    "contact_phone",
    "contact_email",
    "director_name",
]


@pytest.mark.parametrize("field", PRINTED_REPORT_DETAILS)
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


def _move_section_to_another_chapter(seed):
    """Same title, same position: only the chapter it prints under changes."""
    section = Section.objects.filter(parent__isnull=False).order_by("position").first()
    other = Section.objects.filter(parent__isnull=True).exclude(pk=section.parent_id).first()
    Section.objects.filter(pk=section.pk).update(parent=other)


def _reorder_sections(seed):
    first, second = Section.objects.filter(parent__isnull=True).order_by("position")[:2]
    Section.objects.filter(pk=first.pk).update(position=second.position)
    Section.objects.filter(pk=second.pk).update(position=first.position)


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
    _move_section_to_another_chapter,
    _reorder_sections,
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
    signed = paper_of(seed).signatures
    assert signed.valid
    assert not signed.content_changed
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


def test_a_sign_off_whose_first_approval_read_other_content_is_not_valid(
    seed, lead, director, portfolio_holder
):
    workflow.submit(user=lead, response_id=seed.pk, confirm_gaps=True)
    workflow.approve(user=director, response_id=seed.pk, seen_digest=digest_of(seed))
    Answer.objects.filter(response=seed, question__number="1").update(text="Changed behind")
    # The Portfolio Holder approves the paper as it now is; the Director read another.
    workflow.approve(user=portfolio_holder, response_id=seed.pk, seen_digest=digest_of(seed))

    signatures = paper_of(seed).signatures

    assert signatures.complete
    assert not signatures.valid
    assert signatures.content_changed


# The canonical form of the paper built below, written out by hand as the module
# docstring of responses/paper.py documents it: JSON with sorted keys, no spaces,
# UTF-8 (the en dash is written as itself, not escaped). Every stored signature holds
# a digest of this form: if the form changes, every paper signed before a deploy
# reads as changed since, so a change to it must be deliberate, with a migration of
# the stored digests.
KNOWN_CANONICAL = (
    '{"answers":[{"answer":"Yes – with **care**.","number":"1","position":1101,'
    '"question":"Should they?","section":7002}],'
    '"consultation":{"executive_summary":"What it asks.","issued_by":"ODPM",'
    '"responses_due_by":"2006-03-03","title":"Local Strategic Partnerships"},'
    '"report":{"agenda_item":"7","contact_email":"sam.smith@example.org",'
    '"contact_job_title":"Policy Officer","contact_name":"Sam Smith",'
    '"contact_phone":"01922 650000","director_name":"Alex Jones","forward_plan":true,'
    '"meeting_body":"Cabinet","meeting_date":"2006-03-01","portfolio":"Leader",'
    '"portfolio_holder_name":"Councillor Jo Bloggs","service_area":"All",'
    '"title":"Consultation response","wards":"All"},'
    '"report_sections":[{"body":"That Cabinet agrees.","heading":"Recommendations"}],'
    '"response":{"organisation":"Walsall Council","title":"Draft Response by Walsall Council"},'
    '"sections":[{"id":7001,"parent":null,"position":1000,"title":"Chapter"},'
    '{"id":7002,"parent":7001,"position":1100,"title":"Part"}]}'
)
KNOWN_DIGEST = "7aebc0457e8ef82ba09493889a5663464b4970eb9bb8ecf17133a9f7be6b5efd"


def test_a_known_paper_has_the_digest_its_signatures_recorded(db):
    consultation = ConsultationFactory(
        title="Local Strategic Partnerships",
        issued_by="ODPM",
        responses_due_by=datetime.date(2006, 3, 3),
        executive_summary="What it asks.",
    )
    chapter = SectionFactory(id=7001, consultation=consultation, title="Chapter", position=1000)
    part = SectionFactory(
        id=7002, consultation=consultation, parent=chapter, title="Part", position=1100
    )
    question = QuestionFactory(
        consultation=consultation, section=part, number="1", text="Should they?", position=1101
    )
    response = ResponseFactory(
        consultation=consultation,
        organisation_name="Walsall Council",
        title="Draft Response by Walsall Council",
    )
    AnswerFactory(response=response, question=question, text="Yes – with **care**.")
    report = CabinetReportFactory(
        response=response,
        meeting_body="Cabinet",
        meeting_date=datetime.date(2006, 3, 1),
        agenda_item="7",
        title="Consultation response",
        portfolio="Leader",
        portfolio_holder_name="Councillor Jo Bloggs",
        service_area="All",
        wards="All",
        forward_plan=True,
        contact_name="Sam Smith",
        contact_job_title="Policy Officer",
        contact_phone="01922 650000",
        contact_email="sam.smith@example.org",
        director_name="Alex Jones",
    )
    ReportSectionFactory(
        report=report, heading="Recommendations", body="That Cabinet agrees.", position=1
    )

    found = digest_of(response)

    assert found == hashlib.sha256(KNOWN_CANONICAL.encode("utf-8")).hexdigest()
    assert found == KNOWN_DIGEST


def test_a_digest_is_sha256_of_json_with_sorted_keys_no_spaces_and_utf_8():
    value = {"b": [1, None, True], "a": "café – ok"}
    written = '{"a":"café – ok","b":[1,null,true]}'
    assert digest(value) == hashlib.sha256(written.encode("utf-8")).hexdigest()


def test_the_report_sections_are_set_for_print_with_addresses_and_notes_in_place(db):
    section = ReportSectionFactory(
        heading="Background", body="See [the plan](https://e.org/p).[^1]\n\n[^1]: The note."
    )

    ((shown, html),) = paper_of(section.report.response).report_sections_html

    assert shown == section
    assert "the plan (https://e.org/p)" in html
    assert '<span class="footnote">The note.</span>' in html
