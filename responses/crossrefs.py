"""Turn an answer's references to other answers into links to those answers.

Officers write "See answer above" or "See answers to Q 16."; on the page and in
the PDF those become links to `#q16`. The links are added to the Markdown, before
it is rendered and sanitised, so no HTML is ever edited as a string.
"""

from __future__ import annotations

import re
from collections.abc import Collection

# An existing Markdown link, or an autolink, is left exactly as written.
_EXISTING_LINK = re.compile(r"\[[^\]]*\]\([^)]*\)|<[^>\s]+>")
# "answer to Q 16", "answers to question 16", "question 16"; a bare "Q4" is too
# often a quarter of the year to be read as a question.
_TO_QUESTION = re.compile(
    r"\b((?:answers?\s+to\s+(?:questions?|q\.?)|questions?)\s*(\d+[a-z]?))\b", re.IGNORECASE
)
_ABOVE = re.compile(r"\b(answers?\s+above)\b", re.IGNORECASE)


def anchor(number: str) -> str:
    """The fragment id of a question's answer on the page and in the PDF."""
    return f"q{number}"


class QuestionNumbers:
    """The printed numbers that exist, looked up without regard to case."""

    def __init__(self, numbers: Collection[str]) -> None:
        self._by_lower = {number.lower(): number for number in numbers}

    def get(self, written: str) -> str | None:
        return self._by_lower.get(written.lower())


def link_cross_references(
    text: str, *, numbers: Collection[str] | QuestionNumbers, previous: str | None = None
) -> str:
    """Return `text` with references to known questions made into Markdown links.

    `numbers` are the printed numbers that exist (build a `QuestionNumbers` once
    when linking many answers); `previous` is the number of the question before
    this one, which "answer above" means.
    """
    lowered = text.lower()
    if "answer" not in lowered and "question" not in lowered:
        return text
    known = numbers if isinstance(numbers, QuestionNumbers) else QuestionNumbers(numbers)
    pieces: list[str] = []
    start = 0
    for link in _EXISTING_LINK.finditer(text):
        pieces.append(_link_plain(text[start : link.start()], known, previous))
        pieces.append(link.group(0))
        start = link.end()
    pieces.append(_link_plain(text[start:], known, previous))
    return "".join(pieces)


def _link_plain(text: str, known: QuestionNumbers, previous: str | None) -> str:
    def to_question(match: re.Match) -> str:
        number = known.get(match.group(2))
        if number is None:
            return match.group(0)
        return f"[{match.group(1)}](#{anchor(number)})"

    text = _TO_QUESTION.sub(to_question, text)
    if previous is not None:
        text = _ABOVE.sub(lambda m: f"[{m.group(1)}](#{anchor(previous)})", text)
    return text
