"""The task worker's heartbeat, and the pruning it does once an hour."""

import signal
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import task

from responses import worker
from responses.documents import bounded
from responses.models import TaskWorker

# The worker closes connections it finds inside a transaction: these tests commit.
pytestmark = pytest.mark.django_db(transaction=True)


@task()
def worker_seen_alive(worker_id: str) -> bool:
    return TaskWorker.objects.filter(worker_id=worker_id).exists()


@pytest.fixture
def signals():
    """The worker takes over SIGINT and SIGTERM; the test run gets them back."""
    kept = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for sig, handler in kept.items():
        signal.signal(sig, handler)


def test_a_running_worker_is_alive_from_its_start_and_forgotten_when_it_stops(settings, signals):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    result = worker_seen_alive.enqueue("worker-7")

    call_command(
        "db_worker",
        "--worker-id=worker-7",
        "--max-tasks=1",
        "--no-reload",
        "--no-startup-delay",
        verbosity=0,
    )

    result.refresh()
    assert result.return_value is True
    assert not TaskWorker.objects.exists()


def test_a_worker_emptying_the_queue_in_a_batch_is_not_counted_as_running(settings, signals):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    result = worker_seen_alive.enqueue("batch")

    call_command("db_worker", "--batch", "--worker-id=batch", verbosity=0)

    result.refresh()
    assert result.return_value is False


def test_the_heartbeat_beats_while_the_worker_is_busy_or_idle():
    worker.beat("worker-1")
    TaskWorker.objects.update(alive_at=timezone.now() - timedelta(minutes=5))
    heartbeat = worker.Heartbeat("worker-1")

    heartbeat.once()

    assert timezone.now() - worker.last_alive() < timedelta(seconds=5)


def test_one_worker_prunes_once_an_hour():
    worker.beat("worker-1")
    worker.beat("worker-2")

    assert worker.prune_if_due("worker-1") is not None
    assert worker.prune_if_due("worker-2") is None
    TaskWorker.objects.update(pruned_at=timezone.now() - timedelta(minutes=61))
    assert worker.prune_if_due("worker-2") is not None


def test_a_worker_killed_without_a_word_is_forgotten_after_a_day():
    worker.beat("killed")
    worker.beat("running")
    TaskWorker.objects.filter(worker_id="killed").update(
        alive_at=timezone.now() - timedelta(days=2)
    )

    worker.prune_if_due("running")

    assert list(TaskWorker.objects.values_list("worker_id", flat=True)) == ["running"]


def test_a_render_forked_beside_the_heartbeat_starts_cleanly(capfd):
    heartbeat = worker.Heartbeat("worker-1", every=60)
    heartbeat.start()
    try:
        assert bounded.run(_made, "", seconds=30) == b"made"
    finally:
        heartbeat.stop()
        heartbeat.join(10)

    assert "Exception" not in capfd.readouterr().err


def _made(_: str) -> bytes:
    return b"made"
