"""The task worker's heartbeat, and the housekeeping it does beside its tasks.

`manage.py db_worker` (responses/management/commands/db_worker.py) runs
django-tasks-db's worker with a thread beside it that records, every `BEAT_EVERY`
seconds, that this worker is alive: idle between tasks, or busy with one however
long it takes. /healthz is unhealthy once no worker has beaten for `SILENT_TOO_LONG`.
The same thread prunes old documents once an hour (`retention.prune`), one worker
at a time: whichever finds that no worker has pruned within the hour.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from django.db import DatabaseError, close_old_connections, connection
from django.db.models import Max
from django.utils import timezone

from responses.documents import retention
from responses.models import TaskWorker

logger = logging.getLogger(__name__)

BEAT_EVERY = 15  # seconds
SILENT_TOO_LONG = timedelta(minutes=1)
PRUNE_EVERY = timedelta(hours=1)
# A worker stopped by kill -9 leaves its row: gone after a day.
FORGOTTEN_AFTER = timedelta(days=1)


def beat(worker_id: str) -> None:
    now = timezone.now()
    TaskWorker.objects.update_or_create(
        worker_id=worker_id,
        defaults={"alive_at": now},
        create_defaults={"started_at": now, "alive_at": now},
    )


def stopped(worker_id: str) -> None:
    """A worker leaving on purpose says so at once: /healthz need not wait a minute."""
    TaskWorker.objects.filter(worker_id=worker_id).delete()


def last_alive() -> datetime | None:
    return TaskWorker.objects.aggregate(last=Max("alive_at"))["last"]


def prune_if_due(worker_id: str) -> retention.Pruned | None:
    """Prune old documents unless a worker did within the hour."""
    now = timezone.now()
    if TaskWorker.objects.filter(pruned_at__gt=now - PRUNE_EVERY).exists():
        return None
    TaskWorker.objects.filter(worker_id=worker_id).update(pruned_at=now)
    TaskWorker.objects.filter(alive_at__lt=now - FORGOTTEN_AFTER).delete()
    return retention.prune()


class Heartbeat(threading.Thread):
    """Beats, and prunes when due, until `stop()`: a daemon, so it never keeps the
    worker's process from leaving."""

    def __init__(self, worker_id: str, every: float = BEAT_EVERY) -> None:
        super().__init__(name="heartbeat", daemon=True)
        self.worker_id = worker_id
        self.every = every
        self._stopping = threading.Event()

    def run(self) -> None:
        # The worker beat once as it started: the next beat is due after `every`. Not
        # beating at once also keeps this thread off the database while the worker
        # takes its first task (SQLite's in-memory test database locks whole tables).
        try:
            while not self._stopping.wait(self.every):
                self.once()
        finally:
            connection.close()  # this thread's own

    def once(self) -> None:
        close_old_connections()
        try:
            beat(self.worker_id)
            pruned = prune_if_due(self.worker_id)
        except DatabaseError:  # the database restarting: the next beat will tell
            logger.warning("Task worker %s could not record its heartbeat.", self.worker_id)
            connection.close()
            return
        except Exception:  # noqa: BLE001 - pruning must never stop the heartbeat
            logger.exception("Task worker %s could not prune old documents.", self.worker_id)
            return
        if pruned and pruned.renderings:
            logger.info("Pruned %s.", pruned)

    def stop(self) -> None:
        self._stopping.set()
