"""A council other than Walsall, from a fresh installation, never sees Walsall's report
headings: not on the report page, not in the PDF, not in the Word file."""

from __future__ import annotations

import pytest
from django.urls import reverse

from responses.documents import pdf, word
from tests import pdfs, words
from tests.factories import response_with_questions, staff, standard_report
from tests.papers import paper_of

pytestmark = pytest.mark.django_db

WALSALLS_OWN = ("Summary of report", "Citizen impact", "Community safety", "Vision 2008")
NEUTRAL = ("Reasons for recommendations", "Climate and environmental implications")


@pytest.fixture
def new_councils_response(officer, lead, director, portfolio_holder):
    response = response_with_questions(3, report=False)
    standard_report(response)
    return staff(
        response, officer=officer, lead=lead, director=director, portfolio_holder=portfolio_holder
    )


def _report_page(client, response) -> str:
    return client.get(reverse("report", args=[response.pk])).content.decode()


@pytest.mark.parametrize(
    "shown",
    [
        pytest.param(lambda client, r: _report_page(client, r), id="report page"),
        pytest.param(lambda client, r: pdfs.text(pdf.cabinet_paper(paper_of(r)).content), id="pdf"),
        pytest.param(
            lambda client, r: words.text(word.cabinet_paper(paper_of(r)).content), id="word"
        ),
    ],
)
def test_a_new_installations_paper_has_no_walsall_heading(
    client, officer, new_councils_response, shown
):
    client.force_login(officer)

    text = shown(client, new_councils_response)

    for heading in NEUTRAL:
        assert heading in text
    for heading in WALSALLS_OWN:
        assert heading not in text
