"""Turn an answer's references to other answers into links to those answers.

Officers write "See answer above" or "See answers to Q 16."; on the page and in
the PDF those become links to `#q16`. The links are added to markdown-it's tokens,
in plain text only, so code, existing links and the HTML are never edited as
strings, and what an officer typed inside backticks or a link stays as typed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

# "answer to Q 16", "answers to question 16", "question 16"; a bare "Q4" is too
# often a quarter of the year to be read as a question.
_TO_QUESTION = re.compile(
    r"\b((?:answers?\s+to\s+(?:questions?|q\.?)|questions?)\s*(\d+[a-z]?))\b", re.IGNORECASE
)
_ABOVE = re.compile(r"\b(answers?\s+above)\b", re.IGNORECASE)
_BREAKS = {"softbreak", "hardbreak"}


# The markup of the links made here, so the checks of typed links can leave them out.
CROSSREF = "crossref"


def anchor(number: str) -> str:
    """The fragment id of a question's answer on the page and in the PDF."""
    return f"q{number}"


class QuestionNumbers:
    """The printed numbers that exist, looked up without regard to case.

    Equal by content, and hashed by a digest taken once, so the cached renderer
    can use it in its key without rehashing thousands of numbers on every call.
    """

    def __init__(self, numbers: Collection[str]) -> None:
        self._by_lower = {number.lower(): number for number in numbers}
        joined = "\n".join(sorted(self._by_lower.values()))
        self._key = hashlib.sha1(joined.encode(), usedforsecurity=False).hexdigest()

    def get(self, written: str) -> str | None:
        return self._by_lower.get(written.lower())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, QuestionNumbers):
            return NotImplemented
        return self._key == other._key

    def __hash__(self) -> int:
        return hash(self._key)


def cross_references_plugin(md: MarkdownIt) -> None:
    """Link references in the text of a document parsed with `question_numbers` in its env.

    `env["question_numbers"]` is a `QuestionNumbers` (without it nothing is
    linked); `env["previous_question"]` is the number "answer above" means. The
    rule runs last, after footnotes are gathered and escaped text is joined, so it
    sees every run of text once, in notes as well as in paragraphs.
    """
    md.core.ruler.push("cross_references", _link_references)


def _link_references(state: StateCore) -> None:
    known: QuestionNumbers | None = state.env.get("question_numbers")
    if known is None or not _mentions_any(state.src):
        return
    previous: str | None = state.env.get("previous_question")
    for token in state.tokens:
        if token.type == "inline" and token.children:
            token.children = _link_children(token.children, known, previous)


def with_references(
    tokens: list[Token], source: str, known: QuestionNumbers, previous: str | None
) -> list[Token]:
    """The tokens of `source` with its references linked, as the rule above links them
    at the end of a parse, made from a parse without them: changed inline tokens are
    new, and `tokens` stay as they were (a cached parse's)."""
    if not _mentions_any(source):
        return tokens
    return [
        token.copy(children=_link_children(token.children, known, previous))
        if token.type == "inline" and token.children
        else token
        for token in tokens
    ]


def _mentions_any(source: str) -> bool:
    lowered = source.lower()
    return "answer" in lowered or "question" in lowered


def _link_children(
    children: list[Token], known: QuestionNumbers, previous: str | None
) -> list[Token]:
    """Link references in runs of plain text; a line break inside a reference is kept."""
    result: list[Token] = []
    run: list[Token] = []
    inside_link = 0
    for child in children:
        if not inside_link and (child.type == "text" or (run and child.type in _BREAKS)):
            run.append(child)
            continue
        result.extend(_link_run(run, known, previous))
        run = []
        if child.type == "link_open":
            inside_link += 1
        elif child.type == "link_close":
            inside_link -= 1
        result.append(child)
    result.extend(_link_run(run, known, previous))
    return result


def _link_run(run: list[Token], known: QuestionNumbers, previous: str | None) -> list[Token]:
    """Each line break stands as one "\\n", so a reference wrapped over two lines
    is found as it was in the source, and the break is put back inside the link."""
    breaks: dict[int, Token] = {}
    parts: list[str] = []
    length = 0
    for token in run:
        if token.type in _BREAKS:
            breaks[length] = token
            parts.append("\n")
        else:
            parts.append(token.content)
        length += len(parts[-1])
    text = "".join(parts)

    links: list[tuple[int, int, str]] = []
    for match in _TO_QUESTION.finditer(text):
        number = known.get(match.group(2))
        if number is not None:
            links.append((match.start(1), match.end(1), number))
    if previous is not None:
        links.extend((m.start(1), m.end(1), previous) for m in _ABOVE.finditer(text))
    if not links:
        return run

    result: list[Token] = []
    done = 0
    for start, end, number in sorted(links):
        result.extend(_plain(text, done, start, breaks))
        result.append(
            Token("link_open", "a", 1, attrs={"href": f"#{anchor(number)}"}, markup=CROSSREF)
        )
        result.extend(_plain(text, start, end, breaks))
        result.append(Token("link_close", "a", -1))
        done = end
    result.extend(_plain(text, done, len(text), breaks))
    return result


def _plain(text: str, start: int, end: int, breaks: dict[int, Token]) -> list[Token]:
    """Text tokens for text[start:end], with its line breaks as they were."""
    tokens: list[Token] = []
    for position in [p for p in breaks if start <= p < end] + [end]:
        if position > start:
            tokens.append(Token("text", "", 0, content=text[start:position]))
        if position < end:
            tokens.append(breaks[position])
        start = position + 1
    return tokens
