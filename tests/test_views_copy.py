"""`/responses/<id>/copy/`: each answer as plain text, to copy into a government online form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from responses.documents.data import plain_text
from responses.models import Answer, Question
from tests.edits import edit_answer
from tests.factories import UserFactory
from tests.html import Element, elements

pytestmark = pytest.mark.django_db


def _page(client, response) -> str:
    result = client.get(reverse("copy_answers", args=[response.pk]))
    assert result.status_code == 200
    return result.content.decode()


def _text(found: list[Element], parent: Element, cls: str) -> str | None:
    """The text of the element of class `cls` inside `parent`, or None if there is none."""
    inside = next((e for e in found if parent in e.ancestors and cls in e.classes), None)
    return inside.text if inside else None


def _questions(html: str) -> list[dict]:
    """Each question as the page shows it: its heading, its text, its answer, its button."""
    found = elements(html)
    return [
        {
            "heading": _text(found, article, "copy-heading"),
            "question": _text(found, article, "copy-question-text"),
            "answer": _text(found, article, "copy-answer"),
            "length": _text(found, article, "copy-length"),
            "empty": _text(found, article, "copy-empty"),
            "button": next(
                (e for e in found if e.tag == "button" and article in e.ancestors), None
            ),
        }
        for article in found
        if "copy-question" in article.classes
    ]


def _seed_questions(seed) -> list[tuple[str, str, str]]:
    """(number, question, answer as plain text) in printed order, from the database."""
    questions = Question.objects.filter(consultation=seed.consultation).order_by("position", "pk")
    answers = {a.question_id: a.text for a in Answer.objects.filter(response=seed)}
    return [(q.number, q.text, plain_text(answers[q.pk])) for q in questions]


def _section_path(question: Question) -> str:
    titles, section = [], question.section
    while section is not None:
        titles.insert(0, section.title)
        section = section.parent
    return " › ".join(titles)


def test_the_35_questions_are_shown_in_printed_order_with_their_answers_as_plain_text(
    client, officer, seed
):
    client.force_login(officer)

    shown = _questions(_page(client, seed))

    expected = _seed_questions(seed)
    assert len(shown) == len(expected) == 35
    assert [(q["heading"], q["question"]) for q in shown] == [
        (f"Question {number}", text) for number, text, _ in expected
    ]
    answered = [(number, answer) for number, _, answer in expected if answer]
    assert [(q["heading"], q["answer"]) for q in shown if q["answer"] is not None] == [
        (f"Question {number}", answer) for number, answer in answered
    ]


def test_a_plain_answer_is_shown_word_for_word_as_written(client, officer, seed):
    written = Answer.objects.get(response=seed, question__number="7").text
    client.force_login(officer)

    seventh = _questions(_page(client, seed))[6]

    assert seventh["answer"] == written.strip()


def test_each_answer_has_a_copy_button_hidden_until_the_script_runs(client, officer, seed):
    client.force_login(officer)

    for question in _questions(_page(client, seed)):
        if question["answer"] is None:
            continue
        button = question["button"]
        number = question["heading"].removeprefix("Question ")
        assert button.text == f"Copy answer {number}"
        assert button.attrs["type"] == "button"
        assert "hidden" in button.attrs


def test_an_unanswered_question_says_so_and_has_no_copy_button(client, officer, seed):
    unanswered = Answer.objects.filter(response=seed, text="").select_related("question")
    numbers = {a.question.number for a in unanswered}
    assert numbers
    client.force_login(officer)

    shown = _questions(_page(client, seed))

    for question in shown:
        if question["heading"].removeprefix("Question ") in numbers:
            assert question["empty"] == "No answer yet."
            assert question["answer"] is None
            assert question["button"] is None


def test_each_answer_gives_its_length_as_python_counts_characters(client, officer, seed):
    edit_answer(officer, seed, "1", "a" * 1234)
    edit_answer(officer, seed, "2", "Yes 🙂")  # one character for the emoji
    edit_answer(officer, seed, "3", "Y")
    client.force_login(officer)

    first, second, third = _questions(_page(client, seed))[:3]

    assert first["length"] == "1,234 characters"
    assert second["length"] == "5 characters"
    assert third["length"] == "1 character"


def test_the_section_is_named_where_it_changes(client, officer, seed):
    questions = Question.objects.filter(consultation=seed.consultation).order_by("position", "pk")
    paths = [_section_path(q) for q in questions.select_related("section__parent")]
    expected = [p for i, p in enumerate(paths) if p and (i == 0 or p != paths[i - 1])]
    client.force_login(officer)

    labels = [e.text for e in elements(_page(client, seed)) if "copy-section" in e.classes]

    assert labels == expected
    assert len(labels) < len(paths)


def test_hostile_right_to_left_and_emoji_text_is_escaped_and_kept(client, officer, seed):
    hostile = "<script>alert(1)</script>"
    rtl = "مرحبا بالعالم 🙂 \u202eevil\u202c"
    edit_answer(officer, seed, "1", f"{hostile}\n\n{rtl}")
    Question.objects.filter(consultation=seed.consultation, number="2").update(text=hostile)
    client.force_login(officer)

    html = _page(client, seed)
    first, second = _questions(html)[:2]

    assert hostile not in html
    assert first["answer"] == f"{hostile}\n\n{rtl}"
    assert second["question"] == hostile


def test_someone_off_the_team_gets_not_found(client, outsider, seed):
    client.force_login(UserFactory(username="other-officer", groups=["Officer"]))
    assert client.get(reverse("copy_answers", args=[seed.pk])).status_code == 404
    client.force_login(outsider)
    assert client.get(reverse("copy_answers", args=[seed.pk])).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client, seed):
    result = client.get(reverse("copy_answers", args=[seed.pk]))

    assert result.status_code == 302
    assert result["Location"].startswith("/login/?next=")


def test_the_page_only_shows_so_a_post_is_refused(client, officer, seed):
    client.force_login(officer)

    assert client.post(reverse("copy_answers", args=[seed.pk])).status_code == 405


def test_the_page_takes_the_same_queries_whatever_the_number_of_questions(
    client, staffed, officer, django_assert_num_queries
):
    client.force_login(officer)
    for size in (5, 60):
        response = staffed(size)
        # session, user, the response for the rulebook, permissions (2), the team check,
        # sections, answers
        with django_assert_num_queries(7):
            html = _page(client, response)
        assert len(_questions(html)) == size


def test_the_response_page_links_to_the_copy_page(client, officer, seed):
    client.force_login(officer)

    html = client.get(reverse("response", args=[seed.pk])).content.decode()

    assert reverse("copy_answers", args=[seed.pk]) in html
