import pytest
from playwright.sync_api import expect

from tests.browser.pages import DashboardPage, LoginPage

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_page_asked_for_while_signed_out_opens_after_sign_in(page, live_server, officer, seed):
    login = LoginPage.open(page, live_server.url, "/")
    assert "next=/" in page.url
    dashboard = login.sign_in("officer")
    expect(dashboard.page.get_by_role("heading", name="Consultations in hand")).to_be_visible()


def test_wrong_password_is_explained_on_the_form(page, live_server, officer):
    login = LoginPage.open(page, live_server.url)
    login.fill("officer", "not-the-password")
    page.get_by_role("button", name="Sign in").click()
    reason = page.get_by_text("Enter a correct username and password")
    expect(reason).to_have_count(2)  # in the error summary, and on the form
    expect(reason.last).to_be_visible()
    LoginPage(page)  # still the sign-in page


def test_sign_in_with_the_keyboard_alone(page, live_server, officer, seed):
    page.goto(live_server.url + "/login/")
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type("officer")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type("a-test-password")
    page.keyboard.press("Enter")
    DashboardPage(page)


def test_too_many_wrong_passwords_pause_sign_in_on_a_page_that_says_why(page, live_server, officer):
    LoginPage.open(page, live_server.url)
    for _ in range(5):
        page.get_by_label("Username").fill("officer")
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title("Sign-in paused – Consult")
    expect(page.get_by_role("alert")).to_have_text(
        "Too many failed sign-in attempts for this username from this address."
        " Try again in 15 minutes, or ask an administrator to unlock the account."
    )
    page.get_by_role("link", name="Back to sign in").click()
    LoginPage(page)
