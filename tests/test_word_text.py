"""An answer's Markdown as Word's own paragraphs, runs, lists and notes, read back with
python-docx. Each expectation is what the Markdown means as the PDF prints it."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Twips
from hypothesis import given, settings

from responses.documents import word_text
from responses.documents.context import PAPER, document_context
from responses.documents.word_text import Writer, add_text, ensure_styles
from responses.text import markdown_to_html, parse
from responses.text.crossrefs import QuestionNumbers
from responses.text.html import render
from responses.text.reading import blocks
from tests import strategies, words
from tests.papers import paper_of


def word_bytes(text: str, *, answer: bool = False, **options) -> bytes:
    """The text as the Word documents set it (as an answer, if so), saved."""
    document = docx.Document()
    ensure_styles(document)
    add_text(Writer(document), parse(text, for_print=True, **options), answer=answer)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def word_of(text: str, **options):
    """The text as the Word documents set it, saved and opened again."""
    return words.document(word_bytes(text, **options))


def paragraphs(document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs]


def runs(paragraph) -> list[tuple[str, str]]:
    """Each run's text with its formatting: B bold, I italic, S superscript."""
    found = []
    for run in paragraph.iter_inner_content():
        for inner in getattr(run, "runs", [run]):  # a hyperlink holds runs
            marks = "B" * bool(inner.bold) + "I" * bool(inner.italic)
            marks += "S" * bool(inner.font.superscript)
            found.append((inner.text, marks))
    return found


def start(document, paragraph) -> tuple[int, int]:
    """A numbered paragraph's list (Word's numId) and the number it starts from."""
    num_id = paragraph._p.pPr.numPr.numId.val
    num = document.part.numbering_part.element.num_having_numId(num_id)
    return num_id, num.lvlOverride_lst[0].startOverride.val


def test_emphasis_is_bold_and_italic_runs_and_code_is_plain_words():
    document = word_of("Plain **bold**, *italic*, ***both*** and `code` here.")

    (paragraph,) = document.paragraphs
    assert runs(paragraph) == [
        ("Plain ", ""),
        ("bold", "B"),
        (", ", ""),
        ("italic", "I"),
        (", ", ""),
        ("both", "BI"),
        (" and code here.", ""),
    ]


def test_a_hard_line_break_breaks_the_line_and_a_soft_one_is_a_space():
    document = word_of("one  \ntwo\nthree\n\nnext")

    assert paragraphs(document) == [("Normal", "one\ntwo three"), ("Normal", "next")]


def test_bulleted_lists_nest_in_words_list_styles_up_to_three_deep():
    document = word_of("- a\n  - b\n    - c\n      - d\n- e")

    assert paragraphs(document) == [
        ("List Bullet", "a"),
        ("List Bullet 2", "b"),
        ("List Bullet 3", "c"),
        ("List Bullet 3", "d"),
        ("List Bullet", "e"),
    ]


def test_each_numbered_list_starts_at_its_own_first_number():
    document = word_of("7. seven\n8. eight\n\nBetween.\n\n1. one\n   1. inner\n   2. inner two")

    assert paragraphs(document) == [
        ("List Number", "seven"),
        ("List Number", "eight"),
        ("Normal", "Between."),
        ("List Number", "one"),
        ("List Number 2", "inner"),
        ("List Number 2", "inner two"),
    ]
    seven, eight, _, one, inner, inner_two = document.paragraphs
    assert start(document, seven)[1] == 7
    assert start(document, seven) == start(document, eight)  # one list
    assert start(document, one)[1] == 1
    assert start(document, one)[0] != start(document, seven)[0]  # a list of its own
    assert start(document, inner)[1] == 1
    assert start(document, inner) == start(document, inner_two)
    assert start(document, inner)[0] != start(document, one)[0]


def test_a_list_item_s_second_paragraph_continues_it_unnumbered():
    document = word_of("1. first\n\n   more of it\n2. second")

    assert paragraphs(document) == [
        ("List Number", "first"),
        ("List Continue", "more of it"),
        ("List Number", "second"),
    ]
    assert document.paragraphs[1]._p.pPr.numPr is None
    assert start(document, document.paragraphs[0]) == start(document, document.paragraphs[2])


def test_a_quote_is_words_quote_style_and_a_rule_a_bordered_paragraph():
    document = word_of("> quoted *words*\n\n---\n\nafter")

    quote, rule, after = document.paragraphs
    assert (quote.style.name, quote.text) == ("Quote", "quoted words")
    assert runs(quote) == [("quoted ", ""), ("words", "I")]
    assert rule.text == ""
    assert rule._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")) is not None
    assert (after.style.name, after.text) == ("Normal", "after")


def test_small_headings_are_bold_paragraphs_and_large_ones_plain_as_printed():
    # The sanitiser keeps h3 to h6 only: an answer's "# Title" prints as plain words.
    document = word_of("### Three\n\n# One")

    three, one = document.paragraphs
    assert (three.style.name, runs(three)) == ("Normal", [("Three", "B")])
    assert (one.style.name, runs(one)) == ("Normal", [("One", "")])


def test_links_work_and_print_their_address_after_their_words():
    document = word_of(
        "[the plan](https://example.org/plan), <https://example.org/bare> and "
        "[mail us](mailto:team@example.org?subject=Hi)"
    )

    (paragraph,) = document.paragraphs
    assert [(link.text, link.address) for link in paragraph.hyperlinks] == [
        ("the plan (https://example.org/plan)", "https://example.org/plan"),
        ("https://example.org/bare", "https://example.org/bare"),
        ("mail us (team@example.org)", "mailto:team@example.org?subject=Hi"),
    ]


def test_a_cross_reference_is_words_not_a_link_in_word():
    document = word_of("See the answer to Q 16.", numbers=QuestionNumbers(["16"]))

    (paragraph,) = document.paragraphs
    assert paragraph.text == "See the answer to Q 16."
    assert paragraph.hyperlinks == []


def test_a_link_inside_a_link_ends_it_as_the_printed_page_does():
    document = word_of("[*x <https://a.example> y*](https://c.example) z")

    (paragraph,) = document.paragraphs
    assert paragraph.text == "x https://a.example y z"
    assert [(link.text, link.address) for link in paragraph.hyperlinks] == [
        ("x ", "https://c.example"),
        ("https://a.example", "https://a.example"),
    ]
    assert runs(paragraph) == [
        ("x ", "I"),
        ("https://a.example", "I"),
        (" y", "I"),
        (" z", ""),
    ]


def worded(paragraph) -> list[tuple[str, str]]:
    """The runs that print words (not a note's own number, which Word fills in)."""
    return [(text, marks) for text, marks in runs(paragraph) if text.strip()]


def test_notes_are_words_own_footnotes_called_where_they_stand():
    content = word_bytes(
        "A claim[^1] and another[^b], and the first again[^1].\n\n"
        "[^1]: The *first* note.\n[^b]: The [plan](https://example.org/plan)."
    )

    document = words.document(content)
    assert paragraphs(document) == [("Normal", "A claim and another, and the first again.")]
    (claim,) = document.paragraphs
    assert words.note_calls(claim) == [1, 2]
    calls = claim._p.findall(f"{qn('w:r')}/{qn('w:rPr')}/{qn('w:rStyle')}")
    assert [call.get(qn("w:val")) for call in calls] == ["FootnoteReference"] * 2
    notes = words.footnotes(content)
    assert sorted(notes) == [1, 2]
    assert notes[1]._p.pPr.style == "FootnoteText"
    assert notes[1]._p.find(f".//{qn('w:footnoteRef')}") is not None  # Word numbers it
    assert worded(notes[1]) == [("The ", ""), ("first", "I"), (" note.", "")]
    # A link in a note works: its relationship is the footnotes part's own.
    assert [(link.text, link.address) for link in notes[2].hyperlinks] == [
        ("plan (https://example.org/plan)", "https://example.org/plan")
    ]


def test_the_footnotes_part_is_as_word_writes_it():
    content = word_bytes("A claim[^1].\n\n[^1]: The note.")

    package = zipfile.ZipFile(io.BytesIO(content))
    types = package.read("[Content_Types].xml").decode()
    assert (
        '<Override PartName="/word/footnotes.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>'
    ) in types
    relationships = package.read("word/_rels/document.xml.rels").decode()
    assert (
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" '
        'Target="footnotes.xml"'
    ) in relationships
    notes = docx.oxml.parse_xml(package.read("word/footnotes.xml"))
    kinds = [(n.get(qn("w:type")), n.get(qn("w:id"))) for n in notes]
    assert kinds == [("separator", "-1"), ("continuationSeparator", "0"), (None, "1")]
    assert notes[0].find(f".//{qn('w:separator')}") is not None
    assert notes[1].find(f".//{qn('w:continuationSeparator')}") is not None
    settings = docx.oxml.parse_xml(package.read("word/settings.xml"))
    named = settings.find(qn("w:footnotePr"))
    assert [n.get(qn("w:id")) for n in named] == ["-1", "0"]
    # In the order the schema sets: before the compatibility settings.
    order = [child.tag for child in settings]
    assert order.index(qn("w:footnotePr")) < order.index(qn("w:compat"))
    styles = words.document(content).styles
    assert styles["footnote text"].style_id == "FootnoteText"
    assert styles["footnote reference"].style_id == "FootnoteReference"
    assert styles["footnote reference"].font.superscript


def test_a_note_that_calls_itself_is_printed_once():
    content = word_bytes("A[^1]\n\n[^1]: see[^1] again")

    assert paragraphs(words.document(content)) == [("Normal", "A")]
    assert words.footnote_texts(content) == ["see again"]


def test_a_note_of_two_paragraphs_is_one_footnote_paragraph():
    content = word_bytes("A[^1]\n\n[^1]: First part.\n\n    Second part.")

    assert words.footnote_texts(content) == ["First part. Second part."]


def test_an_answer_is_in_italics_its_emphasis_upright_and_indented_under_its_question():
    content = word_bytes(
        "Plain, *stressed*, **strong**.\n\n- a bullet\n\n> quoted\n\nA note[^1].\n\n"
        "[^1]: A *note* stays upright.",
        answer=True,
    )

    document = words.document(content)
    plain, bullet, quoted, noted = document.paragraphs
    assert runs(plain) == [
        ("Plain, ", "I"),
        ("stressed", ""),
        (", ", "I"),
        ("strong", "BI"),
        (".", "I"),
    ]
    assert runs(bullet) == [("a bullet", "I")]
    assert runs(quoted) == [("quoted", "I")]
    indent = word_text.ANSWER_INDENT
    assert plain.paragraph_format.left_indent == indent
    assert quoted.paragraph_format.left_indent == indent + Twips(word_text.QUOTE_INDENT)
    # A list item keeps its bullet's room before its words, with a tab stop there.
    words_start = indent + Twips(word_text.LIST_STEP)
    assert bullet.paragraph_format.left_indent == words_start
    assert bullet.paragraph_format.first_line_indent == -Twips(word_text.BULLET_HANGING)
    assert [stop.position for stop in bullet.paragraph_format.tab_stops] == [words_start]
    # A note is set as notes are, not as the answer: upright, its emphasis in italics.
    assert words.note_calls(noted) == [1]
    assert worded(words.footnotes(content)[1]) == [
        ("A ", ""),
        ("note", "I"),
        (" stays upright.", ""),
    ]


def test_a_numbered_list_has_room_for_a_three_digit_number_and_a_tab_after_it():
    document = word_of("99. ninety-nine\n100. a hundred")

    first = document.paragraphs[0]
    num = document.part.numbering_part.element.num_having_numId(first._p.pPr.numPr.numId.val)
    (abstract,) = document.part.numbering_part.element.xpath(
        f"w:abstractNum[@w:abstractNumId='{num.abstractNumId.val}']"
    )
    level = abstract.find(f"{qn('w:lvl')}/{qn('w:pPr')}")
    indent = level.find(qn("w:ind"))
    left, hanging = int(indent.get(qn("w:left"))), int(indent.get(qn("w:hanging")))
    # "100." in Arial 12 is about 23.4 pt: the number's room is more, with a gap.
    assert hanging >= 567  # 1 cm, in twentieths of a point
    assert left >= hanging
    (tab,) = level.find(qn("w:tabs"))
    assert int(tab.get(qn("w:pos"))) == left


def test_code_blocks_and_images_print_as_the_page_does():
    # No <pre> or <img> survives the sanitiser: a block of code is words, an image nothing.
    document = word_of("```\nline one\nline two\n```\n\nAn ![image](https://x.example/a.png) gone.")

    assert paragraphs(document) == [("Normal", "line one line two"), ("Normal", "An gone.")]


def test_characters_xml_cannot_hold_are_left_out():
    document = word_of("a bell\x07 and a form\x0cfeed")

    assert paragraphs(document) == [("Normal", "a bell and a formfeed")]


@pytest.mark.parametrize(
    "text",
    ["![" * 2000, "[" * 2000 + "x", "> " * 60 + "deep", "- " * 60 + "deep", "*a " * 500],
)
def test_hostile_text_prints_the_words_the_page_shows(text):
    document = word_of(text)

    # Lines nested past the parser's limit are lost to the page and to Word alike (and
    # refused on save); what is kept are the page's words, block for block.
    assert [p.text for p in document.paragraphs] == blocks(parse(text, for_print=True))


@settings(strategies.PROPERTIES, max_examples=strategies.examples(100))
@given(strategies.printable_markdown())
def test_every_note_is_numbered_once_and_every_link_is_one_the_pdf_links(text):
    content = word_bytes(text)
    document = words.document(content)

    called = [number for p in document.paragraphs for number in words.note_calls(p)]
    notes = words.footnotes(content)
    assert called == list(range(1, len(notes) + 1))
    assert sorted(notes) == called
    printed = str(markdown_to_html(text, for_print=True))
    for paragraph in [*document.paragraphs, *notes.values()]:
        for link in paragraph.hyperlinks:
            assert link.address.lower().startswith(("http://", "https://", "mailto:"))
            assert f'href="{link.address}"'.replace("&", "&amp;") in printed


@pytest.mark.django_db
def test_word_reads_the_very_parse_the_pdf_prints(seed):
    shown = document_context(PAPER, paper_of(seed))

    items = [item for heading, item in shown["appendix"] if not heading]
    assert items
    for item in items:
        assert render(shown["parses"].answer(item)) == item.answer_html
    for section, html in shown["report_sections"]:
        assert render(shown["parses"].report_section(section)) == html
    assert render(shown["parses"].executive_summary()) == shown["executive_summary"]
