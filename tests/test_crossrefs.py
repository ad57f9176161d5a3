"""Cross-references: one renderer links them for the page and the PDF, in plain text only."""

import pytest

from responses.text import markdown_to_html
from responses.text.crossrefs import QuestionNumbers
from responses.text.html import _long_html, _short_html
from tests.html import elements, links, text

NUMBERS = QuestionNumbers([str(n) for n in range(1, 36)])


def render(text: str, previous: str | None = "16") -> str:
    return markdown_to_html(text, numbers=NUMBERS, previous=previous)


def test_see_answer_above_links_to_the_previous_question():
    html = render("See answer above", previous="16")
    assert links(html) == [("#q16", "answer above")]
    assert text(html).strip() == "See answer above"


def test_see_answers_to_q_16_links_to_question_16():
    html = render("See answers to Q 16.")
    assert links(html) == [("#q16", "answers to Q 16")]
    assert text(html).strip() == "See answers to Q 16."


@pytest.mark.parametrize(
    "text", ["see answer to question 7", "See the answer to Q7", "As in question 7, we agree"]
)
def test_other_ways_of_naming_a_question(text):
    assert [href for href, _ in links(render(text))] == ["#q7"]


def test_the_printed_number_is_linked_whatever_case_is_typed():
    numbers = QuestionNumbers(["7A"])
    assert links(markdown_to_html("see question 7a", numbers=numbers)) == [("#q7A", "question 7a")]


def test_a_question_that_does_not_exist_is_left_as_text():
    html = render("See answers to Q 99.")
    assert links(html) == []
    assert text(html).strip() == "See answers to Q 99."


def test_a_quarter_of_the_year_is_not_a_question():
    html = render("We report in Q4 each year.")
    assert links(html) == []
    assert text(html).strip() == "We report in Q4 each year."


def test_the_first_answer_has_nothing_above_it():
    html = render("See answer above", previous=None)
    assert links(html) == []
    assert text(html).strip() == "See answer above"


def test_without_numbers_nothing_is_linked():
    html = markdown_to_html("See answer above and the answer to Q 16.", previous="16")
    assert links(html) == []


def test_reference_in_code_span_is_not_linked():
    html = render("Type `answer to Q 16` and `answer above` to link.")
    assert links(html) == []
    assert "answer to Q 16" in text(html)
    assert "answer above" in text(html)


def test_reference_in_fenced_code_block_is_not_linked():
    html = render("```\nSee answer to Q 16 and answer above.\n```")
    assert links(html) == []
    assert text(html).strip() == "See answer to Q 16 and answer above."


def test_reference_in_indented_code_block_is_not_linked():
    assert links(render("    See answer to Q 16.")) == []


def test_reference_inside_an_existing_link_stays_as_written():
    html = render(
        "[answer to Q 3](https://example.org/q3) and [see [answer to Q 4]](https://example.org/q)"
    )
    assert links(html) == [
        ("https://example.org/q3", "answer to Q 3"),
        ("https://example.org/q", "see [answer to Q 4]"),
    ]


def test_reference_inside_a_reference_style_link_stays_as_written():
    html = render("[answer to Q 3][guide]\n\n[guide]: https://example.org/guide")
    assert links(html) == [("https://example.org/guide", "answer to Q 3")]


def test_reference_inside_an_autolink_stays_as_written():
    html = render("<https://example.org/question4> and question 5")
    assert links(html) == [
        ("https://example.org/question4", "https://example.org/question4"),
        ("#q5", "question 5"),
    ]


def test_reference_broken_over_two_lines_is_linked_with_its_line_break():
    html = render("See answers to\nQ 16 and\nanswer above.")
    assert links(html) == [("#q16", "answers to\nQ 16"), ("#q16", "answer above")]
    assert text(html).strip() == "See answers to\nQ 16 and\nanswer above."


def test_reference_in_emphasis_is_linked_inside_it():
    (link,) = (e for e in elements(render("*see question 12*")) if e.tag == "a")
    assert link.attrs["href"] == "#q12"
    assert [a.tag for a in link.ancestors][-1] == "em"


@pytest.mark.parametrize(
    "text", ["A claim.[^1]\n\n[^1]: See answer to Q 12.", "A claim.^[See answer to Q 12.]"]
)
def test_reference_in_a_footnote_is_linked(text):
    (link,) = (e for e in elements(render(text)) if e.attrs.get("href") == "#q12")
    assert "footnote-item" in {c for a in link.ancestors for c in a.classes}


def test_empty_text_stays_empty():
    assert render("") == ""


def test_linked_text_renders_to_a_page_anchor():
    html = render("See answers to Q 16.")
    assert '<a href="#q16" rel="noopener noreferrer">answers to Q 16</a>' in html


def test_question_numbers_are_equal_and_hash_alike_by_content():
    same = QuestionNumbers(["2", "1"])
    assert same == QuestionNumbers(["1", "2"])
    assert hash(same) == hash(QuestionNumbers(["1", "2"]))
    assert same != QuestionNumbers(["1", "3"])
    assert QuestionNumbers(["7a"]) != QuestionNumbers(["7A"])


def test_equal_question_numbers_share_the_cached_rendering():
    text = "See question 3, rendered from the cache the second time."
    markdown_to_html(text, numbers=QuestionNumbers(["1", "2", "3"]))
    hits = _short_html.cache_info().hits
    markdown_to_html(text, numbers=QuestionNumbers(["3", "2", "1"]))
    assert _short_html.cache_info().hits == hits + 1


def test_long_texts_are_kept_apart_from_the_many_ordinary_answers_kept():
    """A text written to be large cannot fill the cache kept for ordinary answers."""
    before = _short_html.cache_info().currsize
    long = markdown_to_html("*" + "a" * 19_998 + "*")
    assert long.startswith("<p><em>a")
    assert _short_html.cache_info().currsize == before
    assert _long_html.cache_info().maxsize < _short_html.cache_info().maxsize
