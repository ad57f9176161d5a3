import datetime

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1280, 375])
def test_dashboard_shows_the_seed_consultation_at(signed_in, officer, seed, width):
    dashboard = signed_in(officer, width)
    card = dashboard.page.get_by_role(
        "region", name="Local Strategic Partnerships: Shaping their future"
    )
    expect(card).to_contain_text("30 of 35 answered, 0 agreed")
    expect(card).to_contain_text("Drafting")
    expect(card.get_by_role("progressbar", name="Answered: 30 of 35")).to_be_visible()


def test_questions_assigned_to_me_are_listed(signed_in, officer, seed):
    from responses.models import Answer

    answer = Answer.objects.get(question__number="28")
    answer.assignee = officer
    answer.save()
    dashboard = signed_in(officer)
    mine = dashboard.page.get_by_role("region", name="Assigned to me")
    expect(mine).to_contain_text("Question 28")


def test_sign_out_from_the_dashboard(signed_in, officer, seed):
    login = signed_in(officer).sign_out()
    login.page.goto(login.page.url.split("/login/")[0] + "/")
    assert "/login/" in login.page.url


@pytest.mark.parametrize("width", [1280, 375])
def test_dashboard_warns_of_a_meeting_after_the_closing_date_at(signed_in, officer, seed, width):
    seed.report.meeting_date = datetime.date(2006, 3, 6)  # the consultation closes on 3 March
    seed.report.save()
    dashboard = signed_in(officer, width)
    card = dashboard.page.get_by_role(
        "region", name="Local Strategic Partnerships: Shaping their future"
    )
    expect(card.locator("dt:text-is('Report deadline') + dd")).to_contain_text("23 February 2006")
    warnings = card.locator(".deadline-warnings")
    expect(warnings).to_be_visible()
    expect(warnings).to_contain_text(
        "Cabinet meets on 6 March 2006, after the consultation closes on 3 March 2006"
    )
    expect(warnings).to_contain_text(
        "The report deadline for Cabinet on 6 March 2006 was 23 February 2006."
    )
