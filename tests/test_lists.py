"""Numbered lists print as the council wrote them: a. a) (a) A. i. (i) I. 1) (1) 1.

Each expectation is written out here as a reader would see the paper, never computed
by the code under test: a list lettered (a), (b) prints (a), (b) on the page, in the
PDF, in Word, on the copy page and in CSV."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from html.parser import HTMLParser

import docx
import pytest
from django.urls import reverse
from docx.oxml.ns import qn
from hypothesis import given, settings
from hypothesis import strategies as st

from responses.documents import pdf, word
from responses.documents.pdf import html_to_pdf
from responses.documents.word_text import Writer, add_text, ensure_styles
from responses.models import Answer
from responses.text import markdown_to_html, parse
from responses.text.reading import plain_text
from tests import pdfs, words
from tests.papers import paper_of
from tests.strategies import PROPERTIES, examples


def printed(text: str) -> str:
    """The text as the copy page, CSV and JSON print it."""
    return plain_text(parse(text))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("a. Agree\nb. Disagree", "a. Agree\nb. Disagree"),
        ("a) Agree\nb) Disagree", "a) Agree\nb) Disagree"),
        ("(a) Agree\n(b) Disagree", "(a) Agree\n(b) Disagree"),
        ("A.  Agree\nB.  Disagree", "A. Agree\nB. Disagree"),
        ("i. Agree\nii. Disagree\niii. Neither", "i. Agree\nii. Disagree\niii. Neither"),
        ("(i) Agree\n(ii) Disagree", "(i) Agree\n(ii) Disagree"),
        ("I.  Agree\nII. Disagree", "I. Agree\nII. Disagree"),
        ("1) Agree\n2) Disagree", "1) Agree\n2) Disagree"),
        ("(1) Agree\n(2) Disagree", "(1) Agree\n(2) Disagree"),
        ("1. Agree\n2. Disagree", "1. Agree\n2. Disagree"),
    ],
)
def test_each_marker_style_prints_as_typed(typed, expected):
    assert printed(typed) == expected


def test_lines_typed_one_under_another_each_with_a_marker_are_a_list():
    html = markdown_to_html("We propose:\na) a levy;\nb) a grant.")

    assert "<li>a levy;</li>" in html
    assert "<li>a grant.</li>" in html
    assert printed("We propose:\na) a levy;\nb) a grant.") == (
        "We propose:\n\na) a levy;\nb) a grant."
    )


def test_a_list_that_starts_at_c_starts_at_c():
    assert printed("c. Third\nd. Fourth") == "c. Third\nd. Fourth"
    assert 'start="3"' in markdown_to_html("c. Third\nd. Fourth")


def test_markers_that_skip_print_as_typed():
    assert printed("a. First\nc. Third") == "a. First\nc. Third"
    assert printed("1. First\n3. Third\n4. Fourth") == "1. First\n3. Third\n4. Fourth"


def test_initials_at_the_start_of_a_line_stay_a_name():
    assert printed("A. N. Other wrote to us.") == "A. N. Other wrote to us."
    assert "<ol" not in markdown_to_html("A. N. Other wrote to us.\nI. M. Pei replied.")


def test_after_h_the_letter_i_carries_on_the_lettered_list():
    assert printed("h) Eighth\ni) Ninth\nj) Tenth") == "h) Eighth\ni) Ninth\nj) Tenth"


def test_later_items_of_a_capital_list_need_only_one_space():
    assert printed("IV.  Fourth\nV. Fifth") == "IV. Fourth\nV. Fifth"
    assert printed("A.  First\nB. Second") == "A. First\nB. Second"


def test_a_marker_in_another_style_starts_another_list():
    html = markdown_to_html("a) One\nb) Two\n(i) Three")

    assert html.count("<ol") == 2


def test_a_line_under_a_paragraph_starting_with_any_marker_starts_a_list():
    assert printed("Our view:\nc) the levy") == "Our view:\n\nc) the levy"
    assert printed("e.g. this\n1.5 that") == "e.g. this 1.5 that"


def test_nested_lists_keep_their_own_styles():
    assert printed("(a) One\n    (i) Sub one\n    (ii) Sub two\n(b) Two") == (
        "(a) One\n  (i) Sub one\n  (ii) Sub two\n(b) Two"
    )


# Every format, as a property: a list in any style, nested three deep.

LETTERS = "abcdefghijklmnopqrstuvwxyz"
ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]
STYLES = {  # name: how the item numbered n is written
    "a.": lambda n: f"{LETTERS[n - 1]}.",
    "a)": lambda n: f"{LETTERS[n - 1]})",
    "(a)": lambda n: f"({LETTERS[n - 1]})",
    "A.": lambda n: f"{LETTERS[n - 1].upper()}.",
    "i.": lambda n: f"{ROMAN[n - 1]}.",
    "(i)": lambda n: f"({ROMAN[n - 1]})",
    "I.": lambda n: f"{ROMAN[n - 1].upper()}.",
    "1)": lambda n: f"{n})",
    "(1)": lambda n: f"({n})",
    "1.": lambda n: f"{n}.",
}
WORD_FORMATS = {  # Word's numbering format and level text, as Word's own names say
    "lowerLetter": lambda n: LETTERS[n - 1],
    "upperLetter": lambda n: LETTERS[n - 1].upper(),
    "lowerRoman": lambda n: ROMAN[n - 1],
    "upperRoman": lambda n: ROMAN[n - 1].upper(),
    "decimal": str,
}


@st.composite
def written_lists(draw, depth: int = 1) -> list[tuple[int, str, str]]:
    """A list as (depth, marker, words) lines: its style, a start the style cannot
    mistake (roman from i to iv, letters from a to e) and items that may skip one."""
    style = draw(st.sampled_from(sorted(STYLES)))
    value = draw(st.integers(1, 4 if "i" in style.lower() else 5))
    lines = []
    for item in range(draw(st.integers(1, 3))):
        if item and draw(st.booleans()) and style not in ("i.", "I.", "(i)"):
            value += 1  # a skipped marker (roman skips could read as letters: v., x.)
        words = f"Item {len(lines)} {draw(st.sampled_from(['levy', 'grant', 'duty']))}"
        lines.append((depth, STYLES[style](value), words))
        if depth < 3 and draw(st.booleans()):
            lines.extend(draw(written_lists(depth + 1)))
        value += 1
    return lines


def markdown(lines: list[tuple[int, str, str]]) -> str:
    """Two spaces after each marker (a capital and a full stop need them), each nested
    line under its parent's words."""
    out, indents = [], []
    for depth, marker, item in lines:
        del indents[depth - 1 :]
        out.append(" " * sum(indents) + f"{marker}  {item}")
        indents.append(len(marker) + 2)
    return "\n".join(out)


def expected_lines(lines) -> list[str]:
    return [f"{marker} {words}" for _, marker, words in lines]


class ListMarkers(HTMLParser):
    """The marker each <li> of the page's HTML shows, as the browser's list counters
    and the classes' counter styles (static/css/lists.css) draw it."""

    KINDS = {"decimal": "1", "lower-alpha": "a", "upper-alpha": "A"}
    KINDS |= {"lower-roman": "i", "upper-roman": "I"}

    def __init__(self) -> None:
        super().__init__()
        self.lists: list[list] = []
        self.markers: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "ol":
            found = re.fullmatch(r"list-([a-z-]+?)(-parens|-paren)?", attrs.get("class") or "")
            kind = self.KINDS[found.group(1)] if found else "1"
            punctuation = found.group(2) if found else None
            self.lists.append([kind, punctuation, int(attrs.get("start", 1))])
        elif tag == "li" and self.lists:
            numbering = self.lists[-1]
            if "value" in attrs:
                numbering[2] = int(attrs["value"])
            kind, punctuation, n = numbering
            label = {"1": str(n), "a": LETTERS[n - 1], "A": LETTERS[n - 1].upper()}.get(kind)
            label = label or (ROMAN[n - 1] if kind == "i" else ROMAN[n - 1].upper())
            self.markers.append(
                {None: f"{label}.", "-paren": f"{label})", "-parens": f"({label})"}[punctuation]
            )
            numbering[2] += 1

    def handle_endtag(self, tag):
        if tag == "ol":
            self.lists.pop()


def page_markers(text: str) -> list[str]:
    reader = ListMarkers()
    reader.feed(str(markdown_to_html(text)))
    return reader.markers


def word_lines(text: str) -> list[str]:
    """Each numbered paragraph of the Word text with the marker Word numbers it with:
    its list's numbering format and level text, counted from the list's start."""
    document = docx.Document()
    ensure_styles(document)
    add_text(Writer(document), parse(text, for_print=True))
    out = io.BytesIO()
    document.save(out)
    document = docx.Document(io.BytesIO(out.getvalue()))
    numbering = document.part.numbering_part.element
    counted: dict[int, int] = {}
    lines = []
    for paragraph in document.paragraphs:
        num_id = paragraph._p.pPr.numPr.numId.val
        num = numbering.num_having_numId(num_id)
        abstract = next(
            a
            for a in numbering.findall(qn("w:abstractNum"))
            if a.get(qn("w:abstractNumId")) == str(num.abstractNumId.val)
        )
        level = abstract.find(qn("w:lvl"))
        number_format = level.find(qn("w:numFmt")).get(qn("w:val"))
        level_text = level.find(qn("w:lvlText")).get(qn("w:val"))
        n = counted.get(num_id, num.lvlOverride_lst[0].startOverride.val)
        counted[num_id] = n + 1
        marker = level_text.replace("%1", WORD_FORMATS[number_format](n))
        lines.append(f"{marker} {paragraph.text}")
    return lines


def pdf_lines(text: str) -> list[str]:
    html = (
        '<html lang="en"><head><title>Lists</title><link rel="stylesheet" '
        f'href="css/print.css"></head><body>{markdown_to_html(text, for_print=True)}</body></html>'
    )
    printed_lines = pdfs.layout_lines(html_to_pdf(html))
    return [" ".join(line.split()) for line in printed_lines if line and "Page" not in line]


@settings(PROPERTIES, max_examples=examples(40))
@given(lines=written_lists())
def test_any_list_style_nested_three_deep_prints_its_markers_in_every_format(lines):
    text = markdown(lines)
    expected = expected_lines(lines)
    markers = [marker for _, marker, _ in lines]

    assert page_markers(text) == markers
    assert printed(text).splitlines() == [
        "  " * (depth - 1) + line for (depth, _, _), line in zip(lines, expected, strict=True)
    ]
    assert word_lines(text) == expected
    assert pdf_lines(text) == expected


LETTERED = "Our steps:\n\n(a) Consult residents\n    (i) in writing\n(b) Report to Cabinet"
AS_PRINTED = ["(a) Consult residents", "(i) in writing", "(b) Report to Cabinet"]


@pytest.mark.django_db
def test_a_lettered_answer_keeps_its_letters_in_every_download(client, officer, seed):
    answer = Answer.objects.get(response=seed, question__number="1")
    Answer.objects.filter(pk=answer.pk).update(text=LETTERED)
    client.force_login(officer)

    copy_page = client.get(reverse("copy_answers", args=[seed.pk])).content.decode()
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(reverse("response_csv", args=[seed.pk])).content.decode("utf-8-sig")
            )
        )
    )
    data = json.loads(client.get(reverse("response_json", args=[seed.pk])).content)
    paper = paper_of(seed)
    pdf_text = " ".join(pdfs.layout_lines(pdf.response_only(paper).content))
    word_text = words.document(word.response_only(paper).content)

    answer_text = "Our steps:\n\n(a) Consult residents\n  (i) in writing\n(b) Report to Cabinet"
    assert answer_text in html.unescape(copy_page)
    assert rows[0]["Answer"] == answer_text
    assert data["questions"][0]["answer_text"] == answer_text
    for line in AS_PRINTED:
        assert line in " ".join(pdf_text.split())
    lettered = [p for p in word_text.paragraphs if p.text in ("Consult residents", "in writing")]
    assert [p._p.pPr.numPr is not None for p in lettered] == [True, True]
