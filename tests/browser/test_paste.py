"""Pasting from Word, a PDF or a web page into a Markdown box, and the count of
characters left, in Chromium."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from responses.models import Answer
from tests.browser.pages import (
    AnswerEditorPage,
    NewConsultationPage,
    assert_no_sideways_scroll,
    character_count,
    paste_into,
)

pytestmark = pytest.mark.django_db(transaction=True)

# What Word for Windows puts on the clipboard for a paragraph, a two-level bulleted
# list, a numbered list and a paragraph with a bare address (trimmed of its font tables),
# and the same as text/plain.
WORD_HTML = (Path(__file__).parent.parent / "data" / "word-clipboard.html").read_text(
    encoding="utf-8"
)

WORD_TEXT = (
    "The council’s priorities for the next three years are set out in the Walsall Plan – "
    "see also “Vision 2008”:\r\n·\tHousing for every resident\r\no\tSocial rent\r\n"
    "·\tTransport that works\r\n\r\n1.\tConsult residents by 1 May\r\n"
    "2.\tAgree the plan at Cabinet\r\nDetails are at www.walsall.gov.uk/consultations.\r\n"
)

WORD_MARKDOWN = (
    "The council’s priorities for the **next three years** are set out in "
    "[the Walsall Plan](https://www.walsall.gov.uk/plan) – see also *“Vision 2008”*:\n"
    "\n"
    "- Housing for every resident\n"
    "  - Social rent\n"
    "- Transport that works\n"
    "\n"
    "1. Consult residents by 1 May\n"
    "2. Agree the plan at Cabinet\n"
    "\n"
    "Details are at <https://www.walsall.gov.uk/consultations>."
)

PDF_TEXT = (
    "We would ask the Government to:\n"
    "•\tfund the partnership’s support – not its projects;\n"
    "•\tpublish the guidance by “early 2007”\n"
    "Our steps:\n"
    "1)\tConsult residents\n"
    "2)\tReport to Cabinet\n"
    "See https://www.gov.uk/lsp-guidance, or (www.walsall.gov.uk/lsp)."
)

PDF_MARKDOWN = (
    "We would ask the Government to:\n"
    "\n"
    "- fund the partnership’s support – not its projects;\n"
    "- publish the guidance by “early 2007”\n"
    "\n"
    "Our steps:\n"
    "\n"
    "1) Consult residents\n"
    "2) Report to Cabinet\n"
    "\n"
    "See <https://www.gov.uk/lsp-guidance>, or (<https://www.walsall.gov.uk/lsp>)."
)


def open_editor(signed_in, live_server, user, response, width=1280) -> AnswerEditorPage:
    signed_in(user, width)
    signed_in.page.goto(f"{live_server.url}/responses/{response.pk}/answers/12/edit/")
    editor = AnswerEditorPage(signed_in.page)
    editor.text.fill("")
    expect(editor.preview).to_contain_text("Nothing to preview yet.")
    return editor


@pytest.mark.parametrize("width", [1280, 375])
def test_a_word_list_pastes_as_a_markdown_list_and_previews_as_one(
    signed_in, live_server, officer, seed, width
):
    editor = open_editor(signed_in, live_server, officer, seed, width)
    assert paste_into(editor.text, text=WORD_TEXT, html=WORD_HTML) is False
    expect(editor.text).to_have_value(WORD_MARKDOWN)

    top = editor.preview.locator("ul").first
    expect(top.locator(":scope > li")).to_have_count(2)
    expect(top.locator(":scope > li").first).to_contain_text("Housing for every resident")
    expect(top.locator("ul > li")).to_have_text(["Social rent"])
    expect(editor.preview.locator("ol > li")).to_have_text(
        ["Consult residents by 1 May", "Agree the plan at Cabinet"]
    )
    expect(editor.preview.locator("strong")).to_have_text("next three years")
    expect(editor.preview.locator("em")).to_have_text("“Vision 2008”")
    expect(editor.preview.get_by_role("link", name="the Walsall Plan")).to_have_attribute(
        "href", "https://www.walsall.gov.uk/plan"
    )
    expect(editor.preview).to_contain_text("The council’s priorities")
    assert_no_sideways_scroll(editor.page)

    editor.save()
    editor.page.wait_for_url(re.compile(r"/responses/\d+/#q12$"))
    assert Answer.objects.get(question__number="12").text == WORD_MARKDOWN


def test_plain_text_bullets_numbers_quotes_dashes_and_addresses(
    signed_in, live_server, officer, seed
):
    editor = open_editor(signed_in, live_server, officer, seed)
    assert paste_into(editor.text, text=PDF_TEXT) is False
    expect(editor.text).to_have_value(PDF_MARKDOWN)

    expect(editor.preview.locator("ul > li")).to_have_text(
        [
            "fund the partnership’s support – not its projects;",
            "publish the guidance by “early 2007”",
        ]
    )
    expect(editor.preview.locator("ol > li")).to_have_text(
        ["Consult residents", "Report to Cabinet"]
    )
    for address in ["https://www.gov.uk/lsp-guidance", "https://www.walsall.gov.uk/lsp"]:
        expect(editor.preview.get_by_role("link", name=address, exact=True)).to_have_attribute(
            "href", address
        )
    expect(editor.preview).to_contain_text("https://www.gov.uk/lsp-guidance, or (")


def drawn_list_markers(page) -> list[str]:
    """The list markers Chromium draws, as its accessibility tree names them (in the
    tree's order, not the page's)."""
    tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")
    return [
        node["name"]["value"].strip()
        for node in tree["nodes"]
        if node.get("role", {}).get("value") == "ListMarker" and node.get("name")
    ]


def test_a_lettered_list_pasted_from_a_pdf_keeps_its_letters_in_the_preview(
    signed_in, live_server, officer, seed
):
    editor = open_editor(signed_in, live_server, officer, seed)
    pasted = "Our steps:\n(a)\tConsult residents\n\t(i)\tin writing\n(b)\tReport to Cabinet"
    assert paste_into(editor.text, text=pasted) is False
    expect(editor.text).to_have_value(
        "Our steps:\n\n(a) Consult residents\n    (i) in writing\n(b) Report to Cabinet"
    )
    expect(editor.preview.locator("ol > li")).to_have_count(3)
    assert sorted(drawn_list_markers(editor.page)) == ["(a)", "(b)", "(i)"]


def test_text_with_nothing_to_convert_is_pasted_by_the_browser(
    signed_in, live_server, officer, seed
):
    editor = open_editor(signed_in, live_server, officer, seed)
    ordinary = "It’s “agreed” – subject to funding — by Cabinet."
    assert paste_into(editor.text, text=ordinary) is True
    assert paste_into(editor.text, text=ordinary, html=f"<p>{ordinary}</p>") is True


def test_the_conversions_on_their_own(signed_in, live_server, officer, seed):
    editor = open_editor(signed_in, live_server, officer, seed)
    from_text = "text => window.ConsultPaste.fromText(text)"
    from_html = "html => window.ConsultPaste.fromHtml(html)"
    cases = {
        # The letters and numerals as written: the paper prints them so.
        "a)\tfirst\nb)\tsecond": "a) first\nb) second",
        "(a) first\n(b) second": "(a) first\n(b) second",
        "i)\tfirst\nii)\tsecond\niii)\tthird": "i) first\nii) second\niii) third",
        "c.\tthird\nd.\tfourth": "c. third\nd. fourth",
        "A.\tfirst\nB.\tsecond": "A.  first\nB.  second",
        "A. N. Other\nB. Someone": "A. N. Other\nB. Someone",
        "a.\u00a0first\nb.\u00a0second": "a. first\nb. second",  # Outlook's space
        "3.\tthree\n4.\tfour": "3. three\n4. four",
        "1.\tOne\n\ta)\tsub\n2.\tTwo": "1. One\n   a) sub\n2. Two",
        "▪ one\n  ◦ under it": "- one\n  - under it",
        "•\tAn item a PDF wraps\nonto the next line\n•\tSecond\nA new paragraph": (
            "- An item a PDF wraps\nonto the next line\n- Second\n\nA new paragraph"
        ),
        "(c) Crown copyright 2006": "(c) Crown copyright 2006",
        "* * *": "* * *",
        "See [the plan](https://x.example/p) and <https://y.example>.": (
            "See [the plan](https://x.example/p) and <https://y.example>."
        ),
        "Go to www.gov.uk.": "Go to <https://www.gov.uk>.",
        "Read https://en.wikipedia.org/wiki/Walsall_(borough).": (
            "Read <https://en.wikipedia.org/wiki/Walsall_(borough)>."
        ),
    }
    for text, markdown in cases.items():
        assert editor.page.evaluate(from_text, text) == markdown, text

    google_docs = (
        '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1">'
        '<p dir="ltr"><span style="font-weight:700">Bold</span><span> and </span>'
        '<span style="font-style:italic">italic</span></p>'
        '<ul><li aria-level="1"><p><span>One</span></p></li>'
        '<ul><li aria-level="2"><p><span>Under one</span></p></li></ul>'
        '<li aria-level="1"><p><span>Write to <a href="mailto:clerk@example.org">'
        "clerk@example.org</a></span></p></li></ul>"
        '<ol start="4"><li>Four <a href="/plans/x">our plan</a></li>'
        '<li>Five <a href="javascript:alert(1)">a trick</a></li></ol>'
        '<ol><li style="list-style-type:lower-alpha">Lettered</li>'
        '<li style="list-style-type:lower-alpha">Again</li></ol></b>'
    )
    assert editor.page.evaluate(from_html, google_docs) == (
        "**Bold** and *italic*\n\n- One\n  - Under one\n- Write to <clerk@example.org>\n\n"
        "4. Four our plan\n5. Five a trick\na. Lettered\nb. Again"
    )
    # Found by an attack: a roman start this large used to loop for ever in the tab.
    huge = '<ol type="i" start="999999999999"><li>x</li></ol>'
    assert editor.page.evaluate(from_html, huge) == "999999999999. x"
    hostile = '<img src="x" onerror="document.title=\'pwned\'"><p>Hello</p><script>x()</script>'
    assert editor.page.evaluate(from_html, hostile) == "Hello"
    expect(editor.page).not_to_have_title("pwned")


def test_the_count_of_characters_left_and_the_servers_limit_agree(
    signed_in, live_server, officer, seed
):
    editor = open_editor(signed_in, live_server, officer, seed)
    count = character_count(editor.text)
    expect(count).to_have_text("20,000 characters left")
    described = editor.text.get_attribute("aria-describedby").split()
    assert "id_text_helptext" in described
    spoken = editor.page.locator("#" + described[-1])
    expect(spoken).to_have_attribute("aria-live", "polite")

    # Line breaks count once each and an emoji counts once, as the server counts them.
    typed = "Line one\nLine two 🙂"
    assert len(typed) == 19
    editor.text.fill(typed)
    expect(count).to_have_text("19,981 characters left")
    expect(spoken).to_have_text("19,981 characters left")  # once typing has paused

    words = ("A sentence of the answer.\n" * 780).strip()  # 20,279 characters
    editor.text.fill(words[:19_900])
    expect(count).to_have_text("100 characters left")
    paste_into(editor.text, text="•\tOne more point\n•\tAnd another point\n" + "x" * 300)
    typed = editor.text.input_value()
    too_many = len(typed) - 20_000
    assert too_many > 0
    expect(count).to_have_text(f"{too_many:,} characters too many")
    expect(count.locator("xpath=..")).to_have_class(re.compile(r"\bis-over\b"))

    editor.save()
    refused = AnswerEditorPage(editor.page)
    summary = refused.page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_contain_text(
        f"The answer must be 20,000 characters or fewer; it has {len(typed)}."
    )
    expect(refused.text).to_have_value(typed)
    expect(character_count(refused.text)).to_have_text(f"{too_many:,} characters too many")
    assert Answer.objects.get(question__number="12").version == 1


def test_the_executive_summary_is_a_markdown_box_too(signed_in, live_server, lead, seed):
    dashboard = signed_in(lead, 375)
    dashboard.page.get_by_role("link", name="New consultation").click()
    page = NewConsultationPage(dashboard.page)
    summary = page.field("Executive summary")
    expect(character_count(summary)).to_have_text("100,000 characters left")
    paste_into(summary, text=WORD_TEXT, html=WORD_HTML)
    expect(summary).to_have_value(WORD_MARKDOWN)
    expect(character_count(summary)).to_have_text(
        f"{100_000 - len(WORD_MARKDOWN):,} characters left"
    )
    assert_no_sideways_scroll(page.page)
