from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from responses import backup


class Command(BaseCommand):
    help = (
        "Write the database and every stored document to one .tar.gz archive, with a "
        "manifest of what it holds and a checksum of each file (docs/backup.md). On "
        "PostgreSQL the database is dumped with pg_dump, elsewhere with dumpdata."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("out", type=Path, help="The archive to write, e.g. consult.tar.gz.")
        parser.add_argument("--force", action="store_true", help="Overwrite OUT if it exists.")
        parser.add_argument(
            "--dumpdata",
            action="store_true",
            help="Dump a PostgreSQL database with dumpdata, not pg_dump: slower to restore, "
            "but it restores onto SQLite or any PostgreSQL version.",
        )

    def handle(self, *args: Any, out: Path, force: bool, **options: Any) -> None:
        _check_destination(out, force)
        connection = connections[DEFAULT_DB_ALIAS]
        dump, why_not_pg_dump = backup.choose_dump(connection, portable=options["dumpdata"])
        if why_not_pg_dump:
            self.stderr.write(
                self.style.WARNING(
                    f"Warning: {why_not_pg_dump}: backing up the database with dumpdata instead "
                    "(it restores the same, only more slowly)."
                )
            )
        if dump == backup.DUMPDATA and (pending := backup.unapplied_migrations(connection)):
            raise CommandError(
                f"The database is not up to date with this code ({', '.join(pending)} not "
                "applied): run manage.py migrate first, or back up with the version of "
                "Consult that last migrated it. Nothing was written."
            )
        try:
            rows, documents, size = _write(connection, out, dump, force=force)
        except OSError as error:
            raise CommandError(
                f"Could not write the backup: {error}. Nothing was written."
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {backup.summary(rows, len(documents))} to {out} "
                f"({backup.size_text(size)})."
            )
        )


def _write(
    connection: BaseDatabaseWrapper, out: Path, dump: str, *, force: bool
) -> tuple[dict[str, int], list[backup.Member], int]:
    """Dump the database, copy the documents, and write the archive: its rows per
    model, its documents and its size."""
    with tempfile.TemporaryDirectory(prefix="consult-backup-") as staging:
        folder = Path(staging)
        with backup.consistent_read(connection) as snapshot:
            if dump == backup.PG_DUMP:
                paths = [backup.dump_with_pg_dump(connection, folder, snapshot)]
                names = [backup.PG_DUMP_FILE]
            else:
                paths = backup.dump_with_dumpdata(connection, folder)
                names = [backup.NATURAL_KEYS_FILE, backup.DATA_FILE]
            migrations = backup.migration_state(connection)
            rows = backup.row_counts(connection)
        database = [backup.stage_file(path, name) for path, name in zip(paths, names, strict=True)]
        documents = backup.stage_documents(backup.documents_storage(), folder / "documents")
        manifest = backup.make_manifest(
            connection,
            dump=dump,
            database=database,
            documents=documents,
            migrations=migrations,
            rows=rows,
        )
        size = backup.write_archive(out, manifest, database + documents, force=force)
    return rows, documents, size


def _check_destination(out: Path, force: bool) -> None:
    """Refuse, before reading anything, an archive that could not be written or would
    overwrite one by accident."""
    if out.is_dir():
        raise CommandError(
            f"{out} is a folder: give a file name, such as {out / 'consult.tar.gz'}."
        )
    if not out.parent.is_dir():
        raise CommandError(f"There is no folder {out.parent} to write {out.name} in.")
    if out.exists() and not force:
        raise CommandError(
            f"{out} already exists: give another name, or add --force to overwrite it. "
            "Nothing was written."
        )
