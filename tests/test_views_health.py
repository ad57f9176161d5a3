"""/healthz: the database, its migrations, the task worker and the storage, unsigned."""

import json
from datetime import timedelta

import pytest
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from responses import worker
from responses.models import TaskWorker

pytestmark = pytest.mark.django_db


@pytest.fixture
def alive():
    worker.beat("worker-1")


def checks(response) -> dict:
    return json.loads(response.content)["checks"]


def test_a_healthy_installation_answers_ok_to_anyone(client, alive):
    answer = client.get("/healthz")

    assert answer.status_code == 200
    assert json.loads(answer.content) == {
        "status": "ok",
        "checks": {
            "database": "ok",
            "migrations": "ok",
            "task_worker": "ok",
            "document_storage": "ok",
        },
    }
    assert "no-cache" in answer["Cache-Control"]
    assert not answer.cookies  # no session, no CSRF cookie


def test_without_a_task_worker_it_is_unhealthy(client):
    answer = client.get("/healthz")

    assert answer.status_code == 503
    assert json.loads(answer.content)["status"] == "unhealthy"
    assert checks(answer)["task_worker"] == "not running: no task worker has started"
    assert checks(answer)["database"] == "ok"


def test_a_task_worker_silent_for_over_a_minute_is_not_running(client, alive):
    TaskWorker.objects.update(alive_at=timezone.now() - timedelta(seconds=75))

    answer = client.get("/healthz")

    assert answer.status_code == 503
    assert checks(answer)["task_worker"].startswith("not running: silent for 7")


def test_one_live_worker_of_two_is_enough(client, alive):
    worker.beat("worker-2")
    TaskWorker.objects.filter(worker_id="worker-1").update(
        alive_at=timezone.now() - timedelta(hours=1)
    )

    assert client.get("/healthz").status_code == 200


def test_storage_it_cannot_write_to_is_unhealthy_and_not_named(client, alive, settings, tmp_path):
    # A file where the folder should be: unwritable even to root, as the tests may run.
    (tmp_path / "not-a-folder").write_text("")
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "not-a-folder" / "documents")},
        },
    }

    answer = client.get("/healthz")

    assert answer.status_code == 503
    assert checks(answer)["document_storage"] == "not writable"
    assert str(tmp_path) not in answer.content.decode()


def test_a_writable_storage_is_left_as_it_was(client, alive, settings, tmp_path):
    client.get("/healthz")

    location = settings.STORAGES["documents"]["OPTIONS"]["location"]
    assert list((tmp_path / location).iterdir()) == []


def test_a_migration_not_applied_is_unhealthy(client, alive):
    client.get("/healthz")  # all applied: remembered, and found out again below
    latest = MigrationRecorder.Migration.objects.filter(app="responses").latest("applied")
    latest.delete()

    answer = client.get("/healthz")

    assert answer.status_code == 503
    assert checks(answer)["migrations"] == "not all applied: run manage.py migrate"


def test_it_is_not_redirected_to_https_as_the_pages_are(client, alive, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/login/").status_code == 301
    assert client.get("/healthz").status_code == 200


def test_it_answers_head_and_refuses_post(client, alive):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
