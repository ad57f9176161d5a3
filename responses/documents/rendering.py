"""Documents made by the task worker, stored by what they show, served when ready.

`ask` is what a download does: it finds the rendering of exactly this content,
version and format, or records one and queues it, and never lays out a page itself.
`make` is what the worker does. A stored file is named by its key, the digest of
everything it shows and how it is made, so any edit, signature or new layout asks
for a new file and no download can be stale; several app servers share the files
through Django's storage API.

A render that fails is remembered under its key and shown as failed until someone
asks again on purpose (`retry`): a paper that cannot be laid out is not retried in a
loop. A rendering whose worker died (killed, or the machine restarted) is noticed
by its age and queued again, at most `MAX_ATTEMPTS` times.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone

from responses.documents import bounded, context, pdf, word
from responses.errors import NotFound, WrongState
from responses.models import Response
from responses.models.rendering import Rendering
from responses.paper import Paper, digest
from responses.text import parse
from responses.text.checks import MAX_FORMATTING_PER_PARAGRAPH, most_formatting

logger = logging.getLogger(__name__)

State = Rendering.State
EXTENSIONS = {"pdf": ".pdf", "docx": ".docx"}
MAX_ATTEMPTS = 3
# A queued rendering no worker has taken for this long is queued again: its task may
# have been lost (a restored database, a queue emptied by hand).
QUEUED_TOO_LONG = timedelta(minutes=10)
# A worker making a document says so every 10 s while the layout runs; silent for this
# long (reading a very large paper before its layout included), it is taken for dead.
SILENT_TOO_LONG = timedelta(seconds=45)
LONGER_THAN_USUAL = timedelta(minutes=1)


def time_bound(rendering: Rendering | None = None) -> float:
    """Seconds a render may take before it is stopped: RENDER_TIMEOUT, and
    RENDER_SECONDS_PER_QUESTION more for each question it shows. A 2,000-question paper
    lays out in a minute on a quiet machine and in up to two on a busy one."""
    questions = rendering.questions if rendering is not None else 0
    return settings.RENDER_TIMEOUT + settings.RENDER_SECONDS_PER_QUESTION * questions


def priority(rendering: Rendering) -> int:
    """Its place in the queue: smaller papers first, so a short paper never waits for
    a long one's layout. One step lower for every 20 questions, from 0 to django-tasks'
    lowest, -100, at 2,000; mail (10) goes before any of them."""
    return -min(100, rendering.questions // 20)


def key_for(paper: Paper, kind: str, format: str, *, published: bool = False) -> str:  # noqa: A002
    """Names a document by everything it shows and how: any edit, signature, version,
    format or new layout gives a new key."""
    return f"{format}:" + digest(
        {
            "response": paper.response.pk,
            "version": context.version_key(kind, paper, published=published),
            "layout": pdf.layout_version(),
            "content": paper.canonical,
            "status": paper.response.status,
            "signatures": [
                [s.role, s.signer_name, s.signer_title, s.signed_at.isoformat(), s.content_digest]
                for s in paper.signatures.approvals.values()
            ],
        }
    )


def ask(paper: Paper, kind: str, format: str, *, published: bool = False) -> Rendering:  # noqa: A002
    """The rendering of this document: found, or recorded and queued. A publication
    version of a paper not validly signed off is refused (WrongState) first."""
    if published:
        context.check_publishable(kind, paper)
    rendering, created = _record(paper, kind, format, published=published)
    if created or _stalled(rendering) or _lost(rendering):
        _queue(rendering)
    return rendering


@dataclass(frozen=True)
class Prepared:
    """What a download's page needs to know of its document, read in one call."""

    rendering: Rendering
    waiting_too_long: bool
    paper: Callable[[], Paper]  # loaded once, when first called

    @property
    def changed_since(self) -> bool:
        """Ready, but the paper has changed since it was made (asked only by the page
        that shows it, not by a download served from storage)."""
        return self.rendering.state == State.READY and changed_since(self.rendering, self.paper())


def prepare(
    response: Response,
    kind: str,
    format: str,  # noqa: A002
    *,
    published: bool,
    rendering_id: str | None = None,
) -> Prepared:
    """The rendering a download asks for (by id while it waits, else the current
    paper's), queued if it needs to be, with what its page says of it. The paper is
    loaded at most once, and only when the answer needs it."""
    paper = cache(lambda: Paper.load(response))
    if rendering_id is None:
        rendering = ask(paper(), kind, format, published=published)
    else:
        rendering = awaited(
            response, kind, format, published=published, rendering_id=rendering_id, paper=paper
        )
    return Prepared(rendering, waiting_too_long(rendering), paper)


def awaited(
    response: Response,
    kind: str,
    format: str,  # noqa: A002
    *,
    published: bool,
    rendering_id: str,
    paper: Callable[[], Paper] | None = None,
) -> Rendering:
    """The rendering a download waits for, by its id, or the one made in its place if
    the paper changed first. NotFound unless it is this response's document in this
    format and version; a publication version is refused (WrongState) once the
    signatures no longer stand, as when it is first asked for. A draft is served as
    it was made, whatever was saved since; a document made signed only while the
    paper is still the one it shows, else the current paper's is asked for."""
    paper = paper or cache(lambda: Paper.load(response))
    if not (rendering_id.isascii() and rendering_id.isdigit()):
        raise NotFound()
    try:
        rendering = Rendering.objects.select_related("superseded_by").get(
            pk=int(rendering_id), response=response, kind=kind, format=format, published=published
        )
    except (ValueError, OverflowError, Rendering.DoesNotExist) as missing:
        raise NotFound() from missing
    if published:
        context.check_publishable(kind, paper())
    if rendering.state == State.SUPERSEDED:
        rendering = rendering.superseded_by
    if rendering is None or rendering.state == State.SUPERSEDED:
        # Two workers replacing the same document at once can leave a replaced one
        # pointing at another replaced one: the current paper is asked for instead.
        return ask(paper(), kind, format, published=published)
    if rendering.signed and changed_since(rendering, paper()):
        # It shows signatures that no longer stand as they were (reopened, or signed
        # again on other words): the paper as it is now, draft or signed, is given.
        return ask(paper(), kind, format, published=published)
    if _stalled(rendering) or _lost(rendering):
        _queue(rendering)
    return rendering


def retry(rendering: Rendering) -> None:
    """Ask again for a rendering that failed: on purpose, once per request."""
    updated = Rendering.objects.filter(pk=rendering.pk, state=State.FAILED).update(
        state=State.QUEUED, error="", attempts=0, requested_at=timezone.now()
    )
    if updated:
        _enqueue(rendering)
    rendering.refresh_from_db()


def read(rendering: Rendering) -> bytes | None:
    """The stored file, or None if the storage lost it (then it is made again)."""
    storage = storages["documents"]
    try:
        with storage.open(rendering.file_name, "rb") as stored:
            return stored.read()
    except (FileNotFoundError, OSError):
        logger.warning("Stored document %s is missing: making it again.", rendering.file_name)
        Rendering.objects.filter(pk=rendering.pk).update(
            state=State.QUEUED, file_name="", attempts=0, requested_at=timezone.now()
        )
        _enqueue(rendering)
        rendering.refresh_from_db()
        return None


def make(rendering_id: int) -> None:
    """The worker's part: take the rendering, make the document, store it."""
    rendering = _take(rendering_id)
    if rendering is None:
        return
    read_at = timezone.now()
    response = Response.objects.for_rules().get(pk=rendering.response_id)
    paper = Paper.load(response)
    if key_for(paper, rendering.kind, rendering.format, published=rendering.published) != (
        rendering.key
    ):
        rendering = _supersede(rendering, paper, read_at)
        if rendering is None:
            return
    try:
        content = _build(paper, rendering)
    except bounded.TooSlow as stopped:
        pages = stopped.progress.get("pages")
        _fail(rendering, too_slow_message(paper, rendering, pages=pages))
        return
    except Exception as error:  # noqa: BLE001 - any failure is recorded, not looped on
        logger.exception("Rendering %s failed", rendering.pk)
        _fail(rendering, failed_message(error))
        return
    name = rendering.key.replace(":", "-") + EXTENSIONS[rendering.format]
    storage = storages["documents"]
    if not storage.exists(name):
        name = storage.save(name, ContentFile(content))
    Rendering.objects.filter(pk=rendering.pk).update(
        state=State.READY, file_name=name, size=len(content), finished_at=timezone.now()
    )


def waiting_too_long(rendering: Rendering) -> bool:
    """Queued for longer than a worker would take to reach it, or being made for more
    than a minute: the page says so, and to check that the worker runs."""
    now = timezone.now()
    if rendering.state == State.QUEUED:
        return now - rendering.requested_at > timedelta(seconds=time_bound())
    return (
        rendering.state == State.RENDERING
        and rendering.started_at is not None
        and now - rendering.started_at > LONGER_THAN_USUAL
    )


def changed_since(rendering: Rendering, paper: Paper) -> bool:
    """Whether the paper has changed since this rendering of it was made."""
    return rendering.key != key_for(
        paper, rendering.kind, rendering.format, published=rendering.published
    )


# The parts


def _build(paper: Paper, rendering: Rendering) -> bytes:
    """The document's bytes, made in a child process stopped after the time bound:
    a PDF's layout, or a Word file's build (python-docx too slows down on a
    pathological paper). Everything is read from the database first, here."""

    def beat() -> None:
        try:
            Rendering.objects.filter(pk=rendering.pk).update(alive_at=timezone.now())
        except DatabaseError:  # a missed beat is no reason to stop the layout
            logger.warning("Could not record that rendering %s is being made.", rendering.pk)

    if rendering.format == "pdf":
        html = pdf.render_html(rendering.kind, paper, published=rendering.published)
        return pdf.bounded_pdf(html, beat, seconds=time_bound(rendering))
    shown = context.document_context(rendering.kind, paper, published=rendering.published)
    return bounded.run(lambda _: word.build(shown), "", seconds=time_bound(rendering), beat=beat)


def _record(
    paper: Paper,
    kind: str,
    format: str,  # noqa: A002
    *,
    published: bool,
) -> tuple[Rendering, bool]:
    """The rendering of the paper as it is, found or recorded. One replaced earlier
    (the paper has changed back to what it showed) is queued again, no longer pointing
    elsewhere: it is the current one once more. True if it is to be queued."""
    stem = context.filename_stem(kind, paper, published=published)
    rendering, created = Rendering.objects.get_or_create(
        key=key_for(paper, kind, format, published=published),
        defaults={
            "response": paper.response,
            "kind": kind,
            "format": format,
            "published": published,
            "download_name": context.safe_filename(stem, EXTENSIONS[format]),
            "questions": len(paper.answers),
            "signed": bool(paper.signatures.approvals),
        },
    )
    if rendering.state == State.SUPERSEDED:
        revived = Rendering.objects.filter(pk=rendering.pk, state=State.SUPERSEDED).update(
            state=State.QUEUED,
            superseded_by=None,
            error="",
            attempts=0,
            requested_at=timezone.now(),
            started_at=None,
            finished_at=None,
        )
        rendering.refresh_from_db()
        return rendering, bool(revived)
    return rendering, created


def _supersede(old: Rendering, paper: Paper, read_at: datetime) -> Rendering | None:
    """The paper changed while `old` waited: record the paper as it is now, point
    `old` at it, and take it to make here (None if another worker has it, or it is
    made already). Whoever waits for `old` then gets the paper as the worker found it,
    which is at least as new as what they asked for.
    """
    if old.published:
        try:
            context.check_publishable(old.kind, paper)
        except WrongState as refused:
            _fail(old, str(refused))
            return None
    current, _ = _record(paper, old.kind, old.format, published=old.published)
    same_document = Rendering.objects.filter(
        response=old.response_id, kind=old.kind, format=old.format, published=old.published
    ).exclude(pk=current.pk)
    # Every download still waiting for an older version of this document, asked for
    # before this paper was read, gets this one: one layout serves them all.
    same_document.filter(Q(pk=old.pk) | Q(state=State.QUEUED, requested_at__lte=read_at)).update(
        state=State.SUPERSEDED, superseded_by=current, finished_at=timezone.now()
    )
    # Those replaced before now point here too, so no chain grows (with one worker a
    # replaced rendering always points at one that is not).
    same_document.filter(state=State.SUPERSEDED).update(superseded_by=current)
    return _take(current.pk)


def _take(rendering_id: int) -> Rendering | None:
    with transaction.atomic():
        rendering = Rendering.objects.select_for_update().filter(pk=rendering_id).first()
        if rendering is None or rendering.state in (
            State.READY,
            State.FAILED,
            State.SUPERSEDED,
        ):
            return None
        if rendering.state == State.RENDERING and not _stalled(rendering):
            return None  # another worker has it in hand
        if rendering.attempts >= MAX_ATTEMPTS:
            rendering.state = State.FAILED
            rendering.error = (
                f"Making this document was interrupted {MAX_ATTEMPTS} times (the worker "
                "stopped before it finished). Ask your administrator to check the worker, "
                "then try again."
            )
            rendering.finished_at = timezone.now()
            rendering.save(update_fields=["state", "error", "finished_at"])
            return None
        rendering.state = State.RENDERING
        rendering.attempts += 1
        rendering.started_at = rendering.alive_at = timezone.now()
        rendering.save(update_fields=["state", "attempts", "started_at", "alive_at"])
    return rendering


def _fail(rendering: Rendering, message: str) -> None:
    Rendering.objects.filter(pk=rendering.pk).update(
        state=State.FAILED, error=message, finished_at=timezone.now()
    )


def _stalled(rendering: Rendering) -> bool:
    """Being made, but its worker has given no sign of life for a while (it beats
    every 10 seconds while the layout runs): it died, so the rendering is queued
    again. Whatever happens, nothing is made for longer than the time bound."""
    if rendering.state != State.RENDERING or rendering.started_at is None:
        return False
    now = timezone.now()
    silent = now - (rendering.alive_at or rendering.started_at) > SILENT_TOO_LONG
    return silent or now - rendering.started_at > timedelta(seconds=time_bound(rendering) + 30)


def _lost(rendering: Rendering) -> bool:
    return (
        rendering.state == State.QUEUED
        and timezone.now() - rendering.requested_at > QUEUED_TOO_LONG
    )


def _queue(rendering: Rendering) -> None:
    """Queue it, unless it changed since it was read (a worker took it, or finished):
    two requests that both find it stalled queue it once."""
    queued = Rendering.objects.filter(
        pk=rendering.pk,
        state=rendering.state,
        alive_at=rendering.alive_at,
        requested_at=rendering.requested_at,
    ).update(state=State.QUEUED, requested_at=timezone.now())
    if queued:
        _enqueue(rendering)
    rendering.refresh_from_db()


def _enqueue(rendering: Rendering) -> None:
    from responses.tasks import render_document

    render_document.using(priority=priority(rendering)).enqueue(rendering.pk)


# What the page says


def too_slow_message(paper: Paper, rendering: Rendering, *, pages: int | None = None) -> str:
    """Why it was stopped: an answer, only if one stands out (more formatting in one
    paragraph than the editor now allows, each such paragraph seconds of layout on
    its own); else the paper's size, which the time bound already allows for, with its
    pages if the layout had got as far as counting them."""
    seconds = time_bound(rendering)
    stopped = (
        f"Laying out this document took longer than {_seconds(seconds)} seconds, so it was stopped."
    )
    heaviest = heaviest_answer(paper)
    if heaviest and heaviest[1] > MAX_FORMATTING_PER_PARAGRAPH:
        number, pieces = heaviest
        return (
            f"{stopped} The answer to question {number} has the most formatting ({pieces:,} "
            "pieces of emphasis, links or notes in one paragraph): simplify it, then try again."
        )
    size = f"{len(paper.answers):,} questions" + (f", {pages:,} pages" if pages else "")
    return (
        f"{stopped} No answer stands out: it is the size of the paper ({size}), and the "
        "server may be busy. Try again later; if it is stopped again, ask your "
        "administrator to raise RENDER_TIMEOUT."
    )


def _seconds(seconds: float) -> str:
    return f"{seconds:,.0f}" if seconds >= 10 else f"{seconds:g}"


def failed_message(error: Exception) -> str:
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return f"This document could not be made ({text[:200]}). Try again, or tell your administrator."


def heaviest_answer(paper: Paper) -> tuple[str, int] | None:
    """The question whose answer has the most inline elements in one paragraph."""
    best = None
    for answer in paper.answers:
        if not answer.text:
            continue
        pieces = most_formatting(parse(answer.text))
        if pieces and (best is None or pieces > best[1]):
            best = (answer.question.number, pieces)
    return best
