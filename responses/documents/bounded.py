"""Run a render in a child process that can be stopped.

A thread cannot be killed, and WeasyPrint given a pathological paragraph lays it out
for minutes. The child is forked from the task worker, so it starts with everything
already imported; it touches no database, sends its bytes back through a pipe and
leaves with `os._exit`. Past the time bound it is killed, and whatever memory the
layout held goes with it.

The child lays out at a lower CPU priority than the web server's requests (nice 10): on
a machine where both run, a page waits for no paper, and the paper takes what the
pages leave. (Under full load, nice 10 still gets about a tenth of a core's share.)

The child hardly ever runs CPython's full garbage collection (`GC_THRESHOLDS`). A layout
builds millions of boxes and styles that live until the child leaves, and each full
collection walks all of them: a dozen times for a 2,000-question paper, 6.5 s of its
52 s of CPU against 1 s of 7.5 s for 350 questions, so the collector grew faster than
the paper. Young cycles are still collected, and the peak memory is the same.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection

NICENESS = 10
# CPython's are (700, 10, 10): a young collection every 700 allocations more than
# frees, a full one every 100 young ones (once the old objects grew by a quarter).
# Here: a young one every 50,000, a full one every 250 million (never, in practice).
GC_THRESHOLDS = (50_000, 50, 100)
# What the child sends the parent: how far it has got, then its bytes or its error.
PROGRESS, MADE, FAILED = "progress", "made", "failed"
_to_parent: Connection | None = None  # in a child, its end of the pipe


class TooSlow(Exception):
    """The render did not finish within its time bound. `progress` holds what the child
    said of its work before it was stopped (`progress()`), such as the pages laid out."""

    def __init__(self, message: str, progress: dict) -> None:
        super().__init__(message)
        self.progress = progress


class Failed(Exception):
    """The render raised an error in the child; the message names it."""


def run(
    make: Callable[[str], bytes],
    argument: str,
    *,
    seconds: float,
    beat: Callable[[], None] | None = None,
    every: float = 10,
) -> bytes:
    """`make(argument)` in a forked child, killed after `seconds`; `beat()` is called
    every `every` seconds while it works, so others can tell this worker is alive."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(make, argument, sender, receiver), daemon=True)
    child.start()
    sender.close()
    deadline = time.monotonic() + seconds
    said: dict = {}
    try:
        while True:
            while not receiver.poll(max(0, min(every, deadline - time.monotonic()))):
                if time.monotonic() >= deadline:
                    raise TooSlow(f"Still laying out after {seconds:g} seconds.", said)
                if beat is not None:
                    beat()
            try:
                kind, payload = receiver.recv()
            except EOFError as died:
                raise Failed("The renderer stopped without a result.") from died
            if kind != PROGRESS:
                break
            said.update(payload)
    finally:
        if child.is_alive():
            child.kill()
        child.join(5)
        receiver.close()
    if kind == FAILED:
        raise Failed(payload)
    return payload


def progress(**facts: object) -> None:
    """Tell the parent how far the work has got (in a child of `run`; else nothing)."""
    if _to_parent is not None:
        _to_parent.send((PROGRESS, facts))


def _child(
    make: Callable[[str], bytes], argument: str, sender: Connection, receiver: Connection
) -> None:
    # The pipe's other end, as forked: closed, so that if the parent dies, the write
    # below fails at once instead of waiting for ever on a reader that is this child.
    receiver.close()
    global _to_parent
    _to_parent = sender
    try:
        os.nice(NICENESS)
        # What the parent had (Django, WeasyPrint) is never collected here again.
        gc.freeze()
        gc.set_threshold(*GC_THRESHOLDS)
        sender.send((MADE, make(argument)))
    except BaseException as error:  # noqa: BLE001 - reported to the parent, whatever it was
        sender.send((FAILED, f"{type(error).__name__}: {error}\n{traceback.format_exc(limit=5)}"))
    finally:
        sender.close()
