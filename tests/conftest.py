import os

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from django.core.management import call_command  # noqa: E402

from responses import roles  # noqa: E402
from tests.factories import UserFactory, response_with_questions, staff  # noqa: E402


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # The manifest storage needs collectstatic; the live server serves plain files.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Each test starts with an empty PDF cache of its own, never the developer's.
    settings.CACHES = {
        **settings.CACHES,
        "pdf": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pdf"},
    }
    from django.core.cache import caches

    caches["pdf"].clear()


@pytest.fixture
def bare_seed(db):
    """The shipped seed as `load_seed` leaves it: no accounts named anywhere yet."""
    from responses.models import Response

    call_command("load_seed", verbosity=0)
    return Response.objects.get()


@pytest.fixture
def seed(db, officer, lead, director, portfolio_holder):
    """The shipped seed, loaded as `make run` loads it, with the demo users as its team
    (officer), lead officer and signatories, as `create_demo_users` makes them."""
    from responses.models import Response

    call_command("load_seed", verbosity=0)
    people = {"lead": lead, "director": director, "portfolio_holder": portfolio_holder}
    return staff(Response.objects.get(), officer=officer, **people)


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
