"""`manage.py backup` and `manage.py restore`: the database and the stored documents, there
and back, and every refusal leaving the database as it was.

Each test runs on the database the test run uses and takes the path that database takes:
on PostgreSQL the archive holds a pg_dump, restored with pg_restore; on SQLite, dumpdata's
JSON, restored with loaddata; `--dumpdata` takes the portable path on either (on
PostgreSQL, the path of an SQLite backup restored onto PostgreSQL). pg_dump reads only
committed rows, so these tests commit (transaction=True).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import tarfile
from collections.abc import Callable
from pathlib import Path

import pyrage
import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from responses import backup, workflow
from responses.backup_protection import manifest_tag
from responses.models import Answer, AuditEvent, Consultation, Response, SignOff
from tests.edits import edit_answer
from tests.factories import PASSWORD, ConsultationFactory, UserFactory
from tests.papers import digest_of, paper_of

pytestmark = pytest.mark.django_db(transaction=True)
User = get_user_model()
KEY = "a-test-backup-key-of-forty-three-characters"

# A rendered document: binary, every byte value, as a PDF would be.
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 64
DOCX = b"PK\x03\x04" + bytes(reversed(range(256))) * 16

# The rows migrate makes, and links to them, compared by natural key (a restore matches
# them by natural key, so their ids may differ).
NATURAL_KEYS = {
    "contenttypes.contenttype": ("app_label", "model"),
    "auth.permission": ("codename", "content_type__app_label", "content_type__model"),
    "auth.group": ("name",),
    "auth.group_permissions": (
        "group__name",
        "permission__codename",
        "permission__content_type__app_label",
    ),
    "auth.user_groups": ("user_id", "group__name"),
    "auth.user_user_permissions": (
        "user_id",
        "permission__codename",
        "permission__content_type__app_label",
    ),
}


def use_documents(settings, folder: Path) -> Storage:
    """Point the documents storage at `folder`. Changing STORAGES sends setting_changed,
    on which Django drops its cached storages, so the next look-up uses the new folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder)},
        },
    }
    return storages["documents"]


@pytest.fixture(autouse=True)
def backup_key(settings) -> str:
    settings.BACKUP_KEY = KEY
    return KEY


@pytest.fixture
def documents(settings, tmp_path) -> Storage:
    return use_documents(settings, tmp_path / "documents")


@pytest.fixture
def signed_off(seed, officer, lead, director, portfolio_holder, documents) -> Response:
    """The seed after some work: answers edited (new versions), submitted and signed off
    by both signatories, its paper stored as a document."""
    edit_answer(officer, seed, "28", "Through the Community Involvement strategy.")
    edit_answer(officer, seed, "28", "Through the Community Involvement strategy, with the LSP.")
    edit_answer(lead, seed, "32", "Yes, with the thematic partnerships.", status="agreed")
    workflow.submit(user=lead, response_id=seed.pk, confirm_gaps=True)
    for signatory in (director, portfolio_holder):
        workflow.approve(user=signatory, response_id=seed.pk, seen_digest=digest_of(seed))
    digest = digest_of(seed)
    documents.save(f"{digest}.pdf", ContentFile(PDF))
    documents.save(f"word/{digest}.docx", ContentFile(DOCX))
    return seed


def run(*args: str) -> tuple[str, str]:
    """Run a command as from the shell: what it printed, and its warnings."""
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def database_state() -> dict[str, list]:
    """Every row a backup holds, per model: its primary key; the natural key of a row
    migrate makes; the pair of ids of a many-to-many link (dumpdata writes links with
    their objects, so a link's own id is not kept)."""
    return {
        model._meta.label_lower: sorted(model._base_manager.values_list(*identity(model)))
        for model in backup.counted_models(connection)
    }


def identity(model) -> tuple[str, ...]:
    if model._meta.label_lower in NATURAL_KEYS:
        return NATURAL_KEYS[model._meta.label_lower]
    if model._meta.auto_created:
        return tuple(field.attname for field in model._meta.fields if not field.primary_key)
    return ("pk",)


def exact_rows() -> dict[str, list[dict]]:
    """Every field of the rows that prove what happened: who signed what and when, each
    answer and its versions, the audit, the accounts (password hashes included)."""
    models = [Answer, Answer.history.model, SignOff, AuditEvent, Response, User]
    return {
        model._meta.label_lower: list(model._base_manager.order_by("pk").values())
        for model in models
    }


def stored(storage: Storage) -> dict[str, bytes]:
    names = backup.stored_document_names(storage)
    return {name: storage.open(name, "rb").read() for name in names}


def manifest_of(archive: Path) -> dict:
    with tarfile.open(archive) as opened:
        return json.load(opened.extractfile(backup.MANIFEST))


def members_of(archive: Path) -> dict[str, bytes]:
    """Every member of an archive, in order (the manifest first)."""
    with tarfile.open(archive) as opened:
        return {member.name: opened.extractfile(member).read() for member in opened}


def build(target: Path, members: dict[str, bytes], *, sign: bool = True) -> Path:
    """An archive of `members`, in order; its manifest signed again with the key (as
    only someone holding it could), unless `sign` is False."""
    if sign and backup.MANIFEST_TAG in members:
        members[backup.MANIFEST_TAG] = manifest_tag(members[backup.MANIFEST], KEY.encode())
    with tarfile.open(target, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return target


def with_manifest(archive: Path, target: Path, edit: Callable[[dict], None]) -> Path:
    """A copy of the archive whose manifest `edit` changed (the manifest lists checksums;
    nothing checks the manifest itself but what it says)."""
    members = members_of(archive)
    manifest = json.loads(members[backup.MANIFEST])
    edit(manifest)
    members[backup.MANIFEST] = json.dumps(manifest).encode()
    return build(target, members)


def can_sign_in(client, username: str) -> bool:
    page = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    user = User.objects.get(username=username)
    return page.status_code == 302 and client.session.get("_auth_user_id") == str(user.pk)


# Round trips


def test_a_restore_into_an_emptied_database_gives_back_the_same_database(
    signed_off, documents, settings, tmp_path, client
):
    rows, exact, files = database_state(), exact_rows(), stored(documents)
    signed_digests = set(SignOff.objects.values_list("content_digest", flat=True))
    archive = tmp_path / "consult.tar.gz"

    said, warnings = run("backup", str(archive))

    versions, events = Answer.history.count(), AuditEvent.objects.count()
    assert re.fullmatch(
        rf"Backed up 1 consultation, 1 response, 35 answers with {versions} versions, "
        rf"2 sign-offs, {events} audit events, 4 users and {len(files)} stored documents "
        rf"to {re.escape(str(archive))} \(\d+(\.\d)? KB\)\.\n",
        said,
    )
    assert warnings == ""
    manifest = manifest_of(archive)
    dump = backup.PG_DUMP if connection.vendor == "postgresql" else backup.DUMPDATA
    assert manifest["database"]["dump"] == dump
    assert manifest["rows"]["responses.answer"] == 35
    assert manifest["migrations"] == backup.code_migration_state()
    assert {d["name"]: d["sha256"] for d in manifest["documents"]} == {
        name: hashlib.sha256(data).hexdigest() for name, data in files.items()
    }

    # A new server: an empty database (migrated) and an empty documents folder.
    call_command("flush", interactive=False, verbosity=0)
    new_documents = use_documents(settings, tmp_path / "new-server-documents")
    assert not Consultation.objects.exists()
    assert not User.objects.exists()

    said, _ = run("restore", str(archive))

    assert said.startswith(
        f"Restored 1 consultation, 1 response, 35 answers with {versions} versions, "
        f"2 sign-offs, {events} audit events, 4 users and {len(files)} stored documents "
        f"from {archive} (backed up "
    )
    assert database_state() == rows
    assert exact_rows() == exact
    assert stored(new_documents) == files
    # The restored database signs the same digest: the signatures still prove the paper.
    paper = paper_of(signed_off)
    assert {paper.digest} == signed_digests
    assert paper.signatures.valid
    assert can_sign_in(client, "director")
    # New rows take new ids after the restored ones.
    newcomer = UserFactory(username="newcomer")
    consultation = ConsultationFactory()
    assert newcomer.pk > max(row["id"] for row in exact["auth.user"])
    assert consultation.pk > max(pk for (pk,) in rows["responses.consultation"])


@pytest.mark.parametrize("portable", [False, True], ids=["default", "dumpdata"])
def test_restore_replace_wipes_what_changed_since_and_restores_the_backup(
    signed_off, documents, tmp_path, client, portable
):
    rows, exact, files = database_state(), exact_rows(), stored(documents)
    archive = tmp_path / "consult.tar.gz"
    run("backup", str(archive), *(["--dumpdata"] if portable else []))
    if portable:
        assert manifest_of(archive)["database"]["dump"] == backup.DUMPDATA
    # Life goes on after the backup; then it has to be undone.
    ConsultationFactory(title="Made after the backup")
    UserFactory(username="joined-later")
    director = User.objects.get(username="director")
    director.set_password("changed-since")
    director.save()
    lost = next(iter(files))
    documents.delete(lost)

    said, _ = run("restore", str(archive), "--replace")

    assert said.startswith("Restored 1 consultation, 1 response, 35 answers")
    assert database_state() == rows
    assert exact_rows() == exact
    assert stored(documents) == files
    assert paper_of(signed_off).signatures.valid
    assert can_sign_in(client, "director")


def test_a_backup_when_nothing_was_ever_stored_restores_no_documents(
    seed, documents, settings, tmp_path
):
    rows = database_state()
    archive = tmp_path / "consult.tar.gz"

    said, _ = run("backup", str(archive))

    assert "and 0 stored documents" in said
    assert manifest_of(archive)["documents"] == []
    restored = use_documents(settings, tmp_path / "elsewhere")
    run("restore", str(archive), "--replace")
    assert database_state() == rows
    assert stored(restored) == {}


def test_without_a_pg_dump_that_can_dump_the_server_the_backup_uses_dumpdata(
    signed_off, documents, tmp_path, monkeypatch
):
    rows = database_state()
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools-here"))
    archive = tmp_path / "consult.tar.gz"

    _, warnings = run("backup", str(archive))

    assert manifest_of(archive)["database"]["dump"] == backup.DUMPDATA
    on_postgresql = connection.vendor == "postgresql"
    assert ("pg_dump is not on PATH" in warnings) == on_postgresql
    run("restore", str(archive), "--replace")
    assert database_state() == rows


def test_a_backup_from_an_earlier_version_restores_into_this_ones_tables(
    signed_off, documents, tmp_path
):
    rows = database_state()
    archive = tmp_path / "consult.tar.gz"
    run("backup", str(archive))

    def before_axes(manifest: dict) -> None:
        """As if made before django-axes was installed."""
        del manifest["migrations"]["axes"]

    earlier = with_manifest(archive, tmp_path / "earlier.tar.gz", before_axes)

    said, _ = run("restore", str(earlier), "--replace")

    assert "made by an earlier version of Consult" in said
    assert database_state() == rows


# Refusals: each leaves the database (and the documents) as they were


def test_backup_refuses_to_overwrite_an_archive_unless_forced(seed, documents, tmp_path):
    archive = tmp_path / "consult.tar.gz"
    archive.write_bytes(b"last night's backup")

    with pytest.raises(CommandError, match="already exists.*--force"):
        run("backup", str(archive))
    assert archive.read_bytes() == b"last night's backup"
    assert [path.name for path in tmp_path.iterdir() if path.suffix == ".part"] == []

    run("backup", str(archive), "--force")
    assert manifest_of(archive)["format"] == backup.FORMAT


def test_backup_refuses_a_folder_that_does_not_exist(seed, documents, tmp_path):
    with pytest.raises(CommandError, match="There is no folder"):
        run("backup", str(tmp_path / "missing" / "consult.tar.gz"))


@pytest.fixture
def backed_up(signed_off, documents, tmp_path) -> Path:
    """A good archive of the worked-on seed, the database and documents still as backed up."""
    archive = tmp_path / "consult.tar.gz"
    run("backup", str(archive))
    return archive


def refused(archive: Path, documents: Storage, match: str, *, replace: bool = True) -> None:
    """The restore is refused with `match`, and nothing in the database or the documents
    storage changed (with --replace, so a restore that went ahead would wipe it)."""
    rows, exact, files = database_state(), exact_rows(), stored(documents)
    with pytest.raises(CommandError, match=match):
        run("restore", str(archive), *(["--replace"] if replace else []))
    assert database_state() == rows
    assert exact_rows() == exact
    assert stored(documents) == files


def test_restore_refuses_a_missing_file(backed_up, documents, tmp_path):
    refused(tmp_path / "no-such.tar.gz", documents, "No such file")


def test_restore_refuses_a_file_that_is_not_an_archive(backed_up, documents, tmp_path):
    text = tmp_path / "notes.tar.gz"
    text.write_text("Not a backup at all.")
    refused(text, documents, "is not a Consult backup: it is not a .tar.gz archive")


def test_restore_refuses_an_archive_that_is_not_a_consult_backup(backed_up, documents, tmp_path):
    other = tmp_path / "other.tar.gz"
    with tarfile.open(other, "w:gz") as archive:
        info = tarfile.TarInfo("README")
        info.size = 5
        archive.addfile(info, io.BytesIO(b"hello"))
    refused(other, documents, f"does not start with {backup.MANIFEST}")


def test_restore_refuses_an_archive_cut_short(backed_up, documents, tmp_path):
    data = backed_up.read_bytes()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(data[: len(data) * 2 // 3])
    refused(cut, documents, "is damaged")


@pytest.mark.parametrize("changed", ["database/", "documents/"])
def test_restore_refuses_an_archive_changed_after_the_backup(
    backed_up, documents, tmp_path, changed
):
    members = members_of(backed_up)
    name = next(name for name in members if name.startswith(changed))
    data = members[name]
    middle = len(data) // 2
    members[name] = data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]
    tampered = build(tmp_path / "tampered.tar.gz", members)
    refused(tampered, documents, f"is damaged: {name} does not match its checksum")


def test_restore_refuses_an_archive_missing_a_file_its_manifest_lists(
    backed_up, documents, tmp_path
):
    def list_one_more(manifest: dict) -> None:
        manifest["documents"].append({"name": "gone.pdf", "size": 1, "sha256": "0" * 64})

    incomplete = with_manifest(backed_up, tmp_path / "incomplete.tar.gz", list_one_more)
    refused(incomplete, documents, "is damaged: documents/gone.pdf is missing")


def test_restore_refuses_a_backup_from_a_newer_version(backed_up, documents, tmp_path):
    def from_the_future(manifest: dict) -> None:
        manifest["migrations"]["responses"] = "9999_from_the_future"

    newer = with_manifest(backed_up, tmp_path / "newer.tar.gz", from_the_future)
    refused(newer, documents, "newer version of Consult.*responses.9999_from_the_future")


def test_restore_refuses_a_database_in_use_without_replace(backed_up, documents):
    refused(
        backed_up, documents, "already holds 1 consultation and 4 users.*--replace", replace=False
    )


def test_restore_refuses_a_pg_dump_it_cannot_restore(backed_up, documents, tmp_path):
    """On SQLite any pg_dump is refused; on PostgreSQL, one that pg_restore cannot read."""
    bogus = b"not what pg_dump writes"
    members = {
        name: data
        for name, data in members_of(backed_up).items()
        if not name.startswith("database/")
    }
    manifest = json.loads(members[backup.MANIFEST])
    entry = {"name": backup.PG_DUMP_FILE, "size": len(bogus)}
    entry["sha256"] = hashlib.sha256(bogus).hexdigest()
    manifest["database"].update(dump=backup.PG_DUMP, pg_dump_version=0, files=[entry])
    members[backup.MANIFEST] = json.dumps(manifest).encode()
    members[backup.PG_DUMP_FILE] = bogus
    claimed = build(tmp_path / "claimed.tar.gz", members)
    refused(claimed, documents, "restores only onto PostgreSQL|pg_restore could not read")


def test_restore_refuses_a_dump_that_lost_rows(signed_off, documents, tmp_path):
    """A dump that loads but holds fewer rows than the backup counted (one audit event
    lost) is refused, and the database is left as it was."""
    archive = tmp_path / "consult.tar.gz"
    run("backup", str(archive), "--dumpdata")
    members = members_of(archive)
    rows = json.loads(members[backup.DATA_FILE])
    lost = next(i for i, row in enumerate(rows) if row["model"] == "responses.auditevent")
    del rows[lost]
    data = json.dumps(rows).encode()
    members[backup.DATA_FILE] = data
    manifest = json.loads(members[backup.MANIFEST])
    (entry,) = [e for e in manifest["database"]["files"] if e["name"] == backup.DATA_FILE]
    entry.update(size=len(data), sha256=hashlib.sha256(data).hexdigest())
    members[backup.MANIFEST] = json.dumps(manifest).encode()
    short = build(tmp_path / "short.tar.gz", members)

    refused(short, documents, r"does not hold what the backup lists \(responses\.auditevent")


def test_restore_replaces_a_stored_document_whose_content_differs(backed_up, documents):
    files = stored(documents)
    name = sorted(files)[0]
    documents.delete(name)
    documents.save(name, ContentFile(b"another paper stored under the same name"))

    run("restore", str(backed_up), "--replace")

    assert stored(documents) == files


@pytest.mark.parametrize("name", ["../outside.pdf", "word/../../outside.pdf"])
def test_restore_refuses_a_document_named_outside_the_documents_folder(
    backed_up, documents, tmp_path, name
):
    planted = b"%PDF-1.7 planted"
    members = members_of(backed_up)
    manifest = json.loads(members[backup.MANIFEST])
    entry = {"name": name, "size": len(planted), "sha256": hashlib.sha256(planted).hexdigest()}
    manifest["documents"].append(entry)
    members[backup.MANIFEST] = json.dumps(manifest).encode()
    members[backup.DOCUMENTS_DIR + name] = planted
    escaping = build(tmp_path / "escaping.tar.gz", members)

    refused(escaping, documents, f"names a document “{re.escape(name)}”, which is not a safe")
    assert not (tmp_path / "outside.pdf").exists()


# Authenticity: only an archive signed with BACKUP_KEY restores


def test_restore_refuses_a_document_replaced_with_its_checksum_rewritten(
    backed_up, documents, tmp_path
):
    """A forgery, not an accident: the document and its checksum in the manifest are
    both replaced, so every checksum matches. The manifest's signature does not."""
    members = members_of(backed_up)
    manifest = json.loads(members[backup.MANIFEST])
    entry = manifest["documents"][0]
    forged = b"%PDF-1.7 a paper nobody signed"
    entry.update(size=len(forged), sha256=hashlib.sha256(forged).hexdigest())
    members[backup.MANIFEST] = json.dumps(manifest).encode()
    members[backup.DOCUMENTS_DIR + entry["name"]] = forged
    forgery = build(tmp_path / "forgery.tar.gz", members, sign=False)

    refused(forgery, documents, "altered after it was made.*Nothing was restored")


def test_restore_refuses_an_archive_signed_with_another_key(
    backed_up, documents, settings, tmp_path
):
    settings.BACKUP_KEY = "another-servers-key-also-long-enough-to-use"
    refused(backed_up, documents, "was made with another BACKUP_KEY")


def test_restore_refuses_an_archive_whose_signature_was_removed(backed_up, documents, tmp_path):
    members = members_of(backed_up)
    del members[backup.MANIFEST_TAG]
    unsigned = build(tmp_path / "unsigned.tar.gz", members)
    refused(unsigned, documents, "is not signed.*--unauthenticated")


def claiming(target: Path, members: dict[str, bytes], name: str, size: int) -> Path:
    """An archive of `members` in which `name`'s header claims `size` bytes, and the
    archive ends a few bytes into it: anything that reads it whole fails as cut short."""
    blocks = io.BytesIO()
    for member, data in members.items():
        info = tarfile.TarInfo(member)
        info.size = size if member == name else len(data)
        blocks.write(info.tobuf(tarfile.PAX_FORMAT))
        blocks.write(data[:16] if member == name else data)
        if member == name:
            break
        blocks.write(bytes(-len(data) % tarfile.BLOCKSIZE))
    with gzip.open(target, "wb") as packed:
        packed.write(blocks.getvalue())
    return target


@pytest.mark.parametrize("name", [backup.MANIFEST, backup.MANIFEST_TAG])
def test_restore_refuses_a_manifest_too_large_to_be_consults_before_reading_it(
    backed_up, documents, tmp_path, name
):
    members = members_of(backed_up)
    huge = claiming(tmp_path / "huge.tar.gz", members, name, 1 << 30)
    refused(huge, documents, f"not a Consult backup: its {name} is 1.0 GB, larger than")


def test_the_manifest_size_limit_is_a_setting_of_its_own(
    backed_up, documents, tmp_path, monkeypatch
):
    members = members_of(backed_up)
    monkeypatch.setattr(backup, "MANIFEST_LIMIT", len(members[backup.MANIFEST]) - 1)
    refused(backed_up, documents, f"its {backup.MANIFEST} is .* larger than")


def test_restore_reads_no_further_than_a_manifest_could_reach_before_the_signature(
    backed_up, documents, tmp_path, monkeypatch
):
    """A tar header that tarfile reads whole (a GNU long name) as large as the archive
    likes, before the manifest: refused without reading it all."""
    monkeypatch.setattr(backup, "MANIFEST_LIMIT", 4096)
    long_name = tarfile.TarInfo("././@LongLink")
    long_name.type, long_name.size = tarfile.GNUTYPE_LONGNAME, 200_000
    bomb = tmp_path / "long-name.tar.gz"
    with gzip.open(bomb, "wb") as packed:
        packed.write(long_name.tobuf(tarfile.GNU_FORMAT) + b"a" * 200_000)
        packed.write(bytes(-200_000 % tarfile.BLOCKSIZE))
        with tarfile.open(fileobj=packed, mode="w") as rest:
            for name, data in members_of(backed_up).items():
                info = tarfile.TarInfo(name)
                info.size = len(data)
                rest.addfile(info, io.BytesIO(data))
    refused(bomb, documents, "not a Consult backup: it does not hold its manifest and signature")


def test_restore_stops_copying_a_member_larger_than_its_manifest_says(
    backed_up, documents, tmp_path
):
    """The manifest is signed; the file after it was swapped for a larger one."""
    members = members_of(backed_up)
    name = next(name for name in members if name.startswith("database/"))
    padded = dict(members)
    padded[name] = members[name] + bytes(100_000)
    larger = build(tmp_path / "larger.tar.gz", padded)
    refused(larger, documents, f"{name} is larger than the backup's manifest says")

    huge = claiming(tmp_path / "huge.tar.gz", members, name, 1 << 30)
    refused(huge, documents, f"{name} is larger than the backup's manifest says: .*altered")


def test_an_unsigned_archive_restores_only_when_asked_to_and_says_so(
    signed_off, documents, settings, tmp_path
):
    """An archive from before backups were signed, or a key that was lost."""
    rows = database_state()
    archive = tmp_path / "consult.tar.gz"
    run("backup", str(archive))
    members = members_of(archive)
    del members[backup.MANIFEST_TAG]
    unsigned = build(tmp_path / "unsigned.tar.gz", members)
    settings.BACKUP_KEY = ""

    said, warnings = run("restore", str(unsigned), "--replace", "--unauthenticated")

    assert said.startswith("Restored 1 consultation")
    assert "signature was not checked (--unauthenticated)" in warnings
    assert database_state() == rows


def test_a_wrong_signature_is_refused_even_when_unauthenticated_restores_are_allowed(
    backed_up, documents, settings
):
    settings.BACKUP_KEY = "another-servers-key-also-long-enough-to-use"
    rows = database_state()
    with pytest.raises(CommandError, match="another BACKUP_KEY"):
        run("restore", str(backed_up), "--replace", "--unauthenticated")
    assert database_state() == rows


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_without_backup_key_both_commands_say_how_to_set_it(
    seed, documents, settings, tmp_path, command
):
    settings.BACKUP_KEY = ""
    archive = tmp_path / "consult.tar.gz"
    if command == "restore":
        archive.write_bytes(b"not read")
    with pytest.raises(CommandError, match="BACKUP_KEY is not set.*token_urlsafe"):
        run(command, str(archive))
    assert [path.name for path in tmp_path.glob("*consult*")] == (
        ["consult.tar.gz"] if command == "restore" else []
    )


def test_a_short_backup_key_is_refused(seed, documents, settings, tmp_path):
    settings.BACKUP_KEY = "short"
    with pytest.raises(CommandError, match="BACKUP_KEY is 5 characters: use at least 32"):
        run("backup", str(tmp_path / "consult.tar.gz"))


# Encryption, to an age public key


@pytest.fixture
def age_key(tmp_path) -> tuple[str, Path]:
    """An age key pair: the public key, and the file holding the private one."""
    made = pyrage.x25519.Identity.generate()
    path = tmp_path / "backup-identity.txt"
    path.write_text(f"# created: by the test\n# public key: {made.to_public()}\n{made}\n")
    return str(made.to_public()), path


def test_an_encrypted_backup_restores_with_its_identity(
    signed_off, documents, settings, tmp_path, age_key
):
    public, private = age_key
    rows, files = database_state(), stored(documents)
    archive = tmp_path / "consult.tar.gz.age"

    said, _ = run("backup", str(archive), "--encrypt", public)

    assert f"to {archive}, encrypted to {public[:12]}" in said
    assert archive.read_bytes().startswith(b"age-encryption.org/v1\n")
    assert b"responses.answer" not in archive.read_bytes()
    call_command("flush", interactive=False, verbosity=0)
    new_documents = use_documents(settings, tmp_path / "new-server-documents")

    said, _ = run("restore", str(archive), "--identity", str(private))

    assert said.startswith("Restored 1 consultation, 1 response, 35 answers")
    assert database_state() == rows
    assert stored(new_documents) == files


def test_an_encrypted_backup_is_refused_without_its_identity(
    signed_off, documents, tmp_path, age_key
):
    public, _ = age_key
    archive = tmp_path / "consult.tar.gz.age"
    run("backup", str(archive), "--encrypt", public)
    refused(archive, documents, "is encrypted: give --identity")

    stranger = pyrage.x25519.Identity.generate()
    elsewhere = tmp_path / "another-identity.txt"
    elsewhere.write_text(f"{stranger}\n")
    rows = database_state()
    with pytest.raises(CommandError, match="not encrypted to any key in .*another-identity.txt"):
        run("restore", str(archive), "--replace", "--identity", str(elsewhere))
    assert database_state() == rows


def test_an_encrypted_archive_changed_on_the_way_is_refused(
    signed_off, documents, tmp_path, age_key
):
    public, private = age_key
    archive = tmp_path / "consult.tar.gz.age"
    run("backup", str(archive), "--encrypt", public)
    data = bytearray(archive.read_bytes())
    data[-100] ^= 0xFF
    archive.write_bytes(bytes(data))
    rows = database_state()
    with pytest.raises(CommandError, match="is damaged: it could not be decrypted"):
        run("restore", str(archive), "--replace", "--identity", str(private))
    assert database_state() == rows


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["consult.tar.gz.age", "--encrypt", "age1notakey"], "not an age public key"),
        (["consult.tar.gz", "--encrypt", "{public}"], "encrypted backup is named"),
        (["consult.tar.gz.age"], "only an encrypted backup"),
    ],
)
def test_backup_refuses_what_it_cannot_encrypt_before_reading_anything(
    seed, documents, tmp_path, age_key, args, match
):
    args = [str(tmp_path / args[0]), *(arg.format(public=age_key[0]) for arg in args[1:])]
    with pytest.raises(CommandError, match=match):
        run("backup", *args)
    assert not list(tmp_path.glob("consult*"))


def test_restore_refuses_an_identity_file_with_no_age_key(backed_up, documents, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("# nothing here\n")
    with pytest.raises(CommandError, match="holds no age identity"):
        run("restore", str(backed_up), "--replace", "--identity", str(notes))


# Keeping the newest backups


def signed_archive(path: Path, made: str) -> Path:
    """A small archive signed with the key, made at `made`: a backup as --keep sees one."""
    manifest = {"format": backup.FORMAT, "format_version": 2, "created_at": made}
    members = {backup.MANIFEST: json.dumps(manifest).encode(), backup.MANIFEST_TAG: b""}
    return build(path, members)


def touch(path: Path, mtime: float) -> None:
    os.utime(path, (mtime, mtime), follow_symlinks=False)


MARCH_2026 = 1_772_323_200  # 1 March 2026, 00:00 UTC


def test_keep_removes_the_oldest_backups_and_nothing_else(seed, documents, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    older = [f"consult-2026-03-0{day}.tar.gz" for day in (1, 2, 3)]
    others = [
        "consult.tar.gz",  # not named as the nightly ones are
        "notes.txt",
        "other-2026-03-01.tar.gz",
        ".consult-2026-03-04.tar.gz.1a2b.part",
        "consult-2026-03-01.tar.gz.sha256",
    ]
    for age, name in enumerate(others):
        signed_archive(folder / name, "2026-02-01T00:00:00+00:00")
        touch(folder / name, MARCH_2026 - 1000 + age)
    for day, name in enumerate(older, start=1):
        signed_archive(folder / name, f"2026-03-0{day}T02:30:00+00:00")
    encrypted = folder / "consult-2026-02-28.tar.gz.age"
    encrypted.write_bytes(b"age-encryption.org/v1\n-> X25519 older still")
    touch(encrypted, MARCH_2026 - 86_400)
    (folder / "consult-folder.tar.gz").mkdir()
    (folder / "consult-link.tar.gz").symlink_to(folder / older[0])
    touch(folder / "consult-link.tar.gz", 1_500_000_000)
    newest = folder / "consult-2026-03-04.tar.gz"

    said, _ = run("backup", str(newest), "--keep", "2")

    assert sorted(path.name for path in folder.iterdir()) == sorted(
        [
            *others,
            "consult-2026-03-03.tar.gz",
            newest.name,
            "consult-folder.tar.gz",
            "consult-link.tar.gz",
        ]
    )
    assert "Removed 3 older backups, keeping the newest 2." in said


def test_keep_leaves_alone_files_that_are_not_backups_made_with_this_key(
    seed, documents, settings, tmp_path
):
    """The attacker's folder: two backups, an empty file touched to 2099, a note packed
    as a .tar.gz, an archive signed with another key, and a file named .age that is not
    age's. Only backups count, by when their manifest says they were made."""
    folder = tmp_path / "backups"
    folder.mkdir()
    first = signed_archive(folder / "consult-2026-12-05.tar.gz", "2026-12-05T02:30:00+00:00")
    second = signed_archive(folder / "consult-2026-12-06.tar.gz", "2026-12-06T02:30:00+00:00")
    touch(first, 4_070_908_800)  # 2099: its manifest says when it was made
    junk = folder / "consult-junk-future.tar.gz"
    junk.touch()
    touch(junk, 4_070_908_800)
    note = folder / "consult-notes-for-auditor.tar.gz"
    with tarfile.open(note, "w:gz") as packed:
        info = tarfile.TarInfo("notes.txt")
        info.size = 5
        packed.addfile(info, io.BytesIO(b"notes"))
    elsewhere = signed_archive(folder / "consult-elsewhere.tar.gz", "2026-12-01T00:00:00+00:00")
    members = members_of(elsewhere)
    another_key = b"another-servers-key-also-long-enough-to-use"
    members[backup.MANIFEST_TAG] = manifest_tag(members[backup.MANIFEST], another_key)
    build(elsewhere, members, sign=False)
    not_age = folder / "consult-not-age.tar.gz.age"
    not_age.write_bytes(b"not encrypted")
    newest = folder / "consult-2026-12-07.tar.gz"

    said, _ = run("backup", str(newest), "--keep", "2")

    assert sorted(path.name for path in folder.iterdir()) == sorted(
        [second.name, newest.name, junk.name, note.name, elsewhere.name, not_age.name]
    )
    assert "Removed 1 older backup, keeping the newest 2." in said
    assert "Left alone 4 files that are not backups made with this BACKUP_KEY" in said
    assert note.name in said


def test_keep_counts_an_encrypted_backup_from_the_future_as_the_oldest(seed, documents, tmp_path):
    """An encrypted backup's manifest cannot be read without the identity: it is ordered
    by its file's time, and a time still to come proves nothing."""
    folder = tmp_path / "backups"
    folder.mkdir()
    backups = [
        signed_archive(folder / f"consult-2026-12-0{day}.tar.gz", f"2026-12-0{day}T02:30:00+00:00")
        for day in (5, 6)
    ]
    future = folder / "consult-2099-01-01.tar.gz.age"
    future.write_bytes(b"age-encryption.org/v1\n-> X25519 from the future")
    touch(future, 4_070_908_800)

    said, _ = run("backup", str(folder / "consult-2026-12-07.tar.gz"), "--keep", "3")

    assert not future.exists()
    assert all(path.exists() for path in backups)
    assert "Removed 1 older backup, keeping the newest 3." in said


@pytest.mark.parametrize(
    ("name", "keep", "match"),
    [
        ("consult-2026-03-01.tar.gz", "0", "--keep must be 1 or more"),
        ("nightly.tar.gz", "3", "--keep removes older backups named consult-"),
    ],
)
def test_keep_refuses_what_could_remove_the_wrong_files(
    seed, documents, tmp_path, name, keep, match
):
    (tmp_path / "consult-2020-01-01.tar.gz").write_bytes(b"kept")
    with pytest.raises(CommandError, match=match):
        run("backup", str(tmp_path / name), "--keep", keep)
    assert (tmp_path / "consult-2020-01-01.tar.gz").read_bytes() == b"kept"
    assert not (tmp_path / name).exists()


# Leaving the documents out


def test_a_backup_without_documents_restores_the_database_and_says_they_are_remade(
    signed_off, documents, settings, tmp_path
):
    rows = database_state()
    archive = tmp_path / "consult.tar.gz"

    said, _ = run("backup", str(archive), "--without-documents")

    assert "and no stored documents (left out: they are made again" in said
    assert manifest_of(archive)["documents"] == []
    assert manifest_of(archive)["documents_left_out"] is True
    restored = use_documents(settings, tmp_path / "elsewhere")
    said, _ = run("restore", str(archive), "--replace")
    assert "made again when first downloaded" in said
    assert database_state() == rows
    assert stored(restored) == {}


def test_a_failing_postgresql_tool_is_quoted_by_its_errors_not_its_last_lines():
    """pg_restore's error comes early, followed by lines of what it was doing."""
    script = (
        "echo 'pg_restore: error: could not execute query: "
        "ERROR:  permission denied for schema public' >&2; "
        'for i in 1 2 3 4 5 6 7; do echo "pg_restore: creating TABLE $i" >&2; done; exit 1'
    )
    with pytest.raises(CommandError) as refused:
        backup._run(["sh", "-c", script], env=None, failure="Could not restore")
    assert "permission denied for schema public" in str(refused.value)
