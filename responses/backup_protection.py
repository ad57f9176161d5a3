"""What keeps a backup honest and private: the manifest's signature, and encryption.

The manifest lists every member's SHA-256, which catches an accident (a bad disk, an
archive cut short) but not a forgery: whoever replaces a document can write its new
checksum into the manifest. So the manifest is signed, with HMAC-SHA256 under
BACKUP_KEY, a secret kept in the server's environment and never in the archive, and a
restore checks the signature before it reads any other member: without the key,
nobody can change a byte that restores.

Encryption is age's (pyrage), to public keys (`age1…`): the server that makes the
backups holds no key that reads them, so a copy that leaves it is readable only where
the private key (the identity) is kept. Age detects any change to what it decrypts,
but anyone with the public key can encrypt: the signature is still what says the
archive is one this server made.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path
from typing import IO

import pyrage
from django.conf import settings
from django.core.management.base import CommandError

MIN_KEY_LENGTH = 32
MAKE_A_KEY = "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"
AGE_HEADERS = (b"age-encryption.org/v1\n", b"-----BEGIN AGE ENCRYPTED FILE-----")


# The manifest's signature


def signing_key(*, required: bool, nothing_done: str) -> bytes | None:
    """BACKUP_KEY as bytes; None when unset and not `required`. A CommandError ending
    with `nothing_done` when it is required and unset, or too short to be a secret."""
    key = settings.BACKUP_KEY
    if not key:
        if required:
            raise CommandError(
                "BACKUP_KEY is not set: every backup's manifest is signed with it, so that a "
                "restore can tell the archive is one your server made, with nothing in it "
                f"replaced. Make one with {MAKE_A_KEY}, set it in /etc/consult.env and keep a "
                f"copy away from the backups. {nothing_done}"
            )
        return None
    if len(key) < MIN_KEY_LENGTH:
        raise CommandError(
            f"BACKUP_KEY is {len(key)} characters: use at least {MIN_KEY_LENGTH} random ones "
            f"(make one with {MAKE_A_KEY}). {nothing_done}"
        )
    return key.encode()


def key_id(key: bytes) -> str:
    """Names a key without giving it away, so a refusal can say which key signed."""
    return hmac.new(key, b"consult backup key id", hashlib.sha256).hexdigest()[:12]


def manifest_tag(manifest: bytes, key: bytes) -> bytes:
    """The signature member: HMAC-SHA256 of the manifest's exact bytes."""
    signature = hmac.new(key, manifest, hashlib.sha256).hexdigest()
    tag = {"algorithm": "HMAC-SHA256", "key_id": key_id(key), "manifest_hmac": signature}
    return json.dumps(tag, sort_keys=True).encode()


def is_signed(manifest: bytes, tag: bytes, key: bytes) -> bool:
    """Whether `tag` is the manifest's signature under `key`."""
    try:
        signature = json.loads(tag.decode())["manifest_hmac"]
    except (ValueError, UnicodeDecodeError, KeyError, TypeError):
        return False
    expected = hmac.new(key, manifest, hashlib.sha256).hexdigest()
    return isinstance(signature, str) and hmac.compare_digest(signature, expected)


def check_signature(
    path: Path, manifest: bytes, tag: bytes | None, key: bytes | None, *, unauthenticated: bool
) -> bool:
    """Refuse a manifest not signed with `key`; True once checked. With `unauthenticated`,
    a manifest with no signature, or no key to check one, is let through unchecked
    (False); a signature that does not match is refused whatever the flag."""
    if tag is None:
        if unauthenticated:
            return False
        raise CommandError(
            f"{path} is not signed: it was made before Consult signed its backups, or its "
            "signature was removed, so nothing says it is your server's. If you know where it "
            "came from, add --unauthenticated to restore it without that check. Nothing was "
            "restored."
        )
    if key is None:
        return False
    try:
        said = json.loads(tag.decode())
        signature, signed_by = said["manifest_hmac"], said["key_id"]
    except (ValueError, UnicodeDecodeError, KeyError, TypeError) as error:
        raise CommandError(f"{path} is damaged: its signature cannot be read.") from error
    expected = hmac.new(key, manifest, hashlib.sha256).hexdigest()
    if isinstance(signature, str) and hmac.compare_digest(signature, expected):
        return True
    if signed_by != key_id(key):
        raise CommandError(
            f"{path} was made with another BACKUP_KEY (key {signed_by}; this one is "
            f"{key_id(key)}), or altered after it was made: set BACKUP_KEY to the key of the "
            "server that made it. Nothing was restored."
        )
    raise CommandError(
        f"{path} was altered after it was made: its manifest does not match its signature. "
        "Restore another backup. Nothing was restored."
    )


# Encryption


def recipients(keys: list[str]) -> list[pyrage.x25519.Recipient]:
    """The age public keys (`age1…`) a backup is encrypted to."""
    found = []
    for key in keys:
        try:
            found.append(pyrage.x25519.Recipient.from_str(key.strip()))
        except pyrage.RecipientError as error:
            raise CommandError(
                f"“{key}” is not an age public key (age1… , as `age-keygen` prints). "
                "Nothing was written."
            ) from error
    return found


def identities(path: Path) -> list[pyrage.x25519.Identity]:
    """The private keys in an age identity file (`age-keygen -o FILE`): its
    AGE-SECRET-KEY-1… lines, comments and blank lines skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"Could not read the identity file {path}: {error}.") from error
    found = []
    for line in (line.strip() for line in lines):
        if not line or line.startswith("#"):
            continue
        try:
            found.append(pyrage.x25519.Identity.from_str(line))
        except pyrage.IdentityError as error:
            raise CommandError(
                f"{path} holds a line that is not an age identity (AGE-SECRET-KEY-1…)."
            ) from error
    if not found:
        raise CommandError(f"{path} holds no age identity (a line AGE-SECRET-KEY-1…).")
    return found


def encrypt(source: IO[bytes], target: IO[bytes], to: list[pyrage.x25519.Recipient]) -> None:
    pyrage.encrypt_io(source, target, to)


def is_encrypted(path: Path) -> bool:
    with path.open("rb") as opened:
        start = opened.read(max(len(header) for header in AGE_HEADERS))
    return start.startswith(AGE_HEADERS)


def decrypt(
    path: Path, target: Path, keys: list[pyrage.x25519.Identity], identity_file: Path
) -> None:
    """Decrypt `path` to `target` with the keys read from `identity_file`; age refuses
    any change to the archive, so what is written is what was encrypted."""
    try:
        with path.open("rb") as source, target.open("wb") as plain:
            pyrage.decrypt_io(source, plain, keys)
    except pyrage.DecryptError as error:
        if "no matching keys" in str(error).lower():
            raise CommandError(
                f"{path} is not encrypted to any key in {identity_file}: give the identity "
                "whose public key the backup was encrypted to. Nothing was restored."
            ) from error
        raise _undecryptable(path, error) from error
    except OSError as error:
        if error.errno is not None:  # this machine's trouble (a full disk)
            raise CommandError(
                f"Could not decrypt {path}: {error}. Nothing was restored."
            ) from error
        raise _undecryptable(path, error) from error


def _undecryptable(path: Path, error: Exception) -> CommandError:
    return CommandError(
        f"{path} is damaged: it could not be decrypted ({error}): it was changed or cut "
        "short after it was made. Nothing was restored."
    )
