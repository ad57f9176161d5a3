"""The shipped seed: Walsall's Cabinet paper of 1 March 2006, repaired from its text extraction."""

import datetime

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction

from responses.models import Answer, Consultation, Question, ReportSection, Section, SignOff
from responses.text import markdown_to_html
from tests.seeding import write_seed

pytestmark = pytest.mark.django_db

WALSALL_HEADINGS = [
    "Summary of report",
    "Recommendations",
    "Resource and legal considerations",
    "Citizen impact",
    "Community safety",
    "Environmental impact",
    "Performance and risk management issues",
    "Equality implications",
    "Consultation",
    "Vision 2008",
    "Background papers",
]


def answer_to(number: str) -> Answer:
    return Answer.objects.select_related("question__section").get(question__number=number)


def test_seed_holds_one_consultation_with_35_questions_and_35_answers(seed):
    assert Consultation.objects.count() == 1
    assert Question.objects.count() == 35
    assert seed.answers.count() == 35
    assert sorted(int(q.number) for q in Question.objects.all()) == list(range(1, 36))


def test_questions_are_in_printed_order(seed):
    numbers = [q.number for q in Question.objects.order_by("position")]
    assert numbers == [str(n) for n in range(1, 36)]


def test_question_1_is_verbatim(seed):
    assert Question.objects.get(number="1").text == (
        "Do you agree that the key role of the LSP should be to develop the vision for the "
        "local area, through the Sustainable Community Strategy and the 'delivery contract' "
        "through the LAA."
    )


def test_question_12_broken_over_a_page_is_one_paragraph(seed):
    assert Question.objects.get(number="12").text == (
        "We believe that it is important that the LSP is made up of the thematic partnerships "
        "in the area together with an LSP board. What is your view?"
    )


def test_question_35_is_verbatim(seed):
    assert Question.objects.get(number="35").text == (
        "What learning or development do you feel is required by LSPs in order to deliver "
        "sustainable communities that embody the principles of sustainable development at "
        "the local level?"
    )


def test_answer_to_5_broken_over_a_page_is_one_paragraph(seed):
    text = answer_to("5").text
    assert "\n" not in text
    assert "give this message in their words and deeds. The LSP needs this support" in text
    assert markdown_to_html(text).count("<p>") == 1


@pytest.mark.parametrize("number", ["28", "32", "33", "34", "35"])
def test_questions_without_an_answer_have_empty_text(seed, number):
    answer = answer_to(number)
    assert answer.text == ""
    assert answer.status == Answer.Status.NOT_STARTED


def test_every_other_question_has_its_answer(seed):
    unanswered = {"28", "32", "33", "34", "35"}
    answered = Answer.objects.exclude(question__number__in=unanswered)
    assert answered.count() == 30
    assert not answered.filter(text="").exists()


def test_walsalls_answers_are_verbatim(seed):
    assert answer_to("4").text == "Yes"
    assert answer_to("17").text == "See answer above"
    assert answer_to("29").text == "See answers to Q 16."
    assert answer_to("1").text == (
        "Yes, Walsall Council has been working with the LSP to develop the strategy and the LAA "
        "in line with that proposed in the consultation. The Council feels that it is crucial "
        "that partners are open about their plans and that there is an increasing ownership of "
        "the objectives and transparency about the use of resources."
    )


def test_sub_headings_extracted_among_answers_head_questions_2_and_3(seed):
    assert answer_to("2").question.section.title == "Regional/Sub-regional engagement"
    assert answer_to("3").question.section.title == "Links to local plans"
    assert not Answer.objects.filter(text__icontains="Regional/Sub-regional engagement").exists()
    assert not Answer.objects.filter(text__icontains="Links to local plans").exists()


def test_consultation_is_chapters_with_sub_sections(seed):
    chapters = [s.title for s in Section.objects.filter(parent__isnull=True)]
    assert chapters == [
        "The role of LSPs, Sustainable Community Strategies and LAAs",
        "Governance of LSPs",
        "Accountability",
        "Capacity",
    ]
    accountability = Section.objects.get(title="Accountability between partners")
    assert accountability.parent.title == "Accountability"
    assert [s.title for s in accountability.ancestors()] == ["Accountability"]
    assert answer_to("22").question.section == accountability
    assert answer_to("31").question.section.title == "Capacity"


def test_report_metadata(seed):
    report = seed.report
    assert report.meeting_body == "Cabinet"
    assert report.meeting_date == datetime.date(2006, 3, 1)
    assert report.title == (
        "Consultation response “Local Strategic Partnerships – shaping their future”"
    )
    assert report.portfolio_line == "Councillor Tom Ansell, Leader"
    assert (report.service_area, report.wards, report.forward_plan) == ("All", "All", False)
    assert (report.contact_name, report.contact_job_title) == (
        "David Trethewey",
        "LAA Project Director",
    )
    assert (report.contact_phone, report.contact_email) == (
        "01922 652473",
        "tretheweyd@walsall.gov.uk",
    )
    assert report.director_name == "Tim Johnson"
    assert seed.organisation_name == "Walsall Council"
    assert seed.title == "Draft Response by Walsall Council"
    assert seed.consultation.issued_by == "Office of the Deputy Prime Minister"
    assert seed.consultation.responses_due_by == datetime.date(2006, 3, 3)


def test_report_sections_are_in_order_and_verbatim(seed):
    sections = list(seed.report.sections.order_by("position"))
    assert [s.heading for s in sections] == WALSALL_HEADINGS
    assert sections[1].body == (
        "That the Cabinet agrees to submit the response to the Consultation attached as Appendix1"
    )
    summary = sections[0].body
    assert "the deadline for responses is the 3rd March" in summary
    assert "<sup>" not in summary
    html = markdown_to_html(summary)
    assert html.count("<li>") == 7  # the four roles of LSPs and the three key issues
    assert "To develop and drive the effective delivery of their LAA" in html


def test_response_is_drafting_and_nobody_has_signed(seed):
    assert seed.status == seed.Status.DRAFTING
    assert not seed.is_locked
    assert not SignOff.objects.exists()


def test_appendix_2_has_its_footnotes_and_no_running_headers(seed):
    summary = seed.consultation.executive_summary
    assert "<sup>" not in summary
    assert "\nExecutive Summary\n" not in summary
    assert "\nLocal Strategic Partnerships: Shaping their future\n" not in summary
    html = markdown_to_html(summary)
    assert html.count('class="footnote-item"') == 4
    assert html.count('class="footnote-ref"') >= 4
    assert "Bridging the accountability gap" in html
    assert "in the past, struggled to articulate" in html  # paragraph 10, joined over the page


def test_seed_answers_and_sections_start_their_history(seed):
    assert Answer.history.count() == 35
    assert ReportSection.history.count() == 11


def test_loading_the_seed_again_keeps_every_change(seed):
    answer = answer_to("28")
    answer.text = "Our new answer."
    answer.save()
    call_command("load_seed", verbosity=0)
    assert answer_to("28").text == "Our new answer."
    assert Answer.objects.count() == 35
    assert Consultation.objects.count() == 1


def _every_row() -> dict[str, list[dict]]:
    """Each table's rows, less what differs between two loads by design: when a
    history row was written, and the id its table's counter gave it."""
    return {
        model._meta.label: [
            {k: v for k, v in row.items() if k not in {"history_id", "history_date"}}
            for row in model._base_manager.order_by("pk").values()
        ]
        for model in apps.get_models(include_auto_created=True)
    }


def test_the_seed_fixture_writes_what_load_seed_writes(seed_rows):
    """Tests get the seed from rows read once (tests/seeding.py): they must be the
    command's, every table and every field, or the tests check another seed."""
    with transaction.atomic():
        write_seed(seed_rows)
        written = _every_row()
        transaction.set_rollback(True)
    with transaction.atomic():
        call_command("load_seed", verbosity=0)
        loaded = _every_row()
        transaction.set_rollback(True)
    assert Answer.history.count() == 0  # each load above was undone
    assert written == loaded
    assert len(written["responses.Answer"]) == 35
    assert len(written["responses.HistoricalAnswer"]) == 35
