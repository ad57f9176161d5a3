"""The council's position on each question, and the sentence the Cabinet report prints.

"The council agrees with 20 of the 35 proposals, partly agrees with 8, disagrees with 4
and has no view on 3." Questions marked Not applicable are left out of the count, and
the sentence says how many were. A report section can end with this summary: while the
paper is drafting it is built from the answers as they are; at submission the workflow
keeps it in the section (`ReportSection.positions_summary`), so what was signed is what
prints, whatever changes in this module later.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from responses.models import Answer, ReportSection, Response

Position = Answer.Position
NOT_SET = ""

# Each position as the sentence says it, in the order it says them: (verb, verb for all).
_PHRASES: list[tuple[str, str, str]] = [
    (Position.AGREES, "agrees with", "agrees with"),
    (Position.PARTLY_AGREES, "partly agrees with", "partly agrees with"),
    (Position.DISAGREES, "disagrees with", "disagrees with"),
    (Position.NO_VIEW, "has no view on", "has no view on any of"),
    (NOT_SET, "has yet to state a position on", "has yet to state a position on any of"),
]


def count(positions: Iterable[str]) -> Counter[str]:
    """How many answers hold each position ("" for not yet set)."""
    return Counter(positions)


def counts_of(response: Response) -> Counter[str]:
    """The response's positions counted in one query (for a page without a `Paper`)."""
    return count(
        Answer.objects.filter(response=response).order_by().values_list("position", flat=True)
    )


def _proposals(number: int) -> str:
    return "proposal" if number == 1 else "proposals"


def _all(number: int, verb_for_all: str) -> str:
    if number == 1:
        return f"{verb_for_all.removesuffix(' any of')} the one proposal"
    if number == 2 and not verb_for_all.endswith("any of"):
        return f"{verb_for_all} both proposals"
    if verb_for_all.endswith("any of"):
        return f"{verb_for_all} the {number} proposals"
    return f"{verb_for_all} all {number} proposals"


def _joined(parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


def sentence(counts: Mapping[str, int]) -> str:
    """The summary in words, for any mix of positions (zero, one or many of each)."""
    not_applicable = counts.get(Position.NOT_APPLICABLE, 0)
    held = [
        (n, verb, verb_for_all) for key, verb, verb_for_all in _PHRASES if (n := counts.get(key, 0))
    ]
    total = sum(n for n, _, _ in held)
    if total == 0:
        if not_applicable == 0:
            return "There are no proposals to take a position on."
        if not_applicable == 1:
            return "The council regards the one proposal as not applicable to it."
        return f"The council regards all {not_applicable} proposals as not applicable to it."
    if len(held) == 1:
        (n, _, verb_for_all), *_ = held
        text = f"The council {_all(n, verb_for_all)}."
    else:
        (first, verb, _), *rest = held
        parts = [f"{verb} {first} of the {total} {_proposals(total)}"]
        parts += [f"{verb} {n}" for n, verb, _ in rest]
        text = f"The council {_joined(parts)}."
    if not_applicable == 1:
        text += " A further proposal is not applicable to the council and is not counted."
    elif not_applicable > 1:
        text += (
            f" A further {not_applicable} proposals are not applicable to the council "
            "and are not counted."
        )
    return text


def summary_for(section: ReportSection, response: Response, counts: Mapping[str, int]) -> str:
    """The summary a section prints: as kept at submission once the paper is locked (its
    signatories sign that), else as the answers stand now."""
    if response.is_locked and section.positions_summary:
        return section.positions_summary
    return sentence(counts)


def printed_body(section: ReportSection, summary: str) -> str:
    """A section's text as printed: its body, then the summary if it carries one."""
    if not section.summarises_positions:
        return section.body
    return f"{section.body.rstrip()}\n\n{summary}" if section.body.strip() else summary
