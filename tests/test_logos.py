"""The council's logo: a PNG or an SVG that only draws, at most 1 MB, printed at the
head of the PDF and the Word file; anything else refused with a reason, nothing stored."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from responses import logos
from responses.documents import pdf, word
from responses.models import CouncilSettings
from tests import pdfs, words
from tests.papers import paper_of

SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
DRAWING = f'{SVG_OPEN} viewBox="0 0 200 50"><rect width="200" height="50" fill="#1d4eb0"/></svg>'


def png(width: int = 40, height: int = 20) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (29, 78, 176)).save(out, format="PNG")
    return out.getvalue()


def refusal(content: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        logos.checked_logo(content)
    return refused.value


def test_a_png_is_kept_as_it_is():
    content = png()
    logo = logos.checked_logo(content)
    assert (logo.content_type, logo.content, logo.png) == ("image/png", content, content)


def test_an_svg_that_only_draws_is_kept_and_drawn_as_a_png_for_word():
    logo = logos.checked_logo(DRAWING.encode())

    assert logo.content_type == "image/svg+xml"
    with Image.open(io.BytesIO(logo.png)) as drawn:
        assert drawn.format == "PNG"
        width, height = drawn.size
        assert round(width / height) == 4  # the viewBox's 200 × 50
        assert drawn.getpixel((width // 2, height // 2))[:3] == (29, 78, 176)


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty"),
        (b"Not a picture at all", "not_an_image"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "broken_png"),
        (b"<html><body>hi</body></html>", "not_an_image"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * (1024 * 1024), "too_big"),
        (f"{SVG_OPEN}><script>alert(1)</script></svg>".encode(), "svg_script"),
        (f'{SVG_OPEN} onload="alert(1)"><rect width="1" height="1"/></svg>'.encode(), "svg_script"),
        (f'{SVG_OPEN}><image href="https://example.org/x.png"/></svg>'.encode(), "svg_element"),
        (
            f'{SVG_OPEN}><use xlink:href="https://example.org/s.svg#a"/></svg>'.encode(),
            "svg_element",
        ),
        (
            f'{SVG_OPEN}><rect fill="url(https://example.org/p.svg#g)" width="1"/></svg>'.encode(),
            "svg_reference",
        ),
        (
            f"{SVG_OPEN}><style>@import url(https://example.org/s.css);</style></svg>".encode(),
            "svg_element",
        ),
        (f"{SVG_OPEN}><foreignObject><p>x</p></foreignObject></svg>".encode(), "svg_element"),
        (
            f'{SVG_OPEN}><rect style="fill:\\75 rl(https://x.example/p)"/></svg>'.encode(),
            "svg_reference",
        ),
        (
            f'<?xml-stylesheet href="https://example.org/s.css"?>{SVG_OPEN}/>'.encode(),
            "svg_instruction",
        ),
        (
            f'{SVG_OPEN}><animate attributeName="href" values="https://example.org/"/></svg>'.encode(),
            "svg_element",
        ),
        (png() + b"<html><script>alert(1)</script></html>", "broken_png"),
        (f"{SVG_OPEN}>{'<g/>' * 5001}</svg>".encode(), "svg_too_big"),
        (
            f"<!--{'x' * 5000}--><!DOCTYPE svg [<!ENTITY e 'x'>]>{SVG_OPEN}/>".encode(),
            "svg_doctype",
        ),
        (DRAWING.encode("utf-16"), "not_an_image"),
        (
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            + f"{SVG_OPEN}><text>&x;</text></svg>".encode(),
            "svg_doctype",
        ),
    ],
    ids=[
        "empty",
        "text",
        "broken png",
        "html",
        "over 1 MB",
        "script",
        "event handler",
        "outside image",
        "outside use",
        "outside fill",
        "style import",
        "foreign object",
        "css escape",
        "stylesheet instruction",
        "animation",
        "png with more after it",
        "too many elements",
        "doctype after a long comment",
        "utf-16",
        "entities",
    ],
)
def test_a_logo_that_is_not_a_picture_or_does_more_than_draw_is_refused(content, code):
    refused = refusal(content)
    assert refused.code == code
    assert "logo" in refused.messages[0].lower() or "svg" in refused.messages[0].lower()


def test_an_svg_of_any_stated_size_is_drawn_no_larger_than_the_paper_prints_it():
    huge = f'{SVG_OPEN} width="14000" height="14000"><rect width="14000" height="14000"/></svg>'
    odd = f'{SVG_OPEN} width="1.2.3" height="x"><rect width="10" height="10"/></svg>'

    for content in (huge, odd):
        with Image.open(io.BytesIO(logos.checked_logo(content.encode()).png)) as drawn:
            assert max(drawn.size) <= 700  # 300 CSS pixels at 150 dots an inch, and a margin


def test_the_size_limit_is_named_in_the_message():
    refused = refusal(b"\x89PNG\r\n\x1a\n" + b"\0" * (1024 * 1024))
    assert refused.messages == ["The logo is 1,025 KB: it may be at most 1,024 KB (1 MB)."]


def _settings_post(client, **extra):
    page = reverse("admin:responses_councilsettings_change", args=[CouncilSettings.load().pk])
    data = {
        "name": "Anytown Borough Council",
        "report_headings": "Summary\nRecommendations",
        "report_deadline_working_days": "7",
        "reminder_days_before": "3",
        **extra,
    }
    return client.post(page, data)


@pytest.mark.django_db
def test_an_administrator_uploads_a_logo_on_the_settings_page(client, administrator):
    client.force_login(administrator)

    saved = _settings_post(client, new_logo=SimpleUploadedFile("logo.svg", DRAWING.encode()))

    assert saved.status_code == 302
    council = CouncilSettings.load()
    assert (bytes(council.logo), council.logo_type) == (DRAWING.encode(), "image/svg+xml")
    assert bytes(council.logo_png).startswith(b"\x89PNG")


@pytest.mark.django_db
def test_a_refused_logo_is_a_form_error_and_changes_nothing(client, administrator):
    client.force_login(administrator)
    _settings_post(client, new_logo=SimpleUploadedFile("logo.png", png()))
    hostile = f'{SVG_OPEN} onload="alert(1)"/>'.encode()

    page = _settings_post(
        client, name="Renamed Council", new_logo=SimpleUploadedFile("x.svg", hostile)
    )

    assert page.status_code == 200
    assert "has a script in its “onload” attribute" in page.content.decode()
    council = CouncilSettings.load()
    assert council.name == "Anytown Borough Council"
    assert bytes(council.logo) == png()


@pytest.mark.django_db
def test_an_empty_logo_file_is_refused_in_words_that_say_what_to_choose(client, administrator):
    client.force_login(administrator)

    page = _settings_post(client, new_logo=SimpleUploadedFile("logo.png", b""))

    assert page.status_code == 200
    assert "The file is empty. Choose the logo&#x27;s PNG or SVG file." in page.content.decode()
    assert bytes(CouncilSettings.load().logo) == b""


@pytest.mark.django_db
def test_removing_the_logo(client, administrator):
    client.force_login(administrator)
    _settings_post(client, new_logo=SimpleUploadedFile("logo.png", png()))

    _settings_post(client, remove_logo="on")

    assert bytes(CouncilSettings.load().logo) == b""


@pytest.mark.django_db
def test_the_logo_heads_the_pdf_and_the_word_file(seed):
    council = CouncilSettings.load()
    logo = logos.checked_logo(png(400, 100))
    council.name = "Walsall Council"
    council.logo, council.logo_type, council.logo_png = logo.content, logo.content_type, logo.png
    council.logo_digest = logo.digest
    council.save()
    paper = paper_of(seed)

    assert pdfs.drawn_images(pdf.response_only(paper).content) == [1]
    document = words.document(word.response_only(paper).content)
    (shape,) = document.inline_shapes
    assert shape._inline.docPr.get("descr") == "Walsall Council"
    assert document.paragraphs[0]._p.xpath(".//pic:pic")  # the first paragraph holds it


@pytest.mark.django_db
def test_removing_and_uploading_at_once_is_refused(client, administrator):
    client.force_login(administrator)
    _settings_post(client, new_logo=SimpleUploadedFile("logo.png", png()))

    page = _settings_post(
        client, remove_logo="on", new_logo=SimpleUploadedFile("other.png", png(80, 20))
    )

    assert "Choose a new logo or remove the logo, not both." in page.content.decode()
    assert bytes(CouncilSettings.load().logo) == png()
