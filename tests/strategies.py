"""Hostile input for the property tests: Unicode nobody types, Markdown built to break
the renderer, and form values a browser would never send.

Shared by tests/test_properties_text.py, tests/test_properties_forms.py and
tests/test_properties_pdf.py. See test_properties_text.py for why every property runs
derandomized.
"""

from __future__ import annotations

import operator
import os

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from responses.text import (
    validate_link_addresses,
    validate_printable_nesting,
    validate_printable_size,
)

# Derandomized and remembering nothing: the same examples on every run and every
# machine, so CI fails (or passes) for a reason someone can reproduce with the same
# command; explicit @example cases pin what was found. No deadline: an example is
# never failed for the time it took on a busy machine.
settings.register_profile(
    "full",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
        HealthCheck.large_base_example,
    ],
)
# `make test` and CI: a fifth of the examples (the pinned ones all run), the same on
# every run. HYPOTHESIS_PROFILE=full runs them all (`make test-all` does).
settings.register_profile("fast", settings.get_profile("full"), max_examples=20)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "fast")
settings.load_profile(PROFILE)
PROPERTIES = settings()


def examples(full: int) -> int:
    """How many examples a property tries: `full` in the full profile, a fifth (at
    least 2) in the fast one."""
    return full if PROFILE == "full" else max(2, full // 5)


# Where what a search once found is kept as @example cases and checked on its own
# (PINNED), the random search runs without them (SEARCH): Hypothesis stops at the first
# failing explicit example, so a known, unfixed bug would otherwise stop the search for
# any other.
PINNED = (Phase.explicit,)
SEARCH = tuple(phase for phase in Phase if phase is not Phase.explicit)

# Characters that reach a server from paste buffers and hostile clients: NUL and the
# other C0/C1 controls, bidirectional overrides and isolates, zero-width joiners and
# spaces, a lone combining mark, BOM, line and paragraph separators, noncharacters,
# a tag character, an astral emoji, and CR (browsers send CRLF).
WEIRD_CHARACTERS = (
    "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\x9b\xa0\xad"
    "\u0301\u0336\u034f\u061c\u180e"
    "\u200b\u200c\u200d\u200e\u200f\u2028\u2029"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069"
    "\ufeff\ufffd\ufffe\uffff\U0001f44d\U000e0041\r\t\n"
)


def unicode_text(max_size: int = 40) -> st.SearchStrategy[str]:
    """Any text a Python str can hold bar lone surrogates (no HTTP request carries
    those), weighted towards the awkward characters."""
    return st.text(
        alphabet=st.one_of(st.characters(), st.sampled_from(WEIRD_CHARACTERS)),
        max_size=max_size,
    )


# Addresses a link may be given: the allowed schemes, then every way of smuggling
# another one past a sanitiser (case, whitespace, entities, percent-encoding,
# controls), relative and protocol-relative addresses, and look-alikes.
ALLOWED_URLS = [
    "https://www.gov.uk/government/consultations/a",
    "http://example.org/",
    "https://example.org/a%20b?x=1&y=2#frag",
    "mailto:officer@walsall.gov.uk",
    "mailto:a@example.org?subject=Hi",
    "HTTPS://EXAMPLE.ORG/UPPER",
]
HOSTILE_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    " javascript:alert(1)",
    "\x01javascript:alert(1)",
    "\x00javascript:alert(1)",
    "javascript&#58;alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "&#0000106;avascript:alert(1)",
    "%6Aavascript:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:image/svg+xml,<svg onload=alert(1)>",
    "file:///etc/passwd",
    "ftp://example.org/file",
    "//evil.example/x",
    "\\\\evil.example\\share",
    "/relative/path",
    "relative/path",
    "?q=1",
    "#q1",
    "#fn1",
    "localhost:8000",
    "www.gov.uk:443",
    "mailto:",
    "https://",
    "https://example.org/\u202etxt.exe",
    "https://exa\u200bmple.org/",
    "<javascript:alert(1)>",
    "<https://example.org/a b>",
    'https://example.org/" onmouseover="alert(1)',
    "https://example.org/'><script>alert(1)</script>",
]
URLS = ALLOWED_URLS + HOSTILE_URLS

RAW_HTML = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://example.org/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=javascript:alert(1)>",
    "<img src=file:///etc/passwd>",
    '<iframe src="https://example.org"></iframe>',
    "<style>body{background:url(https://example.org/x)}</style>",
    "<object data=x></object>",
    "<embed src=x>",
    "<svg onload=alert(1)><use href=#x /></svg>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="https://example.org" onmouseover="alert(1)">x</a>',
    '<div style="background:url(https://example.org/x)">x</div>',
    "<p onclick=alert(1)>x</p>",
    '<link rel="stylesheet" href="https://example.org/x.css">',
    "<base href=//evil.example/>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<form action=https://example.org><input name=x></form>",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<<script>>alert(1)<</script>>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<!-- <script>alert(1)</script> -->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "</p></li></ol></section><script>alert(1)</script>",
    '<span class="footnote" style="color:red">x</span>',
    '<a href="#fn1" class="footnote-ref btn btn-danger">x</a>',
]
ENTITIES = [
    "&amp;",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#0;",
    "&#x0;",
    "&#x110000;",
    "&#99999999;",
    "&nbsp;",
    "&#x202e;",
    "&#106;",
    "&quot;",
    "&bogus;",
    "&",
    "&#",
    "&#x;",
]
MARKS = ["*", "**", "***", "_", "__", "~~", "`", "``", "```", "~~~", "[", "]", "(", ")"]
MARKS += ["<", ">", "!", "#", "\\", "|", "-", "+", "=", "^", ":", "&", '"', "'", "    ", "\t"]
BLOCK_PREFIXES = ["- ", "* ", "+ ", "1. ", "9) ", "> ", ">", "# ", "###### ", "    ", "  - "]
BLOCK_PREFIXES += ["10000000000. ", "- [ ] ", "---\n", "***\n", "[^1]: ", "[ref]: ", "| "]
CROSS_REFERENCES = [
    "answer to Q 16",
    "answers to question 3",
    "question 2",
    "See answer above",
    "answer to Q 99",
]
LONG_RUN_UNITS = ["*", "[", "![", "<", ">", "- ", "> ", "`", "_a", "a", "[^1]", "&#106;"]
LONG_RUN_UNITS += ["**b** ", "[a](https://x.org) ", "\n", "\\", "(", "1. ", "\u0301", "\u202e"]

words = st.one_of(
    unicode_text(12),
    st.sampled_from(["x", "click here", "the council", "https://www.gov.uk/a", "Q 16", ""]),
)


def _inline(text: st.SearchStrategy[str], urls: list[str]) -> st.SearchStrategy[str]:
    url = st.sampled_from(urls)
    return st.one_of(
        text,
        st.builds("[{}]({})".format, text, url),
        st.builds('[{}]({} "{}")'.format, text, url, words),
        st.builds("![{}]({})".format, text, url),
        st.builds("<{}>".format, url),
        st.builds("[{}][r]\n\n[r]: {}\n".format, text, url),
        st.builds("{0}{1}{0}".format, st.sampled_from(["*", "**", "_", "__", "`"]), text),
        st.builds("{}[^{}]".format, text, st.sampled_from(["1", "2", "a", "note", "1"])),
    )


def _markdown(urls: list[str], *, raw_html: list[str], long_runs: int) -> st.SearchStrategy[str]:
    inline = st.recursive(words, lambda inner: _inline(inner, urls), max_leaves=6)
    fragment = st.one_of(
        inline,
        st.sampled_from(raw_html),
        st.sampled_from(ENTITIES),
        st.sampled_from(MARKS),
        st.sampled_from(CROSS_REFERENCES),
        st.builds(
            operator.add,
            st.lists(st.sampled_from(BLOCK_PREFIXES), max_size=12).map("".join),
            inline,
        ),
        st.builds("\n\n[^{}]: {}\n".format, st.sampled_from(["1", "2", "a", "x y"]), inline),
        st.builds("```{}\n{}\n```".format, st.sampled_from(["", "html", "js"]), inline),
        st.builds(
            operator.mul,
            st.sampled_from(LONG_RUN_UNITS),
            st.integers(min_value=1, max_value=long_runs),
        ),
    )
    separator = st.sampled_from(["", " ", "\n", "\n\n", "\r\n", "\t", "  \n"])
    return st.lists(st.tuples(fragment, separator), max_size=14).map(
        lambda parts: "".join(piece + gap for piece, gap in parts)
    )


def markdown_ish(*, long_runs: int = 1000) -> st.SearchStrategy[str]:
    """Markdown made of the pieces that break renderers: links to every kind of
    address, raw HTML, emphasis and code marks, footnotes, nested lists and quotes,
    entities, cross-references and long runs of one mark."""
    return _markdown(URLS, raw_html=RAW_HTML, long_runs=long_runs)


def passes_validators(text: str) -> bool:
    """Whether a form would accept the text (as every stored text has been): a form's
    text field refuses NUL too, which PostgreSQL cannot store."""
    try:
        for validate in (
            ProhibitNullCharactersValidator(),
            validate_printable_nesting,
            validate_link_addresses,
            validate_printable_size,
        ):
            validate(text)
    except ValidationError:
        return False
    return True


def printable_markdown(*, max_size: int = 3000) -> st.SearchStrategy[str]:
    """Hostile Markdown that the answer editor would save: links only to full
    addresses (the validators refuse the rest), every raw tag, entity and mark as
    above, limited in size so that a paper renders in about a second."""
    return (
        _markdown(ALLOWED_URLS, raw_html=RAW_HTML, long_runs=300)
        .map(lambda text: text[:max_size])
        .filter(passes_validators)
    )


# Form values a browser would never send.
NUMBERS_AS_TEXT = [
    "0",
    "-1",
    "1",
    "2",
    "2147483647",
    "2147483648",
    "9223372036854775808",
    "9" * 40,
    "1" * 5000,
    "-0",
    "1e309",
    "1e5",
    "NaN",
    "inf",
    "1.5",
    "1_000",
    " 1 ",
    "0x10",
    "١٢",
    "\uff11",
    "１２３",
    "1\x00",
]
DATES_AS_TEXT = [
    "2027-03-01",
    "2006-03-01",
    "0001-01-01",
    "0000-00-00",
    "9999-12-31",
    "10000-01-01",
    "2024-02-30",
    "2023-02-29",
    "1-1-1",
    "31/12/2026",
    "12/31/2026",
    "2026-13-01",
    "2026-W01",
    "2026-01-01T00:00",
    "-2026-01-01",
    "+002026-01-01",
    "2026-01-01\x00",
]
WRONG_TYPES = ["", " ", "True", "False", "None", "null", "[]", "{}", "[1, 2]", '{"a": 1}']
WRONG_TYPES += ["on", "off", "yes", "undefined", "NaN", "%s", "%(value)s", "{0}", "{value}"]
OTHER_VALUES = [
    "javascript:alert(1)",
    "http://[::1",
    "http://" + "a" * 300 + ".example",
    "a@b",
    "@",
    "mailto:x",
    "name@walsall.gov.uk",
    "x" * 64,
    "'; DROP TABLE responses_answer; --",
    "../../etc/passwd",
    "<script>alert(1)</script>",
]


def huge_text(max_chars: int = 200_000) -> st.SearchStrategy[str]:
    """A short piece of awkward text repeated up to `max_chars` characters. The pieces
    are words and controls, not Markdown marks: a megabyte of brackets is its own test
    (test_properties_forms.test_markdown_far_over_the_limit_is_refused_quickly)."""
    unit = st.text(
        alphabet=st.one_of(
            st.sampled_from("abc xyz\n\x00\x1b\u202e\u200b\u0301\U0001f44d"),
            st.characters(exclude_characters="*_[]<>`!&#\\"),
        ),
        min_size=1,
        max_size=8,
    )
    return st.builds(
        lambda piece, length: (piece * (length // len(piece) + 1))[:length],
        unit,
        st.sampled_from([201, 301, 5_001, 20_001, 100_001, max_chars]),
    )


def form_value(plausible: list[str] = ()) -> st.SearchStrategy[str]:
    """One posted value: a plausible one (so the valid paths run too) or a hostile one."""
    hostile = st.one_of(
        unicode_text(30),
        huge_text(),
        st.sampled_from(NUMBERS_AS_TEXT),
        st.sampled_from(DATES_AS_TEXT),
        st.sampled_from(WRONG_TYPES),
        st.sampled_from(OTHER_VALUES),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
    )
    if not plausible:
        return hostile
    return st.one_of(st.sampled_from(list(plausible)), hostile)
