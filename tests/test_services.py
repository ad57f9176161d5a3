"""Drafting writes: permission, then state, then version, then the write and its history."""

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from responses import roles, services, workflow
from responses.errors import (
    DomainError,
    Invalid,
    Locked,
    NotAllowed,
    NotFound,
    StaleEdit,
    WrongState,
)
from responses.models import Answer, CabinetReport, CouncilSettings, ReportSection, Response
from responses.models.council import NEUTRAL_HEADINGS
from tests.edits import edit_answer
from tests.factories import (
    AnswerFactory,
    CabinetReportFactory,
    QuestionFactory,
    ReportSectionFactory,
    ResponseFactory,
    UserFactory,
    council_settings,
    standard_report,
)
from tests.papers import paper_of

pytestmark = pytest.mark.django_db


def save(answer: Answer, user, **changes):
    values = {
        "text": answer.text,
        "status": answer.status,
        "assignee": answer.assignee,
        "expected_version": answer.version,
        **changes,
    }
    return services.save_answer(
        user=user, response_id=answer.response_id, number=answer.question.number, **values
    )


def test_saving_an_answer_makes_a_new_version_with_who_and_when(officer):
    answer = AnswerFactory(text="Old")
    saved = save(answer, officer, text="New")
    assert (saved.text, saved.version, saved.changed_by) == ("New", 2, officer)
    latest = saved.history.latest()
    assert (latest.text, latest.history_user) == ("New", officer)


def test_saving_without_a_change_makes_no_version(officer):
    answer = AnswerFactory(text="Same")
    assert save(answer, officer).version == 1
    assert answer.history.count() == 1


def test_a_stale_version_is_refused_and_changes_nothing(officer, lead):
    answer = AnswerFactory(text="First")
    save(answer, lead, text="Lead's text")
    with pytest.raises(StaleEdit) as refused:
        save(answer, officer, text="Officer's text", expected_version=1)
    assert refused.value.current.text == "Lead's text"
    answer.refresh_from_db()
    assert (answer.text, answer.version) == ("Lead's text", 2)


@pytest.mark.parametrize("status", ["awaiting_director", "awaiting_portfolio_holder", "signed_off"])
def test_a_locked_response_refuses_every_edit(officer, status):
    answer = AnswerFactory(text="Signed text")
    Response.objects.filter(pk=answer.response_id).update(status=status)
    with pytest.raises(Locked, match="cannot be changed"):
        save(answer, officer, text="Sneaky change")
    answer.refresh_from_db()
    assert answer.text == "Signed text"


@pytest.mark.parametrize("persona", ["director", "portfolio_holder", "outsider"])
def test_only_drafting_roles_edit_answers(request, seed, persona):
    answer = seed.answers.get(question__number="12")
    with pytest.raises(NotAllowed):
        save(answer, request.getfixturevalue(persona), text="Changed")
    answer.refresh_from_db()
    assert answer.text.startswith("Walsall")


def test_officer_cannot_mark_an_answer_agreed(officer):
    answer = AnswerFactory()
    with pytest.raises(NotAllowed, match="lead officer"):
        save(answer, officer, status=Answer.Status.AGREED)


def test_officer_cannot_unagree_an_answer(officer):
    answer = AnswerFactory(status=Answer.Status.AGREED)
    with pytest.raises(NotAllowed):
        save(answer, officer, status=Answer.Status.DRAFTING)


def test_lead_marks_an_answer_agreed_and_assigns_it(seed, lead, officer):
    answer = seed.answers.get(question__number="12")
    saved = save(answer, lead, status=Answer.Status.AGREED, assignee=officer)
    assert (saved.status, saved.assignee) == (Answer.Status.AGREED, officer)


def test_an_answer_cannot_be_given_to_someone_off_the_team(seed, lead, outsider):
    answer = seed.answers.get(question__number="12")
    before = (answer.assignee_id, answer.version)

    with pytest.raises(Invalid, match="not on this response's team"):
        save(answer, lead, assignee=outsider)

    answer.refresh_from_db()
    assert (answer.assignee_id, answer.version) == before


def test_officer_cannot_assign(officer, lead):
    answer = AnswerFactory()
    with pytest.raises(NotAllowed, match="assigns"):
        save(answer, officer, assignee=lead)


def test_text_over_20000_characters_is_refused(officer):
    answer = AnswerFactory(text="Short")
    with pytest.raises(Invalid, match="at most 20000 characters"):
        save(answer, officer, text="x" * 20_001)
    answer.refresh_from_db()
    assert (answer.text, answer.version) == ("Short", 1)


def test_an_unknown_question_is_not_found(officer):
    answer = AnswerFactory()
    with pytest.raises(NotFound):
        services.save_answer(
            user=officer,
            response_id=answer.response_id,
            number="999",
            text="x",
            status="drafting",
            assignee=None,
            expected_version=1,
        )


def test_restore_brings_back_old_text_as_a_new_version(officer):
    answer = AnswerFactory(text="Original")
    save(answer, officer, text="Rewritten")
    original = answer.history.earliest()
    restored = services.restore_version(
        user=officer,
        response_id=answer.response_id,
        number=answer.question.number,
        history_id=original.history_id,
        expected_version=2,
    )
    assert (restored.text, restored.version) == ("Original", 3)
    assert answer.history.count() == 3


def test_restore_of_another_answers_version_is_not_found(officer):
    answer, other = AnswerFactory(), AnswerFactory()
    with pytest.raises(NotFound):
        services.restore_version(
            user=officer,
            response_id=answer.response_id,
            number=answer.question.number,
            history_id=other.history.get().history_id,
            expected_version=1,
        )


def test_report_section_save_is_versioned_and_checked(officer):
    section = ReportSectionFactory(body="Old")
    response_id = section.report.response_id
    saved = services.save_report_section(
        user=officer,
        response_id=response_id,
        section_id=section.pk,
        heading=section.heading,
        body="New",
        expected_version=1,
    )
    assert (saved.body, saved.version) == ("New", 2)
    with pytest.raises(StaleEdit):
        services.save_report_section(
            user=officer,
            response_id=response_id,
            section_id=section.pk,
            heading=section.heading,
            body="Stale",
            expected_version=1,
        )


def test_a_section_of_another_report_is_not_found(officer):
    section = ReportSectionFactory()
    other = CabinetReportFactory()
    with pytest.raises(NotFound, match="no such section"):
        services.save_report_section(
            user=officer,
            response_id=other.response_id,
            section_id=section.pk,
            heading="x",
            body="x",
            expected_version=1,
        )


def test_lead_adds_moves_and_removes_sections(lead):
    report = standard_report()
    response_id = report.response_id
    added = services.add_report_section(user=lead, response_id=response_id, heading="Climate")
    assert list(report.sections.order_by("position"))[-1] == added
    services.move_report_section(user=lead, response_id=response_id, section_id=added.pk, offset=-1)
    headings = list(report.sections.order_by("position").values_list("heading", flat=True))
    assert headings[-2:] == ["Climate", "Background papers"]
    services.delete_report_section(user=lead, response_id=response_id, section_id=added.pk)
    assert not report.sections.filter(heading="Climate").exists()
    assert ReportSection.history.filter(heading="Climate", history_type="-").exists()


def test_moving_the_first_section_up_changes_nothing(lead):
    report = standard_report()
    first = report.sections.order_by("position").first()
    services.move_report_section(
        user=lead, response_id=report.response_id, section_id=first.pk, offset=-1
    )
    assert report.sections.order_by("position").first() == first


def test_moving_another_reports_section_is_not_found_and_moves_nothing(lead):
    report, other = standard_report(), standard_report()
    order = list(other.sections.order_by("position").values_list("pk", flat=True))

    with pytest.raises(NotFound, match="no such section"):
        services.move_report_section(
            user=lead, response_id=report.response_id, section_id=order[1], offset=-1
        )

    assert list(other.sections.order_by("position").values_list("pk", flat=True)) == order


def test_moving_the_second_section_up_makes_it_the_first(lead):
    report = standard_report()
    first, second = report.sections.order_by("position")[:2]

    services.move_report_section(
        user=lead, response_id=report.response_id, section_id=second.pk, offset=-1
    )

    assert list(report.sections.order_by("position")[:2]) == [second, first]
    assert [s.history.latest().history_user for s in (first, second)] == [lead, lead]


def test_a_response_without_a_report_has_no_sections_to_add_or_details_to_save(
    administrator,
):
    response = ResponseFactory()
    with pytest.raises(NotFound, match="no Cabinet report"):
        services.add_report_section(user=administrator, response_id=response.pk, heading="X")
    with pytest.raises(NotFound, match="no Cabinet report"):
        services.save_report_details(
            user=administrator, response_id=response.pk, details={}, expected_version=1
        )


def test_officer_cannot_add_or_remove_sections(officer):
    section = ReportSectionFactory()
    response_id = section.report.response_id
    with pytest.raises(NotAllowed):
        services.add_report_section(user=officer, response_id=response_id, heading="x")
    with pytest.raises(NotAllowed):
        services.delete_report_section(user=officer, response_id=response_id, section_id=section.pk)
    assert section.report.sections.count() == 1


def test_report_details_are_versioned(lead):
    report = CabinetReportFactory(wards="All")
    saved = services.save_report_details(
        user=lead,
        response_id=report.response_id,
        details={"wards": "Darlaston"},
        expected_version=1,
    )
    assert (saved.wards, saved.version) == ("Darlaston", 2)
    with pytest.raises(StaleEdit):
        services.save_report_details(
            user=lead, response_id=report.response_id, details={"wards": "x"}, expected_version=1
        )


def test_an_answer_given_words_is_no_longer_not_started(officer):
    answer = AnswerFactory(text="", status=Answer.Status.NOT_STARTED)
    assert save(answer, officer, text="Now answered").status == Answer.Status.DRAFTING


def test_officer_cannot_rewrite_an_agreed_answer(officer):
    answer = AnswerFactory(text="Agreed words", status=Answer.Status.AGREED)
    with pytest.raises(NotAllowed, match="lead officer"):
        save(answer, officer, text="Rewritten")
    answer.refresh_from_db()
    assert answer.text == "Agreed words"


def test_a_new_report_starts_with_the_councils_standard_headings():
    council_settings(headings=["Purpose", "Recommendations", "Climate impact"])
    report = standard_report()
    headings = [s.heading for s in report.sections.order_by("position")]
    assert headings == ["Purpose", "Recommendations", "Climate impact"]
    assert all(s.body == "" for s in report.sections.all())


def test_a_new_installations_report_starts_with_the_neutral_headings_not_walsalls():
    report = standard_report()
    headings = [s.heading for s in report.sections.order_by("position")]
    assert headings == list(NEUTRAL_HEADINGS)
    assert not {"Vision 2008", "Citizen impact", "Summary of report"} & set(headings)
    assert not CouncilSettings.objects.exists()  # read, never written, to make a report


def test_creating_a_response_gives_every_question_an_empty_answer_and_a_report(officer):
    questions = [QuestionFactory() for _ in range(3)]
    consultation = questions[0].consultation
    for question in questions[1:]:
        question.consultation = consultation
        question.section.consultation = consultation
        question.section.save()
        question.save()
    details = {
        f.name: getattr(CabinetReportFactory.build(), f.name)
        for f in CabinetReport._meta.concrete_fields
        if f.name not in ("id", "response", "version")
    }
    response = services.create_response(
        consultation=consultation,
        organisation_name="Anytown Council",
        title="Draft Response",
        report=details,
        team=[officer],
    )
    answers = list(response.answers.order_by("question__position"))
    assert [a.question for a in answers] == sorted(questions, key=lambda q: q.position)
    assert all(a.text == "" and a.status == Answer.Status.NOT_STARTED for a in answers)
    assert response.report.sections.count() == len(NEUTRAL_HEADINGS)
    assert list(response.team.all()) == [officer]


def test_a_question_added_later_gets_an_answer_in_every_response(administrator):
    response = ResponseFactory()
    question = QuestionFactory(section__consultation=response.consultation)
    assert not response.answers.exists()
    created = services.add_missing_answers(response, by=administrator)
    assert [a.question for a in created] == [question]
    assert created[0].history.get().history_user == administrator
    assert services.add_missing_answers(response) == []


def _write_calls(response, user):
    """Every drafting write, as (name, call), aimed at the given response."""
    answer = response.answers.select_related("question").get(question__number="12")
    section = response.report.sections.order_by("position").first()
    history_id = answer.history.earliest("history_date").history_id
    section_history_id = section.history.earliest("history_date").history_id
    report = response.report
    common = {"user": user, "response_id": response.pk}
    return [
        (
            "save_answer",
            lambda: services.save_answer(
                **common,
                number="12",
                text="Changed",
                status=answer.status,
                assignee=answer.assignee,
                expected_version=answer.version,
            ),
        ),
        (
            "restore_answer",
            lambda: services.restore_version(
                **common, number="12", history_id=history_id, expected_version=answer.version
            ),
        ),
        (
            "save_report_details",
            lambda: services.save_report_details(
                **common, details={"title": "Changed"}, expected_version=report.version
            ),
        ),
        (
            "save_report_section",
            lambda: services.save_report_section(
                **common,
                section_id=section.pk,
                heading="Changed",
                body="Changed",
                expected_version=section.version,
            ),
        ),
        (
            "restore_report_section",
            lambda: services.restore_version(
                **common,
                section_id=section.pk,
                history_id=section_history_id,
                expected_version=section.version,
            ),
        ),
        ("add_report_section", lambda: services.add_report_section(**common, heading="Added")),
        (
            "delete_report_section",
            lambda: services.delete_report_section(**common, section_id=section.pk),
        ),
        (
            "move_report_section",
            lambda: services.move_report_section(**common, section_id=section.pk, offset=1),
        ),
    ]


def _everything(response):
    response.refresh_from_db()
    return (
        paper_of(response).digest,
        list(Answer.objects.filter(response=response).values_list("version", flat=True)),
        list(ReportSection.objects.filter(report__response=response).values_list("version")),
    )


def _give_second_versions(seed, lead) -> None:
    """Answer 12 and the first report section get a second version, so that restoring
    the first is a change."""
    edit_answer(lead, seed, "12", "Second version")
    first = seed.report.sections.order_by("position").first()
    services.save_report_section(
        user=lead,
        response_id=seed.pk,
        section_id=first.pk,
        heading=first.heading,
        body="Second version",
        expected_version=first.version,
    )


@pytest.mark.parametrize("status", ["awaiting_director", "awaiting_portfolio_holder", "signed_off"])
def test_every_write_is_refused_while_the_paper_is_with_its_signatories(seed, lead, status):
    _give_second_versions(seed, lead)
    Response.objects.filter(pk=seed.pk).update(status=status, submission_round=1)
    before = _everything(seed)
    for name, call in _write_calls(seed, lead):
        with pytest.raises(Locked):
            call()
        assert _everything(seed) == before, name


def test_every_write_to_a_response_off_the_team_is_not_found(seed):
    stranger = UserFactory(username="stranger", groups=[roles.LEAD_OFFICER])
    before = _everything(seed)
    for name, call in _write_calls(seed, stranger):
        with pytest.raises(NotFound):
            call()
        assert _everything(seed) == before, name


def test_every_write_in_drafting_is_done_by_the_lead(seed, lead):
    _give_second_versions(seed, lead)
    for name, call in _write_calls(seed, lead):
        before = _everything(seed)
        with transaction.atomic():
            call()
            assert _everything(seed) != before, name
            transaction.set_rollback(True)


def test_a_response_that_does_not_exist_is_not_found(lead):
    with pytest.raises(NotFound, match="no such response"):
        services.add_report_section(user=lead, response_id=987654, heading="Lost")


def test_an_administrator_renames_a_response_and_sets_its_team_while_drafting(
    seed, administrator, officer
):
    other = UserFactory(username="other-officer", groups=[roles.OFFICER])
    services.update_response(
        user=administrator,
        response_id=seed.pk,
        organisation_name="Walsall MBC",
        title="Response by Walsall MBC",
        team=[officer, other],
    )
    seed.refresh_from_db()
    assert (seed.organisation_name, seed.title) == ("Walsall MBC", "Response by Walsall MBC")
    assert set(seed.team.all()) == {officer, other}


def test_a_submitted_response_keeps_its_printed_names_but_its_team_may_change(
    seed, administrator, officer
):
    Response.objects.filter(pk=seed.pk).update(status="awaiting_director", submission_round=1)
    with pytest.raises(Locked):
        services.update_response(
            user=administrator, response_id=seed.pk, organisation_name="X", title="Renamed"
        )
    services.update_response(
        user=administrator,
        response_id=seed.pk,
        organisation_name=seed.organisation_name,
        title=seed.title,
        team=[],
    )
    seed.refresh_from_db()
    assert seed.title == "Draft Response by Walsall Council"
    assert not seed.team.exists()


def test_only_an_administrator_sets_up_a_response(seed, lead):
    with pytest.raises(NotAllowed):
        services.update_response(
            user=lead, response_id=seed.pk, organisation_name="X", title="Renamed"
        )


def test_a_response_or_report_with_missing_details_is_not_created(seed):
    with pytest.raises(ValidationError):
        services.create_response(consultation=seed.consultation, organisation_name="", title="")
    with pytest.raises(ValidationError):
        services.create_report(seed, {"title": "No date, no names"})
    assert Response.objects.count() == 1


def test_removing_a_section_of_another_report_is_not_found(seed, lead):
    elsewhere = ReportSectionFactory()
    with pytest.raises(NotFound, match="no such section"):
        services.delete_report_section(user=lead, response_id=seed.pk, section_id=elsewhere.pk)
    assert ReportSection.objects.filter(pk=elsewhere.pk).exists()


def _seen(response, *numbers: str) -> dict[int, int]:
    from responses.models import Answer

    answers = Answer.objects.filter(response=response, question__number__in=numbers)
    return {a.pk: a.version for a in answers}


def test_the_lead_assigns_several_answers_in_one_step_each_a_new_version(seed, lead, officer):
    from responses.models import Answer

    selected = _seen(seed, "1", "2", "3")

    services.update_answers(user=lead, response_id=seed.pk, selected=selected, assignee=officer)

    for answer in Answer.objects.filter(pk__in=selected):
        assert answer.assignee == officer
        assert answer.version == selected[answer.pk] + 1
        assert answer.history.first().history_user == lead


def test_a_step_over_no_selected_answers_asks_for_a_selection(seed, lead, officer):
    with pytest.raises(Invalid, match="Select at least one question first"):
        services.update_answers(user=lead, response_id=seed.pk, selected={}, assignee=officer)


def test_a_step_over_several_answers_with_nothing_chosen_says_so(seed, lead):
    selected = _seen(seed, "27")

    with pytest.raises(Invalid, match="Choose what to do with the selected questions"):
        services.update_answers(user=lead, response_id=seed.pk, selected=selected)

    assert _seen(seed, "27") == selected


def test_marking_several_agreed_refuses_all_if_one_has_no_answer(seed, lead):
    from responses.models import Answer

    selected = _seen(seed, "27", "28")

    with pytest.raises(Invalid, match="Question 28 has no answer to agree"):
        services.update_answers(user=lead, response_id=seed.pk, selected=selected, agree=True)

    assert not Answer.objects.filter(pk__in=selected, status=Answer.Status.AGREED).exists()


def test_a_stale_version_in_the_selection_changes_nothing(seed, lead, officer):
    from responses.models import Answer
    from tests.edits import edit_answer

    selected = _seen(seed, "1", "2")
    edit_answer(officer, seed, "2", "Someone else's words.")

    with pytest.raises(WrongState, match="Someone changed question 2"):
        services.update_answers(user=lead, response_id=seed.pk, selected=selected, agree=True)

    assert Answer.objects.get(pk=next(iter(selected))).status != Answer.Status.AGREED


def test_answers_of_another_response_cannot_be_slipped_into_the_selection(seed, lead):
    from tests.factories import response_with_questions

    other = response_with_questions(2)
    selected = {**_seen(seed, "1"), **{a.pk: a.version for a in other.answers.all()}}

    with pytest.raises(NotFound):
        services.update_answers(user=lead, response_id=seed.pk, selected=selected, agree=True)


@pytest.mark.parametrize("who", ["officer", "director"])
def test_only_the_lead_steps_over_several_answers(request, seed, who):
    with pytest.raises(DomainError):
        services.update_answers(
            user=request.getfixturevalue(who),
            response_id=seed.pk,
            selected=_seen(seed, "1"),
            agree=True,
        )


def test_another_responses_answer_among_the_selected_is_not_found(seed, lead):
    other = AnswerFactory()
    selected = {**_seen(seed, "1"), other.pk: other.version}

    with pytest.raises(NotFound, match="Some of the selected questions are not in this response"):
        services.update_answers(user=lead, response_id=seed.pk, selected=selected, agree=True)

    assert not Answer.objects.filter(response=seed, status=Answer.Status.AGREED).exists()


def test_someone_off_the_team_cannot_be_given_questions(seed, lead, outsider):
    with pytest.raises(Invalid, match="not on this response's team"):
        services.update_answers(
            user=lead, response_id=seed.pk, selected=_seen(seed, "1"), assignee=outsider
        )


def test_assigning_several_questions_sends_one_e_mail_listing_them(
    seed, lead, officer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.update_answers(
            user=lead, response_id=seed.pk, selected=_seen(seed, "28", "32"), assignee=officer
        )

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [officer.email]
    assert mailoutbox[0].subject.startswith("2 questions of Local Strategic Partnerships")
    assert "assigned questions 28, 32" in mailoutbox[0].body
    assert f"/responses/{seed.pk}/?show=mine" in mailoutbox[0].body


def test_the_same_words_sent_with_a_browsers_crlf_line_breaks_are_no_new_version(seed, lead):
    answer = Answer.objects.get(response=seed, question__number="1")
    text = "First paragraph.\n\nSecond paragraph."
    edit_answer(lead, seed, "1", text)
    version = Answer.objects.get(pk=answer.pk).version

    edit_answer(lead, seed, "1", text.replace("\n", "\r\n"))

    saved = Answer.objects.get(pk=answer.pk)
    assert saved.version == version
    assert "\r" not in saved.text


def test_an_answer_saved_before_the_link_rule_can_still_be_assigned_and_agreed(seed, lead, officer):
    # Written before relative links were refused: stored as it was, never re-checked
    # by a step that does not change the words.
    Answer.objects.filter(response=seed, question__number="1").update(
        text="See [our plan](/plans/2006)."
    )
    selected = _seen(seed, "1")

    services.update_answers(user=lead, response_id=seed.pk, selected=selected, assignee=officer)
    services.update_answers(user=lead, response_id=seed.pk, selected=_seen(seed, "1"), agree=True)

    answer = Answer.objects.get(pk=next(iter(selected)))
    assert (answer.assignee, answer.status) == (officer, Answer.Status.AGREED)
    assert answer.text == "See [our plan](/plans/2006)."


def test_restoring_a_version_the_rules_now_refuse_says_why_and_changes_nothing(officer):
    answer = AnswerFactory(text="Original")
    # A version written before relative links were refused.
    answer.history.update(text="See [our plan](/plans/2006).")
    save(answer, officer, text="Rewritten")

    with pytest.raises(Invalid, match="not a full web address"):
        services.restore_version(
            user=officer,
            response_id=answer.response_id,
            number=answer.question.number,
            history_id=answer.history.earliest().history_id,
            expected_version=2,
        )
    answer.refresh_from_db()
    assert (answer.text, answer.version) == ("Rewritten", 2)


# Two writes to one response take turns on its row lock (select_for_update). Only
# PostgreSQL locks rows: SQLite takes its one write lock as a transaction begins
# (transaction_mode IMMEDIATE), and its shared in-memory test database refuses a second
# writer rather than making it wait. So these tests exist on PostgreSQL only: on
# SQLite they are not collected (deselected, never skipped).


_ROWS_LOCK = connection.vendor == "postgresql"


def where_rows_lock(test: Callable) -> Callable | None:
    """The test, committing as two requests do; None (nothing to collect) on SQLite."""
    return pytest.mark.django_db(transaction=True)(test) if _ROWS_LOCK else None


# Long enough for any loaded machine; only a broken test waits this long.
_PATIENCE = 60.0


class Elsewhere(threading.Thread):
    """`work` in a thread of its own, on a database connection of its own, as a
    second request would run it."""

    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__(daemon=True)
        self.work = work
        self.pid: int | None = None
        self.connected = threading.Event()
        self.error: Exception | None = None

    def run(self) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                (self.pid,) = cursor.fetchone()
            self.connected.set()
            self.work()
        except Exception as error:  # noqa: BLE001 - the test reads it
            self.error = error
        finally:
            self.connected.set()
            connection.close()


def held_back(other: Elsewhere) -> bool:
    """Start `other` and tell whether it comes to wait on a lock this connection holds
    (False if it finishes first)."""
    other.start()
    other.connected.wait(_PATIENCE)
    deadline = time.monotonic() + _PATIENCE
    with connection.cursor() as cursor:
        while other.is_alive() and time.monotonic() < deadline:
            cursor.execute("SELECT pg_backend_pid() = ANY(pg_blocking_pids(%s))", [other.pid])
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.01)
    return False


def _answers(response: Response) -> list[Answer]:
    return list(Answer.objects.filter(response=response).select_related("question"))


@where_rows_lock
def test_two_saves_to_one_response_take_turns(staffed, officer, lead):
    response = staffed(3)
    first, second = _answers(response)[:2]
    other = Elsewhere(lambda: save(second, officer, text="Saved second"))

    with transaction.atomic():
        save(first, lead, text="Saved first")
        waited = held_back(other)
    other.join(_PATIENCE)

    assert waited
    assert other.error is None
    assert Answer.objects.get(pk=second.pk).text == "Saved second"


@where_rows_lock
def test_a_save_during_a_submission_waits_and_is_refused_as_locked(staffed, officer, lead):
    response = staffed(3)
    answer = _answers(response)[0]
    other = Elsewhere(lambda: save(answer, officer, text="Typed as it was submitted"))

    with transaction.atomic():
        workflow.submit(user=lead, response_id=response.pk, confirm_gaps=True)
        waited = held_back(other)
    other.join(_PATIENCE)

    assert waited
    assert isinstance(other.error, Locked)
    assert Answer.objects.get(pk=answer.pk).text == answer.text


@where_rows_lock
def test_a_submission_waits_while_an_administrator_changes_the_consultation(staffed, lead):
    response = staffed(3)
    other = Elsewhere(
        lambda: workflow.submit(user=lead, response_id=response.pk, confirm_gaps=True)
    )

    with transaction.atomic():
        services.lock_consultation(response.consultation_id)
        waited = held_back(other)
    other.join(_PATIENCE)

    assert waited
    assert other.error is None
    assert Response.objects.get(pk=response.pk).status == Response.Status.AWAITING_DIRECTOR
