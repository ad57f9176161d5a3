"""Sign-off you can trust, in Chromium: the gaps, the changes, returning, withdrawing,
approving and reopening; by mouse at 1280 px and by keyboard alone at 375 px."""

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.pages import AnswerEditorPage, DashboardPage, LoginPage, SignOffPage

pytestmark = pytest.mark.django_db(transaction=True)


class Person:
    """One signed-in person, acting by mouse or by keyboard alone."""

    def __init__(self, new_context, live_server, username: str, *, keyboard: bool, width: int):
        self.context = new_context(viewport={"width": width, "height": 900})
        self.page: Page = self.context.new_page()
        self.live_server = live_server
        self.keyboard = keyboard
        LoginPage.open(self.page, live_server.url).sign_in(username)

    def press(self, target: Locator, *, navigates: bool = True) -> None:
        if not self.keyboard:
            target.click()
            return
        target.focus()
        if navigates:  # Enter on a submit button: wait for the page it sends to
            with self.page.expect_navigation():
                self.page.keyboard.press("Enter")
        else:
            self.page.keyboard.press("Enter")

    def type(self, field: Locator, text: str) -> None:
        if self.keyboard:
            field.focus()
            self.page.keyboard.press("Control+A")
            self.page.keyboard.press("Delete")
            self.page.keyboard.type(text)
        else:
            field.fill(text)

    def button(self, name: str) -> Locator:
        return self.page.get_by_role("button", name=name, exact=True)

    def sign_off(self, response) -> SignOffPage:
        self.page.goto(f"{self.live_server.url}/responses/{response.pk}/sign-off/")
        return SignOffPage(self.page)

    def status(self) -> Locator:
        return SignOffPage(self.page).page.get_by_role("status")


@pytest.mark.parametrize(("width", "keyboard"), [(1280, False), (375, True)])
def test_the_whole_sign_off_journey(new_context, live_server, signing, width, keyboard):
    lead = Person(new_context, live_server, "lead", keyboard=keyboard, width=width)
    director = Person(new_context, live_server, "director", keyboard=keyboard, width=width)
    portfolio = Person(new_context, live_server, "portfolio", keyboard=keyboard, width=width)

    # Submitted with its gaps, after the lead has seen them.
    lead.sign_off(signing)
    lead.press(lead.button("Submit for sign-off"))
    expect(SignOffPage(lead.page).page.get_by_text("Not everything is finished")).to_be_visible()
    lead.press(lead.button("Submit for sign-off as it is"))
    expect(lead.status()).to_contain_text("Submitted")

    # The director sees the gaps, then returns it: first without the comment it needs.
    director.sign_off(signing)
    signing_summary = director.page.get_by_role("region", name="What you are signing")
    expect(signing_summary).to_contain_text("5 questions unanswered: 28, 32, 33, 34, 35")
    director.press(director.button("Return"))
    summary = (
        SignOffPage(director.page).page.get_by_role("alert").filter(has_text="There is a problem")
    )
    expect(summary).to_be_focused()
    director.press(summary.get_by_role("link", name="Enter a comment"), navigates=False)
    comment = director.page.get_by_label("Comment")
    expect(comment).to_be_focused()
    director.type(comment, "Say more on question 4.")
    director.press(director.button("Return"))
    expect(director.status()).to_contain_text("Returned")

    # The lead finds the comment on the dashboard, changes one answer, submits again.
    lead.page.goto(f"{live_server.url}/")
    desk = DashboardPage(lead.page).page.get_by_role("region", name="Your desk")
    expect(desk).to_contain_text("Say more on question 4.")
    lead.page.goto(f"{live_server.url}/responses/{signing.pk}/answers/4/edit/")
    editor = AnswerEditorPage(lead.page)
    lead.type(editor.text, "Yes, with the changes we set out in question 5.")
    lead.press(lead.button("Save"))
    lead.sign_off(signing)
    lead.press(lead.button("Submit for sign-off"))
    lead.press(lead.button("Submit for sign-off as it is"))
    expect(lead.status()).to_contain_text("Submitted")

    # The director's page shows exactly that change, then the paper.
    director.sign_off(signing)
    changes = director.page.get_by_role("region", name="What changed since you saw submission 1")
    expect(changes).to_contain_text("1 change.")
    expect(changes.get_by_role("article")).to_have_count(1)
    expect(changes.get_by_role("article")).to_contain_text("Answer to question 4")
    expect(changes.locator("ins")).to_contain_text(["with the changes we set out in question 5."])

    # The lead withdraws it, then submits it again.
    lead.sign_off(signing)
    lead.type(lead.page.get_by_label("Reason"), "The figures in question 12 changed.")
    lead.press(lead.button("Withdraw from sign-off"))
    expect(lead.status()).to_contain_text("Withdrawn from sign-off")
    lead.press(lead.button("Submit for sign-off"))
    lead.press(lead.button("Submit for sign-off as it is"))
    expect(lead.status()).to_contain_text("Submitted")

    # Both approve: Approve says what is approved, and asks nothing else.
    director.sign_off(signing)
    expect(director.page.get_by_role("form", name="Approve")).to_contain_text("submission 3")
    director.press(director.button("Approve"))
    expect(director.status()).to_contain_text("Approved")
    portfolio.sign_off(signing)
    portfolio.press(portfolio.button("Approve"))
    expect(portfolio.status()).to_contain_text("Approved")

    # Cabinet agrees it with changes: the lead reopens it, and DRAFT is back.
    lead.sign_off(signing)
    expect(lead.page.get_by_role("heading", name="The paper as it will print")).to_be_visible()
    lead.type(lead.page.get_by_label("Reason"), "Cabinet agreed it with changes.")
    lead.press(lead.button("Reopen for changes"))
    expect(lead.status()).to_contain_text("Reopened for changes")
    expect(
        lead.page.get_by_role("heading", name="The paper as it will print (DRAFT: not signed off)")
    ).to_be_visible()

    for person in (lead, director, portfolio):
        person.context.close()
