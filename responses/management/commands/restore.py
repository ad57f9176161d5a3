from __future__ import annotations

import datetime
import tempfile
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from responses import backup, backup_protection


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup`: the database and the stored documents. "
        "Run it on an empty database (after migrate); --replace wipes a database that "
        "already holds consultations or users. The archive is checked (its signature under "
        "BACKUP_KEY first) before anything changes."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path, help="The archive `manage.py backup` wrote.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Wipe everything in the database first, even consultations and users.",
        )
        parser.add_argument(
            "--identity",
            type=Path,
            metavar="FILE",
            help="For an encrypted backup (.age): the age identity file holding the private "
            "key it was encrypted to.",
        )
        parser.add_argument(
            "--unauthenticated",
            action="store_true",
            help="Restore an archive whose signature cannot be checked: one made before "
            "backups were signed, or without BACKUP_KEY. With BACKUP_KEY set, a wrong "
            "signature is refused still.",
        )

    def handle(
        self,
        *args: Any,
        archive: Path,
        replace: bool,
        identity: Path | None,
        unauthenticated: bool,
        **options: Any,
    ) -> None:
        key = backup_protection.signing_key(
            required=not unauthenticated, nothing_done="Nothing was restored."
        )
        connection = connections[DEFAULT_DB_ALIAS]
        with tempfile.TemporaryDirectory(prefix="consult-restore-") as folder:
            unpacked = backup.unpack(
                archive,
                Path(folder),
                key=key,
                unauthenticated=unauthenticated,
                identity=identity,
            )
            if not unpacked.authenticated:
                self.stderr.write(
                    self.style.WARNING(
                        f"Warning: {archive}'s signature was not checked (--unauthenticated): "
                        "nothing proves it is your server's backup, unaltered."
                    )
                )
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
        left_out = unpacked.manifest.get("documents_left_out", False) is True
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {backup.summary(rows, documents, left_out=left_out)} from {archive} "
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
