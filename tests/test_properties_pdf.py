"""Hostile answers in the printed paper, as properties: whatever an officer may save,
the response lays out within the time bound and WeasyPrint fetches nothing but our
print CSS and fonts.

The bounded render runs WeasyPrint in a forked child, where a fetcher patched in this
process would see nothing; so the same HTML is also laid out here, with a fetcher that
records every URL it is asked for. Derandomized, remembering nothing
(tests.strategies.PROPERTIES): see test_properties_text.py. Each example takes a
second or two (two layouts of the seed's 35 answers), so there are few of them.
"""

from __future__ import annotations

import hypothesis
import pytest
import weasyprint
from django.db import transaction
from hypothesis import example, given

from responses.documents import pdf
from responses.documents.context import RESPONSE
from responses.models import Answer
from tests import pdfs
from tests.papers import paper_of
from tests.strategies import PINNED, PROPERTIES, SEARCH, examples, printable_markdown

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:Generating overly large repr"),
]

PRINT_ASSETS = (pdf.STATIC_BASE_URL + "css/", pdf.STATIC_BASE_URL + "fonts/")

HOSTILE_MARKUP = (
    '<img src="file:///etc/passwd"> ![x](https://example.org/x.png) '
    "<link rel=stylesheet href=https://example.org/x.css> "
    "<style>@import url(https://example.org/y.css); body{background:url(file:///x)}</style> "
    '<svg><image href="file:///etc/passwd"/></svg> <object data="https://example.org/o"> '
    '<iframe src="https://example.org/f"></iframe> <a href="https://example.org/a">a</a>'
)


class RecordingFetcher(pdf.StaticFilesOnly):
    """The app's fetcher, noting every URL WeasyPrint asks it for."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    def fetch(self, url: str, headers: dict | None = None):
        self.asked.append(url)
        return super().fetch(url, headers)


def fetched_laying_out(html: str) -> list[str]:
    """Lay `html` out in this process as pdf.html_to_pdf does, and say what was fetched."""
    fetcher = RecordingFetcher()
    content = weasyprint.HTML(
        string=html, base_url=pdf.STATIC_BASE_URL, url_fetcher=fetcher
    ).write_pdf(pdf_variant="pdf/ua-1", presentational_hints=True)
    assert content.startswith(b"%PDF-")
    return fetcher.asked


@pytest.mark.parametrize(
    "phases", [pytest.param(SEARCH, id="search"), pytest.param(PINNED, id="pinned")]
)
def test_any_answer_a_form_accepts_prints_and_fetches_only_our_assets(phases, seed):
    answer = Answer.objects.get(response=seed, question__number="1")
    usual = set(fetched_laying_out(pdf.render_html(RESPONSE, paper_of(seed))))
    # Not vacuous: the seed's paper asks the fetcher for the print CSS and the fonts.
    assert pdf.STATIC_BASE_URL + "css/print.css" in usual
    assert any(url.startswith(pdf.STATIC_BASE_URL + "fonts/") for url in usual)

    @hypothesis.settings(PROPERTIES, max_examples=examples(6), phases=phases)
    @given(text=printable_markdown(max_size=2000))
    @example(text=HOSTILE_MARKUP)
    @example(text="A claim.[^1] And another.[^2]\n\n[^1]: <img src=x onerror=alert(1)>\n\n[^2]: b")
    @example(text="> - > 1. > " * 10 + "[deep](https://example.org/deep)")
    # Found: every validator accepts a note that calls itself, and the print renderer
    # then recurses for ever (RecursionError in render_html): no paper can be made.
    @example(text="x[^1]\n\n[^1]: note[^1]")
    def print_it(text):
        with transaction.atomic():
            Answer.objects.filter(pk=answer.pk).update(text=text)
            paper = paper_of(seed)
            asked = fetched_laying_out(pdf.render_html(RESPONSE, paper))
            for url in asked:
                assert url.startswith(PRINT_ASSETS), url
            assert set(asked) <= usual  # the answer's text added no request
            document = pdf.response_only(paper)  # raises bounded.TooSlow past the bound
            assert document.content.startswith(b"%PDF-")
            assert pdfs.image_count(document.content) == 0
            transaction.set_rollback(True)

    print_it()
