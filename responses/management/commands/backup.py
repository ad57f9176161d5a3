from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from responses import backup, backup_protection


class Command(BaseCommand):
    help = (
        "Write the database and every stored document to one .tar.gz archive, with a "
        "manifest of what it holds and a checksum of each file, signed with BACKUP_KEY "
        "(docs/backup.md). On PostgreSQL the database is dumped with pg_dump, elsewhere "
        "with dumpdata."
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
        parser.add_argument(
            "--encrypt",
            action="append",
            default=[],
            metavar="RECIPIENT",
            help="Encrypt the archive with age to this public key (age1…); repeat for more "
            "keys. OUT is then named ….tar.gz.age.",
        )
        parser.add_argument(
            "--keep",
            type=int,
            metavar="N",
            help="Afterwards, remove all but the newest N backups named consult-….tar.gz "
            "(or .tar.gz.age) in OUT's folder; OUT must be named so.",
        )
        parser.add_argument(
            "--without-documents",
            action="store_true",
            help="Leave out the stored PDF and Word files: they are made again from the "
            "database when first downloaded.",
        )

    def handle(
        self,
        *args: Any,
        out: Path,
        force: bool,
        encrypt: list[str],
        keep: int | None,
        without_documents: bool,
        **options: Any,
    ) -> None:
        nothing = "Nothing was written."
        key = backup_protection.signing_key(required=True, nothing_done=nothing)
        _check_destination(out, force)
        recipients = _recipients(out, encrypt)
        if keep is not None:
            backup.check_keep(out, keep)
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
            rows, documents, size = _write(
                connection,
                out,
                dump,
                force=force,
                key=key,
                recipients=recipients,
                with_documents=not without_documents,
            )
        except OSError as error:
            raise CommandError(
                f"Could not write the backup: {error}. Nothing was written."
            ) from error
        encrypted = f", encrypted to {', '.join(k[:12] + '…' for k in encrypt)}" if encrypt else ""
        held = backup.summary(rows, len(documents), left_out=without_documents)
        self.stdout.write(
            self.style.SUCCESS(f"Backed up {held} to {out}{encrypted} ({backup.size_text(size)}).")
        )
        if keep is not None:
            self._remove_older(out, keep, key)

    def _remove_older(self, out: Path, keep: int, key: bytes) -> None:
        kept = backup.remove_older(out, keep, key)
        if kept.removed:
            self.stdout.write(
                f"Removed {backup.plural(len(kept.removed), 'older backup')}, keeping the "
                f"newest {keep}."
            )
        if kept.not_backups:
            names = ", ".join(path.name for path in kept.not_backups)
            self.stdout.write(
                f"Left alone {backup.plural(len(kept.not_backups), 'file')} that "
                f"{'is not a backup' if len(kept.not_backups) == 1 else 'are not backups'} "
                f"made with this BACKUP_KEY: {names}."
            )
        for failure in kept.failed:
            self.stderr.write(self.style.WARNING(f"Warning: could not remove {failure}."))


def _write(
    connection: BaseDatabaseWrapper,
    out: Path,
    dump: str,
    *,
    force: bool,
    key: bytes,
    recipients: list,
    with_documents: bool,
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
        documents = (
            backup.stage_documents(backup.documents_storage(), folder / "documents")
            if with_documents
            else []
        )
        manifest = backup.make_manifest(
            connection,
            dump=dump,
            database=database,
            documents=documents,
            migrations=migrations,
            rows=rows,
            documents_left_out=not with_documents,
        )
        size = backup.write_archive(
            out,
            manifest,
            database + documents,
            force=force,
            key=key,
            recipients=recipients,
            staging=folder,
        )
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


def _recipients(out: Path, keys: list[str]) -> list:
    """The age public keys to encrypt to, checked with OUT's name: an encrypted backup
    is named ….age, and only an encrypted one."""
    if keys and out.suffix != ".age":
        raise CommandError(
            f"An encrypted backup is named ….age, so that nobody takes it for a plain "
            f"archive: give {out.name}.age. Nothing was written."
        )
    if not keys and out.suffix == ".age":
        raise CommandError(
            f"{out.name} ends .age, which only an encrypted backup is named: add --encrypt "
            "RECIPIENT, or name it ….tar.gz. Nothing was written."
        )
    return backup_protection.recipients(keys)
