"""axe finds no WCAG 2.2 AA violation on any page, in each state that changes what the
page shows (an error summary, a warning, a message, a lock), at a desktop's width and a
phone's: one test for each, so the tests of what the pages do need not run axe (seconds a
page) each time they arrive on one."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from responses import services, workflow
from responses.models import Answer, CabinetReport, ReportSection, Response
from tests.browser.pages import assert_accessible, assert_no_sideways_scroll
from tests.browser.test_earlier_answers import given_an_earlier_answer_to_question_28
from tests.browser.test_new_consultation import QUESTIONS, WEB_PAGE
from tests.edits import edit_answer
from tests.papers import digest_of

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [1280, 375]
TOO_DEEP = "> " * 30 + "Quoted too deeply to print."
HOSTILE_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
NO_CLIPBOARD = 'Object.defineProperty(Navigator.prototype, "clipboard", {get: () => undefined});'


class Visit:
    """A browser page, and what a state needs to reach it: the seed and its people."""

    def __init__(self, page: Page, url: str, seed: Response, people: dict) -> None:
        self.page, self.url, self.seed, self.people = page, url, seed, people

    def sign_in(self, persona: str) -> None:
        """A session made on the server, its cookie given to the browser: the sign-in
        form itself is checked as a page of its own."""
        client = Client()
        client.force_login(self.people[persona])
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        self.page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": self.url}]
        )

    def open(self, persona: str | None, path: str) -> None:
        if persona:
            self.sign_in(persona)
        self.page.goto(f"{self.url}{path}")

    def at(self, path: str) -> str:
        return path.format(r=self.seed.pk)

    def button(self, name: str):
        return self.page.get_by_role("button", name=name, exact=True)

    def sign_off(self) -> None:
        """The seed submitted with its gaps and approved by both signatories."""
        lead = self.people["lead"]
        workflow.submit(user=lead, response_id=self.seed.pk, confirm_gaps=True)
        for persona in ("director", "portfolio_holder"):
            workflow.approve(
                user=self.people[persona],
                response_id=self.seed.pk,
                seen_digest=digest_of(self.seed),
            )


# Each state: how to reach it, and what shows it was reached before axe reads it.


def sign_in(v: Visit) -> None:
    v.open(None, "/login/")
    expect(v.page.get_by_label("Username")).to_be_visible()


def sign_in_refused(v: Visit) -> None:
    v.open(None, "/login/")
    v.page.get_by_label("Username").fill("officer")
    v.page.get_by_label("Password").fill("not-the-password")
    v.button("Sign in").click()
    expect(v.page).to_have_title("Error: Sign in – Consult")


def sign_in_paused(v: Visit) -> None:
    v.open(None, "/login/")
    for _ in range(5):
        v.page.get_by_label("Username").fill("officer")
        v.page.get_by_label("Password").fill("not-the-password")
        v.button("Sign in").click()
    expect(v.page).to_have_title("Sign-in paused – Consult")


def dashboard(v: Visit) -> None:
    v.open("officer", "/")
    expect(v.page.get_by_role("heading", name="Consultations in hand")).to_be_visible()


def dashboard_with_a_deadline_warning(v: Visit) -> None:
    # The consultation closes on 3 March: a meeting after it is warned of.
    CabinetReport.objects.filter(response=v.seed).update(meeting_date=datetime.date(2006, 3, 6))
    v.open("lead", "/")
    expect(v.page.locator(".deadline-warnings")).to_be_visible()


def response(v: Visit) -> None:
    v.open("lead", v.at("/responses/{r}/"))
    expect(v.page.get_by_role("article", name="Question 12")).to_be_visible()


def response_by_position(v: Visit) -> None:
    Answer.objects.filter(response=v.seed, question__number__in=["3", "4"]).update(
        position=Answer.Position.PARTLY_AGREES
    )
    v.open("lead", v.at("/responses/{r}/?show=partly-agrees"))
    expect(v.page.get_by_text("Council's position: Partly agrees")).to_have_count(2)


def response_with_a_refused_action(v: Visit) -> None:
    v.open("lead", v.at("/responses/{r}/"))
    v.page.get_by_label("Select question 28").check()
    v.page.get_by_role("button", name="Mark agreed").click()
    expect(v.page.locator(".alert-danger")).to_contain_text("Question 28 has no answer")


def answer_editor(v: Visit) -> None:
    v.open("officer", v.at("/responses/{r}/answers/12/edit/"))
    expect(v.page.get_by_label("Answer")).to_be_visible()


def answer_editor_previewing(v: Visit) -> None:
    v.open("officer", v.at("/responses/{r}/answers/12/edit/"))
    v.page.get_by_label("Answer").fill(
        "We would ask:\n\n- **one** thing;\n- [another](https://www.gov.uk/x)\n\n1. First"
    )
    expect(v.page.locator("#preview ol > li")).to_have_text("First")


def answer_editor_refused(v: Visit) -> None:
    v.open("officer", v.at("/responses/{r}/answers/12/edit/"))
    v.page.get_by_label("Answer").fill(TOO_DEEP)
    v.button("Save").click()
    expect(v.page).to_have_title("Error: Edit question 12 – Consult")


def answer_editor_offering_an_earlier_answer(v: Visit) -> None:
    given_an_earlier_answer_to_question_28()
    v.open("officer", v.at("/responses/{r}/answers/28/edit/"))
    expect(
        v.page.get_by_role("region", name="Asked before in another consultation")
    ).to_be_visible()


def conflict(v: Visit) -> None:
    v.open("officer", v.at("/responses/{r}/answers/12/edit/"))
    v.page.get_by_label("Answer").fill("The officer's answer.")
    edit_answer(v.people["lead"], v.seed, "12", "The lead's answer.")  # meanwhile
    v.button("Save").click()
    expect(v.page).to_have_title("Question 12: someone else saved first – Consult")


def answer_locked(v: Visit) -> None:
    Response.objects.filter(pk=v.seed.pk).update(status=Response.Status.AWAITING_DIRECTOR)
    v.open("officer", v.at("/responses/{r}/answers/12/edit/"))
    expect(v.page).to_have_title("Question 12: locked for sign-off – Consult")


def answer_locked_with_unsaved_words(v: Visit) -> None:
    v.open("officer", v.at("/responses/{r}/answers/12/edit/"))
    v.page.get_by_label("Answer").fill("Typed while the lead submitted.")
    workflow.submit(user=v.people["lead"], response_id=v.seed.pk, confirm_gaps=True)
    v.button("Save").click()
    expect(v.page.get_by_label("Your text", exact=True)).to_have_value(
        "Typed while the lead submitted."
    )


def answer_history(v: Visit) -> None:
    edit_answer(v.people["officer"], v.seed, "4", "Yes, broadly")
    edit_answer(v.people["officer"], v.seed, "4", "Yes, broadly, with **conditions**")
    v.open("officer", v.at("/responses/{r}/answers/4/history/"))
    expect(v.page.get_by_role("heading", level=1)).to_contain_text("History")


def section_history(v: Visit) -> None:
    section = ReportSection.objects.get(heading="Recommendations")
    services.move_report_section(
        user=v.people["lead"], response_id=v.seed.pk, section_id=section.pk, offset=-1
    )
    v.open("lead", v.at(f"/responses/{{r}}/report/sections/{section.pk}/history/"))
    expect(v.page.get_by_role("heading", level=1)).to_contain_text("History")


def report(v: Visit) -> None:
    v.open("lead", v.at("/responses/{r}/report/"))
    expect(v.page.get_by_role("region", name="Citizen impact", exact=True)).to_be_visible()


def report_with_the_summary_of_positions(v: Visit) -> None:
    section = ReportSection.objects.get(heading="Citizen impact")
    services.insert_positions_summary(
        user=v.people["lead"], response_id=v.seed.pk, section_id=section.pk
    )
    v.open("lead", v.at("/responses/{r}/report/"))
    expect(v.page.get_by_text("yet to state a position on any of the 35 proposals")).to_be_visible()


def section_editor(v: Visit) -> None:
    section = ReportSection.objects.get(heading="Citizen impact")
    v.open("officer", v.at(f"/responses/{{r}}/report/sections/{section.pk}/edit/"))
    v.page.get_by_label("Text").fill("A *clearer* statement of impact.")
    expect(v.page.locator("#preview em")).to_have_text("clearer")


def report_details(v: Visit) -> None:
    v.open("lead", v.at("/responses/{r}/report/details/"))
    expect(v.page.get_by_label("Agenda item")).to_be_visible()


def section_removal(v: Visit) -> None:
    section = ReportSection.objects.get(heading="Vision 2008")
    v.open("lead", v.at(f"/responses/{{r}}/report/sections/{section.pk}/delete/"))
    expect(v.button("Remove section")).to_be_visible()


def sign_off_drafting(v: Visit) -> None:
    v.open("lead", v.at("/responses/{r}/sign-off/"))
    v.button("Submit for sign-off").click()
    expect(
        v.page.get_by_role("alert").filter(has_text="Not everything is finished")
    ).to_be_visible()


def sign_off_return_refused(v: Visit) -> None:
    workflow.submit(user=v.people["lead"], response_id=v.seed.pk, confirm_gaps=True)
    v.open("director", v.at("/responses/{r}/sign-off/"))
    expect(v.page.get_by_role("region", name="What you are signing")).to_be_visible()
    v.button("Return").click()
    expect(v.page.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()


def sign_off_with_every_reason(v: Visit) -> None:
    lead = v.people["lead"]
    workflow.submit(user=lead, response_id=v.seed.pk, confirm_gaps=True)
    workflow.withdraw(user=lead, response_id=v.seed.pk, reason="New figures for 3.2.")
    v.sign_off()
    workflow.reopen(user=lead, response_id=v.seed.pk, reason="Cabinet's changes to Q7.")
    v.open("director", v.at("/responses/{r}/sign-off/"))
    expect(v.page.get_by_text("Cabinet's changes to Q7.")).to_be_visible()


def sign_off_signed(v: Visit) -> None:
    v.sign_off()
    v.open("lead", v.at("/responses/{r}/sign-off/"))
    expect(v.page.get_by_role("heading", name="Signed off")).to_be_visible()


def sign_off_marked_not_for_publication(v: Visit) -> None:
    v.open("lead", v.at("/responses/{r}/sign-off/"))
    v.page.get_by_label("Exempt (Schedule 12A)").check()
    v.page.get_by_label("Paragraph of Schedule 12A").select_option("3")
    v.button("Save publication marking").click()
    expect(v.page.get_by_role("note").filter(has_text="NOT FOR PUBLICATION")).to_be_visible()


def council_settings(v: Visit) -> None:
    v.open("administrator", "/admin/responses/councilsettings/")
    expect(v.page.get_by_label("Standard report headings")).to_be_visible()


def council_settings_refusing_a_logo(v: Visit) -> None:
    v.open("administrator", "/admin/responses/councilsettings/")
    v.page.get_by_label("Council's name").fill("Anytown Borough Council")
    v.page.locator("input[type=file]").set_input_files(
        files=[{"name": "logo.svg", "mimeType": "image/svg+xml", "buffer": HOSTILE_SVG}]
    )
    v.page.get_by_role("button", name="Save", exact=True).click()
    expect(v.page.get_by_text("has a script in its")).to_be_visible()


def audit(v: Visit) -> None:
    edit_answer(v.people["lead"], v.seed, "12", "We **also** welcome the review.")
    workflow.submit(user=v.people["lead"], response_id=v.seed.pk, confirm_gaps=True)
    workflow.return_for_changes(
        user=v.people["director"], response_id=v.seed.pk, comment="Say more on 12."
    )
    v.open("lead", v.at("/responses/{r}/audit/"))
    expect(v.page.get_by_text("Say more on 12.").first).to_be_visible()


def audit_with_an_unknown_filter(v: Visit) -> None:
    v.open("lead", v.at("/responses/{r}/audit/?kind=nonsense&person=x"))
    expect(v.page.get_by_text("Choose a kind of change from the list")).to_be_visible()


def new_consultation(v: Visit) -> None:
    v.open("lead", "/consultations/new/")
    expect(v.page.get_by_role("button", name="Preview the questions")).to_be_visible()


def new_consultation_preview_with_a_problem(v: Visit) -> None:
    v.open("lead", "/consultations/new/")
    # A chapter heading of one long word (found at 375 px: it pushed the page sideways).
    v.page.get_by_label("Paste the consultation").fill("# " + "Partnership" * 12 + "\n" + QUESTIONS)
    with v.page.expect_navigation():
        v.page.get_by_role("button", name="Preview the questions").click()
    expect(v.page.get_by_role("alert").filter(has_text="appears twice")).to_be_visible()


def new_consultation_preview_with_details_to_check(v: Visit) -> None:
    v.open("lead", "/consultations/new/")
    v.page.get_by_label("Paste the consultation").fill(WEB_PAGE)
    with v.page.expect_navigation():
        v.page.get_by_role("button", name="Preview the questions").click()
    expect(v.page.get_by_text("Read from the document: check it.").first).to_be_visible()


def copy_page(v: Visit) -> None:
    v.open("officer", v.at("/responses/{r}/copy/"))
    expect(v.button("Copy answer 1")).to_be_visible()


def copy_page_answer_copied(v: Visit) -> None:
    v.open("officer", v.at("/responses/{r}/copy/"))
    v.page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=v.url)
    v.button("Copy answer 1").click()
    expect(v.page.get_by_role("status").filter(has_text="Answer 1 copied.")).to_be_visible()


def copy_page_answer_selected(v: Visit) -> None:
    v.page.add_init_script(NO_CLIPBOARD)
    v.open("officer", v.at("/responses/{r}/copy/"))
    v.button("Copy answer 1").click()
    expect(v.page.get_by_role("status").filter(has_text="it is selected")).to_be_visible()


def preparing(v: Visit) -> None:
    v.open("officer", v.at("/responses/{r}/cabinet-paper.pdf"))
    expect(v.page.get_by_text("is being prepared")).to_be_visible()


STATES: dict[str, Callable[[Visit], None]] = {
    state.__name__: state
    for state in [
        sign_in,
        sign_in_refused,
        sign_in_paused,
        dashboard,
        dashboard_with_a_deadline_warning,
        response,
        response_by_position,
        response_with_a_refused_action,
        answer_editor,
        answer_editor_previewing,
        answer_editor_refused,
        answer_editor_offering_an_earlier_answer,
        conflict,
        answer_locked,
        answer_locked_with_unsaved_words,
        answer_history,
        section_history,
        report,
        report_with_the_summary_of_positions,
        section_editor,
        report_details,
        section_removal,
        sign_off_drafting,
        sign_off_return_refused,
        sign_off_with_every_reason,
        sign_off_signed,
        sign_off_marked_not_for_publication,
        council_settings,
        council_settings_refusing_a_logo,
        audit,
        audit_with_an_unknown_filter,
        new_consultation,
        new_consultation_preview_with_a_problem,
        new_consultation_preview_with_details_to_check,
        copy_page,
        copy_page_answer_copied,
        copy_page_answer_selected,
        preparing,
    ]
}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("state", list(STATES))
def test_axe_finds_nothing_on(
    page, live_server, seed, officer, lead, director, portfolio_holder, administrator, state, width
):
    page.set_viewport_size({"width": width, "height": 900})
    people = {
        "officer": officer,
        "lead": lead,
        "director": director,
        "portfolio_holder": portfolio_holder,
        "administrator": administrator,
    }
    STATES[state](Visit(page, live_server.url, seed, people))
    assert_accessible(page)
    assert_no_sideways_scroll(page)


def test_no_transition_runs_while_axe_reads_the_colours(page, live_server):
    """Bootstrap fades a button's colours in 0.15 s: read half-way, a contrast fails
    that the page never shows at rest. The tests' browsers run none (conftest.py)."""
    page.goto(f"{live_server.url}/login/")
    moving = page.evaluate(
        """() => [...document.querySelectorAll("*")].filter(element => {
            const style = getComputedStyle(element);
            return [style.transitionDuration, style.animationDuration].join(",")
                .split(",").some(duration => parseFloat(duration) > 0);
        }).map(element => element.tagName)"""
    )
    assert moving == []
