"""Old documents pruned: renderings no download will ask for again, and their files.

Every edit asks for a new document (its key is the digest of what it shows), so the
storage grows with every save followed by a download: about 107 KB each for a
3-question paper. `prune` removes, with their stored files, the renderings finished
more than `KEEP_FOR` ago that are not the current paper's, unless they show
signatures that still stand. What is queued or being made is never touched. Run by
`manage.py prune_documents`, and by the task worker once an hour (responses/worker.py).

A download always asks for the current paper's rendering, which is kept; were it
pruned all the same (the paper changed between the prune's reading and the download),
the download records it again and the worker makes it again.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files.storage import storages
from django.db.models import Q
from django.utils import timezone

from responses.documents.rendering import key_for
from responses.models import Response
from responses.models.rendering import Rendering
from responses.paper import Paper

State = Rendering.State
KEEP_FOR = timedelta(days=1)
FINISHED = (State.READY, State.FAILED, State.SUPERSEDED)
# How `rendering.make` names a stored file: anything else in the storage is not ours.
STORED_NAME = re.compile(r"(pdf|docx)-[0-9a-f]{64}\.(pdf|docx)")


@dataclass(frozen=True)
class Pruned:
    renderings: int = 0
    files: int = 0
    size: int = 0

    def __str__(self) -> str:
        return f"{self.renderings} renderings and {self.files} stored files ({self.size:,} bytes)"


def prune(now: datetime | None = None) -> Pruned:
    cutoff = (now or timezone.now()) - KEEP_FOR
    old = Rendering.objects.filter(state__in=FINISHED).filter(
        Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, requested_at__lt=cutoff)
    )
    by_response = defaultdict(list)
    for rendering in old:
        by_response[rendering.response_id].append(rendering)
    gone = []
    for response in Response.objects.for_rules().filter(pk__in=by_response):
        gone += _no_longer_wanted(Paper.load(response), by_response[response.pk])
    renderings = files = size = 0
    storage = storages["documents"]
    for rendering in gone:
        # Only as it was read: a download may have asked for it again meanwhile.
        deleted, _ = Rendering.objects.filter(
            pk=rendering.pk, state=rendering.state, finished_at=rendering.finished_at
        ).delete()
        renderings += deleted
        if deleted and rendering.file_name and storage.exists(rendering.file_name):
            files, size = files + 1, size + _size(storage, rendering.file_name)
            storage.delete(rendering.file_name)
    orphans, orphans_size = _prune_orphans(cutoff)
    return Pruned(renderings, files + orphans, size + orphans_size)


def _no_longer_wanted(paper: Paper, renderings: list[Rendering]) -> list[Rendering]:
    still_signed = paper.signatures.valid
    current = {
        key_for(paper, kind, format, published=published)
        for kind, format, published in {(r.kind, r.format, r.published) for r in renderings}
    }
    return [r for r in renderings if r.key not in current and not (r.signed and still_signed)]


def _prune_orphans(cutoff: datetime) -> tuple[int, int]:
    """Stored files no rendering names (their response was deleted, or a worker died
    between storing a file and recording it), older than the cutoff."""
    storage = storages["documents"]
    try:
        _, names = storage.listdir("")
    except FileNotFoundError:
        return 0, 0  # nothing stored yet
    ours = [name for name in names if STORED_NAME.fullmatch(name)]
    named = set(Rendering.objects.filter(file_name__in=ours).values_list("file_name", flat=True))
    count = size = 0
    for name in ours:
        if name not in named and storage.get_modified_time(name) < cutoff:
            count, size = count + 1, size + _size(storage, name)
            storage.delete(name)
    return count, size


def _size(storage, name: str) -> int:
    try:
        return storage.size(name)
    except OSError:
        return 0
