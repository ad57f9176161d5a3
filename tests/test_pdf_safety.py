"""What WeasyPrint may fetch, and hostile or awkward text in the paper."""

import re

import pytest
from weasyprint.urls import URLFetchingError

from responses import services
from responses.documents import pdf
from responses.models import Answer
from tests import pdfs
from tests.factories import AnswerFactory, CabinetReportFactory
from tests.papers import paper_of

STATIC = pdf.STATIC_BASE_URL


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:8000/admin/",
        "https://example.org/tracker.png",
        "data:text/css,body{color:red}",
        "ftp://example.org/file",
        f"{STATIC}../../consult/settings.py",
        f"{STATIC}css/../../manage.py",
        f"{STATIC}%2e%2e/%2e%2e/manage.py",
        f"{STATIC}vendor/bootstrap/css/bootstrap.min.css",
        f"{STATIC}css/no-such-file.css",
        "https://consult.invalid/etc/passwd",
    ],
)
def test_fetcher_refuses_everything_but_our_print_assets(url):
    with pytest.raises(URLFetchingError):
        pdf.StaticFilesOnly().fetch(url)


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("css/print.css", "text/css"), ("fonts/Arimo-Regular.ttf", "font/ttf")],
)
def test_fetcher_serves_our_print_css_and_fonts(name, content_type):
    response = pdf.StaticFilesOnly().fetch(STATIC + name)
    assert response.content_type == content_type
    assert len(response.read()) > 1000


def test_fetcher_follows_no_redirects():
    handler_names = {type(h).__name__ for h in pdf.StaticFilesOnly().handlers}
    assert "HTTPRedirectHandler" not in handler_names


HOSTILE = {
    "raw image": "<img src=file:///etc/passwd>",
    "markdown image": "![passwd](file:///etc/passwd) and ![x](https://example.org/x.png)",
    "links": "[site](https://example.org) <http://example.org/a> [local](file:///etc/passwd)",
    "css in text": '<style>body{background:url("https://example.org/x")}</style> url(file:///x)',
    "attachment": '<a rel="attachment" href="file:///etc/passwd">passwd</a>',
    "long word": "Supercalifragilistic" * 900,
    "5,000 lines": "ab\n" * 5000,
    "5,000 list items": "- a\n" * 4999,
    "right to left": "مرحبا بالعالم — שלום עולם",
    "emoji": "We agree 👍 🎉",
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_answers_render_harmlessly(case):
    answer = AnswerFactory(text=HOSTILE[case])
    CabinetReportFactory(response=answer.response)
    content = pdf.cabinet_paper(paper_of(answer.response)).content
    assert content.startswith(b"%PDF-")
    assert pdfs.image_count(content) == 0
    text = pdfs.text(content)
    assert "root:x:0:0" not in text
    assert f"{answer.question.number}." in text


@pytest.mark.django_db
def test_a_very_long_word_wraps_inside_the_page():
    answer = AnswerFactory(text="Supercalifragilistic" * 900)
    content = pdf.response_only(paper_of(answer.response)).content
    pages = pdfs.reader(content).pages
    assert len(pages) >= 2  # it flowed down the page rather than off its edge


WORD_CHARACTERS = "‘single’ “double” en–dash em—dash non‑breaking no\u00a0break … • £12 €34 ‐"


@pytest.mark.django_db
def test_the_bundled_font_covers_what_word_produces():
    answer = AnswerFactory(text=WORD_CHARACTERS)
    content = pdf.response_only(paper_of(answer.response)).content
    used = {name.split("+")[-1] for name in pdfs.fonts(content)}
    assert used <= {"Arimo", "Arimo-Bold", "Arimo-Italic", "Arimo-Bold-Italic"}
    text = pdfs.text(content)
    for character in "‘’“”–—…•£€":
        assert character in text


@pytest.mark.django_db
def test_answers_at_the_length_limit_are_saved_whole_and_render_whole(officer):
    # 20,000 characters exactly; 20,001 is refused with nothing saved, in
    # test_services.test_text_over_20000_characters_is_refused.
    text = "A sentence of an answer. " * 799 + "The last sentence, ended."
    answer = AnswerFactory(text="")
    services.save_answer(
        user=officer,
        response_id=answer.response_id,
        number=answer.question.number,
        text=text,
        status=answer.status,
        assignee=None,
        expected_version=answer.version,
    )
    stored = Answer.objects.get(pk=answer.pk)
    assert (len(stored.text), stored.version) == (20_000, 2)
    assert stored.text == text
    rendered = pdfs.text(pdf.response_only(paper_of(answer.response)).content)
    # Over several pages: each page's footer and the next one's header fall mid-sentence.
    words = re.sub(rf" {pdfs.FOOTER} DRAFT ", " ", rendered)
    assert words.count("A sentence of an answer.") == 799
    assert "A sentence of an answer. The last sentence, ended." in words
