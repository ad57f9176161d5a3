from __future__ import annotations

import datetime
import tempfile
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from responses import backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup`: the database and the stored documents. "
        "Run it on an empty database (after migrate); --replace wipes a database that "
        "already holds consultations or users. The archive is checked before anything changes."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path, help="The archive `manage.py backup` wrote.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Wipe everything in the database first, even consultations and users.",
        )

    def handle(self, *args: Any, archive: Path, replace: bool, **options: Any) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        with tempfile.TemporaryDirectory(prefix="consult-restore-") as folder:
            unpacked = backup.unpack(archive, Path(folder))
            older = backup.check_migrations(unpacked.manifest)
            if unpacked.dump == backup.PG_DUMP:
                backup.check_pg_restore(connection, unpacked)
            else:
                _check_migrated(connection)
            _check_empty(connection, replace)

            try:
                documents = backup.restore_documents(backup.documents_storage(), unpacked)
            except OSError as error:
                raise CommandError(
                    f"Could not write the documents to the documents storage: {error}. The "
                    "database was not changed."
                ) from error
            if unpacked.dump == backup.PG_DUMP:
                backup.run_pg_restore(connection, unpacked)
                if older:
                    call_command("migrate", interactive=False, verbosity=0)
                else:
                    backup.check_rows(connection, unpacked.manifest["rows"])
            else:
                backup.load_dumpdata(connection, unpacked)

        rows = backup.row_counts(connection)
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {backup.summary(rows, documents)} from {archive} "
                f"({_made(unpacked.manifest)})."
            )
        )
        if older:
            self.stdout.write(
                "The backup was made by an earlier version of Consult: its data now has "
                "this version's tables."
            )
        self.stdout.write("Sessions are not backed up: everyone signs in again.")


def _check_migrated(connection) -> None:
    pending = backup.unapplied_migrations(connection)
    if pending:
        raise CommandError(
            f"The database is not up to date with this code ({', '.join(pending)} not "
            "applied): run manage.py migrate first, then restore. Nothing was restored."
        )


def _check_empty(connection, replace: bool) -> None:
    """A restore replaces everything: on a database in use, only when asked to."""
    held = backup.holdings(connection)
    if held and not replace:
        raise CommandError(
            f"The database already holds {held}. A restore replaces everything in it: add "
            "--replace to wipe it and restore the backup, or restore into an empty database "
            "(after migrate). Nothing was restored."
        )


def _made(manifest: dict[str, Any]) -> str:
    made = datetime.datetime.fromisoformat(manifest["created_at"])
    tool = "pg_dump" if manifest["database"]["dump"] == backup.PG_DUMP else "dumpdata"
    return (
        f"backed up {made:%-d %B %Y at %H:%M} UTC by Consult {manifest['consult_version']}, "
        f"database by {tool}"
    )
