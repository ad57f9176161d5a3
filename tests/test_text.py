"""The one Markdown-to-HTML function: each construct it allows, and hostile text made harmless."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils.safestring import SafeString

from responses.crossrefs import QuestionNumbers
from responses.text import markdown_to_html, validate_printable_nesting
from tests.html import elements, links


def test_empty_text_renders_nothing():
    assert markdown_to_html("") == ""


def test_output_is_marked_safe_for_templates():
    assert isinstance(markdown_to_html("Hello"), SafeString)


def test_paragraphs():
    assert markdown_to_html("One.\n\nTwo.") == "<p>One.</p>\n<p>Two.</p>\n"


def test_bold_and_italic():
    html = markdown_to_html("**bold** and *italic*")
    assert "<strong>bold</strong>" in html
    assert "<em>italic</em>" in html


def test_bullet_list():
    html = markdown_to_html("- one\n- two")
    assert "<ul>" in html
    assert html.count("<li>") == 2


def test_numbered_list_keeps_its_start():
    html = markdown_to_html("3. three\n4. four")
    assert '<ol start="3">' in html
    assert html.count("<li>") == 2


def test_numbered_list_with_parenthesis():
    assert "<ol>" in markdown_to_html("1) first\n2) second")


@pytest.mark.parametrize(
    "url", ["https://www.gov.uk/consultation", "http://example.org/a", "mailto:a@example.org"]
)
def test_links_with_allowed_schemes(url):
    html = markdown_to_html(f"[the link]({url})")
    assert f'href="{url}"' in html
    assert 'rel="noopener noreferrer"' in html


def test_footnotes_render_as_a_list_of_notes():
    html = markdown_to_html("A claim.[^1]\n\n[^1]: The source.")
    assert '<sup class="footnote-ref"><a href="#fn1"' in html
    assert '<section class="footnotes">' in html
    assert '<li id="fn1" class="footnote-item">' in html
    assert "↩" not in html


def test_notes_of_two_answers_on_one_page_have_ids_of_their_own():
    first = markdown_to_html("A claim.[^1]\n\n[^1]: First source.", note_prefix="q12")
    second = markdown_to_html("Another.[^1]\n\n[^1]: Second source.", note_prefix="q13")
    page = elements(first + second)
    ids = [e.attrs["id"] for e in page if "id" in e.attrs]
    assert len(ids) == len(set(ids)) == 4
    for answer, source in [(first, "First source."), (second, "Second source.")]:
        ((href, _),) = links(answer)
        (note,) = (e for e in page if e.attrs.get("id") == href.removeprefix("#"))
        assert note.tag == "li"
        assert note.text.strip() == source
    assert links(first)[0][0] == "#fn-q12-1"


def test_a_note_called_twice_keeps_its_prefix_on_both_calls():
    html = markdown_to_html("One.[^a] Two.[^a]\n\n[^a]: The source.", note_prefix="q7")
    assert [href for href, _ in links(html)] == ["#fn-q7-1", "#fn-q7-1"]
    ref_ids = [e.attrs["id"] for e in elements(html) if e.tag == "a"]
    assert len(set(ref_ids)) == 2
    assert all("q7" in ref_id for ref_id in ref_ids)


def test_print_sets_notes_in_place_beside_cross_reference_links():
    html = markdown_to_html(
        "See answer to Q 16.[^1]\n\n[^1]: As in the answer above.",
        for_print=True,
        numbers=QuestionNumbers(["15", "16", "17"]),
        previous="15",
        note_prefix="q17",
    )
    page = elements(html)
    (note,) = (e for e in page if e.tag == "span")
    assert note.classes == {"footnote"}
    assert note.text == "As in the answer above."
    links_by_href = {e.attrs["href"]: e for e in page if e.tag == "a"}
    assert set(links_by_href) == {"#q16", "#q15"}
    assert links_by_href["#q16"].text == "answer to Q 16"
    assert note not in links_by_href["#q16"].ancestors
    assert note in links_by_href["#q15"].ancestors
    assert not [e for e in page if e.tag in {"section", "li", "sup"}]


def test_heading_in_text_is_kept_below_page_headings():
    assert "<h3>Aims</h3>" in markdown_to_html("### Aims")
    assert "<h1>" not in markdown_to_html("# Big")
    assert "Big" in markdown_to_html("# Big")


def test_blockquote():
    assert "<blockquote>" in markdown_to_html("> quoted")


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="#" onclick="alert(1)">x</a>',
        "<img src=file:///etc/passwd>",
        '<iframe src="https://evil.example"></iframe>',
        '<p style="background:url(https://evil.example/x)">x</p>',
    ],
)
def test_raw_html_is_shown_as_text_never_as_markup(hostile):
    html = markdown_to_html(hostile)
    assert set(re.findall(r"<(\w+)", html)) == {"p"}
    assert "&lt;" in html


@pytest.mark.parametrize(
    "link",
    [
        "[x](javascript:alert(1))",
        "[x](JAVASCRIPT:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[x](file:///etc/passwd)",
        "<javascript:alert(1)>",
    ],
)
def test_dangerous_link_schemes_lose_their_href(link):
    html = markdown_to_html(link)
    assert "href=" not in html.lower()


@pytest.mark.parametrize(
    "image",
    ["![secret](file:///etc/passwd)", "![x](https://tracker.example/pixel.png)", "![x](data:,)"],
)
def test_markdown_images_are_never_rendered(image):
    html = markdown_to_html(image)
    assert "<img" not in html
    assert "src=" not in html


def test_class_and_id_cannot_be_smuggled_by_text():
    html = markdown_to_html('<span class="position-fixed" id="main">x</span>')
    assert set(re.findall(r"<(\w+)", html)) == {"p"}


def test_typed_angle_brackets_and_ampersands_are_escaped():
    assert markdown_to_html("a < b & c > d") == "<p>a &lt; b &amp; c &gt; d</p>\n"


def test_text_nested_past_what_renders_is_refused_before_it_is_saved():
    deep_list = "".join("  " * i + f"- level {i}\n" for i in range(14)) + "\nAfter the list.\n"
    deep_quote = ">" * 25 + " deep quote\n\nAfter.\n"
    for text in (deep_list, deep_quote):
        with pytest.raises(ValidationError, match="more deeply than a page can show"):
            validate_printable_nesting(text)


def test_ordinary_nesting_is_accepted():
    three_levels = "- one\n  - two\n    - three\n\n> quoted\n> > quoted again\n"
    validate_printable_nesting(three_levels)
    assert "three" in markdown_to_html(three_levels)


def test_line_breaks_and_rules_survive_the_sanitiser():
    html = markdown_to_html("First line  \nsecond line\n\n---\n\nAfter the rule.")
    assert "First line<br" in html
    assert "<hr" in html
    assert "After the rule." in html


def test_an_answer_with_a_footnote_is_not_refused_as_nested_too_deep():
    """The depth check compared a parser with footnotes against one without, so any
    footnote looked like lost words."""
    from responses.text import validate_printable_nesting

    validate_printable_nesting("Our view[^1] is plain.\n\n[^1]: As agreed by Cabinet.")
