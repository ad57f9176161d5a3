"""What changed since a signatory last saw the paper.

A signatory is shown a paper at a round and a digest (`Shown`); the paper's
canonical content is kept once per digest (`PaperSnapshot`). When the paper comes
back in a later round, the sign-off page lists every answer, report section and
detail that differs from the snapshot they last saw, each with a word-level diff of
the rendered text, so a director who returned it reads what changed, not all of it
again. Comparing canonical content (what the digest covers) means nothing is listed
that did not change, and nothing that changed is missed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.dateformat import format as format_date
from django.utils.html import escape
from django.utils.safestring import SafeString

from responses.models import CabinetReport, PaperSnapshot, Response, Shown
from responses.paper import REPORT_FIELDS, Paper
from responses.text.crossrefs import anchor
from responses.text.diff import rendered_word_diff


@dataclass(frozen=True)
class Change:
    label: str
    link: str  # a fragment of the sign-off page, where the paper shows it
    diff: SafeString


@dataclass(frozen=True)
class SinceLastSeen:
    round: int
    changes: list[Change]


def seen_by(
    response: Response, user: AbstractBaseUser, paper: Paper, *, record: bool
) -> SinceLastSeen | None:
    """What changed since the version `user` last saw in an earlier round (None if they
    saw none); with `record`, remember that they are being shown this one now.

    One query in the usual case; the first showing of a version adds two inserts, and
    a signatory who saw an earlier round adds one read of what they saw."""
    views = list(
        Shown.objects.filter(response=response, user=user)
        .order_by("-round", "-shown_at", "-pk")
        .values_list("round", "digest")
    )
    now = (response.submission_round, paper.digest)
    if record and now not in views:
        # ignore_conflicts: the same page opened twice at once needs one record, not an error
        PaperSnapshot.objects.bulk_create(
            [PaperSnapshot(digest=paper.digest, content=paper.canonical)], ignore_conflicts=True
        )
        Shown.objects.bulk_create(
            [Shown(response=response, user=user, round=now[0], digest=now[1])],
            ignore_conflicts=True,
        )
    earlier = next(((r, d) for r, d in views if r < response.submission_round), None)
    if earlier is None:
        return None
    content = PaperSnapshot.objects.filter(digest=earlier[1]).values_list("content", flat=True)
    seen = content.first()
    if seen is None:
        return None
    return SinceLastSeen(earlier[0], changes(seen, paper.canonical))


def _same(before: Any, after: Any) -> bool:
    """Equal as printed: line endings and trailing space (a browser's or the admin's
    CRLF, a final newline dropped) change no word."""
    if isinstance(before, str) and isinstance(after, str):
        return before.replace("\r\n", "\n").strip() == after.replace("\r\n", "\n").strip()
    return before == after


def changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every difference between two canonical contents, in the paper's order."""
    return [
        *_publication(old.get("not_for_publication"), new.get("not_for_publication")),
        *_report_details(old.get("report") or {}, new.get("report") or {}),
        *_report_sections(old.get("report_sections", []), new.get("report_sections", [])),
        *_answers(old.get("answers", []), new.get("answers", [])),
        *_consultation(old.get("consultation", {}), new.get("consultation", {})),
    ]


def _publication(old: str | None, new: str | None) -> list[Change]:
    """Marked not for publication, unmarked, or marked under another paragraph."""
    if (old or "") == (new or ""):
        return []
    shown = "For publication"
    return [Change("Publication", "#paper-title", _plain_diff(old or shown, new or shown))]


def _report_details(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    found = []
    for name in REPORT_FIELDS:
        before, after = old.get(name), new.get(name)
        if not _same(before, after):
            label = CabinetReport._meta.get_field(name).verbose_name
            found.append(
                Change(
                    f"Report details: {label[:1].upper()}{label[1:]}",
                    "#paper-title",
                    _plain_diff(before, after),
                )
            )
    return found


def _keyed(sections: list[dict[str, Any]]) -> dict[tuple[str, int], str]:
    """Report sections by heading (and which of that heading), to their text."""
    seen: dict[str, int] = {}
    keyed = {}
    for section in sections:
        heading = section["heading"]
        seen[heading] = seen.get(heading, 0) + 1
        keyed[(heading, seen[heading])] = section["body"]
    return keyed


def _report_sections(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Change]:
    before, after = _keyed(old), _keyed(new)
    found = []
    for key in [*after, *(k for k in before if k not in after)]:
        if key in before and key in after and _same(before[key], after[key]):
            continue
        heading = key[0]
        status = (
            "" if key in before and key in after else (" (new)" if key in after else " (removed)")
        )
        found.append(
            Change(
                f"Report section “{heading}”{status}",
                "#paper-title",
                rendered_word_diff(before.get(key, ""), after.get(key, "")),
            )
        )
    return found


def _answers(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Change]:
    before = {a["number"]: a for a in old}
    after = {a["number"]: a for a in new}
    found = []
    for number in [*after, *(n for n in before if n not in after)]:
        was, now = before.get(number, {}), after.get(number, {})
        if not _same(was.get("answer", ""), now.get("answer", "")):
            found.append(
                Change(
                    f"Answer to question {number}",
                    f"#{anchor(number)}",
                    rendered_word_diff(was.get("answer", ""), now.get("answer", "")),
                )
            )
        if was and now and not _same(was.get("question"), now.get("question")):
            found.append(
                Change(
                    f"Question {number}'s wording",
                    f"#{anchor(number)}",
                    _plain_diff(was["question"], now["question"]),
                )
            )
    return found


def _consultation(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    labels = {
        "title": "The consultation's title",
        "issued_by": "Who issued the consultation",
        "responses_due_by": "The consultation's closing date",
        "executive_summary": "Appendix 2: the executive summary",
    }
    found = []
    for name, label in labels.items():
        if not _same(old.get(name), new.get(name)):
            diff = (
                rendered_word_diff(old.get(name) or "", new.get(name) or "")
                if name == "executive_summary"
                else _plain_diff(old.get(name), new.get(name))
            )
            found.append(Change(label, "#paper-title", diff))
    return found


def _plain_diff(before: Any, after: Any) -> SafeString:
    """A short value (a date, a name): shown whole, old struck through, new inserted."""

    def shown(value: Any) -> str:
        if value in (None, ""):
            return "(none)"
        if value is True or value is False:
            return "Yes" if value else "No"
        try:
            return format_date(datetime.date.fromisoformat(str(value)), "j F Y")
        except ValueError:
            return str(value)

    return SafeString(f"<del>{escape(shown(before))}</del> <ins>{escape(shown(after))}</ins>")
