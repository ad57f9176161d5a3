"""The council's position on each question: saved as content, summed up in the report."""

import pytest

from responses import positions, services, workflow
from responses.errors import Invalid, Locked, NotAllowed, NotFound, StaleEdit, WrongState
from responses.models import Answer, AuditEvent, ReportSection
from tests.edits import edit_answer
from tests.factories import ReportSectionFactory
from tests.papers import digest_of, paper_of

P = Answer.Position
NA = P.NOT_APPLICABLE


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        (
            {P.AGREES: 20, P.PARTLY_AGREES: 8, P.DISAGREES: 4, P.NO_VIEW: 3},
            "The council agrees with 20 of the 35 proposals, partly agrees with 8, "
            "disagrees with 4 and has no view on 3.",
        ),
        (
            {P.AGREES: 1, P.DISAGREES: 1},
            "The council agrees with 1 of the 2 proposals and disagrees with 1.",
        ),
        (
            {P.PARTLY_AGREES: 8, P.DISAGREES: 4},
            "The council partly agrees with 8 of the 12 proposals and disagrees with 4.",
        ),
        ({P.AGREES: 35}, "The council agrees with all 35 proposals."),
        ({P.AGREES: 2}, "The council agrees with both proposals."),
        ({P.DISAGREES: 1}, "The council disagrees with the one proposal."),
        ({P.NO_VIEW: 4}, "The council has no view on any of the 4 proposals."),
        ({P.NO_VIEW: 1}, "The council has no view on the one proposal."),
        (
            {P.AGREES: 30, "": 5},
            "The council agrees with 30 of the 35 proposals and has yet to state a position on 5.",
        ),
        (
            {P.AGREES: 20, P.DISAGREES: 4, NA: 2},
            "The council agrees with 20 of the 24 proposals and disagrees with 4. A further 2 "
            "proposals are not applicable to the council and are not counted.",
        ),
        (
            {P.AGREES: 3, NA: 1},
            "The council agrees with all 3 proposals. A further proposal is not applicable "
            "to the council and is not counted.",
        ),
        ({NA: 3}, "The council regards all 3 proposals as not applicable to it."),
        ({NA: 1}, "The council regards the one proposal as not applicable to it."),
        ({}, "There are no proposals to take a position on."),
        (
            {P.AGREES: 0, P.PARTLY_AGREES: 0, P.DISAGREES: 2, P.NO_VIEW: 0},
            "The council disagrees with both proposals.",
        ),
    ],
)
def test_the_summary_is_one_well_formed_sentence_for_any_mix(counts, expected):
    assert positions.sentence(counts) == expected


@pytest.fixture
def small(staffed):
    """Seven questions (the seventh unanswered), a report section to carry the summary."""
    response = staffed(7)
    ReportSectionFactory(report=response.report, heading="Summary", body="Our reply.")
    return response


def _position(response, number, position):
    Answer.objects.filter(response=response, question__number=number).update(position=position)


def _answer(response, number) -> Answer:
    return Answer.objects.get(response=response, question__number=number)


def _set(user, response, number, position) -> Answer:
    current = _answer(response, number)
    return edit_answer(user, response, number, current.text, position=position)


def test_a_position_is_saved_as_a_new_version_with_its_history(small, officer):
    before = _answer(small, "1")

    saved = _set(officer, small, "1", P.PARTLY_AGREES)

    assert saved.position == P.PARTLY_AGREES
    assert saved.version == before.version + 1
    latest = saved.history.latest("history_id")
    assert (latest.position, latest.history_user) == (P.PARTLY_AGREES, officer)


def test_a_save_that_leaves_the_position_out_keeps_it(small, officer):
    _set(officer, small, "1", P.DISAGREES)
    edit_answer(officer, small, "1", "New words.")
    assert _answer(small, "1").position == P.DISAGREES


def test_a_position_against_an_old_version_is_refused(small, officer):
    answer = _answer(small, "1")
    _set(officer, small, "1", P.AGREES)
    with pytest.raises(StaleEdit):
        services.save_answer(
            user=officer,
            response_id=small.pk,
            number="1",
            text=answer.text,
            status=answer.status,
            assignee=None,
            expected_version=answer.version,
            position=P.DISAGREES,
        )
    assert _answer(small, "1").position == P.AGREES


def test_an_unknown_position_is_refused_and_nothing_saved(small, officer):
    with pytest.raises(Invalid):
        _set(officer, small, "1", "maybe")
    assert _answer(small, "1").position == ""


def test_an_officer_cannot_change_the_position_of_an_agreed_answer_but_the_lead_can(
    small, officer, lead
):
    Answer.objects.filter(response=small, question__number="1").update(status=Answer.Status.AGREED)
    with pytest.raises(NotAllowed):
        _set(officer, small, "1", P.DISAGREES)
    assert _set(lead, small, "1", P.DISAGREES).position == P.DISAGREES


def test_a_position_cannot_change_once_the_paper_is_with_its_signatories(small, officer, lead):
    workflow.submit(user=lead, response_id=small.pk, confirm_gaps=True)
    with pytest.raises(Locked):
        _set(officer, small, "1", P.AGREES)


def test_the_position_is_not_printed_in_the_appendix_but_changes_no_digest(small, officer):
    before = digest_of(small)
    _set(officer, small, "1", P.AGREES)
    assert digest_of(small) == before  # not printed (no section carries the summary)


def _carrier(response) -> ReportSection:
    return ReportSection.objects.get(report__response=response, heading="Summary")


def test_the_lead_inserts_the_summary_and_the_paper_prints_it_after_the_section(small, lead):
    for number in ("1", "2", "3"):
        _position(small, number, P.AGREES)
    _position(small, "4", P.DISAGREES)
    _position(small, "5", NA)
    section = _carrier(small)

    services.insert_positions_summary(user=lead, response_id=small.pk, section_id=section.pk)

    section.refresh_from_db()
    assert section.summarises_positions
    assert section.history.latest("history_id").history_user == lead
    event = AuditEvent.objects.get(response=small, kind=AuditEvent.Kind.POSITIONS_SUMMARY)
    assert (event.actor, event.summary) == (
        lead,
        "Summary of the council's positions inserted in “Summary”",
    )
    paper = paper_of(small)
    body = next(s["body"] for s in paper.canonical["report_sections"] if s["heading"] == "Summary")
    assert body == (
        "Our reply.\n\nThe council agrees with 3 of the 6 proposals, disagrees with 1 and has "
        "yet to state a position on 2. A further proposal is not applicable to the council "
        "and is not counted."
    )


def test_the_summary_follows_the_answers_while_drafting(small, lead, officer):
    section = _carrier(small)
    services.insert_positions_summary(user=lead, response_id=small.pk, section_id=section.pk)
    before = digest_of(small)

    _set(officer, small, "1", P.AGREES)

    assert "agrees with 1 of the 7 proposals" in paper_of(small).printed_body(_carrier(small))
    assert digest_of(small) != before  # printed, so signed


def test_submission_keeps_the_summary_so_what_is_signed_never_changes(small, lead, officer):
    _set(officer, small, "1", P.AGREES)
    section = _carrier(small)
    services.insert_positions_summary(user=lead, response_id=small.pk, section_id=section.pk)
    at_submission = paper_of(small).printed_body(_carrier(small))

    workflow.submit(user=lead, response_id=small.pk, confirm_gaps=True)
    signed = digest_of(small)
    # Whatever moves the positions afterwards (a fix in the database, a new wording of
    # the sentence), the paper with its signatories prints what was kept.
    _position(small, "2", P.DISAGREES)

    kept = _carrier(small)
    assert kept.positions_summary == (
        "The council agrees with 1 of the 7 proposals and has yet to state a position on 6."
    )
    assert kept.history.latest("history_id").positions_summary == kept.positions_summary
    assert paper_of(small).printed_body(kept) == at_submission
    assert digest_of(small) == signed


def test_back_in_drafting_the_summary_follows_the_answers_again(small, lead, director, officer):
    section = _carrier(small)
    services.insert_positions_summary(user=lead, response_id=small.pk, section_id=section.pk)
    workflow.submit(user=lead, response_id=small.pk, confirm_gaps=True)
    workflow.return_for_changes(user=director, response_id=small.pk, comment="Positions?")

    _set(officer, small, "3", P.NO_VIEW)

    assert "has no view on 1" in paper_of(small).printed_body(_carrier(small))


def test_the_summary_is_in_one_section_only(small, lead):
    other = ReportSectionFactory(report=small.report, heading="Background")
    services.insert_positions_summary(
        user=lead, response_id=small.pk, section_id=_carrier(small).pk
    )
    with pytest.raises(WrongState, match="already in “Summary”"):
        services.insert_positions_summary(user=lead, response_id=small.pk, section_id=other.pk)


def test_the_lead_removes_the_summary_again(small, lead):
    section = _carrier(small)
    services.insert_positions_summary(user=lead, response_id=small.pk, section_id=section.pk)
    services.remove_positions_summary(user=lead, response_id=small.pk, section_id=section.pk)
    assert paper_of(small).printed_body(_carrier(small)) == "Our reply."
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.POSITIONS_SUMMARY).count() == 2


def test_an_officer_cannot_insert_the_summary(small, officer):
    with pytest.raises(NotAllowed):
        services.insert_positions_summary(
            user=officer, response_id=small.pk, section_id=_carrier(small).pk
        )
    assert not _carrier(small).summarises_positions


def test_the_summary_cannot_go_into_another_responses_section(small, staffed, lead):
    elsewhere = ReportSectionFactory(report=staffed(1).report)
    with pytest.raises(NotFound):
        services.insert_positions_summary(user=lead, response_id=small.pk, section_id=elsewhere.pk)
    assert not ReportSection.objects.filter(summarises_positions=True).exists()


def test_a_section_holding_only_the_summary_is_not_empty(small, lead):
    section = _carrier(small)
    ReportSection.objects.filter(pk=section.pk).update(body="")
    services.insert_positions_summary(user=lead, response_id=small.pk, section_id=section.pk)
    assert section.pk not in [s.pk for s in paper_of(small).gaps.empty_sections]


def test_the_pdf_prints_the_summary_in_its_section_and_no_position_by_an_answer(small, lead):
    from responses.documents import pdf
    from tests import pdfs

    for number in ("1", "2", "3", "4", "5", "6"):
        _position(small, number, P.AGREES)
    _position(small, "7", P.PARTLY_AGREES)
    services.insert_positions_summary(
        user=lead, response_id=small.pk, section_id=_carrier(small).pk
    )

    text = pdfs.text(pdf.cabinet_paper(paper_of(small)).content)

    summary = "The council agrees with 6 of the 7 proposals and partly agrees with 1."
    assert f"Our reply. {summary}" in text
    assert text.index(summary) < text.index("Appendix 1")
    assert "Council's position" not in text
    assert "Partly agrees" not in text
