import atexit
import os
import shutil
import tempfile

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Each test worker reads uploads in slots of its own: none waits on another's reads, or
# on a Consult running on the same machine.
os.environ["CONSULT_READING_LOCKS"] = tempfile.mkdtemp(prefix="consult-reading-")
atexit.register(shutil.rmtree, os.environ["CONSULT_READING_LOCKS"], ignore_errors=True)

import pytest  # noqa: E402

from responses import roles  # noqa: E402
from tests.factories import UserFactory, response_with_questions, staff  # noqa: E402
from tests.seeding import Rows, read_seed, write_seed  # noqa: E402
from tests.strategies import PROFILE  # noqa: E402, F401 - loads the Hypothesis profile

# On PostgreSQL `make test` runs what the database can change: every test that uses
# it, and of the browser tests the sign-off journey. The rest (pure functions, pages
# in a browser) behave the same on either database and run on SQLite.
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}
ON_EVERY_DATABASE = ("tests/browser/test_sign_off.py::",)


# Modules whose tests share a module-scoped fixture worth making once (test_pdf.py
# renders the seed's papers for all its tests): one xdist worker runs each whole.
TOGETHER = {"tests/test_pdf.py"}


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """`--dist load` (the default), but a module in TOGETHER goes to one worker. (The
    xdist_group mark does that no longer: pytest 9 ignores the node id it sets.)"""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class Together(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if module in TOGETHER else nodeid

    return Together(config, log)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--every-test",
        action="store_true",
        help="On PostgreSQL too, run every test (make test-all), not only those that "
        "use the database and the browser's sign-off journey.",
    )


def uses_the_database(item: pytest.Item) -> bool:
    if item.nodeid.startswith("tests/browser/"):
        return item.nodeid.startswith(ON_EVERY_DATABASE)
    fixtures = set(getattr(item, "fixturenames", ()))
    return item.get_closest_marker("django_db") is not None or bool(fixtures & DATABASE_FIXTURES)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from django.db import connection

    if connection.vendor == "sqlite" or config.getoption("--every-test"):
        return
    kept, left = [], []
    for item in items:
        (kept if uses_the_database(item) else left).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


@pytest.fixture(autouse=True, scope="session")
def _plain_http():
    """The test client and the live server speak plain HTTP, as `make run` does; the
    HTTPS a server has by default is checked in test_settings, in a fresh process.
    Session-wide, because the live server reads these once, when it starts."""
    from django.test import override_settings

    with override_settings(
        SECURE_SSL_REDIRECT=False,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        SECURE_HSTS_SECONDS=0,
    ):
        yield


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        # The manifest storage needs collectstatic; the live server serves plain files.
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        # Each test stores documents in a folder of its own, never the developer's.
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "documents")},
        },
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A server stops a layout after 120 s on a quiet machine; the tests lay papers out on
    # a busy one, so only a hang is stopped here (the tests of the bound set their own).
    settings.RENDER_TIMEOUT = 600
    settings.RENDER_SECONDS_PER_QUESTION = 0  # the tests of the bound set their own
    # Documents are made as they are asked for, in the test's own process; the tests
    # of the worker itself (tests/test_rendering.py) and the browser tests
    # (tests/browser/conftest.py) use the database queue.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _no_counts_left_over(request):
    """A test that commits (the browser's) starts with no limit counted: the table the
    limits count in (responses/limits.py) is no model's, so a flush leaves it."""
    marker = request.node.get_closest_marker("django_db")
    commits = (marker is not None and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if commits:
        from django.core.cache import caches

        request.getfixturevalue("django_db_setup")
        with request.getfixturevalue("django_db_blocker").unblock():
            caches["limits"].clear()


@pytest.fixture(scope="session")
def seed_rows(django_db_setup, django_db_blocker) -> Rows:
    """The seed's rows, read once per test database (see tests/seeding.py)."""
    with django_db_blocker.unblock():
        return read_seed()


@pytest.fixture
def bare_seed(db, seed_rows):
    """The shipped seed as `load_seed` leaves it: no accounts named anywhere yet."""
    from responses.models import Response

    write_seed(seed_rows)
    return Response.objects.get()


@pytest.fixture
def seed(bare_seed, officer, lead, director, portfolio_holder):
    """The shipped seed, loaded as `make run` loads it, with the demo users as its team
    (officer), lead officer and signatories, as `create_demo_users` makes them."""
    people = {"lead": lead, "director": director, "portfolio_holder": portfolio_holder}
    return staff(bare_seed, officer=officer, **people)


@pytest.fixture
def staffed(officer, lead, director, portfolio_holder):
    """Make a response of N questions with the persona fixtures as its people."""
    people = {"lead": lead, "director": director, "portfolio_holder": portfolio_holder}
    return lambda questions: staff(response_with_questions(questions), officer=officer, **people)


@pytest.fixture
def officer(db):
    return UserFactory(username="officer", groups=[roles.OFFICER])


@pytest.fixture
def lead(db):
    return UserFactory(username="lead", groups=[roles.LEAD_OFFICER])


@pytest.fixture
def director(db):
    return UserFactory(username="director", groups=[roles.EXECUTIVE_DIRECTOR])


@pytest.fixture
def portfolio_holder(db):
    return UserFactory(username="portfolio", groups=[roles.PORTFOLIO_HOLDER])


@pytest.fixture
def outsider(db):
    """Signed in, but in no role: sees nothing."""
    return UserFactory(username="outsider")


@pytest.fixture
def administrator(db):
    return UserFactory(
        username="admin", groups=[roles.ADMINISTRATOR], is_staff=True, is_superuser=True
    )


@pytest.fixture
def signing(seed):
    """The seed, ready for sign-off: its lead officer and both signatories named."""
    return seed
