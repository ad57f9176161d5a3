import re

import pytest

from responses.text.diff import rendered_word_diff, word_diff


def test_unchanged_text_has_no_marks():
    assert word_diff("Same words", "Same words") == "Same words"


def test_changed_word_is_shown_removed_and_added():
    assert word_diff("We agree", "We disagree") == "We <del>agree</del><ins>disagree</ins>"


def _side(html: str, keep: str, drop: str) -> str:
    html = re.sub(rf"<{drop}>.*?</{drop}>", "", html, flags=re.S)
    return re.sub(rf"</?{keep}>", "", html)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("We agree", "We strongly agree"),
        ("We do agree", "We agree"),
        ("One.\n\nTwo.", "One.\n\nTwo and three."),
        ("", "All new"),
    ],
)
def test_each_side_of_the_diff_reads_as_its_text(old, new):
    html = word_diff(old, new)
    assert _side(html, "del", "ins") == old
    assert _side(html, "ins", "del") == new


def test_text_is_escaped_inside_the_diff():
    html = word_diff("<b>old</b>", "<script>new</script>")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


# rendered_word_diff: what a reader sees changed, never the Markdown marks.

MARKS = ("**", "](", "- ", "# ", "[^")


def test_inserted_and_removed_words_are_marked_in_the_rendered_text():
    html = rendered_word_diff("We agree with the plan.", "We strongly agree with it.")
    assert html == "<p>We<ins> strongly</ins> agree with <del>the plan</del><ins>it</ins>.</p>"


def test_punctuation_is_its_own_word_so_an_added_clause_is_all_that_is_marked():
    assert rendered_word_diff("Yes", "Yes, with reservations") == (
        "<p>Yes<ins>, with reservations</ins></p>"
    )


def test_making_a_word_bold_or_a_link_changes_no_words():
    html = rendered_word_diff("See the plan.", "See **the** [plan](https://example.org/plan).")
    assert html == "<p>See the plan.</p>"


def test_no_markdown_marks_or_link_addresses_appear_in_the_diff():
    old = "# Heading\n\n- one\n- two\n\nSee [the plan](https://example.org).[^1]\n\n[^1]: A note."
    new = "# Heading\n\n- one\n- **three**\n\nSee [the new plan](https://example.org/new)."
    html = rendered_word_diff(old, new)
    for mark in MARKS:
        assert mark not in html
    assert "example.org" not in html
    assert "<del>two</del><ins>three</ins>" in html
    assert "<ins> new</ins>" in html


def test_paragraphs_and_list_items_stay_apart():
    html = rendered_word_diff("Intro.\n\n- one\n- two", "Intro.\n\n- one\n- two\n- three")
    assert html == "<p>Intro.</p><p>one</p><p>two</p><p><ins>three</ins></p>"


def test_a_removed_paragraph_is_struck_through_as_its_own_paragraph():
    html = rendered_word_diff("Para one.\n\nPara two.", "Para one.")
    assert html == "<p>Para one.</p><p><del>Para two.</del></p>"


def test_marks_never_span_a_paragraph_break():
    html = rendered_word_diff("", "First new.\n\nSecond new.")
    assert html == "<p><ins>First new.</ins></p><p><ins>Second new.</ins></p>"


def test_equal_texts_show_their_words_unmarked_and_empty_texts_nothing():
    assert rendered_word_diff("Same *words*", "Same words") == "<p>Same words</p>"
    assert rendered_word_diff("", "") == ""


def test_typed_html_and_entities_are_escaped():
    html = rendered_word_diff("Fish & chips", "<script>alert(1)</script> & chips")
    assert "<script>" not in html
    assert "&lt;" in html
    assert "&amp;" in html


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("We agree", "We strongly agree"),
        ("**Bold** start.\n\n1. first\n2. second", "Start.\n\n1. first\n2. second\n3. third"),
        ("One.\n\nTwo.", "One.\n\nTwo and three."),
        ("", "All new"),
        ("Don't co-operate; 3.5% of 3,500.", "Do co-operate: 4% of 3,500!"),
    ],
)
def test_each_side_of_the_rendered_diff_reads_as_that_texts_words(old, new):
    html = rendered_word_diff(old, new)
    assert _words(_side(html, "del", "ins")) == _words(rendered_word_diff(old, old))
    assert _words(_side(html, "ins", "del")) == _words(rendered_word_diff(new, new))


def _words(html: str) -> list[str]:
    return re.sub(r"</?p>", " ", html).split()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("a " * 10_000, "a b " * 5_000),
        ("\n\n".join(["a " * 100] * 60), "\n\n".join(["a b " * 50] * 60)),
        (
            " ".join(f"w{i % 120}" for i in range(3000)),
            " ".join(f"w{i * 7 % 120}" for i in range(3000)),
        ),
    ],
    ids=["one-long-paragraph", "many-paragraphs", "few-distinct-words"],
)
def test_repetitive_texts_are_compared_in_bounded_work_and_lose_no_word(old, new):
    """Each of these made difflib's matcher run for minutes or hours; compared within
    the work limit, every old word is still shown removed or kept, every new one added
    or kept."""
    for diff in (word_diff(old, new), rendered_word_diff(old, new)):
        kept_or_removed = re.sub(r"<ins>.*?</ins>", "", str(diff), flags=re.S)
        kept_or_added = re.sub(r"<del>.*?</del>", "", str(diff), flags=re.S)
        assert _words_of(kept_or_removed) == old.split()
        assert _words_of(kept_or_added) == new.split()


def _words_of(html: str) -> list[str]:
    return re.sub(r"<[^>]+>", " ", html).split()
