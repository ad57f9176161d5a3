"""The one Markdown-to-HTML function: each construct it allows, and hostile text made harmless."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils.safestring import SafeString

from responses.documents import pdf
from responses.models import Answer, Consultation, ReportSection
from responses.text import (
    markdown_to_html,
    validate_link_addresses,
    validate_printable_nesting,
    validate_printable_size,
)
from responses.text.crossrefs import QuestionNumbers
from tests import pdfs
from tests.html import elements, links
from tests.papers import paper_of


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


def test_numbered_list_with_parenthesis_keeps_its_parenthesis():
    html = markdown_to_html("1) first\n2) second")
    assert '<ol class="list-decimal-paren">' in html
    assert html.count("<li>") == 2


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


@pytest.mark.parametrize("depth", range(1, 30))
def test_nesting_is_refused_exactly_when_the_page_would_lose_words(depth):
    quote = ">" * depth + " deepest words\n"
    items = (
        "".join("  " * i + f"- level {i}\n" for i in range(depth))
        + "  " * depth
        + "- deepest words\n"
    )
    for text in (quote, items):
        shown = "deepest words" in markdown_to_html(text)
        try:
            validate_printable_nesting(text)
        except ValidationError:
            refused = True
        else:
            refused = False
        assert refused != shown, (depth, text)


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


@pytest.mark.parametrize(
    "text",
    [
        "[the plan](https://example.org/p) and [old](http://example.org/old)",
        "Write to <name@example.org> or [the clerk](mailto:clerk@example.org?subject=Q3).",
        "See <https://www.gov.uk/consultation>.",
        "See [the guidance][g].\n\n[g]: https://www.gov.uk/guidance",
        "See answer to Q 16 and the answer above.[^1]\n\n[^1]: Cabinet minute 4521.",
        "Not a link: /plans/x, #q3, [brackets] and a < b.",
        "Typed as code: `[x](/plans/x)`",
        "",
    ],
)
def test_full_addresses_and_the_apps_own_links_are_accepted(text):
    validate_link_addresses(text)


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("[our plan](/plans/x)", "/plans/x"),
        ("[the page](plans.html)", "plans.html"),
        ("[question 3](#q3)", "#q3"),
        ("[the host](//host.example/x)", "//host.example/x"),
        ("[the site](www.walsall.gov.uk)", "www.walsall.gov.uk"),
        ("[broken](https:/example.org)", "https:/example.org"),
        ("See [the plan][p].\n\n[p]: /plans/x", "/plans/x"),
        ("In a note.[^1]\n\n[^1]: See [the plan](/plans/x).", "/plans/x"),
    ],
)
def test_an_address_that_is_not_full_is_refused_naming_it(text, address):
    with pytest.raises(ValidationError) as refused:
        validate_link_addresses(text)
    assert refused.value.messages == [
        f"The link to “{address}” is not a full web address, so it would lead nowhere once "
        "printed or sent. Write the whole address, starting https://."
    ]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("[x](javascript:alert(1))", "javascript:alert(1)"),
        ("[x](JAVASCRIPT:alert(1))", "JAVASCRIPT:alert(1)"),
        ("[x](file:///etc/passwd)", "file:///etc/passwd"),
        ("[x](ftp://files.example.org/a)", "ftp://files.example.org/a"),
        ("[x](data:text/html,hi)", "data:text/html,hi"),
        ("<ftp://files.example.org/a>", "ftp://files.example.org/a"),
    ],
)
def test_an_address_that_is_not_a_web_page_or_e_mail_is_refused(text, address):
    with pytest.raises(
        ValidationError, match="does not go to a web page or an e-mail address"
    ) as no:
        validate_link_addresses(text)
    assert f"The link to “{address}”" in no.value.messages[0]


def test_a_mailto_link_without_an_address_is_refused():
    with pytest.raises(ValidationError, match="Write it as mailto:name@example.org"):
        validate_link_addresses("[write](mailto:the-clerk)")


def test_a_long_address_is_shortened_in_the_message():
    address = "/documents/" + "x" * 200 + "/end.pdf"
    with pytest.raises(ValidationError) as refused:
        validate_link_addresses(f"[the report]({address})")
    (message,) = refused.value.messages
    assert "/documents/xxx" in message
    assert "…" in message
    assert "/end.pdf”" in message
    assert len(message) < 200


def test_many_bad_links_are_each_named_up_to_three_then_counted():
    text = " ".join(f"[{n}](/page-{n})" for n in range(6)) + " [again](/page-0)"
    with pytest.raises(ValidationError) as refused:
        validate_link_addresses(text)
    messages = refused.value.messages
    assert [m.split("”")[0] for m in messages[:3]] == [
        "The link to “/page-0",
        "The link to “/page-1",
        "The link to “/page-2",
    ]
    assert messages[3] == "3 more links are not full addresses starting https:// or mailto: either."


@pytest.mark.parametrize(
    "field",
    [
        Answer._meta.get_field("text"),
        ReportSection._meta.get_field("body"),
        Consultation._meta.get_field("executive_summary"),
    ],
)
def test_the_models_refuse_a_relative_link_too(field):
    """The admin and the services go through the models, not the editor's form."""
    with pytest.raises(ValidationError, match="not a full web address"):
        field.clean("[our plan](/plans/x)", None)


@pytest.mark.django_db
def test_every_text_in_the_seed_passes_the_link_check():
    call_command("load_seed", verbosity=0)
    texts = [
        *Answer.objects.values_list("text", flat=True),
        *ReportSection.objects.values_list("body", flat=True),
        *Consultation.objects.values_list("executive_summary", flat=True),
    ]
    assert any("<http" in text for text in texts)  # the seed does link out
    for text in texts:
        validate_link_addresses(text)
    for model in (Answer, ReportSection, Consultation):
        for instance in model.objects.all():
            instance.full_clean(validate_unique=False, validate_constraints=False)


def test_in_print_a_link_carries_its_address_inside_it():
    html = markdown_to_html("Read [the plan](https://example.org/p) first.", for_print=True)
    assert links(html) == [("https://example.org/p", "the plan (https://example.org/p)")]
    assert markdown_to_html("Read [the plan](https://example.org/p) first.") == (
        '<p>Read <a href="https://example.org/p" rel="noopener noreferrer">the plan</a> '
        "first.</p>\n"
    )


def test_in_print_an_e_mail_link_carries_the_address_without_mailto():
    html = markdown_to_html("[Write to us](mailto:clerk@example.org?subject=Q3).", for_print=True)
    assert links(html) == [
        ("mailto:clerk@example.org?subject=Q3", "Write to us (clerk@example.org)")
    ]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("<https://example.org/p>", "https://example.org/p"),
        ("<clerk@example.org>", "clerk@example.org"),
        ("[https://example.org/p](https://example.org/p)", "https://example.org/p"),
        ("[www.gov.uk](https://www.gov.uk/)", "www.gov.uk"),
    ],
)
def test_in_print_a_link_that_shows_its_address_is_not_doubled(text, shown):
    ((_, printed),) = links(markdown_to_html(text, for_print=True))
    assert printed == shown


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        # Words that contain the address are not the address: it is printed.
        ("[see example.org/p](https://example.org/p)", "see example.org/p (https://example.org/p)"),
        (
            "[https://www.gov.uk/guidance/evil.example](https://evil.example)",
            "https://www.gov.uk/guidance/evil.example (https://evil.example)",
        ),
        # A host of look-alike letters prints as it is held (xn--), not as it looks.
        ("[guidance](https://www.g\u043ev.uk/pay)", "guidance (https://www.xn--gv-fmc.uk/pay)"),
        # A character that turns text right to left is shown %-encoded, not obeyed.
        ("[x](https://example.org/a\u202eb)", "x (https://example.org/a%E2%80%AEb)"),
    ],
)
def test_in_print_an_address_cannot_hide_or_pass_for_another(text, shown):
    ((_, printed),) = links(markdown_to_html(text, for_print=True))
    assert printed == shown


def test_in_print_a_non_ascii_address_is_printed_readably():
    html = markdown_to_html("[the café](https://example.org/café)", for_print=True)
    assert links(html) == [("https://example.org/caf%C3%A9", "the café (https://example.org/café)")]


def test_in_print_cross_references_and_footnotes_carry_no_address():
    html = markdown_to_html(
        "See answer to Q 16.[^1]\n\n[^1]: As [the guide](https://example.org/g) says.",
        for_print=True,
        numbers=QuestionNumbers(["16"]),
    )
    assert links(html) == [
        ("#q16", "answer to Q 16"),
        ("https://example.org/g", "the guide (https://example.org/g)"),
    ]
    assert "(#" not in html


@pytest.mark.django_db
def test_the_pdf_prints_a_links_address_and_wraps_a_long_one(seed):
    address = "https://example.org/consultations/" + "averylongpathwithoutabreak" * 8
    ReportSection.objects.filter(heading="Recommendations").update(
        body=f"That Cabinet reads [the 2031 plan]({address}) first."
    )
    content = pdf.cabinet_paper(paper_of(seed)).content
    printed = re.sub(r"\s+", "", pdfs.text(content))
    assert f"the2031plan({address})first." in printed
    assert pdfs.widest_word(content) <= float(pdfs.reader(content).pages[0].mediabox.width)


def test_a_paragraph_with_hundreds_of_pieces_of_formatting_is_refused_as_written():
    with pytest.raises(ValidationError) as refused:
        validate_printable_size("*a" * 10000)
    assert "5,000 pieces of formatting" in refused.value.messages[0]
    assert "at most 300" in refused.value.messages[0]


def test_formatting_spread_over_paragraphs_is_fine():
    validate_printable_size("\n\n".join(["**bold** and *light*"] * 200))
    validate_printable_size("*a*" * 300)


def test_more_than_200_footnotes_are_refused():
    notes = "".join(f"Point[^{n}]. " for n in range(201))
    definitions = "\n\n".join(f"[^{n}]: Note {n}." for n in range(201))
    with pytest.raises(ValidationError, match="201 footnotes"):
        validate_printable_size(notes.replace(". ", ".\n\n") + "\n\n" + definitions)


def test_a_note_called_many_times_is_printed_once():
    note = "A long note. " * 50
    text = "Here[^1] and here[^1] and here[^1].\n\n[^1]: " + note
    html = str(markdown_to_html(text, for_print=True))
    assert html.count("A long note.") == 50


def test_more_than_200_calls_of_one_footnote_are_refused():
    with pytest.raises(ValidationError, match="calls 201 footnotes"):
        validate_printable_size("x[^1]" * 201 + "\n\n[^1]: Note.")
