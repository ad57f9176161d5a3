"""Turn a consultation's question list, as text, into headings and numbered questions.

The text comes from wherever a lead officer found it: pasted from the government's
web page, PDF or Word document, or read from an upload by `readers`. So the parser
expects the furniture of each: running headers and page numbers, questions wrapped
over lines and pages, answer options under a question, intro prose between questions,
Markdown headings or none at all. What it cannot be sure of it says, as a warning,
and the preview lets a person correct it; `Outline.to_text()` writes what was
understood in the same dialect, so a corrected outline parses back to itself.

Plain Python: no Django here, so it is tested and timed on its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from responses.importing.details import WEB_PAGE_CHROME, states_a_detail

# A question's number as the outline keeps it: 12, 3a, 4.1. The models accept these.
NUMBER_LIMIT = 10
MAX_LEVEL = 3
LONG_QUESTION = 600
MAX_QUESTIONS = 2000  # far past any consultation seen; beyond it, a list is not one
MAX_HEADING = 300  # as a section's title is stored
MAX_QUESTION = 5000
# A question is printed at most in the text, a summary and a response form; more copies
# than this under one number are not compared (comparing each with all is quadratic).
MAX_COPIES = 3
DEFAULT_CHAPTER = "Questions"
_COUNTS = {2: "two", 3: "three", 4: "four", 5: "five"}

INVISIBLE = dict.fromkeys(
    [*map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), *range(0, 9), 11, *range(14, 32), 127]
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_EMPHASIS = re.compile(r"^(\*{1,3}|_{1,3})(?P<inner>\S(?:.*\S)?)\1$")
_MARKDOWN_HEADING = re.compile(r"^(?P<marks>#{1,6})[ \t]+(?P<title>\S.*)$")
_CHAPTER = re.compile(
    r"^(?:chapter|part)\s+(?:\d{1,3}|[ivxlc]{1,6}|one|two|three|four|five|six|seven|eight|nine"
    r"|ten)\b\s*[:.\-\u2013\u2014]?\s*(?P<title>.*)$",
    re.IGNORECASE | re.ASCII,
)
# Capital Q only: a wrapped line that begins "question 12, and ..." continues a sentence.
_PREFIXED = re.compile(
    r"^(?:Question|QUESTION|Q)\s*\.?\s*(?P<number>\d{1,4}(?:\.\d{1,3})?[a-zA-Z]?)\b"
    r"\s*[.:)\-\u2013\u2014]?\s*(?P<text>.*)$",
    re.ASCII,
)
_BARE = re.compile(
    r"^(?P<number>\d{1,4}(?:\.\d{1,3})?[a-z]?)(?:[.):]\s*|(?<=[a-z])\s+|(?<=\d)\s+(?=[A-Z]))"
    r"(?P<text>\S.*)$",
    re.ASCII,
)
# "2.1 The Government proposes…": a document's own paragraph number, not a question's
# ("2.1. Do you agree?", with its full stop, is a question's, as the outline writes it).
_DOTTED = re.compile(r"^\d{1,3}\.\d{1,3}\.?\s", re.ASCII)
_PARAGRAPH_NUMBER = re.compile(r"^\d{1,3}\.\d{1,3}\s", re.ASCII)
_OPTION = re.compile(
    r"^(?:\(?[a-z]\)|[a-z]\.(?=\s)|\(?[ivx]{1,4}\)|[-*+\u2022\u25e6\u25aa\u25cf\u2610\u25a1\u2013])\s*"
    r"(?P<text>.*)$"
)
_CHOICES = re.compile(r"^[A-Z][\w' ]{0,30}(?:\s*/\s*[A-Za-z][\w' ]{0,30}){1,6}$")
_PAGE_NUMBER = re.compile(
    r"^(?:page\s+\d{1,4}(?:\s+of\s+\d{1,4})?|\d{1,4}(?:\s*(?:\||of)\s*(?:page|\d{1,4}))?"
    r"|[-\u2013]\s*\d{1,4}\s*[-\u2013])$",
    re.IGNORECASE | re.ASCII,
)
_EMPHASISED_NUMBER = re.compile(
    r"^(\*{1,3}|_{1,3})(?P<number>(?:Question|QUESTION|Q)\s*\d{1,4}[a-z]?[.:)]?|\d{1,4}[a-z]?[.)])\1\s*",
    re.ASCII,
)
# A line that asks more of the question above it ("Please explain your answer."),
# not a heading over the next one.
_FOLLOW_UP = re.compile(
    r"^(?:please|if|why|what|how|give|explain|tell|do|does|is|are|would|should|can|could"
    r"|where|when|which|who|to what|in what|include|provide|describe)\b",
    re.IGNORECASE,
)
_FORM_FIELD = re.compile(r"_{3,}|\.{6,}$")
_BOX = "\u2610\u25a1"
# A response form's field that ends in its answers: "…on behalf of an organisation? Yes / No".
_ANSWER_FIELD = re.compile(
    rf"(?:^|[?:])\s*[{_BOX}]?\s*yes\s*[/{_BOX}\s]\s*[{_BOX}]?\s*no\b[\w\s/'\u2019{_BOX}]{{0,40}}$",
    re.IGNORECASE,
)
# The answers a response form prints after its copy of a question, as `_with_options` writes them.
_ANSWERS_AT_END = re.compile(r"\s+(?:yes|no)(?:\s*/\s*[\w'\u2019 ]{1,30}){1,6}$", re.IGNORECASE)
_BROKEN_AFTER = re.compile(r"\w[/\-\u2010]$")
_SENTENCE_END = re.compile(r"[.?!:;]['\"\u2019\u201d)]*$")
# "…for backstop dates.1": a sentence and its footnote's mark, not "Version 2.1".
_FOOTNOTED_END = re.compile(r"[^\W\d_][.?!]['\"\u2019\u201d)]*\d{1,2}$")
# A prompt ending a question ("If not, why not?"): part of it, not a second question.
_TRAILING_PROMPT = re.compile(
    r"(?<=[?.!])\s+(?:(?:if\s+(?:not|so|yes|no),?\s+)?why(?:\s+not)?"
    r"|please\s+(?:explain|give|say|tell)[^?.!]*)[?.!]['\"\u2019\u201d)]*$",
    re.IGNORECASE,
)
_ASKED = re.compile(r"\?['\"\u2019\u201d)]*(?:\s|$)")
_ENDS_ASKING = re.compile(r"\?['\"\u2019\u201d)]*$")
# How a numbered paragraph that is a question starts when it has no question mark:
# "Do you agree that…", "To what extent…", "Please explain…", "Views are invited on…".
_ASKING = re.compile(
    r"^(?:do|does|did|should|would|could|can|will|is|are|was|were|has|have|had|may|might"
    r"|must|shall|what|which|who|whom|whose|why|how|to what|in what|please|give|explain"
    r"|describe|tell|provide|set out|outline|identify|suggest|share|comments?|views|your views"
    r"|any|if so|if not|if you|we (?:would )?(?:welcome|invite|seek|want)"
    r"|we are (?:seeking|inviting|interested))\b",
    re.IGNORECASE,
)
_FIGURE = re.compile(r"[£$€]?\d[\d,.]*(?:%|m|bn|k)?")
_CAPTION = re.compile(r"(?:table|figure|chart|graph)\s+\d+[a-z]?\b", re.IGNORECASE)
# GOV.UK's line under an attached document's title: "PDF, 1.2 MB, 34 pages".
_ATTACHMENT = re.compile(
    r"(?:PDF|HTML|ODT|CSV|MS Word Document|MS Excel Spreadsheet|MS PowerPoint Presentation)"
    r",\s*[\d.]+\s*[KMG]B(?:,\s*\d+\s+pages?)?",
    re.IGNORECASE,
)
_WH_WORD = re.compile(r"^(?:what|why|who|how|when|where|which)\b", re.IGNORECASE)
# "Who should chair it?", "Do you agree?": a question asking the reader's view.
_ASKS_A_VIEW = re.compile(
    r"\b(?:you|your|yours|yourself|should|would|could|might|must|ought)\b", re.IGNORECASE
)
# What, after an unnumbered question, asks more of it rather than asking anew.
_UNNUMBERED_FOLLOW_UP = re.compile(
    r"^(?:if\b|please\b|why\b|explain\b|give\b|provide\b|tell us\b|include\b)", re.IGNORECASE
)
# Where a document lists its questions again: they were asked in its chapters.
_QUESTIONS_AGAIN = re.compile(
    r"\b(?:summary|annex|appendix|response form|respondent form|list of (?:the )?"
    r"(?:consultation )?questions|consultation questions|questions in full)\b",
    re.IGNORECASE,
)
_CONTENTS_TITLE = re.compile(r"^(?:#{1,6}\s*)?(?:table of )?contents:?$", re.IGNORECASE)
_PAGE_AT_END = re.compile(
    r"(?<=[\s.\u2026\u00b7_])(?:\d{1,3}|(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3}))$"
)
_ENTRY_LABEL = re.compile(
    r"^(?:(?:chapter|part|section|annex|appendix)\s+)?(?:\d{1,3}(?:\.\d{1,3})*|[A-Z]|[ivxlc]{1,5})"
    r"(?:[.:)\u2013\u2014-]\s*|\s+)",
    re.IGNORECASE,
)
_LEADER_MARKS = ".\u2026\u00b7_"
_WORD_OF_THREE = re.compile(r"[^\W\d_]{3}")


@dataclass(frozen=True)
class Heading:
    title: str
    level: int = 1


@dataclass(frozen=True)
class Question:
    number: str
    text: str


@dataclass(frozen=True)
class ParseWarning:
    """Something a person should look at; `blocking` ones stop the outline being created."""

    message: str
    line: int | None = None
    blocking: bool = False


@dataclass
class Outline:
    items: list[Heading | Question] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)

    @property
    def questions(self) -> list[Question]:
        return [item for item in self.items if isinstance(item, Question)]

    @property
    def headings(self) -> list[Heading]:
        return [item for item in self.items if isinstance(item, Heading)]

    @property
    def summary(self) -> str:
        """“35 questions under 16 headings”, as the preview, the command and the audit say it."""
        questions, headings = len(self.questions), len(self.tree())
        return (
            f"{questions} question{'s' if questions != 1 else ''} under "
            f"{headings} heading{'s' if headings != 1 else ''}"
        )

    @property
    def can_be_created(self) -> bool:
        return bool(self.questions) and not any(w.blocking for w in self.warnings)

    def tree(self) -> list[tuple[Heading, list[Question]]]:
        """Each heading with the questions directly under it; headings that hold no
        question anywhere beneath them are left out, as they will be on creation."""
        groups: list[tuple[Heading, list[Question]]] = []
        for item in self.items:
            if isinstance(item, Heading):
                groups.append((item, []))
            else:
                if not groups:
                    groups.append((Heading(DEFAULT_CHAPTER), []))
                groups[-1][1].append(item)
        return [group for group, keep in zip(groups, _holding(groups), strict=True) if keep]

    def to_text(self) -> str:
        """The outline in the dialect `parse` reads: `#` per heading level, one
        question per paragraph with its number."""
        blocks = []
        for item in self.items:
            if isinstance(item, Heading):
                blocks.append(f"{'#' * item.level} {item.title}")
            else:
                blocks.append(f"{item.number}. {item.text}")
        return "\n\n".join(blocks) + ("\n" if blocks else "")


def _holding(groups: list[tuple[Heading, list[Question]]]) -> list[bool]:
    """For each heading, whether it holds a question: its own, or a deeper heading's
    before the next heading at its level or above. One pass from the end."""
    deeper_has_questions: dict[int, bool] = {}
    holding = []
    for heading, questions in reversed(groups):
        level = heading.level
        holding.append(bool(questions) or deeper_has_questions.get(level, False))
        for above in list(deeper_has_questions):
            if above >= level:
                deeper_has_questions[above] = False
        for above in range(1, level):
            deeper_has_questions[above] = deeper_has_questions.get(above, False) or bool(questions)
    return holding[::-1]


@dataclass
class _Paragraph:
    lines: list[str]
    line: int
    kind: str = "text"  # text, heading, chapter, question, option, choices
    level: int = 0  # for Markdown headings: the number of marks
    number: str = ""
    body: str = ""
    prefixed: bool = False
    after_prose: bool = False  # prose left out between this and the item before it

    @property
    def text(self) -> str:
        """The lines joined; a line broken after a slash or a hyphen joins without a space."""
        parts = [self.lines[0]]
        for line in self.lines[1:]:
            end = parts[-1][-2:] if len(parts[-1]) > 1 else parts[-2][-1:] + parts[-1]
            parts += ["" if _BROKEN_AFTER.search(end) else " ", line]
        return "".join(parts)


def parse(text: str, *, corrected: bool = False) -> Outline:
    """The outline of a question list, with warnings about what may be wrong.

    `corrected`: the text is an outline as the preview wrote it and a person corrected
    it, so every number means a question (a `Q5` typed among `4.` and `6.` does not
    make the others a document's paragraph numbers)."""
    outline = Outline()
    lines = _clean_lines(text, outline, contents=not corrected)
    paragraphs = _paragraphs(lines)
    if not corrected:
        paragraphs = _cover_lines_apart(paragraphs)
    for paragraph in paragraphs:
        _classify(paragraph)
    if not corrected:
        _leave_out_tables(paragraphs)
        _demote_bare_numbers_when_prefixed(paragraphs)
        demoted = _demote_numbers_that_ask_nothing(paragraphs)
        numbered = any(p.kind == "question" for p in paragraphs)
        if not numbered and not _offer_unnumbered_questions(paragraphs):
            _restore(demoted)  # nothing asks: the numbers are all there is to go on
    _read_items(paragraphs, outline, corrected=corrected)
    if len(outline.questions) > MAX_COPIES * MAX_QUESTIONS:
        outline.warnings.append(_too_many(outline))  # before comparing copies, which is slow
        return outline
    if not corrected:
        _keep_each_question_once(outline)
        _leave_out_headings_after_the_last_question(outline)
        _leave_out_headings_before_the_first_question(outline)
    _number_unnumbered(outline)
    _check(outline)
    return outline


def _leave_out_headings_before_the_first_question(outline: Outline) -> None:
    """Before the first question, only the headings it sits under are its chapters: the
    rest (a cover's or contact page's lines read as headings) hold no question."""
    first = next((i for i, item in enumerate(outline.items) if isinstance(item, Question)), 0)
    over_it, level = set(), MAX_LEVEL + 1
    for index in range(first - 1, -1, -1):
        if outline.items[index].level < level:
            over_it.add(index)
            level = outline.items[index].level
    outline.dropped.extend(outline.items[i].title for i in range(first) if i not in over_it)
    outline.items = [item for i, item in enumerate(outline.items) if i >= first or i in over_it]


def _leave_out_headings_after_the_last_question(outline: Outline) -> None:
    """What follows the last question is the document's back matter (how to respond, an
    address, a glossary, an annex whose questions were copies): listed as left out, not
    headings for the person to delete, or to find a question they add at the end under."""
    if not outline.questions:
        return
    trailing = []
    while isinstance(outline.items[-1], Heading):
        trailing.append(outline.items.pop().title)
    outline.dropped.extend(reversed(trailing))


def _clean_lines(text: str, outline: Outline, *, contents: bool) -> list[tuple[int, str]]:
    """Lines worth reading, numbered from 1, with page furniture (and, unless the text is
    an outline a person corrected, contents pages) taken out."""
    text = unicodedata.normalize("NFC", text).translate(INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    raw = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    raw = [_unwrap_emphasis(line) for line in raw]
    repeated = _running_headers(raw)
    pairs = Counter(zip(raw, raw[1:], strict=False)) if repeated else Counter()
    listed = _contents_lines(raw) if contents else set()
    chrome = _web_page_chrome(raw) if contents else set()
    lines: list[tuple[int, str]] = []
    above = ""  # the line before, if kept
    for number, line in enumerate(raw, start=1):
        if number in listed or number in chrome:
            outline.dropped.append(line)
            above = ""
            continue
        furniture = line in repeated and not _rest_of_a_sentence(line, above, pairs)
        if line and (_PAGE_NUMBER.match(line) or furniture):
            if line not in repeated or line not in outline.dropped:
                outline.dropped.append(line)
            above = ""
            continue
        lines.append((number, line))
        above = line
    return lines


def _web_page_chrome(lines: list[str]) -> set[int]:
    """The line numbers of a pasted web page's cookie banner and footer, of an attached
    document's title and kind, and of its breadcrumbs: the short lines after "Home" up
    to the first line that is not one (the page's label, "Open consultation", or title)."""
    chrome: set[int] = set()
    crumbs = False
    last = 0  # the last line with words in it
    for number, line in enumerate(lines, start=1):
        if not line:
            continue  # a blank line breaks paragraphs; it is nobody's chrome
        lowered = line.lower()
        if lowered in WEB_PAGE_CHROME or lowered == "maybe" and last in chrome:
            chrome.add(number)
        elif _ATTACHMENT.fullmatch(line):
            chrome.update((last, number) if last else (number,))  # its title, then its kind
        elif lowered == "home":
            crumbs = True
        elif crumbs and len(line.split()) <= 4 and not _SENTENCE_END.search(line):
            crumbs = not states_a_detail(line)
            if crumbs:
                chrome.add(number)
        else:
            crumbs = False
        last = number
    return chrome


def _unwrap_emphasis(line: str) -> str:
    heading = _heading(line)
    if heading:
        return f"{heading[0]} {_unwrap_emphasis(heading[1])}"
    line = _EMPHASISED_NUMBER.sub(r"\g<number> ", line).rstrip()
    for _ in range(3):  # ***bold italic*** at most; a run of marks is not worth unpicking
        match = _EMPHASIS.match(line)
        if not match:
            break
        line = match["inner"]
    return line


def _heading(line: str) -> tuple[str, str] | None:
    """(marks, title) of a Markdown heading, without any closing #s."""
    match = _MARKDOWN_HEADING.match(line)
    if not match:
        return None
    title = match["title"].rstrip()
    bare = title.rstrip("#")
    if bare != title and (not bare or bare[-1] in " \t"):
        title = bare.rstrip()
    return (match["marks"], title) if title else None


def _contents_lines(lines: list[str]) -> set[int]:
    """The line numbers (from 1) of a contents page: entries ending in a page number,
    after dot leaders (always an entry), or without them in a run of three or more
    different titles, or straight after a "Contents" line; and that line itself."""
    runs: list[list[tuple[int, bool]]] = []
    after_title: list[bool] = []
    previous = ""
    for number, line in enumerate(lines, start=1):
        if not line:
            continue
        entry = _contents_entry(line)
        if entry is None:
            previous = line
            continue
        if not runs or runs[-1][-1][0] != _previous_line(lines, number):
            runs.append([])
            after_title.append(bool(_CONTENTS_TITLE.match(previous)))
        runs[-1].append((number, entry == "leader"))
        previous = line
    listed = _contents_without_pages(lines)
    for run, titled in zip(runs, after_title, strict=True):
        titles = {_PAGE_AT_END.sub("", lines[n - 1]).rstrip(" " + _LEADER_MARKS) for n, _ in run}
        if titled or len(titles) >= 3 or any(leader for _, leader in run):
            listed.update(n for n, _ in run)
            if titled:
                listed.add(_previous_line(lines, run[0][0]))
    return listed


def _contents_without_pages(lines: list[str]) -> set[int]:
    """A web page's contents: after a "Contents" line, the short lines whose titles
    the page prints again further on (`1. Introduction`, then `Introduction`)."""
    listed: set[int] = set()
    if not any(_CONTENTS_TITLE.match(line) for line in lines):
        return listed
    counts = Counter(_entry_title(line) for line in lines if line and len(line) <= 120)
    for number, line in enumerate(lines, start=1):
        if not _CONTENTS_TITLE.match(line):
            continue
        entries, titles = [], set()
        for following, entry in enumerate(lines[number:], start=number + 1):
            if not entry:
                continue
            title = _entry_title(entry)
            if len(entry) > 120 or "?" in entry or counts[title] < 2 or title in titles:
                break  # past the contents: prose, a question, or the first title again
            entries.append(following)
            titles.add(title)
        if len(entries) >= 2:
            listed.update([number, *entries])
    return listed


def _entry_title(line: str) -> str:
    """A heading's words without its number or marks, to find it again."""
    return _comparable(_ENTRY_LABEL.sub("", line.lstrip("#").strip()))


def _previous_line(lines: list[str], number: int) -> int:
    """The number of the non-blank line before this one, or 0."""
    index = number - 2
    while index >= 0 and not lines[index]:
        index -= 1
    return index + 1


def _contents_entry(line: str) -> str | None:
    """Whether the line is a contents entry: "leader" for `Introduction ........ 3`,
    "page" for `7 The consultation process 18`, None if it is not one."""
    if len(line) > 150:
        return None
    page = _PAGE_AT_END.search(line)
    if page is None:
        return None
    title = line[: page.start()]
    bare = title.rstrip(" " + _LEADER_MARKS)
    if not _WORD_OF_THREE.search(bare) or "?" in bare:
        return None
    leader = title[len(bare) :]
    if sum(leader.count(mark) for mark in _LEADER_MARKS) >= 3 or "\u2026" in leader:
        return "leader"
    if leader.strip() or _SENTENCE_END.search(bare) or bare.endswith(","):
        return None
    if len(bare.split()) > 15 or _OPTION.match(bare) or _heading(bare) or _PREFIXED.match(bare):
        return None  # "Q3 Rate option 3", a run of three, is a question list's
    label = _PREFIXED.match(line.strip())
    if label and not label["text"]:
        return None  # "Question 11" alone labels the question below it
    return "page"


def _running_headers(lines: list[str]) -> set[str]:
    """Short lines printed again and again (on every page): not content."""
    counts = Counter(
        line
        for line in lines
        if line
        and len(line) <= 80
        and not line.endswith("?")  # the end of a question, wrapped alike three times
        and not _heading(line)
        and not _question_number(line)
        and not _OPTION.match(line)
        and not _CHOICES.match(line)
    )
    return {line for line, count in counts.items() if count >= 3}


def _rest_of_a_sentence(line: str, above: str, pairs: Counter[tuple[str, str]]) -> bool:
    """Whether a line printed again and again goes on from the unfinished line kept
    above it, not a running header: it starts in lower case, or it follows that same
    line each time (a question wrapped alike in its chapter, its summary and its form)."""
    if not above or _SENTENCE_END.search(above):
        return False
    return line[0].islower() or pairs[above, line] >= 2


def _paragraphs(lines: list[tuple[int, str]]) -> list[_Paragraph]:
    """Group lines into paragraphs: a blank line, or a line that starts something new
    (a heading, a number, an option), ends one; a wrapped line continues it."""
    full = _full_width(lines)
    paragraphs: list[_Paragraph] = []
    current: _Paragraph | None = None
    for number, line in lines:
        if not line:
            current = None
            continue
        starts = _starts_something(line)
        if current is not None and not starts and _continues(current, line, full):
            current.lines.append(line)
            continue
        if current is None and not starts and paragraphs and _resumes(paragraphs[-1], line):
            paragraphs[-1].lines.append(line)  # a question broken over a page
            current = paragraphs[-1]
            continue
        current = _Paragraph([line], number)
        paragraphs.append(current)
    return paragraphs


def _cover_lines_apart(paragraphs: list[_Paragraph]) -> list[_Paragraph]:
    """Before the first question, a paragraph's opening lines that state the document's
    details stand alone: a pasted web page runs "Published 10 March 2025" into the
    heading or prose after it."""
    apart: list[_Paragraph] = []
    for index, paragraph in enumerate(paragraphs):
        first = paragraph.lines[0]
        if not states_a_detail(first) and (_question_number(first) or "?" in paragraph.text):
            return apart + paragraphs[index:]  # "11:59pm on 14 April 2025" is no question 11
        lines = paragraph.lines
        while len(lines) > 1 and states_a_detail(lines[0]):
            apart.append(_Paragraph([lines[0]], paragraph.line + len(paragraph.lines) - len(lines)))
            lines = lines[1:]
        paragraph.line += len(paragraph.lines) - len(lines)
        paragraph.lines = lines
        apart.append(paragraph)
    return apart


def _full_width(lines: list[tuple[int, str]]) -> int:
    lengths = sorted(len(line) for _, line in lines if line)
    if len(lengths) < 5:
        return 10**6
    return max(40, int(lengths[int(len(lengths) * 0.9)] * 0.7))


def _starts_something(line: str) -> bool:
    return bool(
        _heading(line)
        or _CHAPTER.match(line)
        or _DOTTED.match(line)
        or _question_number(line)
        or _OPTION.match(line)
    )


def _continues(paragraph: _Paragraph, line: str, full: int) -> bool:
    last = paragraph.lines[-1]
    if _heading(paragraph.lines[0]) or _CHAPTER.match(paragraph.lines[0]):
        return False
    if line[0].islower() or line[0] in ",;)":
        return True
    if _BULLET.match(paragraph.lines[0]) and _ENDS_ASKING.search(last):
        return bool(_UNNUMBERED_FOLLOW_UP.match(line))  # a bulleted question ends at its "?"
    if _SENTENCE_END.search(last) and len(line) < full and not _SENTENCE_END.search(line):
        return False  # a short unpunctuated line after a full stop: a heading, not more text
    return len(last) >= full or not _SENTENCE_END.search(last) and len(last) >= full // 2


def _resumes(paragraph: _Paragraph, line: str) -> bool:
    return line[0].islower() and not _SENTENCE_END.search(paragraph.lines[-1])


def _question_number(line: str) -> tuple[str, str] | None:
    """(number, text) when the line starts with a question's number, as printed."""
    if _PARAGRAPH_NUMBER.match(line):
        return None
    match = _PREFIXED.match(line)
    if match and (match["text"] or match["number"]):
        return match["number"].lower(), match["text"]
    match = _BARE.match(line)
    if match:
        return match["number"].lower(), match["text"]
    return None


def _classify(paragraph: _Paragraph) -> None:
    first = paragraph.lines[0]
    heading = _heading(first)
    if heading and _PREFIXED.match(heading[1]):
        first = heading[1]  # `### Question 1`: a question's number set as a heading
        paragraph.lines[0] = first
        heading = None
    if heading:
        paragraph.kind, paragraph.level, paragraph.body = "heading", len(heading[0]), heading[1]
        return
    chapter = _CHAPTER.match(first)
    if chapter and len(paragraph.text) <= 150:
        paragraph.kind, paragraph.body = "chapter", paragraph.text
        return
    numbered = _question_number(paragraph.text)
    if numbered:
        paragraph.kind, paragraph.number = "question", numbered[0]
        paragraph.body = numbered[1]
        paragraph.prefixed = bool(_PREFIXED.match(first))
        return
    option = _OPTION.match(first)
    if option:
        paragraph.kind, paragraph.body = "option", paragraph.text
        return
    if _CHOICES.match(paragraph.text):
        paragraph.kind, paragraph.body = "choices", paragraph.text
        return
    paragraph.body = paragraph.text


def _leave_out_tables(paragraphs: list[_Paragraph]) -> None:
    """A table of figures, read cell by cell (Word) or row by row (PDF), is a run of
    short unpunctuated paragraphs under a caption ("Table 1: …"), or with figures
    among them: left out, not a heading per cell ("Unitary authority", "20%") over the
    next question. (Rows ending in a figure may have gone already, as contents lines.)"""
    start = 0  # where the run of cells before this paragraph starts
    for index, paragraph in enumerate([*paragraphs, None]):
        if paragraph is not None and _table_cell(paragraph):
            continue
        run = paragraphs[start:index]
        captioned = bool(run) and start > 0 and _is_caption(paragraphs[start - 1])
        if captioned or len(run) >= 3 and sum(_has_figure(cell.text) for cell in run) >= 2:
            for cell in paragraphs[start - bool(captioned) : index]:
                cell.kind = "table"
        start = index + 1


def _is_caption(paragraph: _Paragraph) -> bool:
    """ "Table 1: Proposed funding shares", not a sentence that mentions a table."""
    text = paragraph.text
    return (
        paragraph.kind == "text"
        and len(paragraph.lines) <= 2
        and len(text.split()) <= 12
        and not _SENTENCE_END.search(text)
        and _CAPTION.match(text) is not None
    )


def _table_cell(paragraph: _Paragraph) -> bool:
    text = paragraph.text
    return (
        paragraph.kind == "text"
        and len(paragraph.lines) <= 2
        and len(text.split()) <= 8
        and not _SENTENCE_END.search(text)
        and not _CAPTION.match(text)
    )


def _has_figure(text: str) -> bool:
    """A number, percentage or sum standing alone, or after a row's label ("County
    council 38% 456"); not a number opening the text, which numbers it."""
    return bool(_FIGURE.fullmatch(text) or re.search(rf"\s{_FIGURE.pattern}(?=\s|$)", text))


def _demote_bare_numbers_when_prefixed(paragraphs: list[_Paragraph]) -> None:
    """Where questions are printed `Q1` or `Question 1`, a bare `1.` numbers prose
    (the document's own paragraphs), not a question."""
    questions = [p for p in paragraphs if p.kind == "question"]
    if any(p.prefixed for p in questions):
        for paragraph in questions:
            if not paragraph.prefixed:
                paragraph.kind, paragraph.body = "text", paragraph.text


def _asks(text: str) -> bool:
    return bool(_ASKED.search(text) or _ASKING.match(text))


def _demote_numbers_that_ask_nothing(
    paragraphs: list[_Paragraph],
) -> list[tuple[_Paragraph, str, str]]:
    """A bare-numbered paragraph that asks nothing is the document's own numbered
    paragraph (prose, a footnote) or a numbered heading; `Q1` and `Question 1` always
    mark questions. Returns what was demoted, to restore if nothing else asks."""
    demoted = []
    for paragraph in paragraphs:
        if paragraph.kind == "question" and not paragraph.prefixed and not _asks(paragraph.body):
            demoted.append((paragraph, paragraph.number, paragraph.body))
            paragraph.kind, paragraph.body = "text", paragraph.text
    return demoted


def _restore(demoted: list[tuple[_Paragraph, str, str]]) -> None:
    for paragraph, number, body in demoted:
        paragraph.kind, paragraph.number, paragraph.body = "question", number, body


def _offer_unnumbered_questions(paragraphs: list[_Paragraph]) -> bool:
    """With no numbered question anywhere, bullets and paragraphs that end with a
    question mark are the questions (numbered later, in order, with a warning). A
    prompt after one ("If not, why not?") stays with it, as under numbered ones."""
    offered = asking = False
    for index, paragraph in enumerate(paragraphs):
        text = paragraph.text
        bulleted = paragraph.kind == "option" and _BULLET.match(paragraph.lines[0])
        if _heading_that_asks(paragraph, _after(paragraphs, index)):
            asking = False
            continue
        if paragraph.kind in ("text", "option") and _ENDS_ASKING.search(text):
            if paragraph.kind == "text" and asking and _UNNUMBERED_FOLLOW_UP.match(text):
                continue
            if paragraph.kind == "text" or bulleted:
                paragraph.kind, paragraph.number = "question", ""
                paragraph.body = _BULLET.sub("", text) if bulleted else text
                offered = asking = True
                continue
        if paragraph.kind in ("option", "choices"):
            continue
        if not (paragraph.kind == "text" and asking and _follows_up(text)):
            asking = False
    return offered


def _read_items(paragraphs: list[_Paragraph], outline: Outline, *, corrected: bool) -> None:
    """Questions and headings in order; the rest left out. A person's corrected outline
    has no cover: what they kept before the first question is theirs."""
    last_question: _Paragraph | None = None
    options: dict[int, list[str]] = {}
    items: list[tuple[_Paragraph, int | None]] = []
    prose = asked = False

    for index, paragraph in enumerate(paragraphs):
        if last_question is not None and paragraph.kind == "text":
            if not last_question.body:  # "Question 1" on its own line, its text below
                last_question.body = paragraph.text
                continue
            # Unnumbered, "What happens next?" over prose is the page's next heading.
            numbered = bool(last_question.number)
            if _follows_up(paragraph.text) and (
                numbered or not _heading_that_asks(paragraph, _after(paragraphs, index))
            ):
                options.setdefault(id(last_question), []).append(paragraph.text)
                continue
        if paragraph.kind in ("option", "choices"):
            if last_question is not None:
                options.setdefault(id(last_question), []).append(paragraph.body)
            else:
                outline.dropped.append(paragraph.text)
            continue
        paragraph.after_prose, prose = prose, False
        if paragraph.kind == "question":
            last_question, asked = paragraph, True
            items.append((paragraph, None))
            continue
        last_question = None
        if paragraph.kind == "table" or not (asked or corrected) and _cover_line(paragraph):
            outline.dropped.append(paragraph.text)
            prose = True
        elif paragraph.kind == "heading":
            items.append((paragraph, paragraph.level))
        elif paragraph.kind == "chapter":
            items.append((paragraph, 0))
        elif _looks_like_heading(paragraph, _after(paragraphs, index)):
            paragraph.kind = "plain heading"
            items.append((paragraph, None))
        else:
            outline.dropped.append(paragraph.text)
            prose = True

    levels = _heading_levels(items)
    for (paragraph, _), level in zip(items, levels, strict=True):
        if paragraph.kind == "question":
            text = _with_options(paragraph.body, options.get(id(paragraph), []))
            outline.items.append(Question(paragraph.number, text))
        else:
            outline.items.append(Heading(paragraph.body.rstrip(" .:"), level))


def _cover_line(paragraph: _Paragraph) -> bool:
    """Before the first question, a cover's or web page's lines (the department, dates,
    "Published", navigation) are the document's details, not the chapter it opens with."""
    if paragraph.kind in ("heading", "chapter"):
        return states_a_detail(paragraph.body)
    return all(states_a_detail(line) for line in paragraph.lines)


def _follows_up(text: str) -> bool:
    """A prompt under a question ("Please explain your answer.", "If not, why not?"),
    not a heading that happens to start the same way ("How to respond")."""
    words = len(text.split())
    ends = _SENTENCE_END.search(text) is not None
    return words <= 25 and (ends or words > 8) and bool(_FOLLOW_UP.match(text))


def _after(paragraphs: list[_Paragraph], index: int) -> Iterator[_Paragraph]:
    """The paragraphs after `index`, read as far as they are wanted: a copy of the rest
    for each paragraph made a text of 200,000 bullets take minutes."""
    return (paragraphs[i] for i in range(index + 1, len(paragraphs)))


def _looks_like_heading(paragraph: _Paragraph, following: Iterator[_Paragraph]) -> bool:
    """A short unnumbered line with something after it: a heading between questions.
    Intro prose is longer, or ends a sentence the way headings do not."""
    text = paragraph.text
    words = text.split()
    if text.endswith("?"):
        return _heading_that_asks(paragraph, following)
    if len(paragraph.lines) > 2 or len(words) > 12 or len(text) > 100:
        return False
    if _FORM_FIELD.search(text) or text.endswith(":") and len(words) <= 3:
        return False  # a response form's field: "Name:", "Email address: ______"
    if _ANSWER_FIELD.search(text):
        return False  # "Are you responding on behalf of an organisation? Yes / No"
    if _SENTENCE_END.search(text) and (len(words) > 5 or text.endswith((",", ";"))):
        return False
    if _FOOTNOTED_END.search(text):
        return False
    if _PARAGRAPH_NUMBER.match(text) and _SENTENCE_END.search(text):
        return False  # "2.1 The proposals follow.": the document's own paragraph
    return any(p.kind != "text" or len(p.text) > 0 for p in following)


def _heading_that_asks(paragraph: _Paragraph, following: Iterator[_Paragraph]) -> bool:
    """A web page's "What is changing?" over the prose that answers it, or over the
    bulleted questions it groups: a heading, not a question asking the reader's view
    ("What do you think?", "Who should chair it?")."""
    text = paragraph.text
    if paragraph.kind != "text" or len(paragraph.lines) > 1 or not 3 <= len(text.split()) <= 8:
        return False
    if not _WH_WORD.match(text) or _ASKS_A_VIEW.search(text):
        return False
    after = next(following, None)
    if after is None:
        return False
    if after.kind in ("option", "question") and _BULLET.match(after.lines[0]):
        return _ENDS_ASKING.search(after.text) is not None  # over bulleted questions
    return (
        after.kind == "text"
        and not _ENDS_ASKING.search(after.text)
        and len(after.text.split()) >= 8
    )


def _heading_levels(items: list[tuple[_Paragraph, int | None]]) -> list[int]:
    """Each heading's level, 1 for a chapter.

    Marked headings (`#`, Word's heading styles) keep their order of levels, however
    deep they start. `Chapter N` is a chapter. Unmarked headings are guessed: a
    heading straight after another heading (no prose between) is inside it, and once
    the document has shown two levels that way before its last question, a lone
    heading is a sub-section of the open chapter. The preview shows the guess and lets
    a person change it."""
    marks = sorted({level for p, level in items if p.kind == "heading"})
    rank = {mark: position + 1 for position, mark in enumerate(marks)}
    if any(p.kind == "chapter" for p, _ in items):
        rank = {mark: min(MAX_LEVEL, position + 2) for position, mark in enumerate(marks)}
    # Headings after the last question (a web page's "Ways to respond" over its
    # addresses) are left out, so they show nothing of the levels.
    last = max((i for i, (p, _) in enumerate(items) if p.kind == "question"), default=len(items))
    two_levels = any(
        a.kind == "plain heading" and b.kind == "plain heading" and not b.after_prose
        for (a, _), (b, _) in zip(items[:last], items[1:last], strict=False)
    ) or any(p.kind == "chapter" for p, _ in items)

    levels: list[int] = []
    chapter_open = False
    for index, (paragraph, mark) in enumerate(items):
        after = items[index + 1][0] if index + 1 < len(items) else None
        following = after.kind if after is not None and not after.after_prose else ""
        previous = items[index - 1][0].kind if index and not paragraph.after_prose else ""
        if paragraph.kind == "question":
            levels.append(0)
            continue
        if paragraph.kind == "heading":
            levels.append(min(MAX_LEVEL, rank[mark]))
        elif paragraph.kind == "chapter" or following == "plain heading":
            levels.append(1)
        elif previous in ("plain heading", "chapter"):
            levels.append(min(MAX_LEVEL, levels[-1] + 1))
        elif two_levels and chapter_open:
            levels.append(2)
        else:
            levels.append(1)
        chapter_open = True
    return levels


_BULLET = re.compile(r"^[-*+\u2022\u25e6\u25aa\u25cf\u2610\u25a1\u2013]\s*")


def _with_options(text: str, options: list[str]) -> str:
    """The question with what follows it: prompts and lettered options as printed,
    a run of bulleted choices as "Yes / No / Don't know"."""
    parts: list[str] = [text]
    bullets: list[str] = []
    for option in [*options, ""]:
        if option and _BULLET.match(option):
            boxes = re.split(f"[{_BOX}]", option)
            if option[0] in _BOX and len(boxes) > 2:  # "☐ Yes ☐ No ☐ Don't know" on one line
                bullets += [box.strip() for box in boxes if box.strip()]
            else:
                bullets.append(_BULLET.sub("", option))
            continue
        if bullets:
            parts.append(" / ".join(bullets))
            bullets = []
        if option:
            parts.append(option)
    return " ".join(part for part in parts if part)


@dataclass
class _Copy:
    index: int
    text: str
    listed: bool  # under a heading that lists the questions again

    @property
    def words(self) -> str:
        return _comparable_question(self.text)


def _keep_each_question_once(outline: Outline) -> None:
    """A question printed in the text and again in a list of the questions (a summary,
    a response form) is one question: the copy under its chapter is kept, wherever the
    list stands. Copies match by number and near-identical words, or, unnumbered, by
    their words alone; one of them must be in such a list, since two chapters may well
    ask "Do you agree?" each."""
    seen: dict[str, list[_Copy]] = {}  # by number; unnumbered, by their words
    gone: set[int] = set()
    again: Counter[str] = Counter()  # copies left out, by key
    for index, question, listed in _questions_with_place(outline.items):
        key = question.number or f"\0{_comparable(question.text)}"
        copies = seen.setdefault(key, [])
        words = _comparable_question(question.text) if copies else ""
        compared = copies[:MAX_COPIES]
        match = next(
            (
                copy
                for copy in compared
                if (copy.listed or listed) and _same_words(words, copy.words)
            ),
            None,
        )
        if match is None:
            copies.append(_Copy(index, question.text, listed))
            continue
        if match.listed and not listed:  # the list came first: keep the chapter's copy
            gone.add(match.index)
            match.index, match.text, match.listed = index, question.text, listed
        else:
            gone.add(index)
        again[key] += 1
    if not gone:
        return
    outline.items = [item for index, item in enumerate(outline.items) if index not in gone]
    numbers = [key for key in again if not key.startswith("\0")]
    one = len(again) == 1
    if len(numbers) == len(again):
        subject = f"Question{'' if one else 's'} {_number_list(numbers)} {'is' if one else 'are'}"
    else:
        subject = "1 question is" if one else f"{len(again)} questions are"
    times = "twice" if max(again.values()) == 1 else "more than once"
    outline.warnings.append(
        ParseWarning(
            f"{subject} printed {times}, in the text and in a list of the questions: "
            f"{'it is' if one else 'each is'} kept once, where the text asks it."
        )
    )


def _questions_with_place(
    items: list[Heading | Question],
) -> Iterator[tuple[int, Question, bool]]:
    """Each question's index, and whether it sits under a heading that lists questions again."""
    open_headings: list[tuple[int, bool]] = []  # level, and whether it or one above lists
    for index, item in enumerate(items):
        if isinstance(item, Heading):
            while open_headings and open_headings[-1][0] >= item.level:
                open_headings.pop()
            above = bool(open_headings) and open_headings[-1][1]
            open_headings.append((item.level, above or bool(_QUESTIONS_AGAIN.search(item.title))))
        else:
            yield index, item, bool(open_headings) and open_headings[-1][1]


def _comparable(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _comparable_question(text: str) -> str:
    """A question's words without the answers a response form printed after its copy."""
    return _comparable(_ANSWERS_AT_END.sub("", text))


def _same_words(one: str, other: str) -> bool:
    """Near enough to be one question printed twice; numbers in the text must agree."""
    if re.findall(r"\d+", one) != re.findall(r"\d+", other):
        return False
    shorter, longer = sorted((one, other), key=len)
    if fuzz.ratio(one, other) >= 90:
        return True
    return len(shorter) >= 15 and fuzz.partial_ratio(shorter, longer) >= 95


def _number_list(numbers: list[str]) -> str:
    """“1–3, 5 and 7a”: runs of three or more plain numbers as ranges."""
    groups: list[list[str]] = []
    for number in numbers:
        last = groups[-1][-1] if groups else ""
        if number.isdigit() and last.isdigit() and int(number) == int(last) + 1:
            groups[-1].append(number)
        else:
            groups.append([number])
    parts = [
        part
        for group in groups
        for part in ([f"{group[0]}\u2013{group[-1]}"] if len(group) > 2 else group)
    ]
    if len(parts) == 1:
        return parts[0]
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


def _number_unnumbered(outline: Outline) -> None:
    """Questions found without a number are numbered in order, and the preview says so."""
    count = sum(1 for item in outline.items if isinstance(item, Question) and not item.number)
    if not count:
        return
    number = 0
    for index, item in enumerate(outline.items):
        if isinstance(item, Question):
            number += 1
            outline.items[index] = Question(str(number), item.text)
    numbered = "numbered 1 in order" if count == 1 else f"numbered 1\u2013{count} in order"
    outline.warnings.append(
        ParseWarning(
            f"{count} question{'s' if count != 1 else ''} had no number: {numbered}; "
            f"check {'it' if count == 1 else 'them'}."
        )
    )


def _leading_int(number: str) -> int | None:
    digits = re.match(r"\d+", number)
    return int(digits.group()) if digits else None


def _too_many(outline: Outline) -> ParseWarning:
    return ParseWarning(
        f"There are {len(outline.questions):,} numbered paragraphs: more than the "
        f"{MAX_QUESTIONS:,} questions a consultation can have here. Paste the "
        "questions alone, not the whole document.",
        blocking=True,
    )


def _check(outline: Outline) -> None:
    warnings = outline.warnings
    if not outline.questions:
        warnings.append(
            ParseWarning(
                "No questions were found: no paragraph starts with a question's number "
                "(“1.”, “Q1”, “Question 1:”) and none ends with a question mark.",
                blocking=True,
            )
        )
        return
    if len(outline.questions) > MAX_QUESTIONS:
        warnings.append(_too_many(outline))
        return
    for heading in outline.headings:
        if len(heading.title) > MAX_HEADING:
            warnings.append(
                ParseWarning(
                    f"The heading “{heading.title[:60]}…” is longer than {MAX_HEADING} "
                    "characters: is it a paragraph? Shorten it, or take its # away.",
                    blocking=True,
                )
            )
    seen: set[str] = set()
    previous: Question | None = None
    for item in outline.items:
        if not isinstance(item, Question):
            continue
        if len(item.number) > NUMBER_LIMIT:
            warnings.append(
                ParseWarning(f"Question number “{item.number}” is too long to use.", blocking=True)
            )
        if item.number in seen:
            warnings.append(
                ParseWarning(
                    f"Question {item.number} appears twice. Give each question its own number.",
                    blocking=True,
                )
            )
        seen.add(item.number)
        if previous is not None:
            _check_sequence(previous, item, warnings)
        if LONG_QUESTION < len(item.text) <= MAX_QUESTION:
            warnings.append(
                ParseWarning(
                    f"Question {item.number} is long ({len(item.text):,} characters): it may "
                    "hold intro text or more than one question. Split or shorten it if so."
                )
            )
        if (marks := _question_marks(item.text)) > 1:
            warnings.append(
                ParseWarning(
                    f"Question {item.number} has {_COUNTS.get(marks, marks)} question marks: "
                    "it may hold two questions. Split it if so."
                )
            )
        if item.text.strip() and len(item.text.split()) <= 4 and not item.text.endswith("?"):
            warnings.append(
                ParseWarning(
                    f"Question {item.number} (“{item.text}”) is short and asks nothing: "
                    "is it a numbered heading? If so, write it with # in front."
                )
            )
        if not item.text.strip():
            warnings.append(ParseWarning(f"Question {item.number} has no text.", blocking=True))
        elif len(item.text) > MAX_QUESTION:
            warnings.append(
                ParseWarning(
                    f"Question {item.number} is longer than {MAX_QUESTION:,} characters: "
                    "it holds more than a question. Split it, or take out the intro text.",
                    blocking=True,
                )
            )
        previous = item
    if outline.items and isinstance(outline.items[0], Question):
        warnings.append(
            ParseWarning(
                f"The first questions have no heading: they will go under “{DEFAULT_CHAPTER}”."
            )
        )
    kept = {id(heading) for heading, _ in outline.tree()}
    empty = [heading.title for heading in outline.headings if id(heading) not in kept]
    if len(empty) == 1:
        warnings.append(
            ParseWarning(f"Heading “{empty[0]}” has no questions under it: it will be left out.")
        )
    elif empty:
        warnings.append(
            ParseWarning(
                f"{len(empty)} headings have no questions under them and will be left out: "
                f"{_some_of(empty)}."
            )
        )
    if outline.dropped:
        count = len(outline.dropped)
        warnings.append(
            ParseWarning(
                f"{count} piece{'s' if count != 1 else ''} of text "
                f"{'were' if count != 1 else 'was'} not a question or a heading and "
                "will be left out. Check them below."
            )
        )


def _question_marks(text: str) -> int:
    """The question marks, less those of the prompts that end the question."""
    for _ in range(3):  # "If so, why? Please explain." at most
        text, found = _TRAILING_PROMPT.subn("", text)
        if not found:
            break
    return text.count("?")


def _check_sequence(previous: Question, item: Question, warnings: list[ParseWarning]) -> None:
    before, now = _leading_int(previous.number), _leading_int(item.number)
    if before is None or now is None or now in (before, before + 1):
        return
    if now > before + 1:
        missing = f"{before + 1}" if now == before + 2 else f"{before + 1} to {now - 1}"
        warnings.append(
            ParseWarning(f"Question {item.number} follows {previous.number}: is {missing} missing?")
        )
    else:
        warnings.append(
            ParseWarning(
                f"The numbering goes back from {previous.number} to {item.number}: "
                "is this a second list, or intro text numbered as paragraphs?"
            )
        )


def _some_of(titles: list[str], shown: int = 5) -> str:
    """“A”, “B” and “C”; past `shown`, the first of them “and N more”."""
    quoted = [f"“{title}”" for title in titles]
    if len(quoted) > shown:
        return ", ".join(quoted[:shown]) + f" and {len(quoted) - shown} more"
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]
