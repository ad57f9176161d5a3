"""The page that waits for a document: it polls, then the download starts by itself."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from responses.models import Answer
from tests import pdfs
from tests.browser.pages import PreparingPage
from tests.edits import edit_answer
from tests.papers import make_documents

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1280, 375])
def test_the_paper_downloads_by_itself_once_the_worker_has_made_it(
    signed_in, live_server, officer, seed, width
):
    signed_in(officer, width)
    page = signed_in.page
    page.goto(f"{live_server.url}/responses/{seed.pk}/")
    page.get_by_role("link", name="PDF of the Cabinet paper", exact=True).click()
    waiting = PreparingPage(page)
    expect(waiting.heading("The Cabinet paper (PDF)")).to_be_visible()
    expect(page.get_by_text("is being prepared")).to_be_visible()

    make_documents()  # before the wait for the download: a render may take long
    with page.expect_download() as download:
        pass  # the page's next poll finds it ready

    assert "Summary of report" in pdfs.text(Path(download.value.path()).read_bytes())
    expect(page.get_by_text("is ready and downloading")).to_be_visible()
    PreparingPage(page)


def test_a_document_that_could_not_be_made_says_why_and_tries_again_from_the_keyboard(
    signed_in, live_server, officer, seed, settings
):
    settings.RENDER_TIMEOUT = 1
    # Stored before the editor refused such text: the time bound stops its layout.
    Answer.objects.filter(response=seed, question__number="7").update(text="*a" * 10000)
    signed_in(officer)
    page = signed_in.page
    page.goto(f"{live_server.url}/responses/{seed.pk}/response.pdf")
    make_documents()

    expect(page.get_by_text("could not be made")).to_be_visible(timeout=20_000)
    PreparingPage(page)
    expect(page.get_by_text("question 7 has the most formatting")).to_be_visible()
    Answer.objects.filter(response=seed, question__number="7").update(text="Fixed.")
    settings.RENDER_TIMEOUT = 120  # the fixed paper takes its usual second or so
    page.get_by_role("button", name="Try again").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("is being prepared")).to_be_visible()
    PreparingPage(page)

    make_documents()  # before the wait for the download: a render may take long
    with page.expect_download() as download:
        pass  # the page's next poll finds it ready

    assert "Fixed." in pdfs.text(Path(download.value.path()).read_bytes())


def test_a_paper_saved_while_the_page_waits_still_downloads(signed_in, live_server, officer, seed):
    signed_in(officer)
    page = signed_in.page
    page.goto(f"{live_server.url}/responses/{seed.pk}/cabinet-paper.pdf")
    expect(page.get_by_text("is being prepared")).to_be_visible()
    edit_answer(officer, seed, "3", "Saved by a colleague while the paper was awaited.")

    make_documents()  # before the wait for the download: a render may take long
    with page.expect_download() as download:
        pass  # the page's next poll finds it ready

    printed = pdfs.text(Path(download.value.path()).read_bytes())
    assert "Saved by a colleague while the paper was awaited." in printed
    expect(page.get_by_text("it shows the answers as they stood at")).to_be_visible()
    PreparingPage(page)
