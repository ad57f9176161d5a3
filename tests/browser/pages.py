"""Page objects: each checks it is on the right page and that it does not scroll sideways.

axe, which takes seconds a page, runs in tests/browser/test_accessibility.py: once for
each page, in each state that changes what it shows, at each width."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.factories import PASSWORD

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def assert_accessible(page: Page) -> None:
    """axe finds no WCAG 2.2 AA violation on the page as it is now, once it has loaded
    (a page that still arrives has its title before its style sheet applies)."""
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA
    )
    problems = [
        f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in result["violations"]
    ]
    assert problems == [], "\n".join(problems)


def assert_no_sideways_scroll(page: Page) -> None:
    # Measured once the page has loaded: a page's title is read while it still arrives,
    # and before its style sheet applies a long form is as wide as it likes.
    page.wait_for_load_state("load")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"page is {width}px wide in a {viewport}px window"


class BasePage:
    title: str  # a regular expression for the part of the title before " – Consult"

    def __init__(self, page: Page) -> None:
        self.page = page
        expect(page).to_have_title(re.compile(f"^{self.title} – Consult$"))
        assert_no_sideways_scroll(page)

    def heading(self, name: str):
        return self.page.get_by_role("heading", name=name)

    def sign_out(self) -> LoginPage:
        """The header's Sign out button; the site then shows the sign-in page."""
        self.page.get_by_role("button", name="Sign out").click()
        return LoginPage(self.page)


class LoginPage(BasePage):
    title = "(Error: )?Sign in"

    @classmethod
    def open(cls, page: Page, base_url: str, path: str = "/login/") -> LoginPage:
        page.goto(base_url + path)
        return cls(page)

    def fill(self, username: str, password: str) -> None:
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)

    def sign_in(self, username: str, password: str = PASSWORD) -> DashboardPage:
        self.fill(username, password)
        self.page.get_by_role("button", name="Sign in").click()
        return DashboardPage(self.page)


class DashboardPage(BasePage):
    title = "Dashboard"


class ResponsePage(BasePage):
    title = "Draft Response by .*"

    def question(self, number: str):
        return self.page.get_by_role("article", name=f"Question {number}")

    def edit(self, number: str) -> AnswerEditorPage:
        self.page.get_by_role("link", name=f"Edit the answer to question {number}").click()
        return AnswerEditorPage(self.page)


class AnswerEditorPage(BasePage):
    title = r"(Error: )?Edit question \w+"

    @property
    def text(self):
        return self.page.get_by_label("Answer")

    @property
    def preview(self):
        return self.page.locator("#preview")

    def save(self) -> None:
        self.page.get_by_role("button", name="Save", exact=True).click()


class ConflictPage(BasePage):
    title = r"Question \w+: (someone else saved first|you saved first in another window)"

    @property
    def text(self):
        return self.page.get_by_label("Answer")

    def save_merged(self) -> None:
        self.page.get_by_role("button", name="Save merged text").click()


class HistoryPage(BasePage):
    title = "(Error: )?History of .+"


class ReportPage(BasePage):
    title = "(Error: )?Cabinet report: .+"

    def section(self, heading: str):
        return self.page.get_by_role("region", name=heading, exact=True)


class SectionEditorPage(BasePage):
    title = "(Error: )?Edit “.+”"


class ReportDetailsPage(BasePage):
    title = "(Error: )?Edit the report's details"


class SectionDeletePage(BasePage):
    title = "Remove “.+”"


class LockedPage(BasePage):
    title = ".+: locked for sign-off"

    @property
    def unsaved(self):
        """The read-only box with the words a save that arrived too late carried."""
        return self.page.get_by_label("Your text", exact=True)


class AnswerLockedPage(LockedPage):
    """An answer editor's locked page, e.g. "Question 12: locked for sign-off"."""

    title = r"Question \w+: locked for sign-off"


class SignOffPage(BasePage):
    title = "(Error: )?Sign-off: .+"


class AuditPage(BasePage):
    title = "Audit: .+"


class NewConsultationPage(BasePage):
    title = "(Error: )?New consultation"

    @property
    def outline(self):
        return self.field("The questions as understood")

    def field(self, label: str):
        """The field labelled exactly so (a required field's label ends in *)."""
        return self.page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))

    def preview(self, text: str) -> NewConsultationPage:
        self.field("Paste the consultation").fill(text)
        with self.page.expect_navigation():  # the same page comes back: wait for it
            self.page.get_by_role("button", name="Preview the questions").click()
        return NewConsultationPage(self.page)

    def check_again(self) -> NewConsultationPage:
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Check again").click()
        return NewConsultationPage(self.page)

    def create(self) -> ResponsePage:
        self.page.get_by_role("button", name="Create consultation").click()
        return ResponsePage(self.page)


class CopyPage(BasePage):
    title = "Copy for an online form: .+"

    def button(self, number: str):
        return self.page.get_by_role("button", name=f"Copy answer {number}", exact=True)

    def answer(self, number: str):
        """The block of plain text a "Copy answer" button copies."""
        return self.page.locator(f"#{self.button(number).get_attribute('data-copy')}")

    def tab_to(self, target, presses: int = 60) -> None:
        """Press Tab, as a keyboard user does, until `target` has the focus."""
        for _ in range(presses):
            self.page.keyboard.press("Tab")
            if target.evaluate("element => element === document.activeElement"):
                return
        raise AssertionError(f"{presses} presses of Tab never reached {target}")


def paste_into(box, *, text: str, html: str | None = None) -> bool:
    """Paste into a text box as a browser does, with a clipboard holding `text` as
    text/plain and `html` as text/html; True when the page's own paste went ahead (a
    synthetic event's default pastes nothing, so then the box is unchanged)."""
    box.focus()
    return box.evaluate(
        """(box, clip) => {
            const data = new DataTransfer();
            if (clip.html !== null) { data.setData("text/html", clip.html); }
            data.setData("text/plain", clip.text);
            return box.dispatchEvent(new ClipboardEvent("paste", {
                clipboardData: data, bubbles: true, cancelable: true
            }));
        }""",
        {"text": text, "html": html},
    )


def character_count(box):
    """The count of characters left shown under a Markdown text box (screen readers
    hear its twin, the box's description, once typing pauses)."""
    return box.locator(
        "xpath=following-sibling::div[contains(@class, 'char-count')][1]/*[@data-count-shown]"
    )


class PreparingPage(BasePage):
    """The page that waits for a document the worker is making."""

    title = "The .* \\((PDF|Word)\\): .*"
