"""Reading a Word file or PDF in a process of its own, stopped at its limits: a small
crafted file cannot hold the server past its time-out, and the officer is told why."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from contextlib import ExitStack
from pathlib import Path

import pytest

from responses.importing import bounded
from responses.importing.bounded import read_within_limits
from responses.importing.readers import UnreadableDocument, read_document
from tests import consultation_documents as documents
from tests import hostile_documents as hostile


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("consultation.pdf", documents.consultation_pdf()),
        ("consultation.docx", documents.consultation_docx()),
    ],
    ids=["pdf", "docx"],
)
def test_a_document_read_in_its_own_process_gives_the_same_text_and_facts(name, data):
    assert read_within_limits(name, data) == read_document(name, data)


def test_plain_text_is_read_in_place_as_it_is():
    data = "1. Do you agree? “Yes”\n".encode()

    assert read_within_limits("questions.txt", data) == read_document("questions.txt", data)


def test_a_page_drawing_thousands_of_shapes_is_stopped_when_its_time_runs_out():
    drawing = hostile.drawing_pdf(100_000)

    with pytest.raises(UnreadableDocument, match="takes too long to read .more than 1 seconds"):
        read_within_limits("drawing.pdf", drawing, cpu_seconds=1)


def test_a_word_file_that_needs_more_memory_than_allowed_is_refused():
    swollen = hostile.many_paragraphs_docx(40_000, text="Question")

    with pytest.raises(UnreadableDocument, match="“swollen.docx” needs too much memory"):
        read_within_limits("swollen.docx", swollen, memory_bytes=4 * 1024 * 1024)


def test_a_word_file_of_a_million_empty_paragraphs_is_refused_before_it_is_opened():
    swollen = hostile.many_paragraphs_docx(1_000_000)

    with pytest.raises(UnreadableDocument, match="has 1,000,000 paragraphs: more than the 50,000"):
        read_within_limits("swollen.docx", swollen)


def test_pdf_text_past_the_limit_is_refused_at_the_page_that_passes_it():
    """400 pages sharing one page of small print, some 1,500 to 1,600 characters a page:
    the 400,000 that can be read run out near page 260, and the rest are never read."""
    small_print = hostile.text_pdf(12, pages=400)

    with pytest.raises(UnreadableDocument, match="it passes the 400,000 characters") as refused:
        read_within_limits("small print.pdf", small_print)

    page = re.search(r"by page (\d+) of 400", str(refused.value))
    assert page is not None
    assert 250 <= int(page.group(1)) <= 270


@pytest.mark.parametrize("name", ["-c.pdf", 'a "quoted"\nname.pdf', "nul\x00byte.pdf"])
def test_any_file_name_reaches_the_reader_and_comes_back_in_its_message(name):
    with pytest.raises(UnreadableDocument) as refused:
        read_within_limits(name, b"%PDF-1.7\nthis is not really a PDF")

    assert f"“{name}” could not be read as a PDF" in str(refused.value)


def test_half_a_character_in_a_pdf_font_does_not_reach_the_page():
    """A font mapping a letter to a lone surrogate made the New consultation page fail
    (500): no web page can be encoded with one. It is read as the replacement character."""
    reading = read_within_limits("half.pdf", hostile.half_character_pdf())

    assert "Do you agree with \ufffd?" in reading.text
    reading.text.encode("utf-8")
    for line in reading.facts.first_page:
        line.text.encode("utf-8")


@pytest.mark.parametrize("megabytes", [4, 16, 32])
def test_a_pdf_that_needs_more_memory_than_allowed_is_refused_as_such_not_as_damaged(megabytes):
    """pdfminer running out was called damaged: wrapped by pdfplumber, or, deep in its
    drawing, stopping Python itself ("Cannot recover from MemoryErrors")."""
    drawing = hostile.drawing_pdf(100_000)

    with pytest.raises(UnreadableDocument, match="“drawing.pdf” needs too much memory"):
        read_within_limits("drawing.pdf", drawing, memory_bytes=megabytes * 1024 * 1024)


def test_when_every_reading_slot_is_busy_an_upload_is_refused_after_its_wait():
    """Each read holds a web worker for as long as it takes: past the slots, others wait
    a little, then are told to try again, so the site stays free for everyone else."""
    with ExitStack() as held:
        for _ in range(bounded.SLOTS):
            held.enter_context(bounded.reading_slot(wait_seconds=1))

        with pytest.raises(UnreadableDocument, match="reading other documents just now"):
            read_within_limits("consultation.pdf", documents.consultation_pdf(), wait_seconds=0.2)

    assert read_within_limits("consultation.pdf", documents.consultation_pdf()).facts.pages == 8


def test_plain_text_needs_no_reading_slot():
    with ExitStack() as held:
        for _ in range(bounded.SLOTS):
            held.enter_context(bounded.reading_slot(wait_seconds=1))

        reading = read_within_limits("questions.txt", b"1. Who leads?\n", wait_seconds=0)

    assert reading.text == "1. Who leads?\n"


def test_past_the_slots_as_many_uploads_again_may_wait_and_the_rest_are_refused_at_once(
    tmp_path, monkeypatch
):
    """Each waiting upload holds a web worker: fifteen heavy uploads at once, each waiting
    its 15 seconds, held every worker of the site for a minute (browsing took 61 s)."""
    monkeypatch.setattr(bounded, "_SLOT_FOLDER", tmp_path / "slots")
    refused = []

    def wait() -> None:
        try:
            with bounded.reading_slot(wait_seconds=3):
                pass
        except UnreadableDocument:
            refused.append(True)

    with ExitStack() as held:
        for _ in range(bounded.SLOTS):
            held.enter_context(bounded.reading_slot(wait_seconds=0))
        waiting = [threading.Thread(target=wait) for _ in range(bounded.SLOTS)]
        for thread in waiting:
            thread.start()
        time.sleep(0.5)

        started = time.monotonic()
        with pytest.raises(UnreadableDocument, match="reading other documents just now"):
            read_within_limits("consultation.pdf", documents.consultation_pdf(), wait_seconds=3)
        assert time.monotonic() - started < 1
    for thread in waiting:
        thread.join()
    assert not refused  # those waiting got the slots let go


@pytest.mark.parametrize("made", ["file", "link", "shared"])
def test_a_slot_folder_that_is_not_the_sites_own_is_not_used_and_says_so(
    tmp_path, monkeypatch, made
):
    """/tmp/consult-reading-<uid> can be made first by anyone: a file (a 500), a link to
    somewhere else (lock files made there), or a folder others may write (locks held)."""
    folder, elsewhere = tmp_path / "slots", tmp_path / "elsewhere"
    elsewhere.mkdir()
    if made == "file":
        folder.write_text("")
    elif made == "link":
        folder.symlink_to(elsewhere)
    else:
        folder.mkdir()
        folder.chmod(0o777)
    monkeypatch.setattr(bounded, "_SLOT_FOLDER", folder)

    with pytest.raises(UnreadableDocument, match="cannot read documents just now"):
        read_within_limits("consultation.pdf", documents.consultation_pdf())
    assert not list(elsewhere.iterdir())


def test_a_read_ends_with_the_web_worker_that_asked_for_it():
    """gunicorn kills a worker past its time-out: its reader goes with it, not on to
    the end of its own processor time, outside the slots."""
    script = (
        "from tests import hostile_documents as hostile\n"
        "from responses.importing.bounded import read_within_limits\n"
        "read_within_limits('drawing.pdf', hostile.drawing_pdf(300_000))\n"
    )
    worker = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)  # noqa: S603
    try:
        reader = _waited_for(lambda: _children(worker.pid))[0]
        assert _waited_for(lambda: _cpu_seconds(reader) > 1)  # into the drawing
    finally:
        worker.kill()
        worker.wait()

    assert _waited_for(lambda: not _running(reader), seconds=3)  # its drawing needs 14 s more


ROOT = Path(__file__).resolve().parents[1]


def _children(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if entry.name.isdigit() and int(fields[1]) == pid:
            children.append(int(entry.name))
    return children


def _cpu_seconds(pid: int) -> float:
    try:
        fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _running(pid: int) -> bool:
    """Alive, and not a zombie waiting for a parent that is gone to collect it."""
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _waited_for(condition, seconds: float = 15):
    deadline = time.monotonic() + seconds
    while not (result := condition()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return result
