"""The answer counts a response keeps for its dashboard card follow its answers, whatever
writes them (responses/models/counts.py): each test compares the stored counts with
the answers counted afresh."""

from __future__ import annotations

import contextlib
import json
from datetime import date

import pytest
from django.core import serializers
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from responses import services, workflow
from responses.errors import DomainError
from responses.importing import setup
from responses.importing.parser import parse
from responses.models import Answer, Response
from responses.models.counts import counted_once
from tests.edits import edit_answer
from tests.factories import (
    AnswerFactory,
    QuestionFactory,
    ResponseFactory,
    response_with_questions,
)
from tests.papers import digest_of
from tests.strategies import PROPERTIES, examples

pytestmark = pytest.mark.django_db
AGREED = Answer.Status.AGREED


def shown(response: Response) -> tuple[int, int, int]:
    """(answers, answered, agreed) as the response keeps them, for its card."""
    return Response.objects.values_list("answer_count", "answered_count", "agreed_count").get(
        pk=response.pk
    )


def counted(response: Response) -> tuple[int, int, int]:
    """The same, counted from the answers now."""
    answers = Answer.objects.filter(response_id=response.pk)
    return (
        answers.count(),
        answers.exclude(text="").count(),
        answers.filter(status=AGREED).count(),
    )


def unanswered(response: Response) -> str:
    return (
        Answer.objects.filter(response=response, text="")
        .order_by("question__position")
        .values_list("question__number", flat=True)
        .first()
    )


def test_the_seed_loaded_raw_by_loaddata_is_counted(seed):
    assert shown(seed) == counted(seed) == (35, 30, 0)


def test_a_save_that_gives_words_agrees_and_empties_moves_the_counts(seed, officer, lead):
    number = unanswered(seed)
    edit_answer(officer, seed, number, "Words at last.")
    assert shown(seed) == counted(seed) == (35, 31, 0)
    edit_answer(lead, seed, number, "Words at last.", status=AGREED)
    assert shown(seed) == counted(seed) == (35, 31, 1)
    edit_answer(lead, seed, number, "", status=Answer.Status.DRAFTING)
    assert shown(seed) == counted(seed) == (35, 30, 0)


def test_a_refused_save_leaves_the_counts_as_they_were(seed, officer):
    number = unanswered(seed)
    with pytest.raises(DomainError):
        edit_answer(officer, seed, number, "Words.", status=AGREED)  # officers may not agree
    assert shown(seed) == counted(seed) == (35, 30, 0)


def test_a_save_of_other_words_or_another_assignee_leaves_the_response_row_alone(
    seed, officer, lead
):
    """Under the response's row lock a save writes only the answer and its history."""
    number = Answer.objects.filter(response=seed).exclude(text="").first().question.number
    with CaptureQueriesContext(connection) as captured:
        edit_answer(lead, seed, number, "Other words.", assignee=officer)
    writes = [q["sql"] for q in captured if q["sql"].startswith(("UPDATE", "INSERT"))]
    assert not any('"responses_response"' in sql.split("SET")[0] for sql in writes)
    assert shown(seed) == counted(seed) == (35, 30, 0)


def _selection(response: Response, numbers: list[str]) -> dict[int, int]:
    answers = Answer.objects.filter(response=response, question__number__in=numbers)
    return dict(answers.values_list("pk", "version"))


def test_agreeing_and_assigning_a_selection_move_the_counts_once(seed, lead, officer):
    written = list(
        Answer.objects.filter(response=seed)
        .exclude(text="")
        .values_list("question__number", flat=True)[:3]
    )
    services.update_answers(
        user=lead, response_id=seed.pk, selected=_selection(seed, written), agree=True
    )
    assert shown(seed) == counted(seed) == (35, 30, 3)
    services.update_answers(
        user=lead, response_id=seed.pk, selected=_selection(seed, written), assignee=officer
    )
    assert shown(seed) == counted(seed) == (35, 30, 3)


def test_a_refused_selection_leaves_the_counts_as_they_were(seed, lead):
    numbers = [unanswered(seed), "1"]  # an empty answer cannot be agreed: nothing changes
    with pytest.raises(DomainError):
        services.update_answers(
            user=lead, response_id=seed.pk, selected=_selection(seed, numbers), agree=True
        )
    assert shown(seed) == counted(seed) == (35, 30, 0)


def test_restoring_an_empty_version_takes_the_answer_off_the_answered(seed, officer):
    number = unanswered(seed)
    written = edit_answer(officer, seed, number, "Words for now.")
    first = written.history.order_by("history_id").first()
    assert shown(seed) == (35, 31, 0)
    services.restore_version(
        user=officer,
        response_id=seed.pk,
        number=number,
        history_id=first.history_id,
        expected_version=written.version,
    )
    assert Answer.objects.get(pk=written.pk).text == ""
    assert shown(seed) == counted(seed) == (35, 30, 0)


def test_a_consultation_set_up_from_pasted_questions_counts_an_empty_answer_for_each(
    lead, director, portfolio_holder
):
    response = setup.create_consultation(
        user=lead,
        details=setup.ConsultationDetails(
            title="Partnerships", issued_by="DCLG", responses_due_by=date(2027, 3, 3)
        ),
        outline=parse("# Questions\n\n1. Who?\n\n2. Why?\n\n3. When?"),
        organisation_name="Walsall Council",
        report=setup.report_details(
            consultation_title="Partnerships",
            meeting_body="Cabinet",
            meeting_date=date(2027, 3, 1),
            lead=lead,
            director=director,
            portfolio_holder=portfolio_holder,
            portfolio="Leader",
            job_title="Policy Officer",
        ),
    )
    assert shown(response) == counted(response) == (3, 0, 0)


def test_a_question_added_later_is_counted_in_every_response(administrator):
    response = response_with_questions(4, report=False)
    QuestionFactory(section__consultation=response.consultation, number="99")
    services.add_missing_answers(response, by=administrator)
    assert shown(response) == counted(response) == (5, 4, 0)


def test_reopening_keeps_the_counts_and_an_edit_after_it_moves_them(
    signing, lead, director, portfolio_holder
):
    number = unanswered(signing)
    workflow.submit(user=lead, response_id=signing.pk, confirm_gaps=True)
    for signatory in (director, portfolio_holder):
        workflow.approve(user=signatory, response_id=signing.pk, seen_digest=digest_of(signing))
    workflow.reopen(user=lead, response_id=signing.pk, reason="Cabinet asked for more.")
    assert shown(signing) == counted(signing) == (35, 30, 0)
    edit_answer(lead, signing, number, "More, as Cabinet asked.")
    assert shown(signing) == counted(signing) == (35, 31, 0)


def test_a_response_read_before_its_answers_changed_saves_without_its_old_counts(seed, officer):
    stale = Response.objects.get(pk=seed.pk)
    edit_answer(officer, seed, unanswered(seed), "Written meanwhile.")
    stale.title = "Renamed by a shell"
    stale.save()
    assert Response.objects.get(pk=seed.pk).title == "Renamed by a shell"
    assert shown(seed) == counted(seed) == (35, 31, 0)


def test_a_response_saved_naming_its_counts_is_counted_afresh(seed):
    seed.answer_count = 99
    seed.save(update_fields=["answer_count"])
    assert shown(seed) == counted(seed) == (35, 30, 0)


def test_a_new_response_starts_with_no_counts_whatever_it_was_given():
    response = ResponseFactory(answer_count=7, answered_count=7, agreed_count=7)
    assert shown(response) == counted(response) == (0, 0, 0)


def test_an_answer_read_before_a_change_is_counted_as_stored_when_saved_changed():
    """A save that changes what it read counts the row as stored, not as it was read."""
    answer = AnswerFactory(text="Words", status=Answer.Status.DRAFTING)
    stale = Answer.objects.get(pk=answer.pk)
    Answer.objects.filter(pk=answer.pk).update(status=AGREED, text="")
    assert shown(answer.response) == (1, 0, 1)
    stale.status = Answer.Status.READY_FOR_REVIEW
    stale.text = ""
    stale.save()
    assert shown(answer.response) == counted(answer.response) == (1, 0, 0)


def test_a_save_naming_some_fields_counts_only_what_it_writes():
    answer = AnswerFactory(text="Words", status=Answer.Status.DRAFTING)
    answer.text = ""
    answer.status = AGREED
    answer.save(update_fields=["status"])
    assert shown(answer.response) == counted(answer.response) == (1, 1, 1)
    answer.save()  # and now the empty text too
    assert shown(answer.response) == counted(answer.response) == (1, 0, 1)
    partial = Answer.objects.only("pk", "status", "response").get(pk=answer.pk)
    partial.status = Answer.Status.DRAFTING
    partial.save()
    assert shown(answer.response) == counted(answer.response) == (1, 0, 0)


def test_an_answer_moved_to_another_response_is_counted_in_the_one_it_is_in():
    answer = AnswerFactory(text="Words", status=AGREED)
    before = answer.response
    after = ResponseFactory(consultation=before.consultation)
    answer.response = after
    answer.save()
    assert shown(before) == counted(before) == (0, 0, 0)
    assert shown(after) == counted(after) == (1, 1, 1)
    Answer.objects.filter(pk=answer.pk).update(response=before)
    assert shown(before) == counted(before) == (1, 1, 1)
    assert shown(after) == counted(after) == (0, 0, 0)


def test_bulk_writes_that_bypass_save_are_counted():
    response = response_with_questions(14, report=False)  # bulk_create: 2 of 14 empty
    assert shown(response) == counted(response) == (14, 12, 0)
    Answer.objects.filter(response=response).exclude(text="").update(status=AGREED)
    assert shown(response) == counted(response) == (14, 12, 12)
    answers = list(Answer.objects.filter(response=response).order_by("pk")[:4])
    for answer in answers:
        answer.text = ""
    Answer.objects.bulk_update(answers, ["text"])
    assert shown(response) == counted(response) == (14, 8, 12)
    Answer.objects.filter(pk=answers[0].pk).delete()
    answers[1].delete()
    assert shown(response) == counted(response) == (12, 8, 10)


def test_writes_inside_a_counted_step_are_counted_at_its_end():
    response = response_with_questions(3, report=False)
    with counted_once(response):
        for answer in Answer.objects.filter(response=response):
            answer.status = AGREED
            answer.save()
        QuestionFactory(section__consultation=response.consultation, number="99")
        services.add_missing_answers(response)
        Answer.objects.get(response=response, question__number="1").delete()
    assert shown(response) == counted(response) == (3, 2, 2)


@pytest.mark.parametrize("answers_first", [False, True])
def test_a_loaded_dump_is_counted_whatever_it_says_and_in_either_order(answers_first, tmp_path):
    """loaddata saves raw: the counts a dump holds (here wrong) are not taken on trust."""
    response = response_with_questions(7, report=False)  # 6 of 7 with words
    Answer.objects.filter(response=response, question__number="1").update(status=AGREED)
    answers = list(Answer.objects.filter(response=response))
    rows = json.loads(serializers.serialize("json", [response, *answers]))
    rows[0]["fields"].update(answer_count=40, answered_count=30, agreed_count=20)
    if answers_first:
        rows = rows[1:] + rows[:1]
    Answer.objects.filter(response=response).delete()
    Response.objects.filter(pk=response.pk).delete()
    fixture = tmp_path / "dump.json"
    fixture.write_text(json.dumps(rows))
    call_command("loaddata", fixture, verbosity=0)
    assert shown(response) == counted(response) == (7, 6, 1)
    call_command("loaddata", fixture, verbosity=0)  # loaded again over the same rows
    assert shown(response) == counted(response) == (7, 6, 1)


WRITES = st.lists(
    st.tuples(
        st.sampled_from(["save", "agree", "update", "delete"]),
        st.integers(min_value=0, max_value=5),
        st.sampled_from(["", "Words."]),
        st.sampled_from(Answer.Status.values),
    ),
    max_size=8,
)


def _write(response: Response, user, kind: str, number: str, text: str, status: str) -> None:
    """One write of `kind` to question `number`, as a page, a step or a shell makes it."""
    answers = Answer.objects.filter(response=response, question__number=number)
    if kind == "update":
        answers.update(text=text, status=status)
    elif not answers.exists():
        return
    elif kind == "save":
        edit_answer(user, response, number, text, status=status)
    elif kind == "agree":
        selected = _selection(response, [number])
        services.update_answers(user=user, response_id=response.pk, selected=selected, agree=True)
    else:
        answers.get().delete()


def test_any_run_of_writes_keeps_the_counts_with_the_answers(seed, lead):
    """Each example from the same seed, rolled back after it."""
    numbers = list(
        Answer.objects.filter(response=seed)
        .order_by("question__position")
        .values_list("question__number", flat=True)[:6]
    )

    @settings(PROPERTIES, max_examples=examples(50))
    @given(writes=WRITES)
    def run(writes):
        with transaction.atomic():
            for kind, index, text, status in writes:
                # A refusal (an empty answer agreed, say) changes nothing.
                with contextlib.suppress(DomainError):
                    _write(seed, lead, kind, numbers[index], text, status)
                assert shown(seed) == counted(seed)
            transaction.set_rollback(True)

    run()


@pytest.mark.django_db(transaction=True)
def test_the_migration_counts_the_answers_stored_before_it():
    from django.db.migrations.executor import MigrationExecutor

    before = [("responses", "0019_question_wording_key")]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        model = {
            name: old.get_model("responses", name)
            for name in ("Consultation", "Section", "Question", "Response", "Answer")
        }
        consultation = model["Consultation"].objects.create(
            title="Before", issued_by="DCLG", responses_due_by=date(2020, 3, 3)
        )
        section = model["Section"].objects.create(
            consultation=consultation, title="Questions", position=1
        )
        made, unanswered = (
            model["Response"].objects.create(
                consultation=consultation, organisation_name="Walsall Council", title=title
            )
            for title in ("Draft", "Other")
        )
        for number, text, status in [
            ("1", "Yes.", "agreed"),
            ("2", "No.", "drafting"),
            ("3", "", "not_started"),
        ]:
            question = model["Question"].objects.create(
                consultation=consultation, section=section, number=number, text=f"Q{number}?"
            )
            model["Answer"].objects.create(
                response=made, question=question, text=text, status=status
            )
    finally:
        MigrationExecutor(connection).migrate(latest)
    assert shown(made) == counted(made) == (3, 2, 1)
    assert shown(unanswered) == counted(unanswered) == (0, 0, 0)
