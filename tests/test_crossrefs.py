"""The cross-reference linker: one function for the page and the PDF."""

import pytest

from responses.crossrefs import link_cross_references
from responses.text import markdown_to_html

NUMBERS = [str(n) for n in range(1, 36)]


def link(text: str, previous: str | None = "16") -> str:
    return link_cross_references(text, numbers=NUMBERS, previous=previous)


def test_see_answer_above_links_to_the_previous_question():
    assert link("See answer above", previous="16") == "See [answer above](#q16)"


def test_see_answers_to_q_16_links_to_question_16():
    assert link("See answers to Q 16.") == "See [answers to Q 16](#q16)."


@pytest.mark.parametrize(
    "text", ["see answer to question 7", "See the answer to Q7", "As in question 7, we agree"]
)
def test_other_ways_of_naming_a_question(text):
    assert "](#q7)" in link(text)


def test_a_question_that_does_not_exist_is_left_as_text():
    assert link("See answers to Q 99.") == "See answers to Q 99."


def test_a_quarter_of_the_year_is_not_a_question():
    assert link("We report in Q4 each year.") == "We report in Q4 each year."


def test_the_first_answer_has_nothing_above_it():
    assert link("See answer above", previous=None) == "See answer above"


def test_existing_links_are_left_alone():
    text = "[answer to Q 3](https://example.org/q3) and <https://example.org/question4>"
    assert link(text) == text


def test_empty_text_stays_empty():
    assert link("") == ""


def test_linked_text_renders_to_a_page_anchor():
    html = markdown_to_html(link("See answers to Q 16."))
    assert '<a href="#q16" rel="noopener noreferrer">answers to Q 16</a>' in html
