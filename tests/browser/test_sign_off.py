from pathlib import Path

import pytest
from playwright.sync_api import expect

from responses.models import Response
from tests import pdfs, words
from tests.browser.pages import AnswerEditorPage, LoginPage, SignOffPage

pytestmark = pytest.mark.django_db(transaction=True)


def open_sign_off(page, live_server, response) -> SignOffPage:
    page.goto(f"{live_server.url}/responses/{response.pk}/sign-off/")
    return SignOffPage(page)


def as_user(new_context, live_server, username: str, width: int = 1280):
    context = new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    LoginPage.open(page, live_server.url).sign_in(username)
    return context, page


def test_the_journey_from_submission_to_a_signed_paper(new_context, live_server, signing, download):
    lead_context, lead = as_user(new_context, live_server, "lead")
    open_sign_off(lead, live_server, signing)
    lead.get_by_role("button", name="Submit for sign-off").click()
    SignOffPage(lead)
    expect(lead.get_by_role("alert").filter(has_text="Not everything is finished")).to_be_visible()
    lead.get_by_role("button", name="Submit for sign-off as it is").click()
    expect(SignOffPage(lead).page.get_by_role("status")).to_contain_text("Submitted")

    director_context, director = as_user(new_context, live_server, "director", 375)
    open_sign_off(director, live_server, signing)
    director.get_by_role("button", name="Return").click()
    SignOffPage(director)
    expect(director.get_by_text("Enter a comment: say what should change").first).to_be_visible()
    director.get_by_label("Comment").fill("Please answer question 28.")
    director.get_by_role("button", name="Return").click()
    expect(SignOffPage(director).page.get_by_role("status")).to_contain_text("Returned")

    lead.goto(f"{live_server.url}/responses/{signing.pk}/answers/28/edit/")
    editor = AnswerEditorPage(lead)
    editor.text.fill("Through the Community Involvement strategy.")
    editor.save()
    open_sign_off(lead, live_server, signing)
    expect(lead.get_by_text("Please answer question 28.")).to_be_visible()
    lead.get_by_role("button", name="Submit for sign-off").click()
    lead.get_by_role("button", name="Submit for sign-off as it is").click()
    SignOffPage(lead)

    open_sign_off(director, live_server, signing)
    director.get_by_role("button", name="Approve").click()
    expect(SignOffPage(director).page.get_by_role("status")).to_contain_text("Approved")

    portfolio_context, portfolio = as_user(new_context, live_server, "portfolio")
    open_sign_off(portfolio, live_server, signing)
    portfolio.get_by_role("button", name="Approve").click()
    SignOffPage(portfolio)
    expect(portfolio.get_by_role("heading", name="Signed off")).to_be_visible()

    open_sign_off(lead, live_server, signing)
    paper = download(lead, lead.get_by_role("link", name="PDF of the Cabinet paper", exact=True))
    text = pdfs.text(Path(paper.path()).read_bytes())
    assert "DRAFT" not in text
    assert text.count("(approved in Consult)") == 2
    open_sign_off(lead, live_server, signing)
    published = download(
        lead, lead.get_by_role("link", name="Word document of the Cabinet paper for publication")
    )
    assert published.suggested_filename.endswith("(for publication).docx")
    published = words.text(Path(published.path()).read_bytes())
    assert "Contact officer" in published
    assert "approved in Consult" not in published
    assert Response.objects.get().status == Response.Status.SIGNED_OFF
    for context in (lead_context, director_context, portfolio_context):
        context.close()
