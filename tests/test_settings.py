"""The one settings module, driven by the environment."""

import os
import subprocess
import sys

from django.conf import settings


def _settings_in(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            " print(settings.DEBUG, settings.DATABASES['default']['ENGINE'])",
        ],
        env={**clean, "DJANGO_SETTINGS_MODULE": "consult.settings", **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )


def test_secret_key_is_required_when_debug_is_off():
    result = _settings_in({"DATABASE_URL": "sqlite:///:memory:"})
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_debug_runs_without_a_secret_key():
    result = _settings_in({"DEBUG": "1", "DATABASE_URL": "sqlite:///:memory:"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "django.db.backends.sqlite3"]


def test_database_url_chooses_postgresql():
    result = _settings_in({"DEBUG": "1", "DATABASE_URL": "postgres://u@127.0.0.1:5432/consult"})
    assert result.stdout.split() == ["True", "django.db.backends.postgresql"]


def test_sqlite_takes_the_write_lock_when_a_transaction_begins():
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    else:
        assert "transaction_mode" not in settings.DATABASES["default"].get("OPTIONS", {})


def test_british_time_and_language():
    assert settings.TIME_ZONE == "Europe/London"
    assert settings.LANGUAGE_CODE == "en-gb"


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
