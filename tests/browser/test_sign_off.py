from pathlib import Path

import pytest
from playwright.sync_api import expect

from responses.models import Response
from tests import pdfs, words
from tests.browser.pages import AnswerEditorPage, AuditPage, LoginPage, SignOffPage

pytestmark = pytest.mark.django_db(transaction=True)


def open_sign_off(page, live_server, response) -> SignOffPage:
    page.goto(f"{live_server.url}/responses/{response.pk}/sign-off/")
    return SignOffPage(page)


def as_user(browser, live_server, username: str, width: int = 1280):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    LoginPage.open(page, live_server.url).sign_in(username)
    return context, page


@pytest.mark.parametrize("width", [1280, 375])
def test_sign_off_and_audit_pages_are_accessible_at(signed_in, live_server, lead, signing, width):
    signed_in(lead, width)
    open_sign_off(signed_in.page, live_server, signing)
    signed_in.page.get_by_role("link", name="Audit").click()
    AuditPage(signed_in.page)


def test_the_journey_from_submission_to_a_signed_paper(browser, live_server, signing):
    lead_context, lead = as_user(browser, live_server, "lead")
    open_sign_off(lead, live_server, signing)
    lead.get_by_role("button", name="Submit for sign-off").click()
    SignOffPage(lead)
    expect(lead.get_by_role("alert").filter(has_text="Not everything is finished")).to_be_visible()
    lead.get_by_role("button", name="Submit for sign-off as it is").click()
    expect(SignOffPage(lead).page.get_by_role("status")).to_contain_text("Submitted")

    director_context, director = as_user(browser, live_server, "director", 375)
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

    portfolio_context, portfolio = as_user(browser, live_server, "portfolio")
    open_sign_off(portfolio, live_server, signing)
    portfolio.get_by_role("button", name="Approve").click()
    SignOffPage(portfolio)
    expect(portfolio.get_by_role("heading", name="Signed off")).to_be_visible()

    with lead.expect_download() as download:
        open_sign_off(lead, live_server, signing).page.get_by_role(
            "link", name="PDF of the Cabinet paper", exact=True
        ).click()
    text = pdfs.text(Path(download.value.path()).read_bytes())
    assert "DRAFT" not in text
    assert text.count("(approved in Consult)") == 2
    with lead.expect_download() as download:
        lead.get_by_role("link", name="Word document of the Cabinet paper for publication").click()
    assert download.value.suggested_filename.endswith("(for publication).docx")
    published = words.text(Path(download.value.path()).read_bytes())
    assert "Contact officer" in published
    assert "approved in Consult" not in published
    assert Response.objects.get().status == Response.Status.SIGNED_OFF
    for context in (lead_context, director_context, portfolio_context):
        context.close()
