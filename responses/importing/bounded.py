"""Reading an uploaded Word file or PDF in a process of its own, with a limit on the
processor time and memory it may take.

The libraries that open these files do work in proportion to what the file asks for,
not to its size: a 36 KB PDF can draw 300,000 shapes on one page, and a 45 KB Word
file can hold a million empty paragraphs. The readers refuse what they can see coming
(pages, paragraphs, text); the limits here stop everything else before the web
server gives up on the request, and leave the server's own process as it was. A few
reads run at once on a machine (`SLOTS`), so that large uploads cannot take every web
worker from everyone else.
Plain text is read in place: its cost is its size, which is limited already.
"""

from __future__ import annotations

import ctypes
import fcntl
import json
import logging
import os
import resource
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

from responses.importing.facts import Facts, Line, Reading
from responses.importing.readers import read_document
from responses.importing.sniffing import (
    DAMAGED,
    UnreadableDocument,
    basename,
    check_size,
    extension_of,
)

# A 400-page PDF, the longest read, takes some 12 s of processor time.
CPU_SECONDS = 20
# Beyond what the libraries take once loaded: a 400-page PDF needs some 50 MB more.
MEMORY_BYTES = 512 * 1024 * 1024
# Reads at once on this machine: each keeps a processor busy, and a web worker waiting.
SLOTS = max(1, (os.cpu_count() or 2) - 1)
WAIT_SECONDS = 15
# Shared by every Consult process of this user on the machine (the tests give each of
# their workers a folder of its own, so that they wait on no one else's reads).
_SLOT_FOLDER = Path(
    os.environ.get("CONSULT_READING_LOCKS")
    or Path(tempfile.gettempdir()) / f"consult-reading-{os.getuid()}"
)
_READ_IN_PLACE = (".txt", ".md")
_PROJECT = Path(__file__).resolve().parents[2]
logger = logging.getLogger(__name__)


def read_within_limits(
    filename: str,
    data: bytes,
    *,
    cpu_seconds: int = CPU_SECONDS,
    memory_bytes: int = MEMORY_BYTES,
    wait_seconds: float = WAIT_SECONDS,
) -> Reading:
    """`readers.read_document`, in a child process that is stopped at the limits, when
    one of the machine's reading slots is free."""
    name = basename(filename)
    check_size(name, data)
    if extension_of(name) in _READ_IN_PLACE:
        return read_document(filename, data)
    try:
        with reading_slot(wait_seconds):
            child = subprocess.run(  # noqa: S603 (no shell; the file's name goes in on stdin)
                [
                    sys.executable,
                    "-m",
                    __name__,
                    *map(str, (cpu_seconds, memory_bytes, os.getpid())),
                ],
                input=json.dumps(name).encode() + b"\n" + data,
                capture_output=True,
                cwd=_PROJECT,
                # Waiting on a busy machine is not the file's fault; much longer is.
                timeout=cpu_seconds + 10,
                check=False,
            )
    except subprocess.TimeoutExpired as timeout:
        raise _too_slow(name, cpu_seconds) from timeout
    except OSError as error:  # no process could be started: the machine, not the file
        logger.error("Reading %r could not start: %s", name, error)
        raise _cannot_read() from error
    try:
        answer = json.loads(child.stdout)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise _stopped(name, child, cpu_seconds)
    if "unreadable" in answer:
        raise UnreadableDocument(answer["unreadable"])
    facts = answer["facts"]
    facts["first_page"] = tuple(Line(**line) for line in facts["first_page"])
    facts["authors"] = tuple(facts["authors"])
    return Reading(answer["text"], Facts(**facts))


@contextmanager
def reading_slot(wait_seconds: float) -> Iterator[None]:
    """One of `SLOTS` locks shared by every process on this machine, held while a file
    is read. When none is free, as many reads again may wait for one, at most
    `wait_seconds`; the rest are refused at once. Each waiting read holds a web worker:
    fifteen large uploads at once, all waiting, held every worker, and the site, for a
    minute. The system lets go of a lock when the process holding it ends, however it ends."""
    try:
        folder = _slot_folder()
        slot = _take(folder, "slot")
        if slot is None:
            slot = _wait_for_a_slot(folder, wait_seconds)
    except OSError as error:
        logger.error("Reading slots in %s cannot be used: %s", _SLOT_FOLDER, error)
        raise _cannot_read() from error
    try:
        yield
    finally:
        os.close(slot)


def _slot_folder() -> Path:
    """The folder of the locks: made by this user, for this user alone. Anyone may make
    a folder of that name in /tmp first, or a link to somewhere else, and hold its locks."""
    _SLOT_FOLDER.mkdir(mode=0o700, exist_ok=True)
    status = os.lstat(_SLOT_FOLDER)
    if not stat.S_ISDIR(status.st_mode) or status.st_uid != os.getuid() or status.st_mode & 0o077:
        raise PermissionError(f"{_SLOT_FOLDER} is not a folder of this user's alone")
    return _SLOT_FOLDER


def _take(folder: Path, kind: str) -> int | None:
    """The open file of a free lock of this kind, now held; None if all are held."""
    for number in range(SLOTS):
        lock = os.open(folder / f"{kind}-{number}", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(lock)
            continue
        except OSError:
            os.close(lock)
            raise
        return lock
    return None


def _wait_for_a_slot(folder: Path, wait_seconds: float) -> int:
    """A slot, waited for in one of `SLOTS` places to wait; refused when none is free."""
    place = _take(folder, "waiting")
    if place is None:
        raise _busy()
    try:
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline:
            time.sleep(0.1)
            if (slot := _take(folder, "slot")) is not None:
                return slot
        raise _busy()
    finally:
        os.close(place)


def _me() -> int:
    return os.getpid()


def _cannot_read() -> UnreadableDocument:
    return UnreadableDocument(
        "Consult cannot read documents just now. Paste the consultation's text instead, "
        "and tell whoever runs Consult."
    )


def _busy() -> UnreadableDocument:
    return UnreadableDocument(
        "Consult is reading other documents just now. Wait a minute, then press "
        "Preview again; or paste the consultation's text instead."
    )


def _stopped(name: str, child: subprocess.CompletedProcess, cpu_seconds: int) -> Exception:
    """Why the child gave no answer: stopped at its time limit, or a library failed
    in a way no message foresaw (logged, for us; the officer is told to try another copy)."""
    if child.returncode in (-signal.SIGKILL, -signal.SIGXCPU):
        return _too_slow(name, cpu_seconds)
    if child.returncode == -signal.SIGABRT and b"MemoryError" in child.stderr:
        # Python gives up when it runs out while handling running out (deep in pdfminer).
        return UnreadableDocument(_too_large(name))
    logger.error(
        "Reading %r stopped with code %s: %s",
        name,
        child.returncode,
        child.stderr.decode("utf-8", "replace")[-2000:],
    )
    return UnreadableDocument(DAMAGED[extension_of(name)].format(name=name))


def _too_slow(name: str, cpu_seconds: int) -> UnreadableDocument:
    return UnreadableDocument(
        f"“{name}” takes too long to read (more than {cpu_seconds} seconds): it may hold "
        "large drawings, charts or maps. Save the pages with the questions as a document "
        "of their own, or copy the questions from it and paste them in."
    )


def _too_large(name: str) -> str:
    return (
        f"“{name}” needs too much memory to read. Save the pages with the questions as a "
        "document of their own, or copy the questions from it and paste them in."
    )


def _read_in_child() -> None:
    """The child's side: limits first, then the file's name (a JSON line) and its bytes
    from standard input; the answer as JSON on standard output (text and facts, or the
    message saying why not)."""
    cpu_seconds, memory_bytes, parent = (int(argument) for argument in sys.argv[1:4])
    _end_with_the_parent(parent)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    if in_use := _address_space():
        resource.setrlimit(resource.RLIMIT_AS, (in_use + memory_bytes, in_use + memory_bytes))
    name = json.loads(sys.stdin.buffer.readline())
    data = sys.stdin.buffer.read()
    try:
        reading = read_document(name, data)
        answer = {"text": reading.text, "facts": asdict(reading.facts)}
    except UnreadableDocument as unreadable:
        answer = {"unreadable": str(unreadable)}
    except MemoryError:
        answer = {"unreadable": _too_large(name)}
    sys.stdout.write(json.dumps(answer))


_PR_SET_PDEATHSIG = 1


def _end_with_the_parent(parent: int) -> None:
    """Ask Linux to kill this reader when the web worker that started it (`parent`, as
    that worker said) ends: gunicorn kills a worker past its time-out, and the reader
    would otherwise run on to the end of its processor time, outside the slots.
    Elsewhere, the limits still end it."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it ended while this process was starting
        os._exit(1)


def _address_space() -> int:
    """The bytes of address space this process has mapped (the libraries, loaded);
    0 where the system does not say (not Linux), and memory is then not limited."""
    try:
        with open(f"/proc/{os.getpid()}/statm") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


if __name__ == "__main__":
    _read_in_child()
