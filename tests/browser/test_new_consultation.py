"""A lead officer sets up a consultation from its question list, in Chromium."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import pdfs
from tests.browser.pages import NewConsultationPage

pytestmark = pytest.mark.django_db(transaction=True)

QUESTIONS = """Chapter 1: Partnerships

Q1 Should every area have a partnership?

Q2 Who should chair it?

Money

Q2 How should it be paid for?
"""

# A consultation's web page, its text pasted: the details to check come with it.
WEB_PAGE = """Open consultation
Local nature recovery: strengthening the role of councils
From:
Department for Environment, Food & Rural Affairs
Published
3 March 2025
This consultation closes at
11:59pm on 14 April 2025
Respond online at https://consult.defra.gov.uk/nature/local-nature-recovery

Q1 Do you agree that councils should lead the preparation of local nature recovery strategies?

Q2 Which other bodies should a council be required to work with, and how?
"""


@pytest.mark.parametrize("width", [1280, 375])
def test_paste_preview_fix_create_draft_and_print(
    signed_in, live_server, lead, seed, width, download
):
    dashboard = signed_in(lead, width)
    dashboard.page.get_by_role("link", name="New consultation").click()
    page = NewConsultationPage(dashboard.page)
    page.field("Title").fill(f"Partnerships: the next steps ({width})")
    page.field("Issued by").fill("Department for Communities")
    page.field("Responses due by").fill("2027-03-03")
    page.field("Meeting date").fill("2027-03-01")

    page = page.preview(QUESTIONS)

    summary = page.page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Question 2 appears twice")
    expect(page.page.get_by_role("button", name="Create consultation")).to_have_count(0)

    page.outline.fill(page.outline.input_value().replace("2. How should", "3. How should"))
    page = page.check_again()
    expect(page.page.get_by_text("There is a problem")).to_have_count(0)
    expect(page.page.get_by_text("3 questions under 2 headings")).to_be_visible()
    expect(page.page.get_by_role("button", name="Create consultation")).to_be_visible()

    response_page = page.create()
    expect(response_page.page.get_by_role("status")).to_contain_text("set up with 3 questions")
    editor = response_page.edit("3")
    editor.text.fill("Through the **Local Area Agreement**.")
    editor.save()
    response_page.page.wait_for_url(re.compile(r"/responses/\d+/#q3$"))

    page = response_page.page
    paper = download(page, page.get_by_role("link", name="PDF of the Cabinet paper"))
    text = pdfs.text(Path(paper.path()).read_bytes())
    assert "How should it be paid for?" in text
    assert "Through the Local Area Agreement." in text


def test_the_editor_is_keyboard_usable_from_start_to_preview(signed_in, lead, seed):
    dashboard = signed_in(lead)
    page = dashboard.page
    page.get_by_role("link", name="New consultation").focus()
    page.keyboard.press("Enter")
    NewConsultationPage(page).field("Paste the consultation").focus()
    page.keyboard.insert_text("1. Should every area have a partnership?")
    page.get_by_role("button", name="Preview the questions").focus()
    with page.expect_navigation():  # the same page comes back: wait for it
        page.keyboard.press("Enter")
    preview = NewConsultationPage(page)
    expect(preview.page.get_by_text("1 question under 1 heading")).to_be_visible()
    understood = page.get_by_role("region", name="What was understood")
    expect(understood).to_be_focused()  # the answer to Preview, read first

    page.get_by_role("button", name="Check again").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("region", name="What was understood")).to_be_focused()


@pytest.mark.parametrize("width", [1280, 375])
def test_a_pasted_web_page_fills_in_its_details_to_check(signed_in, live_server, lead, seed, width):
    dashboard = signed_in(lead, width)
    dashboard.page.get_by_role("link", name="New consultation").click()
    page = NewConsultationPage(dashboard.page)

    page = page.preview(WEB_PAGE)

    title = page.field("Title")
    expect(title).to_have_value("Local nature recovery: strengthening the role of councils")
    expect(title).to_have_accessible_description(re.compile("^Read from the document: check it"))
    expect(page.field("Issued by")).to_have_value(
        "Department for Environment, Food & Rural Affairs"
    )
    expect(page.field("Published on")).to_have_value("2025-03-03")
    expect(page.field("Responses due by")).to_have_value("2025-04-14")
    expect(page.field("Reference URL")).to_have_value(
        "https://consult.defra.gov.uk/nature/local-nature-recovery"
    )
    expect(page.page.get_by_text("Read from the document: check it.")).to_have_count(5)
    page.field("Title").fill(f"Local nature recovery ({width})")
    page.field("Meeting date").fill("2025-04-07")
    page = page.check_again()
    expect(page.field("Title")).to_have_value(f"Local nature recovery ({width})")
    expect(page.page.get_by_text("Read from the document: check it.")).to_have_count(4)

    response_page = page.create()
    expect(response_page.page.get_by_role("status")).to_contain_text("set up with 2 questions")
