"""Backups: one .tar.gz archive holding the database, the stored documents and a manifest.

The archive's layout, in this order (docs/backup.md says how to use it):

    manifest.json               what follows: versions, migrations, rows per model, and
                                the size and SHA-256 of every other member
    manifest.hmac               the manifest's signature under BACKUP_KEY
                                (`backup_protection`), checked before anything else is read
    database/consult.pgdump     `pg_dump -Fc` of the PostgreSQL database, or, by dumpdata:
    database/natural-keys.json    content types, permissions and groups, by natural key
    database/data.json            every other row of every app, by primary key
    documents/<name>            each file of the "documents" storage, as stored

With `--encrypt`, the whole archive is then encrypted with age (a .tar.gz.age).

A .tar.gz, because every server can list and unpack it with `tar` alone, Python writes
and reads it without a third-party package, it is read member by member (so documents
never have to fit in memory), and gzip shrinks the JSON dump several times over.

Rows that `migrate` makes by itself (content types, permissions, the role groups) are
dumped by natural key, so that they match the ones a fresh database already has rather
than clash with them. Every other row keeps its primary key: section ids are part of the
digest a sign-off records, and addresses such as /responses/3/ must still lead to the
same response after a restore.

The restore checks everything it can (the manifest's signature, every checksum, the
migrations, whether the database is empty) before it changes anything.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import importlib.metadata
import io
import json
import os
import re
import shutil
import subprocess  # noqa: S404 - pg_dump and pg_restore, run without a shell
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

import django
import pyrage
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.core.management.sql import emit_post_migrate_signal
from django.core.serializers import json as json_serializer
from django.core.serializers import register_serializer
from django.core.serializers.json import DjangoJSONEncoder
from django.db import router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.graph import MigrationGraph
from django.db.migrations.loader import MigrationLoader
from django.template.defaultfilters import filesizeformat

from responses.backup_protection import (
    check_signature,
    decrypt,
    encrypt,
    identities,
    is_encrypted,
    is_signed,
    manifest_tag,
)

FORMAT = "consult-backup"
# 2: the manifest is signed (MANIFEST_TAG); a version 1 archive is not.
FORMAT_VERSION = 2
MANIFEST = "manifest.json"
MANIFEST_TAG = "manifest.hmac"
# The manifest and its signature are read whole before anything proves them Consult's, so
# no larger: a manifest lists about 150 bytes per document, so this is 100,000 documents.
MANIFEST_LIMIT = 16 * 1024 * 1024
# What `--keep` may remove: the backups named as docs/backup.md names them, and only those.
KEPT_NAME = re.compile(r"consult-.+\.tar\.gz(\.age)?")
DOCUMENTS_STORAGE = "documents"
DOCUMENTS_DIR = "documents/"
PG_DUMP_FILE = "database/consult.pgdump"
NATURAL_KEYS_FILE = "database/natural-keys.json"
DATA_FILE = "database/data.json"
PG_DUMP = "pg_dump"
DUMPDATA = "dumpdata"
# dumpdata's JSON, with times to the microsecond (see Serializer below).
EXACT_JSON = "consult-exact-json"

# Rows `migrate` makes itself: dumped and matched by natural key, never by primary key.
MADE_BY_MIGRATE = ["contenttypes", "auth.permission", "auth.group"]
MADE_BY_MIGRATE_MODELS = {
    "contenttypes.contenttype",
    "auth.permission",
    "auth.group",
    "auth.group_permissions",
}
# Not backed up: everyone signs in again after a restore.
NOT_BACKED_UP = {"sessions.session"}

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Member:
    """One file of the archive besides the manifest: where it is staged, and its checksum."""

    name: str  # inside the archive
    path: Path  # on this machine
    size: int
    sha256: str

    def entry(self, name: str | None = None) -> dict[str, Any]:
        return {"name": name or self.name, "size": self.size, "sha256": self.sha256}


# What a backup reads


def documents_storage() -> Storage:
    return storages[DOCUMENTS_STORAGE]


def stored_document_names(storage: Storage, folder: str = "") -> list[str]:
    """Every file in the storage, through its own listdir, so object storage works too.
    A folder that does not exist (nothing rendered yet) holds nothing."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}/{name}" if folder else name for name in files]
    for sub in folders:
        names += stored_document_names(storage, f"{folder}/{sub}" if folder else sub)
    return sorted(names)


def counted_models(connection: BaseDatabaseWrapper) -> list:
    """Every model whose rows a backup holds, many-to-many tables included."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy
        and model._meta.managed
        and model._meta.label_lower not in NOT_BACKED_UP
        and router.allow_migrate_model(connection.alias, model)
    ]


def row_counts(connection: BaseDatabaseWrapper) -> dict[str, int]:
    """Rows per model ("responses.answer": 35), for the manifest and to check a restore."""
    tables = set(connection.introspection.table_names())
    return {
        model._meta.label_lower: model._base_manager.using(connection.alias).count()
        for model in counted_models(connection)
        if model._meta.db_table in tables
    }


def migration_state(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """The latest migration applied to this database, per app."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return _latest_per_app(loader.graph, set(loader.applied_migrations))


def code_migration_state() -> dict[str, str]:
    """The latest migration this code has, per app."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return _latest_per_app(loader.graph, set(loader.graph.nodes))


def _latest_per_app(graph: MigrationGraph, keys: set[tuple[str, str]]) -> dict[str, str]:
    latest = {}
    for app in sorted({app for app, _ in keys}):
        mine = {key for key in keys if key[0] == app}
        leaves = [
            key
            for key in mine
            if key in graph.node_map
            and not any(child.key in mine for child in graph.node_map[key].children)
        ]
        latest[app] = max(name for _, name in (leaves or mine))
    return latest


def unapplied_migrations(connection: BaseDatabaseWrapper) -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


@contextmanager
def consistent_read(connection: BaseDatabaseWrapper) -> Iterator[str | None]:
    """One moment's view of the database for everything a backup reads from it, so the
    dump, the row counts and the migrations agree while people keep working.

    Yields a PostgreSQL snapshot id that pg_dump can share (None elsewhere). Inside a
    transaction already (a test, say), that transaction's view is the moment."""
    if connection.in_atomic_block:
        yield None
        return
    with transaction.atomic(using=connection.alias):
        snapshot = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
        yield snapshot


# The database dump


def choose_dump(connection: BaseDatabaseWrapper, *, portable: bool) -> tuple[str, str | None]:
    """How to dump this database: (PG_DUMP or DUMPDATA, why not pg_dump when it was wanted)."""
    if connection.vendor != "postgresql" or portable:
        return DUMPDATA, None
    if connection.in_atomic_block:
        return DUMPDATA, "the backup runs inside a transaction, whose rows pg_dump cannot see"
    problem = pg_dump_problem(connection)
    return (DUMPDATA, problem) if problem else (PG_DUMP, None)


def pg_dump_problem(connection: BaseDatabaseWrapper) -> str | None:
    """Why pg_dump cannot dump this server, or None when it can: pg_dump dumps servers of
    its own major version and older ones, never newer."""
    if shutil.which(PG_DUMP) is None:
        return "pg_dump is not on PATH"
    tool = tool_major_version(PG_DUMP)
    connection.ensure_connection()
    server = connection.pg_version // 10000
    if tool is None:
        return "pg_dump did not say which version it is"
    if tool < server:
        return f"pg_dump {tool} cannot dump a PostgreSQL {server} server"
    return None


def tool_major_version(tool: str) -> int | None:
    """The major version of a PostgreSQL client tool ("pg_dump (PostgreSQL) 15.2" is 15)."""
    try:
        said = _run([tool, "--version"], env=None).stdout
    except CommandError:
        return None
    found = re.search(r"\(PostgreSQL\)\s+(\d+)", said) or re.search(r"(\d+)(?:\.\d+)?", said)
    return int(found.group(1)) if found else None


def pg_connection(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Arguments and environment that connect pg_dump or pg_restore where Django connects:
    the password and TLS settings go in the environment (as for `manage.py dbshell`), never
    on a command line that others on the server can read."""
    _, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    args = [
        f"--{flag}={settings_dict[key]}"
        for flag, key in (("username", "USER"), ("host", "HOST"), ("port", "PORT"))
        if settings_dict.get(key)
    ]
    if settings_dict.get("NAME"):
        args.append(f"--dbname={settings_dict['NAME']}")
    return args, {**os.environ, **(env or {})}


def dump_with_pg_dump(connection: BaseDatabaseWrapper, folder: Path, snapshot: str | None) -> Path:
    target = folder / PurePosixPath(PG_DUMP_FILE).name
    args, env = pg_connection(connection.settings_dict)
    sessions = _sessions_table()
    _run(
        [
            PG_DUMP,
            "--format=custom",
            f"--file={target}",
            *([f"--snapshot={snapshot}"] if snapshot else []),
            *([f"--exclude-table-data={sessions}"] if sessions else []),
            *args,
        ],
        env=env,
        failure="pg_dump could not dump the database",
    )
    return target


class _ExactEncoder(DjangoJSONEncoder):
    """Django's JSON encoder cuts times to the millisecond; a restore keeps them whole, so a
    sign-off's or an audit event's time is the one recorded, to the microsecond."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(json_serializer.Serializer):
    """dumpdata's JSON serializer with `_ExactEncoder`, registered as EXACT_JSON (this module
    is the serializer module); loaddata reads its output as plain JSON."""

    def _init_options(self) -> None:
        super()._init_options()
        self.json_kwargs["cls"] = _ExactEncoder


Deserializer = json_serializer.Deserializer


def dump_with_dumpdata(connection: BaseDatabaseWrapper, folder: Path) -> list[Path]:
    """Django's dumpdata of every app (sessions left out), written as UTF-8 JSON: first the
    rows migrate makes, by natural key, then the rest, by primary key."""
    register_serializer(EXACT_JSON, __name__)
    natural_keys = folder / PurePosixPath(NATURAL_KEYS_FILE).name
    data = folder / PurePosixPath(DATA_FILE).name
    common = {
        "database": connection.alias,
        "use_natural_foreign_keys": True,
        "use_base_manager": True,
        "format": EXACT_JSON,
        "verbosity": 0,
    }
    with natural_keys.open("w", encoding="utf-8") as out:
        call_command(
            "dumpdata", *MADE_BY_MIGRATE, use_natural_primary_keys=True, stdout=out, **common
        )
    with data.open("w", encoding="utf-8") as out:
        excluded = [*MADE_BY_MIGRATE, *NOT_BACKED_UP]
        call_command("dumpdata", exclude=excluded, stdout=out, **common)
    return [natural_keys, data]


def _sessions_table() -> str | None:
    try:
        return apps.get_model("sessions", "Session")._meta.db_table
    except LookupError:
        return None


def _run(
    args: list[str], *, env: dict[str, str] | None, failure: str = ""
) -> subprocess.CompletedProcess:
    """Run a PostgreSQL client tool; a failure is a CommandError with the tool's own words."""
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except OSError as error:
        raise CommandError(f"{failure or 'Could not run ' + args[0]}: {error}.") from error
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        errors = [line for line in lines if re.search(r"\b(error|fatal)\b", line, re.I)]
        said = (errors or lines)[-5:]
        raise CommandError(f"{failure or args[0] + ' failed'}: {' '.join(said) or 'no reason'}.")
    return done


# Writing the archive


def stage_file(path: Path, name: str) -> Member:
    """A file already on disk, as a member of the archive."""
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return Member(name, path, size, digest.hexdigest())


def stage_documents(storage: Storage, folder: Path) -> list[Member]:
    """Copy every stored document to `folder` (it may live in object storage), hashing it."""
    folder.mkdir(parents=True, exist_ok=True)
    members = []
    for index, name in enumerate(stored_document_names(storage)):
        target = folder / f"{index:06d}"
        with storage.open(name, "rb") as source, target.open("wb") as copy:
            shutil.copyfileobj(source, copy, CHUNK)
        members.append(stage_file(target, DOCUMENTS_DIR + name))
    return members


def make_manifest(
    connection: BaseDatabaseWrapper,
    *,
    dump: str,
    database: list[Member],
    documents: list[Member],
    migrations: dict[str, str],
    rows: dict[str, int],
    documents_left_out: bool = False,
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "consult_version": consult_version(),
        "django_version": django.get_version(),
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": {
            "engine": connection.settings_dict["ENGINE"],
            "vendor": connection.vendor,
            "server_version": _server_version(connection),
            "dump": dump,
            "pg_dump_version": tool_major_version(PG_DUMP) if dump == PG_DUMP else None,
            "files": [member.entry() for member in database],
        },
        "migrations": migrations,
        "rows": rows,
        "documents": [
            member.entry(member.name.removeprefix(DOCUMENTS_DIR)) for member in documents
        ],
        "documents_left_out": documents_left_out,
    }


def consult_version() -> str:
    """The installed package's version: a backup needs no git checkout to say what made it."""
    try:
        return importlib.metadata.version("consult")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _server_version(connection: BaseDatabaseWrapper) -> str | None:
    if connection.vendor != "postgresql":
        return None
    connection.ensure_connection()
    major, minor = divmod(connection.pg_version, 10000)
    return f"{major}.{minor}"


def write_archive(
    out: Path,
    manifest: dict[str, Any],
    members: list[Member],
    *,
    force: bool,
    key: bytes,
    recipients: list[pyrage.x25519.Recipient] | None = None,
    staging: Path | None = None,
) -> int:
    """Write the archive next to `out` and rename it into place, so that `out` is never a
    half-written file (a full disk, a killed job); return its size. Readable by its owner
    only: it holds password hashes. With `recipients`, the archive is made in `staging`
    (TMPDIR if None) first, then encrypted to them into `out`."""
    handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as raw:
            if recipients:
                with tempfile.TemporaryFile(dir=staging) as plain:
                    _write_tar(plain, manifest, members, key)
                    plain.seek(0)
                    encrypt(plain, raw, recipients)
            else:
                _write_tar(raw, manifest, members, key)
            raw.flush()
            os.fsync(raw.fileno())
        if out.exists() and not force:
            raise CommandError(f"{out} appeared while the backup was written: nothing was written.")
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return out.stat().st_size


def _write_tar(raw: IO[bytes], manifest: dict[str, Any], members: list[Member], key: bytes) -> None:
    with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as archive:
        created = datetime.datetime.fromisoformat(manifest["created_at"]).timestamp()
        text = json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True).encode()
        _add(archive, MANIFEST, len(text), created, io.BytesIO(text))
        tag = manifest_tag(text, key)
        _add(archive, MANIFEST_TAG, len(tag), created, io.BytesIO(tag))
        for member in members:
            with member.path.open("rb") as source:
                _add(archive, member.name, member.size, created, source)


def _add(archive: tarfile.TarFile, name: str, size: int, mtime: float, source: IO[bytes]) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(mtime), 0o600
    archive.addfile(info, source)


# Reading the archive


class _Unverified(gzip.GzipFile):
    """A .tar.gz read, while `limit` is set, no further than `limit` bytes of its
    decompressed start: tarfile reads some headers whole (a GNU long name, a pax header)
    before we see a member, and nothing should be read far before the signature is checked."""

    limit: int | None = None

    def read(self, size: int | None = -1) -> bytes:
        self._check(self.tell() + (size if size is not None and size >= 0 else 1 << 62))
        return super().read(size)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            self._check(offset)
        return super().seek(offset, whence)

    def _check(self, end: int) -> None:
        if self.limit is not None and end > self.limit:
            raise _BeyondManifest


class _BeyondManifest(Exception):
    """Read past where a Consult manifest and its signature can end."""


def _unverified_limit() -> int:
    """How far the manifest and its signature can reach, with their headers."""
    return 2 * MANIFEST_LIMIT + 64 * 1024


@contextmanager
def _open_archive(path: Path, shown: Path) -> Iterator[tuple[tarfile.TarFile, _Unverified]]:
    """The archive at `path`, and its stream, bounded until the caller lifts the limit."""
    with _Unverified(path, mode="rb") as stream:
        stream.limit = _unverified_limit()
        try:
            archive = tarfile.open(fileobj=stream, mode="r:")  # noqa: SIM115 - closed below
        except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
            raise CommandError(
                f"{shown} is not a Consult backup: it is not a .tar.gz archive."
            ) from error
        with archive:
            yield archive, stream


def _beyond_manifest(path: Path) -> CommandError:
    return CommandError(
        f"{path} is not a Consult backup: it does not hold its manifest and signature in "
        f"its first {size_text(_unverified_limit())}, as Consult writes them. Nothing was "
        "restored."
    )


@dataclass(frozen=True)
class Unpacked:
    """A checked archive, unpacked into a temporary folder."""

    manifest: dict[str, Any]
    files: dict[str, Path]  # archive name: where it was unpacked
    authenticated: bool = True  # False: restored with --unauthenticated, unchecked

    @property
    def dump(self) -> str:
        return self.manifest["database"]["dump"]

    def database_files(self) -> list[Path]:
        return [self.files[entry["name"]] for entry in self.manifest["database"]["files"]]


def unpack(
    path: Path,
    folder: Path,
    *,
    key: bytes | None,
    unauthenticated: bool = False,
    identity: Path | None = None,
) -> Unpacked:
    """Unpack and check an archive: a Consult manifest first, signed with `key`, then
    exactly the files it lists, each with its size and SHA-256. Anything else is refused
    before the database or the storage are touched. An encrypted archive is decrypted
    first with the keys in the `identity` file."""
    if not path.is_file():
        raise CommandError(f"No such file: {path}.")
    keys = identities(identity) if identity else None
    readable = path
    if is_encrypted(path):
        if keys is None:
            raise CommandError(
                f"{path} is encrypted: give --identity FILE, the file holding the private "
                "key (AGE-SECRET-KEY-1…) whose public key it was encrypted to. Nothing was "
                "restored."
            )
        readable = folder / "archive.tar.gz"
        decrypt(path, readable, keys, identity)
    try:
        with _open_archive(readable, path) as (archive, stream):
            return _unpack_members(path, archive, stream, folder, key, unauthenticated)
    except _BeyondManifest as error:
        raise _beyond_manifest(path) from error
    except OSError as error:
        if error.errno is not None:  # this machine's trouble (a full disk), not the archive's
            raise CommandError(
                f"Could not unpack {path}: {error}. Nothing was restored."
            ) from error
        raise _damaged(path, f"it could not be read to the end ({error})") from error
    except (tarfile.TarError, EOFError, zlib.error) as error:
        raise _damaged(path, f"it could not be read to the end ({error})") from error


def _unpack_members(
    path: Path,
    archive: tarfile.TarFile,
    stream: _Unverified,
    folder: Path,
    key: bytes | None,
    unauthenticated: bool,
) -> Unpacked:
    """The manifest's bytes first; then its signature, checked before the manifest is
    read and before any other member (and only then is the stream read further)."""
    text: bytes | None = None
    authenticated = False
    manifest: dict[str, Any] | None = None
    expected: dict[str, dict[str, Any]] = {}
    files: dict[str, Path] = {}
    for index, member in enumerate(archive):
        if index == 0:
            text = _manifest_bytes(path, archive, member)
            continue
        if manifest is None:
            signed = member.name == MANIFEST_TAG and member.isreg()
            tag = _small_member(path, archive, member) if signed else None
            authenticated = check_signature(path, text, tag, key, unauthenticated=unauthenticated)
            manifest = _read_manifest(path, text)
            expected = listed_members(manifest)
            stream.limit = None
            if signed:
                continue
        entry = expected.get(member.name)
        if entry is None or not member.isreg() or member.name in files:
            raise _damaged(path, f"it holds {member.name}, which its manifest does not list")
        if member.size > entry["size"]:
            raise _larger_than_listed(path, member.name)
        target = folder / f"{index:06d}{PurePosixPath(member.name).suffix}"
        _copy_checked(path, archive.extractfile(member), target, member.name, entry)
        files[member.name] = target
    if text is None:
        raise CommandError(f"{path} is not a Consult backup: the archive is empty.")
    if manifest is None:  # nothing but the manifest
        authenticated = check_signature(path, text, None, key, unauthenticated=unauthenticated)
        manifest = _read_manifest(path, text)
        expected = listed_members(manifest)
    missing = sorted(expected.keys() - files.keys())
    if missing:
        raise _damaged(path, f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing")
    return Unpacked(manifest, files, authenticated)


def _manifest_bytes(path: Path, archive: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    if member.name != MANIFEST or not member.isreg():
        raise CommandError(f"{path} is not a Consult backup: it does not start with {MANIFEST}.")
    return _small_member(path, archive, member)


def _small_member(path: Path, archive: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    """The manifest or its signature, read whole: refused by its header's size first."""
    if member.size > MANIFEST_LIMIT:
        raise CommandError(
            f"{path} is not a Consult backup: its {member.name} is {size_text(member.size)}, "
            f"larger than Consult ever writes ({size_text(MANIFEST_LIMIT)}). Nothing was "
            "restored."
        )
    return archive.extractfile(member).read(MANIFEST_LIMIT)


def _read_manifest(path: Path, text: bytes) -> dict:
    try:
        manifest = json.loads(text.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise _damaged(path, f"its {MANIFEST} cannot be read") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise CommandError(f"{path} is not a Consult backup: its {MANIFEST} is not Consult's.")
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise CommandError(
            f"{path} was written by a newer version of Consult, in a format this one cannot "
            "read. Restore it with that version or a later one. Nothing was restored."
        )
    if not _complete(manifest):
        raise _damaged(path, f"its {MANIFEST} lacks what a restore needs")
    return manifest


def _complete(manifest: dict[str, Any]) -> bool:
    """Whether the manifest has every part a restore reads, each of the right kind."""
    database, documents = manifest.get("database"), manifest.get("documents")
    if not isinstance(database, dict) or not isinstance(documents, list):
        return False
    files = database.get("files")
    return (
        database.get("dump") in (PG_DUMP, DUMPDATA)
        and isinstance(files, list)
        and bool(files)
        and all(_is_entry(entry) for entry in [*files, *documents])
        and isinstance(manifest.get("migrations"), dict)
        and isinstance(manifest.get("rows"), dict)
        and isinstance(manifest.get("created_at"), str)
    )


def _is_entry(entry: Any) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("name"), str)
        and isinstance(entry.get("size"), int)
        and isinstance(entry.get("sha256"), str)
    )


def listed_members(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every member the manifest lists, by its name in the archive."""
    listed = {entry["name"]: entry for entry in manifest["database"]["files"]}
    for document in manifest["documents"]:
        name = document["name"]
        parts = PurePosixPath(name).parts
        if not parts or PurePosixPath(name).is_absolute() or ".." in parts or "\\" in name:
            raise CommandError(f"The backup names a document “{name}”, which is not a safe name.")
        listed[DOCUMENTS_DIR + name] = document
    return listed


def _copy_checked(
    path: Path, source: IO[bytes] | None, target: Path, name: str, entry: dict
) -> None:
    """Copy a member, checking it against the manifest; no further than the size it lists,
    so an altered archive fills neither memory nor the disk."""
    digest, size = hashlib.sha256(), 0
    with target.open("wb") as copy:
        while source is not None and (chunk := source.read(CHUNK)):
            size += len(chunk)
            if size > entry["size"]:
                raise _larger_than_listed(path, name)
            digest.update(chunk)
            copy.write(chunk)
    if size != entry["size"] or digest.hexdigest() != entry["sha256"]:
        raise _damaged(
            path,
            f"{name} does not match its checksum in the manifest (it was changed or "
            "corrupted after the backup was made)",
        )


def _larger_than_listed(path: Path, name: str) -> CommandError:
    return _damaged(
        path, f"{name} is larger than the backup's manifest says: the archive was altered"
    )


def _damaged(path: Path, why: str) -> CommandError:
    return CommandError(f"{path} is damaged: {why}. Nothing was restored.")


# Checking a restore


def check_migrations(manifest: dict[str, Any]) -> bool:
    """Refuse a backup from a newer migration state than this code knows; return whether it
    is from an older one (its data then loads into, or is migrated to, today's tables)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.graph.nodes)
    for squashed in loader.replacements.values():
        known.update(squashed.replaces)
    backup = manifest["migrations"]
    unknown = [f"{app}.{name}" for app, name in sorted(backup.items()) if (app, name) not in known]
    if unknown:
        raise CommandError(
            "This backup was made by a newer version of Consult: its database has migrations "
            f"this code does not ({', '.join(unknown)}). Restore it with that version or a "
            "later one. Nothing was restored."
        )
    return backup != code_migration_state()


def holdings(connection: BaseDatabaseWrapper) -> str:
    """What in the database a restore would replace ("1 consultation and 5 users"), or ""."""
    from responses.models import Consultation

    tables = set(connection.introspection.table_names())
    counts = [
        (model._base_manager.using(connection.alias).count(), noun)
        for model, noun in ((Consultation, "consultation"), (get_user_model(), "user"))
        if model._meta.db_table in tables
    ]
    return " and ".join(plural(count, noun) for count, noun in counts if count)


def mismatched_rows(expected: dict[str, int], actual: dict[str, int]) -> list[str]:
    """Models whose rows after a restore are not the backup's (the rows migrate makes are
    matched by natural key, so a newer code's extra ones are no mismatch)."""
    return [
        f"{label}: {actual.get(label, 0)} rows, the backup has {count}"
        for label, count in sorted(expected.items())
        if label not in MADE_BY_MIGRATE_MODELS and label in actual and actual[label] != count
    ]


# Restoring


def restore_documents(storage: Storage, unpacked: Unpacked) -> int:
    """Put every document back under its own name. A file already there with the same
    content is left alone; one with other content is replaced. Documents are named by
    the digest of what they show, so a file left over from elsewhere does no harm."""
    for document in unpacked.manifest["documents"]:
        name = document["name"]
        if storage.exists(name):
            if _stored_sha256(storage, name) == document["sha256"]:
                continue
            storage.delete(name)
        with unpacked.files[DOCUMENTS_DIR + name].open("rb") as source:
            saved = storage.save(name, File(source, name=name))
        if saved != name:
            raise CommandError(
                f"The documents storage saved “{name}” as “{saved}”: check its settings."
            )
    return len(unpacked.manifest["documents"])


def _stored_sha256(storage: Storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as stored:
        while chunk := stored.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def load_dumpdata(connection: BaseDatabaseWrapper, unpacked: Unpacked) -> None:
    """Empty the database and load the backup, in one transaction: afterwards it holds the
    backup's rows and nothing else, or (on any error) what it held before.

    Emptying it and sending post_migrate leaves it as `migrate` leaves a new database, with
    its content types, permissions and role groups, which the backup's then match by
    natural key."""
    with transaction.atomic(using=connection.alias):
        tables = connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        flush = connection.ops.sql_flush(no_style(), tables, reset_sequences=True)
        connection.ops.execute_sql_flush(flush)
        ContentType.objects.clear_cache()
        emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
        paths = [str(path) for path in unpacked.database_files()]
        call_command(
            "loaddata", *paths, database=connection.alias, ignorenonexistent=True, verbosity=0
        )
        reset_sequences(connection)
        check_rows(connection, unpacked.manifest["rows"])
    ContentType.objects.clear_cache()


def check_rows(connection: BaseDatabaseWrapper, expected: dict[str, int]) -> None:
    wrong = mismatched_rows(expected, row_counts(connection))
    if wrong:
        raise CommandError(
            f"The restored database does not hold what the backup lists ({'; '.join(wrong)}). "
            "Nothing was restored."
        )


def reset_sequences(connection: BaseDatabaseWrapper) -> None:
    """What `sqlsequencereset` prints, run for every model: on PostgreSQL each id sequence
    then continues after the highest restored id, so new rows do not collide."""
    statements = connection.ops.sequence_reset_sql(no_style(), counted_models(connection))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def check_pg_restore(connection: BaseDatabaseWrapper, unpacked: Unpacked) -> None:
    """Refuse, before anything changes, a pg_dump archive this server cannot take whole."""
    if connection.vendor != "postgresql":
        raise CommandError(
            "This backup holds a PostgreSQL dump (pg_dump), which restores only onto "
            "PostgreSQL. On the server it came from, make a portable one with "
            "`manage.py backup --dumpdata OUT`. Nothing was restored."
        )
    needed = unpacked.manifest["database"].get("pg_dump_version") or 0
    if shutil.which("pg_restore") is None:
        raise CommandError(
            f"pg_restore is not on PATH: install the PostgreSQL client tools (version {needed} "
            "or later) to restore this backup. Nothing was restored."
        )
    have = tool_major_version("pg_restore") or 0
    if have < needed:
        raise CommandError(
            f"This backup was made with pg_dump {needed}, which pg_restore {have} cannot read: "
            f"install the PostgreSQL {needed} client tools. Nothing was restored."
        )
    listing = _run(
        ["pg_restore", "--list", str(unpacked.database_files()[0])],
        env=None,
        failure="pg_restore could not read the database dump in this backup",
    ).stdout
    archived = set(re.findall(r"^\d+; \d+ \d+ TABLE (?!DATA )\S+ (\S+) ", listing, re.MULTILINE))
    extra = sorted(set(connection.introspection.table_names()) - archived)
    if extra:
        raise CommandError(
            f"The database has tables the backup does not ({', '.join(extra)}): the backup is "
            "from an earlier version of Consult. Restore it into a new, empty database "
            "(createdb, without migrate); the restore then brings it up to date. Nothing "
            "was restored."
        )


def run_pg_restore(connection: BaseDatabaseWrapper, unpacked: Unpacked) -> None:
    """pg_restore in one transaction: it drops and recreates every table the dump holds,
    so on any error the database is as it was."""
    args, env = pg_connection(connection.settings_dict)
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *args,
            str(unpacked.database_files()[0]),
        ],
        env=env,
        failure="pg_restore could not restore the database (nothing was changed in it)",
    )
    ContentType.objects.clear_cache()
    reset_sequences(connection)


# Keeping the newest


def check_keep(out: Path, keep: int) -> None:
    """Refuse, before anything is written, a `--keep` that could remove the wrong files."""
    if keep < 1:
        raise CommandError(f"--keep must be 1 or more (it was {keep}). Nothing was written.")
    if not KEPT_NAME.fullmatch(out.name):
        raise CommandError(
            "--keep removes older backups named consult-….tar.gz (or .tar.gz.age) in the same "
            f"folder, and only those: name this one so too, such as consult-2026-03-01.tar.gz, "
            f"not {out.name}. Nothing was written."
        )


@dataclass(frozen=True)
class Kept:
    """What `--keep` did: the backups it removed, those it could not, and the files named
    as backups are that it left alone because they are not."""

    removed: list[Path]
    failed: list[str]
    not_backups: list[Path]


def remove_older(out: Path, keep: int, key: bytes) -> Kept:
    """Remove the backups beside `out` named as it is (KEPT_NAME), all but the newest
    `keep` by when each was made; `out` is always one kept. Only files that are backups
    made with `key` count (`made_at`); folders, links and every other file are left alone."""
    named = [
        path
        for path in out.parent.iterdir()
        if KEPT_NAME.fullmatch(path.name)
        and path.name != out.name
        and path.is_file()
        and not path.is_symlink()
    ]
    found = {path: made_at(path, key) for path in named}
    backups = sorted(
        (path for path, made in found.items() if made is not None),
        key=lambda path: (found[path], path.name),
        reverse=True,
    )
    removed, failed = [], []
    for path in backups[keep - 1 :]:
        try:
            path.unlink()
        except OSError as error:
            failed.append(f"{path}: {error}")
        else:
            removed.append(path)
    not_backups = sorted(path for path, made in found.items() if made is None)
    return Kept(removed, failed, not_backups)


def made_at(path: Path, key: bytes) -> float | None:
    """When the backup at `path` was made, as a timestamp; None if it is not a backup made
    with `key`. A .tar.gz is one when its manifest's signature verifies, and was made when
    the manifest says; a .tar.gz.age cannot be read without its identity, so one that is
    age's is taken for a backup, made when its file was last written. A time still to come
    proves nothing (anyone can touch a file): such a backup counts as the oldest."""
    if path.name.endswith(".age"):
        try:
            made = path.stat().st_mtime if is_encrypted(path) else None
        except OSError:
            return None
    else:
        made = _signed_creation_time(path, key)
    if made is None:
        return None
    return made if made <= datetime.datetime.now(datetime.UTC).timestamp() else 0.0


def _signed_creation_time(path: Path, key: bytes) -> float | None:
    """The creation time in the archive's manifest, if its signature verifies with `key`
    (else None); the file's own time when a signed manifest does not say."""
    try:
        with _open_archive(path, path) as (archive, _):
            members = [archive.next(), archive.next()]
            if not all(member and member.isreg() for member in members):
                return None
            if [member.name for member in members] != [MANIFEST, MANIFEST_TAG]:
                return None
            text, tag = (_small_member(path, archive, member) for member in members)
    except (tarfile.TarError, OSError, EOFError, zlib.error, CommandError, _BeyondManifest):
        return None
    if not is_signed(text, tag, key):
        return None
    try:
        created = datetime.datetime.fromisoformat(json.loads(text)["created_at"])
    except (ValueError, UnicodeDecodeError, KeyError, TypeError):
        return path.stat().st_mtime
    if created.tzinfo is None:
        created = created.replace(tzinfo=datetime.UTC)
    return created.timestamp()


# Saying what was done


SUMMARY = [
    ("responses.consultation", "consultation"),
    ("responses.response", "response"),
    ("responses.answer", "answer"),
    ("responses.signoff", "sign-off"),
    ("responses.auditevent", "audit event"),
    ("auth.user", "user"),
]


def summary(rows: dict[str, int], documents: int, *, left_out: bool = False) -> str:
    """What the people who use Consult would count: "1 consultation, 1 response, 35 answers
    with 70 versions, …, 5 users and 3 stored documents"."""
    parts = []
    for label, noun in SUMMARY:
        part = plural(rows.get(label, 0), noun)
        if label == "responses.answer":
            part += f" with {plural(rows.get('responses.historicalanswer', 0), 'version')}"
        parts.append(part)
    if left_out:
        parts.append("no stored documents (left out: they are made again when first downloaded)")
    else:
        parts.append(plural(documents, "stored document"))
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


def plural(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def size_text(size: int) -> str:
    return str(filesizeformat(size)).replace("\xa0", " ")
