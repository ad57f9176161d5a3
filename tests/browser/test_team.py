"""The team page by keyboard: search as you type, add, remove; and without the script."""

import pytest
from playwright.sync_api import Page, expect

from responses import roles
from responses.models import Answer
from tests.browser.pages import BasePage, assert_accessible
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


class TeamPage(BasePage):
    title = "(Error: )?Team: .*"

    @classmethod
    def open(cls, page: Page, base_url: str, response) -> "TeamPage":
        page.goto(f"{base_url}/responses/{response.pk}/team/")
        return cls(page)

    @property
    def search(self):
        return self.page.get_by_label("Name or username")

    @property
    def results(self):
        return self.page.locator("#team-results")

    def member(self, name: str):
        return self.page.locator(".team-member").filter(has_text=name)


@pytest.fixture
def jane(db):
    return UserFactory(
        username="jsmith", first_name="Jane", last_name="Smith", groups=[roles.OFFICER]
    )


@pytest.mark.parametrize("width", [1280, 375])
def test_the_lead_adds_and_removes_an_officer_by_keyboard(
    signed_in, live_server, lead, officer, seed, jane, width
):
    Answer.objects.filter(response=seed, question__number="4").update(assignee=officer)
    signed_in(lead, width)
    team = TeamPage.open(signed_in.page, live_server.url, seed)
    expect(team.member(officer.get_full_name())).to_contain_text("Assigned question: 4")
    assert_accessible(team.page)

    team.search.focus()
    team.page.keyboard.type("jan")  # no Enter: the list follows the typing
    expect(team.results).to_contain_text("1 officer matches “jan”")
    add = team.page.get_by_role("button", name="Add Jane Smith to the team")
    expect(add).to_be_visible()
    assert_accessible(team.page)
    team.page.keyboard.press("Tab")  # the Search button
    team.page.keyboard.press("Tab")
    expect(add).to_be_focused()
    team.page.keyboard.press("Enter")

    team = TeamPage(signed_in.page)
    expect(team.page.get_by_role("status")).to_contain_text("Jane Smith added to the team.")
    expect(team.member("Jane Smith")).to_contain_text("No questions assigned")
    assert_accessible(team.page)

    remove = team.page.get_by_role(
        "button", name=f"Remove {officer.get_full_name()} and unassign question 4"
    )
    remove.focus()
    team.page.keyboard.press("Enter")
    team = TeamPage(signed_in.page)
    expect(team.page.get_by_role("status")).to_contain_text("Question 4 is now unassigned.")
    expect(team.member(officer.get_full_name())).to_have_count(0)
    assert Answer.objects.get(response=seed, question__number="4").assignee is None


def test_the_search_works_without_the_script(new_context, live_server, lead, seed, jane):
    from tests.browser.pages import LoginPage

    context = new_context(java_script_enabled=False)
    page = context.new_page()
    LoginPage.open(page, live_server.url).sign_in("lead")
    team = TeamPage.open(page, live_server.url, seed)
    team.search.fill("smith")
    team.page.get_by_role("button", name="Search").click()
    team = TeamPage(page)
    team.page.get_by_role("button", name="Add Jane Smith to the team").click()
    team = TeamPage(page)
    expect(team.member("Jane Smith")).to_be_visible()


def test_a_refused_add_is_said_beside_the_search(signed_in, live_server, lead, seed, jane):
    signed_in(lead)
    team = TeamPage.open(signed_in.page, live_server.url, seed)
    team.search.fill("jane")
    team.page.get_by_role("button", name="Search").click()
    team = TeamPage(signed_in.page)
    jane.is_active = False  # meanwhile, Jane leaves
    jane.save()
    team.page.get_by_role("button", name="Add Jane Smith to the team").click()
    team = TeamPage(signed_in.page)
    expect(team.page.get_by_role("alert")).to_contain_text("Nobody was added.")
    assert_accessible(team.page)
