import pytest
from playwright.sync_api import Download, Locator, Page, expect

from tests.papers import make_documents

CHROMIUM = "/usr/bin/chromium"

# No CSS transition or animation runs in the tests' pages: a check (axe's colour
# contrast, a screenshot) never reads a colour or a size half-way through a change.
# A constructed style sheet, because the pages' Content-Security-Policy refuses
# inline <style>; it is set before the page's own scripts run.
STILL = """
(() => {
    const still = new CSSStyleSheet();
    still.replaceSync(`*, *::before, *::after {
        transition: none !important;
        animation: none !important;
        scroll-behavior: auto !important;
    }`);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, still];
})();
"""


# How long an expectation waits for the page to catch up (a live preview's answer, say)
# before it fails: a bound on waiting, not a check of speed. Playwright's 5 s default
# was seen to run out under load (xdist workers and CI sharing two cores).
expect.set_options(timeout=20_000)


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


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Reduced motion too, which Bootstrap's own transitions follow."""
    return {**browser_context_args, "reduced_motion": "reduce"}


@pytest.fixture
def new_context(new_context, request):
    """Every browser context a test opens (the `page` fixture's, and any more it asks
    for), with no transitions or animations. An editor's heartbeat ("who is here")
    stays in the browser unless the test is marked `presence`: a beat sent as a test
    ends could reach the server after its database has gone."""
    opened = []
    beats = request.node.get_closest_marker("presence") is not None

    def still_context(**kwargs):
        context = new_context(**kwargs)
        context.add_init_script(STILL)
        if not beats:
            context.route("**/presence/", lambda route: route.abort())
        opened.append(context)
        return context

    yield still_context
    _leave_every_editor([page for context in opened for page in context.pages])


def _leave_every_editor(pages: list[Page]) -> None:
    """Each editor's "who is here" line taken out, so its window closes without a last
    beat that would reach the server after the test's database has gone."""
    for page in pages:
        if not page.is_closed() and "/answers/" in page.url:
            page.evaluate("document.getElementById('presence')?.remove()")


@pytest.fixture
def signed_in(page, live_server):
    """Sign a persona in through the real form; returns the dashboard page object."""
    from tests.browser.pages import LoginPage

    def sign_in(user, width: int = 1280):
        page.set_viewport_size({"width": width, "height": 900})
        return LoginPage.open(page, live_server.url).sign_in(user.username)

    sign_in.page = page
    return sign_in


@pytest.fixture(autouse=True)
def _queue_as_served(settings):
    """Documents wait on the database queue, as `make run` and `make serve` run it:
    a click on a download gets the page that waits, never a render in the request.
    A test that needs the document made runs the worker (`download`)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def download():
    """Follow a document's link as a person does: the page that waits for it, the worker
    making it meanwhile, then the download the page starts by itself. The worker has
    finished before the download is awaited, so no wait is bounded by a render's time."""

    def follow(page: Page, link: Locator) -> Download:
        link.click()
        expect(page.get_by_text("is being prepared")).to_be_visible()
        make_documents()
        with page.expect_download() as started:
            pass  # the page's next poll (every 2 s) finds the document ready
        return started.value

    return follow
