"""Review in place in a browser: comment, reply, resolve and reopen beside an answer's
editor; a return pointing comments at answers, on the sign-off page and the lead's desk.
axe at 1280 and 375 px on each page in each state."""

import pytest
from playwright.sync_api import expect

from responses import comments, workflow
from responses.models import Comment
from tests.browser.pages import (
    AnswerEditorPage,
    BasePage,
    DashboardPage,
    LoginPage,
    SectionEditorPage,
    SignOffPage,
    assert_accessible,
)
from tests.factories import ReportSectionFactory

pytestmark = pytest.mark.django_db(transaction=True)


class CommentsPage(BasePage):
    title = r"(Error: )?Comments on question \w+"


def as_user(new_context, live_server, username: str, width: int):
    context = new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    LoginPage.open(page, live_server.url).sign_in(username)
    return page


def editor(page, live_server, response, number: str) -> AnswerEditorPage:
    page.goto(f"{live_server.url}/responses/{response.pk}/answers/{number}/edit/")
    return AnswerEditorPage(page)


def thread(page, author):
    return page.get_by_role("article", name=f"{author.get_full_name()}'s comment")


def test_comment_reply_resolve_and_reopen_beside_the_editor(
    new_context, live_server, staffed, officer
):
    paper = staffed(3)
    officer_page = as_user(new_context, live_server, "officer", 1280)
    editor(officer_page, live_server, paper, "1")
    aside = officer_page.get_by_role("complementary", name="Review")
    expect(aside.get_by_text("No comments yet.")).to_be_visible()
    # Beside the editor on a wide screen: the aside starts level with the question.
    assert aside.bounding_box()["x"] > officer_page.get_by_label("Answer").bounding_box()["x"] + 400
    assert_accessible(officer_page)

    aside.get_by_role("button", name="Add comment").click()  # empty: an error, nothing saved
    CommentsPage(officer_page)
    expect(officer_page.get_by_role("alert").first).to_contain_text("Write your comment first.")
    assert_accessible(officer_page)
    officer_page.get_by_role("textbox", name="Comment").fill(
        "Should we cite the **2019** survey, @lead?"
    )
    officer_page.get_by_role("button", name="Add comment").click()
    AnswerEditorPage(officer_page)
    expect(officer_page.get_by_role("status")).to_contain_text("Comment added on Question 1")
    first = thread(officer_page, officer)
    expect(first).to_contain_text("Should we cite the 2019 survey, @lead?")
    expect(first).to_contain_text("on version 1")
    assert_accessible(officer_page)

    lead = as_user(new_context, live_server, "lead", 375)
    editor(lead, live_server, paper, "1")
    reply = lead.locator("details.reply summary").first
    reply.focus()
    lead.keyboard.press("Enter")  # the keyboard opens the reply box
    lead.get_by_role("textbox", name="Reply").fill("Yes: the 2019 one.")
    lead.get_by_role("button", name="Reply", exact=True).click()
    AnswerEditorPage(lead)
    expect(thread(lead, officer)).to_contain_text("Yes: the 2019 one.")
    assert_accessible(lead)

    name = officer.get_full_name()
    lead.get_by_role("button", name=f"Resolve {name}'s comment on Question 1").click()
    AnswerEditorPage(lead)
    resolved = lead.locator("details.comment-thread")
    expect(resolved).not_to_have_attribute("open", "")
    expect(resolved.locator("> summary")).to_contain_text(f"Resolved: {name}'s comment and 1 reply")
    assert_accessible(lead)
    resolved.locator("> summary").focus()
    lead.keyboard.press("Enter")  # opens it, as a click does
    expect(resolved).to_have_attribute("open", "")
    assert_accessible(lead)

    lead.get_by_role("button", name=f"Reopen {name}'s comment on Question 1").click()
    AnswerEditorPage(lead)
    expect(thread(lead, officer)).to_contain_text("Yes: the 2019 one.")
    root = Comment.objects.get(parent=None)
    assert not root.is_resolved
    assert root.replies.count() == 1


def test_a_return_points_comments_at_answers_for_the_leads_desk(
    new_context, live_server, staffed, lead, director
):
    paper = staffed(3)
    workflow.submit(user=lead, response_id=paper.pk, confirm_gaps=True)

    signatory = as_user(new_context, live_server, "director", 375)
    signatory.goto(f"{live_server.url}/responses/{paper.pk}/sign-off/")
    SignOffPage(signatory)
    signatory.get_by_role("textbox", name="Comment").fill("See my comments on the answers.")
    signatory.get_by_text("Point comments at answers (optional)").click()
    rows = signatory.locator(".pointed-row")
    rows.nth(0).get_by_label("Question").fill("2")
    rows.nth(0).get_by_label("What should change").fill("Shorter, please.")
    assert_accessible(signatory)
    signatory.get_by_role("button", name="Return").click()
    expect(SignOffPage(signatory).page.get_by_role("status")).to_contain_text("Returned")
    made = Comment.objects.get()

    desk_page = as_user(new_context, live_server, "lead", 1280)
    DashboardPage(desk_page)
    desk = desk_page.locator(".lead-desk")
    expect(desk.get_by_role("link", name="Question 2")).to_be_visible()
    assert_accessible(desk_page)

    desk_page.goto(f"{live_server.url}/responses/{paper.pk}/sign-off/")
    SignOffPage(desk_page)
    decisions = desk_page.locator("ol.decisions")
    expect(decisions).to_contain_text("Shorter, please.")
    assert_accessible(desk_page)
    decisions.get_by_role("link", name="Question 2").click()
    AnswerEditorPage(desk_page)
    assert desk_page.url.endswith(f"/answers/2/edit/#comment-{made.pk}")
    expect(thread(desk_page, director)).to_contain_text("(with the return by the Executive")
    assert_accessible(desk_page)


def test_a_signatory_reads_and_comments_on_an_answers_comments_page_at_375(
    new_context, live_server, staffed, portfolio_holder
):
    paper = staffed(3)
    page = as_user(new_context, live_server, "portfolio", 375)
    page.goto(f"{live_server.url}/responses/{paper.pk}/answers/3/comments/")
    CommentsPage(page)
    page.get_by_role("textbox", name="Comment").fill("Is this the council's view?")
    page.get_by_role("button", name="Add comment").click()
    CommentsPage(page)
    expect(thread(page, portfolio_holder)).to_contain_text("Is this the council's view?")
    assert_accessible(page)


@pytest.mark.parametrize("width", [1280, 375])
def test_a_sections_comments_beside_its_editor(new_context, live_server, staffed, lead, width):
    paper = staffed(3)
    section = ReportSectionFactory(report=paper.report, heading="Background", body="Words.")
    comments.add_comment(
        user=lead, response_id=paper.pk, section_id=section.pk, body="Say when it began."
    )
    page = as_user(new_context, live_server, "lead", width)
    page.goto(f"{live_server.url}/responses/{paper.pk}/report/sections/{section.pk}/edit/")
    SectionEditorPage(page)
    expect(thread(page, lead)).to_contain_text("Say when it began.")
    assert_accessible(page)
