import re

import pytest

from responses.diff import word_diff


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
