"""The one settings module, driven by the environment.

Each test starts Python afresh with the environment a server or a developer would
set, and checks what the application then does: not what the settings say.
"""

import datetime
import json
import os
import subprocess
import sys
import textwrap

from django.conf import settings
from django.utils import formats, timezone

# Variables the settings read, cleared so that only what a test sets applies.
SETTINGS_VARIABLES = {"SECRET_KEY", "DEBUG", "DATABASE_URL", "HTTPS", "BEHIND_PROXY"} | {
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
        "sign in": [302, {"csrftoken": True, "sessionid": True}],
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
