"""The one settings module, driven by the environment.

Each test starts Python afresh with the environment a server or a developer would
set, and checks what the application then does: not what the settings say.
"""

import datetime
import json
import os
import re
import secrets
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings
from django.utils import formats, timezone

# Variables the settings read, cleared so that only what a test sets applies.
SETTINGS_VARIABLES = {
    "SECRET_KEY",
    "DEBUG",
    "DATABASE_URL",
    "ALLOWED_HOSTS",
    "CONN_MAX_AGE",
    "HTTPS",
    "HSTS_SECONDS",
    "HSTS_INCLUDE_SUBDOMAINS",
    "BEHIND_PROXY",
    "SESSION_IDLE_HOURS",
    "AXES_FAILURE_LIMIT",
    "AXES_COOLOFF_MINUTES",
    "LOG_LEVEL",
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "EMAIL_TIMEOUT",
    "DEFAULT_FROM_EMAIL",
}


def _python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", textwrap.dedent(code)],
        env={**clean, "DJANGO_SETTINGS_MODULE": "consult.settings", **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )


def _settings_in(env: dict[str, str]) -> subprocess.CompletedProcess:
    return _python(
        "import django; django.setup(); from django.conf import settings;"
        " print(settings.DEBUG, settings.DATABASES['default']['ENGINE'])",
        env,
    )


def test_secret_key_is_required_when_debug_is_off():
    result = _settings_in({"DATABASE_URL": "sqlite:///:memory:"})
    assert result.returncode != 0
    assert (
        "django.core.exceptions.ImproperlyConfigured:"
        " Set SECRET_KEY (or DEBUG=1 for local development)."
    ) in result.stderr
    assert result.stdout == ""


def test_a_secret_key_without_debug_starts():
    result = _settings_in({"SECRET_KEY": "k", "DATABASE_URL": "sqlite:///:memory:"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "django.db.backends.sqlite3"]


def test_debug_runs_without_a_secret_key():
    result = _settings_in({"DEBUG": "1", "DATABASE_URL": "sqlite:///:memory:"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "django.db.backends.sqlite3"]


def test_database_url_chooses_postgresql_with_options_psycopg_accepts():
    # make_dsn refuses an option libpq does not know, as connecting would: SQLite's
    # transaction_mode must not leak into PostgreSQL's connection.
    result = _python(
        """
        import django
        django.setup()
        from django.db import connection
        from psycopg2.extensions import make_dsn
        params = connection.get_connection_params()
        params.pop("cursor_factory")
        print(connection.vendor, make_dsn(**params))
        """,
        {"DEBUG": "1", "DATABASE_URL": "postgres://u@127.0.0.1:5432/consult"},
    )
    assert result.returncode == 0, result.stderr
    vendor, *dsn = result.stdout.split()
    assert vendor == "postgresql"
    assert sorted(dsn) == [
        "client_encoding=UTF8",
        "dbname=consult",
        "host=127.0.0.1",
        "port=5432",
        "user=u",
    ]


def test_sqlite_takes_the_write_lock_when_a_transaction_begins(tmp_path):
    # A transaction that has not yet written already keeps another writer out:
    # the read-check-write of optimistic locking cannot be interleaved.
    result = _python(
        """
        import sqlite3
        import django
        django.setup()
        from django.db import connection, transaction
        other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0, isolation_level=None)
        with transaction.atomic():
            try:
                other.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                print(error)
            else:
                print("another writer got in")
                other.execute("ROLLBACK")
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        print("free after the transaction")
        """,
        {"DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["database is locked", "free after the transaction"]


def test_dates_are_london_dates_written_the_british_way():
    # Half past eleven at night in UTC is already tomorrow in London in summer...
    assert timezone.localdate(
        datetime.datetime(2024, 6, 30, 23, 30, tzinfo=datetime.UTC)
    ) == datetime.date(2024, 7, 1)
    # ...but not in winter, when London keeps GMT.
    assert timezone.localdate(
        datetime.datetime(2024, 12, 31, 23, 30, tzinfo=datetime.UTC)
    ) == datetime.date(2024, 12, 31)
    assert formats.date_format(datetime.date(2024, 7, 1)) == "1 Jul 2024"
    assert formats.date_format(datetime.date(2024, 7, 1), "SHORT_DATE_FORMAT") == "01/07/2024"


# The mail connection the application would open, without opening it.
_MAIL = """
    import json
    import django
    django.setup()
    from django.conf import settings
    from django.core.mail import get_connection
    mail = get_connection()
    print(json.dumps([
        type(mail).__module__, mail.host, mail.port, mail.username, mail.password,
        mail.use_tls, mail.use_ssl, mail.timeout, settings.DEFAULT_FROM_EMAIL,
    ]))
"""
_SERVER = {"SECRET_KEY": "k", "DATABASE_URL": "sqlite:///:memory:"}


def test_the_mail_server_is_read_from_the_environment():
    result = _python(
        _MAIL,
        {
            **_SERVER,
            "EMAIL_HOST": "smtp.example.gov.uk",
            "EMAIL_PORT": "587",
            "EMAIL_HOST_USER": "consult",
            "EMAIL_HOST_PASSWORD": "a-mail-password",
            "EMAIL_USE_TLS": "1",
            "EMAIL_TIMEOUT": "30",
            "DEFAULT_FROM_EMAIL": "Consult <consult@example.gov.uk>",
        },
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        "django.core.mail.backends.smtp",
        "smtp.example.gov.uk",
        587,
        "consult",
        "a-mail-password",
        True,
        False,
        30,
        "Consult <consult@example.gov.uk>",
    ]


def test_without_mail_settings_django_defaults_apply_and_a_silent_server_is_left_after_10_s():
    result = _python(_MAIL, _SERVER)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        "django.core.mail.backends.smtp",
        "localhost",
        25,
        "",
        "",
        False,
        False,
        10,
        "consult@localhost",
    ]


def test_mail_over_ssl_is_read_and_tls_with_ssl_is_refused():
    ssl = _python(_MAIL, {**_SERVER, "EMAIL_USE_SSL": "yes", "EMAIL_PORT": "465"})
    assert ssl.returncode == 0, ssl.stderr
    assert json.loads(ssl.stdout)[2:7] == [465, "", "", False, True]
    both = _python(_MAIL, {**_SERVER, "EMAIL_USE_SSL": "1", "EMAIL_USE_TLS": "1"})
    assert both.returncode != 0
    assert "Set EMAIL_USE_TLS (STARTTLS, usually port 587) or EMAIL_USE_SSL" in both.stderr


# Requests made through the whole middleware stack of a freshly started application.
_REQUESTS = """
    import json
    import django
    django.setup()
    from django.core.management import call_command
    from django.contrib.auth import get_user_model
    from django.test import Client

    def cookies(response):
        return {name: bool(morsel["secure"]) for name, morsel in response.cookies.items()}

    client = Client(HTTP_HOST="localhost")
    plain = client.get("/login/")
    forwarded = client.get("/login/", HTTP_X_FORWARDED_PROTO="https")
    page = client.get("/login/", secure=True)
    result = {
        "http": [plain.status_code, plain.get("Location")],
        "http forwarded from https": [forwarded.status_code, forwarded.get("Location")],
        "https": [page.status_code, cookies(page)],
    }
    if SIGN_IN:
        call_command("migrate", verbosity=0)
        get_user_model().objects.create_user("someone", password="a-long-test-password")
        signed_in = client.post(
            "/login/",
            {"username": "someone", "password": "a-long-test-password"},
            secure=True,
        )
        result["sign in"] = [signed_in.status_code, cookies(signed_in)]
    print(json.dumps(result))
"""


def _requests(env: dict[str, str], *, sign_in: bool = False) -> dict:
    # DEBUG=1 only so that pages render without collectstatic's manifest.
    result = _python(
        textwrap.dedent(_REQUESTS).replace("SIGN_IN", str(sign_in)),
        {"DEBUG": "1", "DATABASE_URL": "sqlite:///:memory:", **env},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_https_plain_http_is_served_and_cookies_are_not_secure():
    assert _requests({}) == {
        "http": [200, None],
        "http forwarded from https": [200, None],
        "https": [200, {"csrftoken": False}],
    }


def test_https_redirects_plain_http_and_sends_cookies_over_https_only():
    assert _requests({"HTTPS": "1"}, sign_in=True) == {
        "http": [301, "https://localhost/login/"],
        # Not behind a proxy, X-Forwarded-Proto is anyone's to send: it is ignored.
        "http forwarded from https": [301, "https://localhost/login/"],
        "https": [200, {"csrftoken": True}],
        "sign in": [302, {"consult_known": True, "csrftoken": True, "sessionid": True}],
    }


def test_behind_a_proxy_its_forwarded_https_is_trusted():
    assert _requests({"HTTPS": "1", "BEHIND_PROXY": "1"}) == {
        "http": [301, "https://localhost/login/"],
        "http forwarded from https": [200, None],
        "https": [200, {"csrftoken": True}],
    }


def test_the_wsgi_application_starts_with_start_up_objects_frozen():
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import gc, consult.wsgi as w;"
            " print(callable(w.application), gc.get_freeze_count() > 0)",
        ],
        env={**clean, "DEBUG": "1", "DATABASE_URL": "sqlite:///:memory:"},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )
    assert result.stdout.split() == ["True", "True"], result.stderr


# A server: DEBUG off, a secret key, its host name, and nothing else.


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "consult.example.gov.uk",
            **env,
        },
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )


def test_a_server_passes_djangos_deployment_checks_with_nothing_else_set():
    result = _check_deploy({})
    assert result.returncode == 0, result.stderr
    # Those silenced: HSTS preloading, the council's call for its whole domain, and
    # django-ratelimit's naming of the caches it knows (the limits count in a table).
    assert result.stdout.strip() == "System check identified no issues (2 silenced)."
    assert result.stderr == ""


def test_plain_http_is_an_explicit_choice_and_the_deployment_checks_say_so():
    result = _check_deploy({"HTTPS": "0"})
    assert result.returncode != 0
    warned = sorted(set(re.findall(r"\(security\.(W\d+)\)", result.stderr)))
    # No HSTS, no redirect to HTTPS, cookies sent over plain HTTP.
    assert warned == ["W004", "W008", "W012", "W016"]


_SERVER_PAGES = """
    import json
    import django
    django.setup()
    from django.conf import settings
    from django.test import Client, override_settings

    def cookies(response):
        return {name: bool(morsel["secure"]) for name, morsel in response.cookies.items()}

    # collectstatic's manifest is not there in a test: plain static files instead.
    plain = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES={**settings.STORAGES, **plain}):
        client = Client(HTTP_HOST="localhost")
        http = client.get("/login/")
        forwarded = client.get("/login/", HTTP_X_FORWARDED_PROTO="https")
        https = client.get("/login/", secure=True)
    print(json.dumps({
        "http": [http.status_code, http.get("Location")],
        "http forwarded from https": [forwarded.status_code, forwarded.get("Location")],
        "https": [https.status_code, https.get("Strict-Transport-Security"), cookies(https)],
    }))
"""


def _server_pages(env: dict[str, str]) -> dict:
    result = _python(_SERVER_PAGES, {**_SERVER, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_server_is_https_only_by_default_with_a_years_hsts():
    assert _server_pages({}) == {
        "http": [301, "https://localhost/login/"],
        "http forwarded from https": [301, "https://localhost/login/"],
        "https": [200, "max-age=31536000; includeSubDomains", {"csrftoken": True}],
    }


def test_hsts_is_set_from_the_environment_and_trusted_behind_a_proxy():
    pages = _server_pages(
        {"HSTS_SECONDS": "600", "HSTS_INCLUDE_SUBDOMAINS": "0", "BEHIND_PROXY": "1"}
    )
    assert pages["http forwarded from https"] == [200, None]
    assert pages["https"] == [200, "max-age=600", {"csrftoken": True}]


def test_https_0_serves_plain_http_with_cookies_sent_in_clear():
    assert _server_pages({"HTTPS": "0"}) == {
        "http": [200, None],
        "http forwarded from https": [200, None],
        "https": [200, None, {"csrftoken": False}],
    }


def test_database_connections_are_kept_for_a_minute_on_a_server_and_health_checked():
    show = (
        "import django; django.setup(); from django.conf import settings;"
        " db = settings.DATABASES['default']; print(db['CONN_MAX_AGE'], db['CONN_HEALTH_CHECKS'])"
    )
    assert _python(show, _SERVER).stdout.split() == ["60", "True"]
    assert _python(show, {**_SERVER, "CONN_MAX_AGE": "5"}).stdout.split() == ["5", "True"]
    developer = {"DEBUG": "1", "DATABASE_URL": "sqlite:///:memory:"}
    assert _python(show, developer).stdout.split() == ["0", "True"]


def test_behind_a_proxy_throttling_counts_the_address_the_proxy_forwarded():
    # What that address is: tests/test_views_auth.py.
    show = (
        "import django; django.setup(); from django.conf import settings;"
        " print(getattr(settings.AXES_CLIENT_IP_CALLABLE, '__name__', None))"
    )
    assert _python(show, _SERVER).stdout.split() == ["None"]  # REMOTE_ADDR
    behind = {**_SERVER, "BEHIND_PROXY": "1"}
    assert _python(show, behind).stdout.split() == ["forwarded_client_ip"]


def test_a_server_logs_one_json_object_a_line_with_the_request_path_and_status():
    result = _python(
        """
        import logging
        import django
        django.setup()
        from django.test import RequestFactory
        request = RequestFactory().get("/responses/1/?token=not-for-logs")
        logging.getLogger("django.request").warning(
            "Not Found: %s", request.path, extra={"status_code": 404, "request": request}
        )
        logging.getLogger("responses").info("below LOG_LEVEL: not written")
        try:
            1 / 0
        except ZeroDivisionError:
            logging.getLogger("responses").exception("went wrong")
        """,
        _SERVER,
    )
    assert result.returncode == 0, result.stderr
    not_found, failed = (json.loads(line) for line in result.stdout.splitlines())
    assert set(not_found) == {"time", "level", "logger", "message", "method", "path", "status"}
    assert not_found["level"] == "WARNING"
    assert not_found["logger"] == "django.request"
    assert not_found["message"] == "Not Found: /responses/1/"
    assert [not_found["method"], not_found["path"], not_found["status"]] == [
        "GET",
        "/responses/1/",
        404,
    ]
    assert failed["message"] == "went wrong"
    assert failed["exception"].endswith("ZeroDivisionError: division by zero")
    assert "not-for-logs" not in result.stdout


def test_a_developer_reads_plain_text_logs():
    result = _python(
        "import logging, django; django.setup();"
        " logging.getLogger('responses').warning('plain words')",
        {"DEBUG": "1", "DATABASE_URL": "sqlite:///:memory:"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("WARNING responses: plain words")


@pytest.mark.parametrize(
    ("name", "meaning"),
    [
        ("CONN_MAX_AGE", "seconds a database connection is kept open"),
        ("RENDER_TIMEOUT", "seconds a document may take to lay out"),
        ("EMAIL_PORT", "the mail server's port"),
    ],
)
def test_a_setting_that_is_not_a_number_says_which_and_what_it_is_for(name, meaning):
    started = _settings_in({"DEBUG": "1", name: "abc"})
    assert started.returncode != 0
    last = started.stderr.strip().splitlines()[-1]
    assert last.endswith(f"{name} must be a whole number ({meaning}); it is 'abc'.")


def test_idle_hours_may_be_a_fraction():
    started = _python(
        "import django; django.setup(); from django.conf import settings;"
        " print(settings.SESSION_COOKIE_AGE)",
        {"DEBUG": "1", "SESSION_IDLE_HOURS": "1.5"},
    )
    assert started.stdout.strip() == str(90 * 60)
