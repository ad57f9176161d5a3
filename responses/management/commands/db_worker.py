"""django-tasks-db's `db_worker`, with a heartbeat beside it (see responses/worker.py).

This app is listed before django_tasks_db in INSTALLED_APPS, so `manage.py db_worker`
is this command."""

from __future__ import annotations

import contextlib
import os

from django.db import DatabaseError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from responses import worker


class Command(db_worker.Command):
    help = "Run the task worker: documents and mail, with a heartbeat for /healthz"

    def handle(self, *args, worker_id: str, batch: bool, reload: bool, **options) -> None:
        # `--batch` empties the queue and leaves: no worker to keep an eye on. With
        # `--reload` only the reloader's child works; its parent only watches files.
        works_here = not reload or batch or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"
        if batch or not works_here:
            super().handle(*args, worker_id=worker_id, batch=batch, reload=reload, **options)
            return
        worker.beat(worker_id)  # before the first task: alive as soon as it starts
        heartbeat = worker.Heartbeat(worker_id)
        heartbeat.start()
        try:
            super().handle(*args, worker_id=worker_id, batch=batch, reload=reload, **options)
        finally:
            heartbeat.stop()
            with contextlib.suppress(DatabaseError):  # else its row ages out
                worker.stopped(worker_id)
