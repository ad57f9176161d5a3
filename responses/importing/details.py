"""The consultation's own details, found in its document: the title, who issued it,
when it was published, when responses are due and its web address.

They are offered on the New consultation page as suggestions to check, so each is
taken only where the document states it plainly (a cover page, a "closes on"
sentence, a "Published" line); a field the document does not state stays empty.
Plain Python, like the parser.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from urllib.parse import urlsplit

from responses.importing.facts import Facts, Line

MAX_TITLE = 300
MAX_URL = 200  # as the consultation keeps it
_COVER_LINES = 20  # a pasted web page's title and "From:" follow its navigation
_ISSUER_LINES = 200  # a department named further in is named in passing
_CONTEXT = 80  # how far before a date its sentence may say what the date is
_YEARS = range(1990, 2101)  # as the consultation's dates may be

_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")  # fmt: skip
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b"
)
_WEEKDAY = r"(?:(?:mon|tue(?:s)?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?,?\s+)?"
_DATE = re.compile(
    rf"""(?<![\w/.-]){_WEEKDAY}(?:
        (?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<m1>{_MONTH})\.?,?\s+(?P<y1>\d{{4}})
      | (?P<m2>{_MONTH})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})
      | (?P<d3>\d{{1,2}})(?P<sep>[/.])(?P<m3>\d{{1,2}})(?P=sep)(?P<y3>\d{{4}}|\d{{2}})
      | (?P<y4>\d{{4}})-(?P<m4>\d{{2}})-(?P<d4>\d{{2}})
    )(?![\w/-])""",
    re.IGNORECASE | re.VERBOSE,
)
_SENTENCE_BREAK = re.compile(r"[.!?;]\s+(?=[A-Z])|\n\s*\n")
_CLOSING = re.compile(
    r"\b(?:clos(?:es|ed|ing|e)|deadline|open\s+until|runs\s+until)\b"
    r"|\b(?:respon\w*|repl(?:y|ies)|comments|views)\b.*\b(?:by|before)\s+(?:\w+day,?\s+)?$",
    re.IGNORECASE,
)
_PUBLISHED = re.compile(
    r"\b(?:(?:first\s+)?published|publication\s+date|date\s+of\s+(?:publication|issue)"
    r"|issued)\s*(?:on)?\s*[:\-\u2013]?\s*$",
    re.IGNORECASE,
)

_NAME_WORD = r"(?:[A-Z][\w'\u2019.&-]*|and|&|of|for|the|in|on)"
_NAME = rf"{_NAME_WORD}(?:,?\s+{_NAME_WORD}){{0,12}}"
_DEPARTMENT = re.compile(
    rf"""(?:The\s+)?(?:
        (?:Department|Ministry|Office)\s+(?:for|of)\s+{_NAME}
      | HM\s+{_NAME}
      | (?:Cabinet|Home|Scotland|Wales|Northern\s+Ireland)\s+Office
      | Foreign,\s+Commonwealth\s+(?:&|and)\s+Development\s+Office
      | (?:Welsh|Scottish)\s+Government | Northern\s+Ireland\s+Executive | Llywodraeth\s+Cymru
      | (?!The\b)[A-Z][\w'\u2019&-]*(?:,?\s+{_NAME_WORD}){{0,10}}\s+Committee
    )""",
    re.VERBOSE,
)
_FROM = re.compile(r"From\s*:\s*(?P<name>.*)", re.IGNORECASE)
# A cover's labels, a parliament's name above its committee's, a web page's navigation.
_NOT_TITLES = {
    "senedd cymru",
    "welsh parliament",
    "senedd cymru welsh parliament",
    "uk parliament",
    "house of commons",
    "house of lords",
    "scottish parliament",
    "northern ireland assembly",
    "gov.uk",
    "skip to main content",
    "home",
    "summary",
    "consultation",
    "open consultation",
    "closed consultation",
    "consultation document",
    "consultation paper",
    "public consultation",
    "contents",
    "table of contents",
    "policy paper",
    "guidance",
    "untitled",
    "title",
    "document",
}
# Lines a web page prints round its content wherever they fall, before the questions or
# after: its cookie banner and its footer. Never a consultation's own words.
WEB_PAGE_CHROME = frozenset(
    {
        "cookies on gov.uk",
        "we use some essential cookies to make this website work.",
        "accept additional cookies",
        "reject additional cookies",
        "view cookies",
        "hide this message",
        "hide cookie message",
        "related content",
        "is this page useful?",
        "yes this page is useful",
        "no this page is not useful",
        "report a problem with this page",
        "services and information",
        "government activity",
    }
)
# A web page's navigation, as pasted with its text.
_NAVIGATION = {
    "skip to main content",
    "home",
    "menu",
    "search",
    "committees",
    "business",
    "news",
    "publications",
    "cymraeg",
    "english",
    "sign in",
    "print",
    "print this page",
    "share",
    "share this page",
    "back to top",
    # GOV.UK's own page, round a consultation
    "search gov.uk",
    "get emails about this page",
    "documents",
    "details",
    "consultation outcome",
    "applies to england",
    "applies to england and wales",
    "applies to wales",
    "applies to scotland",
    "applies to northern ireland",
    "applies to england, scotland and wales",
    "request an accessible format.",
    "this file may not be suitable for users of assistive technology.",
    *WEB_PAGE_CHROME,
}
# A line that only labels a detail printed beside it: "Published", "This consultation closes at".
_DETAIL_LABEL = re.compile(
    r"(?:(?:first|last)\s+)?(?:published|updated)(?:\s+on)?|publication\s+date"
    r"|date\s+of\s+(?:publication|issue)|date\s+(?:published|issued)|issued(?:\s+on)?"
    r"|(?:this\s+(?:consultation|call\s+for\s+evidence|inquiry)\s+)?"
    r"(?:closes|closed|opens|opened|runs\s+until)(?:\s+(?:at|on|by))?"
    r"|closing\s+date|deadline(?:\s+for\s+(?:responses|submissions))?|responses?\s+due(?:\s+by)?",
    re.IGNORECASE,
)
# Whoever signs the foreword: "Rt Hon Jane Minister MP", "Minister for Local Government".
_MINISTER = re.compile(
    r"(?i:(?:the\s+)?(?:rt\.?\s+hon\.?|right\s+honourable)\s.*)"
    r"|[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){1,4}\s+(?:MP|MS|MSP|MLA|AM)"
    r"|(?i:minister|secretary\s+of\s+state|parliamentary\s+under[-\s]secretary"
    r"(?:\s+of\s+state)?)\s+(?:of|for)\s+[A-Z].*"
)
_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright\b)", re.IGNORECASE)
# What may stand beside a date on a line that states only the date: a time, "on", "at".
_BESIDE_A_DATE = re.compile(
    r"\b\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)\b|\b\d{1,2}:\d{2}\b"
    r"|\b(?:on|at|by|from|to|until|midday|noon|midnight)\b|[,:()\-\u2013]",
    re.IGNORECASE,
)
_NOT_A_TITLE = re.compile(
    r"(?:q(?:uestion)?\s*\d|\d+[.):]|chapter\b|part\b|section\b|annex\b|page\b|from\s*:"
    r"|microsoft\b)",
    re.IGNORECASE,
)
_SENTENCE_ENDS = (".", ",", ";", "?", "!")
_FILE_NAME = re.compile(r"\.(?:docx?|pdf|odt|rtf|txt)$", re.IGNORECASE)
_URL = re.compile(r"(?<![@\w.])(?:https?://|www\.)[^\s<>\"'()\[\]{}]+", re.IGNORECASE)
_GOVERNMENT_HOSTS = (
    "gov.uk",
    "gov.wales",
    "llyw.cymru",
    "gov.scot",
    "senedd.wales",
    "parliament.uk",
    "nhs.uk",
)
_CITED_HOSTS = ("legislation.gov.uk", "nationalarchives.gov.uk")
_WELL_FORMED = re.compile(
    r"https?://(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}(?::\d{1,5})?(?:[/?#]\S*)?",
    re.IGNORECASE | re.ASCII,  # "gov.uK" with a Kelvin sign is no gov.uk
)


@dataclass(frozen=True)
class FoundDetails:
    title: str = ""
    issued_by: str = ""
    published_on: date | None = None
    responses_due_by: date | None = None
    reference_url: str = ""

    def as_initial(self) -> dict[str, str]:
        """The details found, as the form's fields hold them (dates as ISO text)."""
        return {
            name: value.isoformat() if isinstance(value, date) else value
            for name, value in asdict(self).items()
            if value
        }


def find_details(text: str, facts: Facts = Facts()) -> FoundDetails:  # noqa: B008  frozen
    lines = [line.strip().lstrip("#").strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    published, closing = _dates(text)
    return FoundDetails(
        title=_title(lines, facts),
        issued_by=_issuer(lines, facts),
        published_on=published,
        responses_due_by=closing,
        reference_url=_web_address(text),
    )


def states_a_detail(line: str) -> bool:
    """Whether the line only states one of the document's details (its department, a
    date and what it is, its web address) or is a web page's navigation: a cover's
    line, not a heading a question could sit under."""
    text = " ".join(line.split()).rstrip(" :")
    lowered = text.lower()
    if not text:
        return False
    if lowered in _NOT_TITLES or lowered in _NAVIGATION or _FROM.fullmatch(text + ":"):
        return True
    if _is_department(text) or _URL.fullmatch(text) or _DETAIL_LABEL.fullmatch(text):
        return True
    if _MINISTER.fullmatch(text) or _COPYRIGHT.match(text):
        return True
    if not _DATE.search(text):
        return False
    rest = _DETAIL_LABEL.sub(" ", _DATE.sub(" ", text))
    return not re.search(r"\w", _BESIDE_A_DATE.sub(" ", rest))


def parse_date(written: str) -> date | None:
    """A date as a UK document writes it (day first), or None if there is no such day."""
    match = _DATE.fullmatch(written.strip())
    return _as_date(match) if match else None


def _as_date(match: re.Match[str]) -> date | None:
    parts = match.groupdict()
    for n in "1234":
        if parts[f"y{n}"]:
            day, month, year = parts[f"d{n}"], parts[f"m{n}"], parts[f"y{n}"]
            break
    month_number = int(month) if month.isdigit() else _month_number(month)
    year_number = int(year) + (2000 if len(year) == 2 else 0)
    if year_number not in _YEARS:
        return None
    try:
        return date(year_number, month_number, int(day))
    except ValueError:
        return None


def _month_number(name: str) -> int:
    return next(n for n, full in enumerate(_MONTH_NAMES, 1) if full.startswith(name.lower()[:3]))


def _dates(text: str) -> tuple[date | None, date | None]:
    """The first publication date and the first closing date the text states, each
    told by the words just before it in its own sentence."""
    published = closing = None
    previous_end = 0
    for match in _DATE.finditer(text):
        context = text[max(previous_end, match.start() - _CONTEXT) : match.start()]
        previous_end = match.end()
        context = _SENTENCE_BREAK.split(context)[-1]
        context = " ".join(context.split()) + " "
        when = _as_date(match)
        if when is None:
            continue
        if published is None and _PUBLISHED.search(context):
            published = when
        elif closing is None and _CLOSING.search(context):
            closing = when
        if published and closing:
            break
    return published, closing


def _is_department(line: str) -> bool:
    return len(line) <= 120 and _DEPARTMENT.fullmatch(line.rstrip(".,;:")) is not None


# The Welsh name comes first in a bilingual logo; the response is written in English.
_IN_ENGLISH = {"Llywodraeth Cymru": "Welsh Government"}


def _issuer(lines: list[str], facts: Facts) -> str:
    name = _issuer_as_printed(lines, facts)
    return _IN_ENGLISH.get(" ".join(name.split()), name)


def _issuer_as_printed(lines: list[str], facts: Facts) -> str:
    candidates = [line.text for line in facts.first_page]
    for line in candidates:
        if _is_department(line):
            return line.rstrip(".,;:")
    head = lines[:_ISSUER_LINES]
    for i, line in enumerate(head):
        if match := _FROM.fullmatch(line):
            name = match["name"].strip() or (head[i + 1] if i + 1 < len(head) else "")
            if len(name) <= 120 and re.fullmatch(_NAME, name):
                return name
    for line in head:
        if _is_department(line):
            return line.rstrip(".,;:")
    return next((author for author in facts.authors if _is_department(author)), "")


def _title(lines: list[str], facts: Facts) -> str:
    if facts.first_page:
        return _first_page_title(facts.first_page) or _plausible(facts.title)
    return _plausible(facts.title) or _cover_title(lines)


def _first_page_title(first_page: tuple[Line, ...]) -> str:
    """The first page's largest type, over one line or several, if larger than its body."""
    weights: Counter[float] = Counter()
    for line in first_page:
        weights[line.size] += len(line.text)
    body = weights.most_common(1)[0][0]
    candidates = [line for line in first_page if _could_be_title(line.text)]
    if not candidates:
        return ""
    biggest = max(line.size for line in candidates)
    if biggest < body * 1.2:
        return ""
    start = first_page.index(next(line for line in candidates if line.size == biggest))
    parts = []
    for line in first_page[start:]:
        if line.size != biggest or not _could_be_title(line.text):
            break
        parts.append(line.text)
    return _plausible(" ".join(parts))


def _cover_title(lines: list[str]) -> str:
    """A pasted page's title: the line before its "From:" (a GOV.UK page), else beside
    its department's or committee's name. A page with neither, such as a pasted
    question list or a letter, gives none."""
    head = lines[:_COVER_LINES]
    for i, line in enumerate(head):
        if _FROM.fullmatch(line):
            return _nearest_title(reversed(head[:i]))
    for i, line in enumerate(head):
        if _is_department(line):
            after, before = head[i + 1 :], reversed(head[:i])
            return _nearest_title(after) or _nearest_title(before)
    return ""


def _nearest_title(lines: Iterable[str]) -> str:
    """The first title-like line of the next two, labels ("Consultation") passed over."""
    looked = 0
    for line in lines:
        if line.lower().strip(" :") in _NOT_TITLES:
            continue
        if _could_be_title(line) and line[0].isupper() and not line.endswith(_SENTENCE_ENDS):
            return _plausible(line)
        looked += 1
        if looked == 2:
            break
    return ""


def _could_be_title(text: str) -> bool:
    return not (
        text.lower().strip(" :") in _NOT_TITLES
        or _is_department(text)
        or _DATE.search(text)
        or _URL.search(text)
        or _NOT_A_TITLE.match(text)
    )


def _plausible(title: str) -> str:
    title = " ".join(title.split())
    if (
        len(title) < 8
        or len(title) > MAX_TITLE
        or len(title.split()) < 2
        or title.lower() in _NOT_TITLES
        or _FILE_NAME.search(title)
        or _NOT_A_TITLE.match(title)
    ):
        return ""
    return title


def _web_address(text: str) -> str:
    """The first address on a government site. Only those: the document is the one thing
    here anybody could have written, and the address it suggests is shown to the team
    as the consultation's own."""
    # An address too long for its line breaks after a slash or a hyphen.
    joined = re.sub(r"(?<=[/-])[ \t]*\n[ \t]*(?=[\w/-])", "", text)
    for match in _URL.finditer(joined):
        url = match.group().rstrip(".,;:!?\u2019\u201d")
        if not url.lower().startswith("http"):
            url = f"https://{url}"
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        government = any(host == h or host.endswith(f".{h}") for h in _GOVERNMENT_HOSTS)
        cited = any(host == h or host.endswith(f".{h}") for h in _CITED_HOSTS)
        useful = government and not cited and parts.path.strip("/")
        if useful and _WELL_FORMED.fullmatch(url) and len(url) <= MAX_URL:
            return url
    return ""
