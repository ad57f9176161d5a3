"""Who else has an answer open: the editor's heartbeat, and what pages say of it.

The editor's script (static/js/presence.js) posts a heartbeat every 20 seconds while
its window is open and in view, naming the window by an id it made when the page
loaded; closing the window sends a last beat that removes it. Someone is *here*
while their row was seen within the last minute, so a window closed without its last
beat (a crash, a lost connection) is gone a minute later.

Heartbeats are writes from every open editor, so each is kept small: one read of the
answer's rows, which also answers "who else?", and at most one write, none when the
window's row was written less than `QUIET_FOR` ago. A new window's first beat looks
its answer up and prunes rows a day old, so the table holds only today's windows.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Q
from django.utils import timezone

from responses.audit import name_of
from responses.errors import Invalid, NotFound
from responses.gate import Access
from responses.models import Answer, Presence, Response
from responses.models.presence import WINDOW_LENGTH

HERE_FOR = datetime.timedelta(seconds=60)
QUIET_FOR = datetime.timedelta(seconds=10)
KEPT_FOR = datetime.timedelta(days=1)
# A person's windows kept on one response: a script posting new window ids for ever
# replaces their own oldest, and never fills the table.
MOST_WINDOWS = 5
WINDOW = re.compile(rf"[A-Za-z0-9_-]{{8,{WINDOW_LENGTH}}}")
YOU = "you, in another window"


@dataclass(frozen=True)
class Present:
    """Someone with the answer open: their name as pages show it, since when, and
    whether it is the reader themselves in another window."""

    name: str
    since: datetime.datetime
    you: bool

    @property
    def label(self) -> str:
        return YOU if self.you else self.name

    @property
    def since_label(self) -> str:
        return timezone.localtime(self.since).strftime("%H:%M")


def window_id(value: str) -> str:
    """The window id a beat names, checked: the script makes them, anything else is refused."""
    if not WINDOW.fullmatch(value or ""):
        raise Invalid("This window has no id the editor made.", field="window")
    return value


def _answer_id(response: Response, number: str) -> int:
    found = (
        Answer.objects.filter(response=response, question__number=number)
        .values_list("pk", flat=True)
        .first()
    )
    if found is None:
        raise NotFound(f"This response has no question {number}.")
    return found


def heartbeat(
    access: Access,
    *,
    number: str,
    window: str,
    replaces: str = "",
    now: datetime.datetime | None = None,
) -> list[Present]:
    """Record that `access.user` has the answer open in `window`; return who else has it.

    One read of the answer's rows; then, for a window already here, at most one write
    (none if its row was written in the last `QUIET_FOR`). A new window looks its
    answer up (404 for a question the response has not), prunes rows a day old and
    adds its row; a beat racing another for the same new window keeps one row. It
    also removes the window its tab showed before (`replaces`), the person's own
    windows gone quiet on this response, and their oldest past `MOST_WINDOWS`."""
    now = now or timezone.now()
    user, response = access.user, access.response
    # Who is here, and this window's own row however long it was hidden.
    rows = list(
        Presence.objects.filter(response=response, answer__question__number=number)
        .filter(Q(last_seen__gte=now - HERE_FOR) | Q(user=user, window=window))
        .with_people()
    )
    mine = next((r for r in rows if r.user_id == user.pk and r.window == window), None)
    if mine is None:
        answer_id = _answer_id(response, number)
        own = Q(user=user, response=response)
        Presence.objects.filter(
            Q(last_seen__lt=now - KEPT_FOR)
            | own
            & (Q(last_seen__lt=now - HERE_FOR) | Q(window=replaces or window))
            & ~Q(window=window)
        ).delete()
        oldest = Presence.objects.filter(own).order_by("-last_seen", "-pk")[MOST_WINDOWS - 1 :]
        Presence.objects.filter(pk__in=list(oldest.values_list("pk", flat=True))).delete()
        rows = [r for r in rows if r.user_id != user.pk or r.window != replaces]
        Presence.objects.bulk_create(
            [
                Presence(
                    response=response,
                    answer_id=answer_id,
                    user=user,
                    window=window,
                    since=now,
                    last_seen=now,
                )
            ],
            ignore_conflicts=True,
        )
    elif mine.last_seen <= now - QUIET_FOR:
        Presence.objects.filter(pk=mine.pk).update(last_seen=now)
    return others(rows, user, window=window, now=now)


def leave(access: Access, *, number: str, window: str) -> None:
    """The window closed: remove its row, so nobody is told it is still open."""
    Presence.objects.filter(
        response=access.response,
        answer__question__number=number,
        user=access.user,
        window=window,
    ).delete()


def others(
    rows: Iterable[Presence],
    user: AbstractBaseUser,
    *,
    window: str = "",
    now: datetime.datetime | None = None,
) -> list[Present]:
    """Everyone here but this window, earliest first; the user's own other windows as
    "you", once, however many there are."""
    cutoff = (now or timezone.now()) - HERE_FOR
    present: dict[int, Present] = {}
    for row in sorted(rows, key=lambda r: (r.since, r.pk)):
        if row.last_seen < cutoff or (row.user_id == user.pk and row.window == window):
            continue
        if row.user_id not in present:
            present[row.user_id] = Present(name_of(row.user), row.since, row.user_id == user.pk)
    return list(present.values())


def here_on(response: Response, number: str, user: AbstractBaseUser) -> list[Present]:
    """Who else has the answer open as the editor's page is first drawn. The reader's
    own windows wait for the page's first beat: until then the window this tab showed
    before (a reload, a save) would read as another."""
    rows = (
        Presence.objects.filter(response=response, answer__question__number=number)
        .exclude(user=user)
        .here()
        .with_people()
    )
    return others(rows, user)


def describe(present: list[Present]) -> str:
    """ "Also open by: Jane Smith (since 14:02); you, in another window (since 14:05)",
    or "" when nobody else is here."""
    if not present:
        return ""
    return "Also open by: " + "; ".join(f"{p.label} (since {p.since_label})" for p in present)


def open_elsewhere(response: Response, user: AbstractBaseUser) -> dict[int, str]:
    """Each answer of the response open in someone else's editor now -> who has it
    ("Jane Smith and Sam Jones"). One query however many answers and people. The
    reader's own windows are left out: they are on this page, and the editor they
    just left says goodbye a moment after this page is drawn."""
    rows = Presence.objects.filter(response=response).exclude(user=user).here().with_people()
    people: dict[int, dict[int, str]] = {}
    for row in rows:
        names = people.setdefault(row.answer_id, {})
        names.setdefault(row.user_id, name_of(row.user))
    return {answer_id: _and(list(names.values())) for answer_id, names in people.items()}


def _and(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
