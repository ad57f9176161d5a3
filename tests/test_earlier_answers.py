"""Earlier answers: the council's answer to the same question in another consultation,
offered on the answer editor as a starting point and put in only when asked."""

import datetime
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from responses import roles
from responses.importing import setup
from responses.importing.earlier import NEAR, earlier_answers, length_bounds, normalise
from responses.importing.parser import parse
from responses.models import Answer, Question
from tests.factories import (
    AnswerFactory,
    ConsultationFactory,
    QuestionFactory,
    ResponseFactory,
    UserFactory,
    response_with_questions,
)
from tests.strategies import examples

pytestmark = pytest.mark.django_db

# Seed question 28, whose answer is still empty.
ASKED = (
    "How can we promote effective community engagement and involvement, from all sections "
    "of the community in shaping local priorities and public services?"
)
EARLIER_TEXT = "We set up neighbourhood forums in every ward, with **budgets** of their own."


def given_earlier(
    question_text=ASKED,
    text=EARLIER_TEXT,
    *,
    title="Strong and Prosperous Communities",
    number="7",
    status=Answer.Status.AGREED,
    team=None,
    response_title="Walsall Council's response",
) -> Answer:
    """An answer in a response to another consultation; its team, unless given, is every
    officer and lead officer there is (as `ResponseFactory` makes it)."""
    response = ResponseFactory(
        consultation=ConsultationFactory(title=title), title=response_title, team=team
    )
    question = QuestionFactory(
        section__consultation=response.consultation, number=number, text=question_text
    )
    return AnswerFactory(response=response, question=question, text=text, status=status)


def q28(response) -> Question:
    return Question.objects.get(consultation=response.consultation, number="28")


def offered(seed, user) -> list[int]:
    return [o.answer_id for o in earlier_answers(q28(seed), user)]


def edit_url(response, number="28") -> str:
    return reverse("answer_edit", args=[response.pk, number])


def current(response, number="28") -> Answer:
    return Answer.objects.get(response=response, question__number=number)


def start_from(client, response, answer_id, number="28", **fields):
    saved = current(response, number)
    data = {
        "text": saved.text,
        "status": saved.status,
        "assignee": saved.assignee_id or "",
        "version": saved.version,
        "start_from": answer_id,
        **fields,
    }
    return client.post(edit_url(response, number), data)


# Which answers match


def test_wording_is_compared_without_case_punctuation_quotes_or_spacing():
    assert normalise("  “Do you   AGREE?”\n 'Yes' — or no… ") == normalise("do you agree yes or no")


def test_the_same_question_in_other_case_punctuation_and_spacing_is_offered(officer, seed):
    reworded = (
        "HOW can we promote  effective community engagement and involvement from all "
        "sections of the community, in shaping ‘local priorities’ and public services"
    )
    earlier = given_earlier(reworded)
    [offer] = earlier_answers(q28(seed), officer)
    assert (offer.answer_id, offer.score, offer.exact) == (earlier.pk, 100, True)
    assert offer.consultation_title == "Strong and Prosperous Communities"
    assert offer.question_number == "7"
    assert offer.url == f"/responses/{earlier.response_id}/#q7"


def test_a_question_worded_nearly_the_same_is_offered(officer, seed):
    near = ASKED.replace("How can we promote", "How can councils promote")
    assert 90 <= fuzz.ratio(normalise(near), normalise(ASKED)) < 100
    earlier = given_earlier(near)
    [offer] = earlier_answers(q28(seed), officer)
    assert offer.answer_id == earlier.pk
    assert not offer.exact


def test_near_questions_at_the_edges_of_the_length_bound_are_offered_as_the_ratio_says(
    officer, seed
):
    """The length bound narrows the search, never the matches: around both edges, a
    question is offered exactly when its ratio is NEAR or more."""
    key = normalise(ASKED)
    shortest, longest = length_bounds(len(key))
    shorter = [key[:n].rstrip() for n in range(shortest - 2, shortest + 3)]
    longer = [key + " " + "z" * (n - len(key) - 1) for n in range(longest - 2, longest + 3)]
    made = {
        given_earlier(wording, title=f"Edge {i}").pk: fuzz.ratio(key, normalise(wording))
        for i, wording in enumerate(shorter + longer)
    }
    near = {pk for pk, ratio in made.items() if ratio >= NEAR}
    assert 0 < len(near) < len(made)  # the edges are crossed on both sides
    assert {o.answer_id for o in earlier_answers(q28(seed), officer, limit=20)} == near


def test_the_length_bound_is_exactly_what_a_ratio_of_near_allows():
    """fuzz.ratio is 100 (1 - d / (a + b)) with d >= |a - b|: no length outside the
    bound can reach NEAR, and every length inside it can (by insertions alone)."""
    for a in range(1, 400):
        shortest, longest = length_bounds(a)
        for b in range(0, 600):
            possible = 100 * abs(a - b) <= (100 - NEAR) * (a + b)
            assert (shortest <= b <= longest) == possible, (a, b)


@settings(max_examples=examples(300))
@given(
    wording=st.text(alphabet="abc de", min_size=1, max_size=80),
    cut=st.integers(0, 80),
    inserted=st.text(alphabet="abcz ", max_size=12),
    dropped=st.integers(0, 12),
)
def test_a_wording_near_another_always_has_a_length_within_the_bound(
    wording, cut, inserted, dropped
):
    changed = wording[:cut] + inserted + wording[cut + dropped :]
    if fuzz.ratio(wording, changed) >= NEAR:
        shortest, longest = length_bounds(len(wording))
        assert shortest <= len(changed) <= longest


def test_a_clearly_different_question_is_not_offered(officer, seed):
    given_earlier("How should councils fund the maintenance of local roads and bridges?")
    given_earlier("How can we promote effective engagement with businesses?", title="Business")
    assert offered(seed, officer) == []


@pytest.mark.parametrize("text", ["", "   \n\n  "])
def test_an_empty_earlier_answer_is_not_offered(officer, seed, text):
    given_earlier(text=text)
    assert offered(seed, officer) == []


def test_an_answer_of_unicode_spaces_only_is_not_offered(officer, seed):
    given_earlier(text="\u3000\xa0\u2003\n\u2028")
    assert offered(seed, officer) == []


def test_an_answer_to_the_same_consultation_is_not_offered(officer, seed):
    other = ResponseFactory(consultation=seed.consultation, title="A second draft")
    AnswerFactory(response=other, question=q28(seed), text="Words from the same consultation.")
    assert offered(seed, officer) == []


@pytest.mark.parametrize("persona", ["officer", "lead"])
def test_an_answer_in_a_response_the_user_cannot_see_is_offered_only_to_an_administrator(
    request, seed, administrator, persona
):
    other_team = UserFactory(username="elsewhere", groups=[roles.OFFICER])
    theirs = given_earlier(team=[other_team])
    assert offered(seed, request.getfixturevalue(persona)) == []
    assert offered(seed, administrator) == [theirs.pk]


def test_another_teams_better_answers_never_push_out_or_join_the_ones_offered(officer, seed):
    """Their exact, agreed, newest answers outrank ours on every count; ours are still
    the ones offered, best first, and theirs never."""
    elsewhere = UserFactory(username="elsewhere", groups=[roles.OFFICER])
    near = ASKED.replace("How can we promote", "How can councils promote")
    theirs = [given_earlier(title=f"Theirs {n}", team=[elsewhere]).pk for n in range(4)]
    ours_near = given_earlier(near, title="Ours, near", status=Answer.Status.DRAFTING).pk
    ours_exact = given_earlier(title="Ours, exact", status=Answer.Status.DRAFTING).pk
    Answer.objects.filter(pk__in=[ours_near, ours_exact]).update(
        changed_at=timezone.now() - datetime.timedelta(days=400)
    )
    assert offered(seed, officer) == [ours_exact, ours_near]
    assert not set(theirs) & {o.answer_id for o in earlier_answers(q28(seed), officer, limit=9)}


def test_at_most_three_best_match_first_then_agreed_then_most_recent(officer, seed):
    now = timezone.now()

    def aged(answer, days):
        Answer.objects.filter(pk=answer.pk).update(changed_at=now - datetime.timedelta(days))
        return answer.pk

    near = ASKED.replace("How can we promote", "How can councils promote")
    old_agreed = aged(given_earlier(title="A", status=Answer.Status.AGREED), 300)
    new_drafting = aged(given_earlier(title="B", status=Answer.Status.DRAFTING), 1)
    newer_agreed = aged(given_earlier(title="C", status=Answer.Status.AGREED), 10)
    near_agreed = aged(given_earlier(near, title="D", status=Answer.Status.AGREED), 0)
    assert offered(seed, officer) == [newer_agreed, old_agreed, new_drafting]
    assert near_agreed not in offered(seed, officer)
    assert [o.answer_id for o in earlier_answers(q28(seed), officer, limit=5)] == [
        newer_agreed,
        old_agreed,
        new_drafting,
        near_agreed,
    ]


# The stored key: written wherever a question's text is


def stored_keys(questions) -> list[str]:
    return list(
        Question.objects.filter(pk__in=[q.pk for q in questions])
        .order_by("pk")
        .values_list("wording_key", flat=True)
    )


def test_a_saved_question_stores_its_wording_key_and_a_new_text_a_new_key():
    question = QuestionFactory(text="  Do you   AGREE?  ")
    assert stored_keys([question]) == ["do you agree"]
    question.text = "Should councils, not the government, decide?"
    question.save()
    assert stored_keys([question]) == ["should councils not the government decide"]
    question.text = "Only the text is saved."
    question.save(update_fields=["text"])
    assert stored_keys([question]) == ["only the text is saved"]


def test_bulk_inserts_updates_and_bulk_updates_keep_the_wording_key_with_the_text():
    questions = list(response_with_questions(3).consultation.questions.order_by("pk"))
    assert stored_keys(questions) == [
        f"question text {n} how should councils respond to this proposal" for n in (1, 2, 3)
    ]
    Question.objects.filter(pk=questions[0].pk).update(text="“Reworded” — ONCE?")
    questions[1].text = "Reworded twice!"
    Question.objects.bulk_update(questions[1:2], ["text"])
    assert stored_keys(questions) == [
        "reworded once",
        "reworded twice",
        "question text 3 how should councils respond to this proposal",
    ]


def test_a_text_updated_from_an_expression_is_refused_so_the_key_cannot_go_stale():
    from django.db.models import F

    with pytest.raises(TypeError, match="wording_key"):
        Question.objects.update(text=F("number"))


@pytest.mark.django_db(transaction=True)
def test_the_migration_keys_the_questions_stored_before_it():
    from django.db.migrations.executor import MigrationExecutor

    before = [("responses", "0018_rendering_alive_at")]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        consultation = old.get_model("responses", "Consultation").objects.create(
            title="Before", issued_by="DCLG", responses_due_by=date(2020, 3, 3)
        )
        section = old.get_model("responses", "Section").objects.create(
            consultation=consultation, title="Questions", position=1
        )
        made = old.get_model("responses", "Question").objects.create(
            consultation=consultation, section=section, number="1", text="  Do you AGREE?"
        )
    finally:
        MigrationExecutor(connection).migrate(latest)
    assert Question.objects.get(pk=made.pk).wording_key == "do you agree"


def test_the_seed_loaded_raw_by_loaddata_has_every_wording_key(seed):
    stored = list(Question.objects.values_list("wording_key", "text"))
    assert len(stored) == 35
    assert all(key == normalise(text) and key for key, text in stored)


def test_a_consultation_set_up_from_pasted_questions_has_every_wording_key(
    lead, director, portfolio_holder
):
    details = setup.ConsultationDetails(
        title="Partnerships", issued_by="DCLG", responses_due_by=date(2027, 3, 3)
    )
    setup.create_consultation(
        user=lead,
        details=details,
        outline=parse("# Questions\n\n1. Should EVERY area have a partnership?\n\n2. Who?\n"),
        organisation_name="Walsall Council",
        report=setup.report_details(
            consultation_title=details.title,
            meeting_body="Cabinet",
            meeting_date=date(2027, 3, 1),
            lead=lead,
            director=director,
            portfolio_holder=portfolio_holder,
            portfolio="Leader",
            job_title="Policy Officer",
        ),
        team=[],
    )
    stored = Question.objects.order_by("position").values_list("wording_key", flat=True)
    assert list(stored) == ["should every area have a partnership", "who"]


def test_a_question_reworded_in_the_admin_is_offered_by_its_new_wording(
    client, administrator, officer, seed
):
    earlier = given_earlier("A question nobody asked before?")
    assert offered(seed, officer) == []
    question = Question.objects.get(pk=earlier.question_id)
    client.force_login(administrator)
    changed = client.post(
        reverse("admin:responses_question_change", args=[question.pk]),
        {
            "number": question.number,
            "section": question.section_id,
            "position": question.position,
            "text": ASKED.upper(),
        },
    )
    assert changed.status_code == 302
    assert Question.objects.get(pk=question.pk).wording_key == normalise(ASKED)
    assert offered(seed, officer) == [earlier.pk]


# The offer on the editor


def test_the_editor_offers_the_earlier_answer_and_says_where_it_came_from(client, officer, seed):
    earlier = given_earlier()
    client.force_login(officer)
    html = client.get(edit_url(seed)).content.decode()
    assert "Asked before in another consultation" in html
    assert "Strong and Prosperous Communities, question 7" in html
    assert "Walsall Council&#x27;s response · Agreed · last changed" in html
    assert f'href="/responses/{earlier.response_id}/#q7"' in html
    assert f'name="start_from" value="{earlier.pk}"' in html
    assert "Start from this answer" in html
    assert "We set up neighbourhood forums" in html
    assert current(seed).text == ""  # offered, not put in


def test_an_editor_with_no_earlier_answer_offers_nothing(client, officer, seed):
    client.force_login(officer)
    html = client.get(edit_url(seed)).content.decode()
    assert "Asked before" not in html
    assert "start_from" not in html


def test_earlier_text_and_titles_are_shown_escaped(client, officer, seed):
    given_earlier(text="<script>alert(1)</script> our words", title="<b>Bold</b> plans")
    client.force_login(officer)
    html = client.get(edit_url(seed)).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; our words" in html
    assert "&lt;b&gt;Bold&lt;/b&gt; plans, question 7" in html


def test_an_officer_who_may_only_read_an_agreed_answer_is_offered_nothing(
    client, officer, lead, seed
):
    earlier = given_earlier()
    Answer.objects.filter(pk=current(seed).pk).update(status=Answer.Status.AGREED)
    client.force_login(officer)
    assert "start_from" not in client.get(edit_url(seed)).content.decode()
    assert start_from(client, seed, earlier.pk).status_code == 400
    client.force_login(lead)
    assert f'value="{earlier.pk}"' in client.get(edit_url(seed)).content.decode()


def test_a_long_earlier_answer_is_shown_as_its_first_words_on_one_line(officer, seed):
    given_earlier(text="First paragraph.\n\n" + "word " * 200)
    [offer] = earlier_answers(q28(seed), officer)
    assert offer.excerpt.startswith("First paragraph. word word")
    assert offer.excerpt.endswith("word…")
    assert len(offer.excerpt) <= 301
    assert offer.text.startswith("First paragraph.\n\n")  # what is put in is the whole answer


# Putting it in: one click, never saved


def test_starting_from_an_earlier_answer_fills_an_empty_editor_without_saving(
    client, officer, seed
):
    earlier = given_earlier()
    before = current(seed)
    client.force_login(officer)
    result = start_from(client, seed, earlier.pk)
    assert result.status_code == 200
    html = result.content.decode()
    assert f"{EARLIER_TEXT}</textarea>" in html
    assert (
        "The answer from Strong and Prosperous Communities, question 7, is in the editor. "
        "It is not saved until you press Save."
    ) in html
    assert '<input type="hidden" name="version" value="1"' in html
    assert "<strong>budgets</strong>" in html  # the preview shows it too
    after = current(seed)
    assert (after.text, after.version, after.changed_at) == ("", 1, before.changed_at)


def test_starting_from_an_earlier_answer_keeps_the_typed_words_first(client, officer, seed):
    earlier = given_earlier()
    client.force_login(officer)
    result = start_from(client, seed, earlier.pk, text="Words I typed.\n\n", status="drafting")
    assert result.status_code == 200
    assert f"Words I typed.\n\n{EARLIER_TEXT}</textarea>" in result.content.decode()
    assert current(seed).text == ""


def test_pressing_start_from_twice_puts_the_answer_in_once_and_the_editor_takes_focus(
    client, officer, seed
):
    earlier = given_earlier()
    client.force_login(officer)

    result = start_from(client, seed, earlier.pk, text=f"{EARLIER_TEXT}\n", status="not_started")

    html = result.content.decode()
    editor = html[html.index("<textarea") : html.index("</textarea>")]
    assert editor.count(EARLIER_TEXT) == 1
    assert "autofocus" in editor
    assert '<option value="drafting" selected>' in html  # words in it: started


def test_saving_after_starting_from_an_earlier_answer_saves_it(client, officer, seed):
    earlier = given_earlier()
    client.force_login(officer)
    start_from(client, seed, earlier.pk)
    saved = client.post(
        edit_url(seed), {"text": EARLIER_TEXT, "status": "drafting", "assignee": "", "version": 1}
    )
    assert saved.status_code == 302
    assert (current(seed).text, current(seed).version) == (EARLIER_TEXT, 2)


def test_starting_from_an_earlier_answer_keeps_the_version_so_a_stale_save_is_caught(
    client, officer, lead, seed
):
    from tests.edits import edit_answer

    earlier = given_earlier()
    client.force_login(officer)
    opened = current(seed).version
    edit_answer(lead, seed, "28", "The lead's words meanwhile.")
    result = start_from(client, seed, earlier.pk, text="", version=opened)
    assert f'<input type="hidden" name="version" value="{opened}"' in result.content.decode()
    stale = client.post(
        edit_url(seed),
        {"text": EARLIER_TEXT, "status": "drafting", "assignee": "", "version": opened},
    )
    assert stale.status_code == 409
    assert current(seed).text == "The lead's words meanwhile."


@pytest.mark.parametrize("wanted", ["theirs", "same consultation", "999999999999999999999", "x"])
def test_an_answer_that_was_not_offered_is_refused_and_nothing_changes(
    client, officer, seed, wanted
):
    given_earlier()
    elsewhere = UserFactory(username="elsewhere", groups=[roles.OFFICER])
    theirs = given_earlier(title="Their consultation", text="Their own words.", team=[elsewhere])
    same = AnswerFactory(
        response=ResponseFactory(consultation=seed.consultation),
        question=q28(seed),
        text="Words from the same consultation.",
    )
    ids = {"theirs": theirs.pk, "same consultation": same.pk}
    client.force_login(officer)
    result = start_from(client, seed, ids.get(wanted, wanted), text="Typed words.")
    assert result.status_code == 400
    html = result.content.decode()
    assert "That earlier answer is not one offered for this question" in html
    assert "Typed words.</textarea>" in html
    assert theirs.text not in html
    assert same.text not in html
    assert "is in the editor" not in html
    assert (current(seed).text, current(seed).version) == ("", 1)


# Queries


@pytest.mark.parametrize("consultations", [1, 60])
def test_the_editor_takes_the_same_queries_however_many_earlier_answers_are_stored(
    client, officer, seed, django_assert_num_queries, consultations
):
    for n in range(consultations):
        given_earlier(title=f"Earlier {n}", text=f"Earlier answer {n}.")
        given_earlier("A question nobody asked before?", title=f"Unrelated {n}")
    client.force_login(officer)
    # 13, the answer's open suggestions with their authors (includes/suggestions.html),
    # its comment threads (includes/comments.html), and who else has it open.
    with django_assert_num_queries(16):
        html = client.get(edit_url(seed)).content.decode()
    assert html.count('name="start_from"') == min(consultations, 3)


@pytest.mark.parametrize("consultations", [1, 40])
def test_earlier_answers_take_two_queries_and_fetch_three_however_many_are_stored(
    officer, seed, django_assert_num_queries, consultations
):
    near = ASKED.replace("How can we promote", "How can councils promote")
    same_length = "How should councils fund the maintenance of local roads, bridges and paths in "
    for n in range(consultations):
        given_earlier(title=f"Earlier {n}", text=f"Earlier answer {n}.")
        given_earlier(near, title=f"Near {n}", text=f"Near answer {n}.")
        given_earlier(same_length + "every ward of the borough?", title=f"Unrelated {n}")
    question = q28(seed)
    earlier_answers(question, officer)  # the officer's permissions, read once per request
    with CaptureQueriesContext(connection) as captured, django_assert_num_queries(2):
        offers = earlier_answers(question, officer)
    assert len(offers) == min(2 * consultations, 3)
    assert captured.captured_queries[-1]["sql"].endswith("LIMIT 3")
