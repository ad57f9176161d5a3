import pytest

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, kept off the network: this machine has none."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def signed_in(page, live_server):
    """Sign a persona in through the real form; returns the dashboard page object."""
    from tests.browser.pages import LoginPage

    def sign_in(user, width: int = 1280):
        page.set_viewport_size({"width": width, "height": 900})
        return LoginPage.open(page, live_server.url).sign_in(user.username)

    sign_in.page = page
    return sign_in
