"""What /healthz checks: the database, its migrations, the task worker, the storage.

Each check answers "ok" or a short reason that names no setting's value, host or path:
the answer is public, for a load balancer or a monitor probing without signing in.
"""

from __future__ import annotations

import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from responses import worker

OK = "ok"
NOT_CHECKED = "not checked: no database"
# How many migrations were recorded when all of them were last found applied: reading
# every migration file to plan takes a tenth of a second, counting rows does not.
_applied = {"count": None}


def checks() -> dict[str, str]:
    found = {"database": _database()}
    if found["database"] == OK:
        found["migrations"] = _migrations()
        found["task_worker"] = _task_worker()
    else:
        found["migrations"] = found["task_worker"] = NOT_CHECKED
    found["document_storage"] = _document_storage()
    return found


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "unreachable"
    return OK


def _migrations() -> str:
    try:
        count = MigrationRecorder(connection).migration_qs.count()
        if count != _applied["count"]:
            executor = MigrationExecutor(connection)
            if executor.migration_plan(executor.loader.graph.leaf_nodes()):
                return "not all applied: run manage.py migrate"
            _applied["count"] = count
    except DatabaseError:
        return "not all applied: run manage.py migrate"
    return OK


def _task_worker() -> str:
    try:
        alive_at = worker.last_alive()
    except DatabaseError:
        return "unknown: its table is missing"
    if alive_at is None:
        return "not running: no task worker has started"
    silent = timezone.now() - alive_at
    if silent > worker.SILENT_TOO_LONG:
        return f"not running: silent for {int(silent.total_seconds()):,} seconds"
    return OK


def _document_storage() -> str:
    storage = storages["documents"]
    try:
        name = storage.save(f"healthz-{secrets.token_hex(8)}.txt", ContentFile(b"ok"))
        storage.delete(name)
    except Exception:  # noqa: BLE001 - any storage (a disk, S3) fails in its own way
        return "not writable"
    return OK
