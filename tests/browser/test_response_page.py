from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import words
from tests.browser.pages import ResponsePage

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1280, 375])
def test_response_page_reads_as_appendix_1_at(signed_in, live_server, officer, seed, width):
    signed_in(officer, width)
    page = signed_in.page
    page.goto(f"{live_server.url}/responses/{seed.pk}/")
    response = ResponsePage(page)
    expect(response.heading("Governance of LSPs")).to_be_visible()
    expect(response.question("12")).to_contain_text("What is your view?")
    expect(response.question("28")).to_contain_text("No answer yet.")


def test_filters_are_links_with_counts(signed_in, live_server, officer, seed):
    signed_in(officer)
    page = signed_in.page
    page.goto(f"{live_server.url}/responses/{seed.pk}/")
    page.get_by_role("link", name="Unanswered (5)").click()
    response = ResponsePage(page)
    expect(page.get_by_role("link", name="Unanswered (5)")).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.get_by_role("article")).to_have_count(5)
    expect(response.question("28")).to_be_visible()


def test_a_cross_reference_takes_the_reader_to_the_answer_meant(
    signed_in, live_server, officer, seed
):
    signed_in(officer)
    page = signed_in.page
    page.goto(f"{live_server.url}/responses/{seed.pk}/")
    ResponsePage(page).question("29").get_by_role("link", name="answers to Q 16").click()
    expect(page).to_have_url(f"{live_server.url}/responses/{seed.pk}/#q16")
    expect(ResponsePage(page).question("16")).to_be_in_viewport()


def test_the_cabinet_paper_downloads_from_the_response_page(
    signed_in, live_server, officer, seed, download
):
    signed_in(officer)
    page = signed_in.page
    page.goto(f"{live_server.url}/responses/{seed.pk}/")
    paper = download(page, page.get_by_role("link", name="PDF of the Cabinet paper"))
    assert paper.suggested_filename.startswith("2006-03-01 Cabinet - Consultation")
    assert paper.suggested_filename.endswith(".pdf")


def test_the_word_documents_download_from_the_response_page(
    signed_in, live_server, officer, seed, download
):
    signed_in(officer)
    page = signed_in.page
    page.goto(f"{live_server.url}/responses/{seed.pk}/")
    paper = download(page, page.get_by_role("link", name="Word document of the Cabinet paper"))
    assert paper.suggested_filename.endswith(".docx")
    assert (1, "Appendix 1") in words.headings(Path(paper.path()).read_bytes())
    page.goto(f"{live_server.url}/responses/{seed.pk}/")
    alone = download(page, page.get_by_role("link", name="Word document of the response"))
    assert words.headings(Path(alone.path()).read_bytes())[0] == (1, seed.title)
