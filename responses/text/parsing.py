"""One parse of a Markdown text: the token stream its HTML and its checks both read.

markdown-it-py drops two things silently, and each reader used to parse the text
again to find out: lines nested past its limit, and links to an address it will not
link. Both are noted here, during the one parse, so the checks read them off the
result (`Parsed.lost_to_nesting`, `Parsed.refused_links`) instead of parsing again.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import validateLink
from markdown_it.parser_block import ParserBlock
from markdown_it.parser_inline import ParserInline
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from responses.text.addresses import with_addresses
from responses.text.crossrefs import QuestionNumbers, cross_references_plugin, with_references
from responses.text.lists import lists_as_written_plugin


@dataclass(frozen=True)
class Parsed:
    """A text as markdown-it read it, with what it dropped on the way.

    Shared through a cache: readers must not change `tokens` or `env`."""

    text: str
    tokens: list[Token]
    env: dict
    for_print: bool
    # Some lines sit deeper than the parser's nesting limit: it left them out.
    lost_to_nesting: bool = False
    # Addresses markdown-it would not link (javascript:, file:…), %-encoded as a link's
    # address is: their links stay text.
    refused_links: tuple[str, ...] = field(default=())

    @property
    def parser(self) -> MarkdownIt:
        return _print_parser if self.for_print else _web_parser


_refused: ContextVar[list[str] | None] = ContextVar("refused_links", default=None)


def _noting_refusals(url: str) -> bool:
    allowed = validateLink(url)
    if not allowed and (refused := _refused.get()) is not None:
        refused.append(url)
    return allowed


def _noting_lost_lines(block: ParserBlock) -> None:
    """Wrap the block tokenizer so that text it would skip for nesting is noted.

    markdown-it skips a container's lines when it is entered at the nesting limit,
    on the first line that is neither blank nor the container's end; this asks the
    same question, once per container, before handing over."""
    tokenize = block.tokenize

    def noting(state: StateBlock, start: int, end: int) -> None:
        if state.level >= state.md.options["maxNesting"]:
            line = state.skipEmptyLines(start)
            if line < end and state.sCount[line] >= state.blkIndent:
                state.env["lost_to_nesting"] = True
        tokenize(state, start, end)

    block.tokenize = noting


def _skipping_from_its_cache(inline: ParserInline) -> None:
    """Answer markdown-it's look-ahead from its own cache before anything else.

    At each bracket, markdown-it looks ahead for where a link's label ends, stepping
    over the text a position at a time (`skipToken`, about 40 steps a character in
    a run of `![`); each step is answered from its cache, but only after it has
    fetched its rules and options. Asking the cache first gives the same answers for
    about two thirds of the work on such a text."""
    skip = inline.skipToken

    def skipping(state) -> None:
        cached = state.cache.get(state.pos)
        if cached is None:
            skip(state)
        else:
            state.pos = cached

    inline.skipToken = skipping


def _build_parser(*, for_print: bool) -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.use(lists_as_written_plugin).use(footnote_plugin).use(cross_references_plugin)
    parser.validateLink = _noting_refusals
    _noting_lost_lines(parser.block)
    _skipping_from_its_cache(parser.inline)
    # The "↩︎" back-link is screen furniture, and its variation selector is a
    # glyph no print font has.
    parser.add_render_rule("footnote_anchor", lambda *args, **kwargs: "")
    if for_print:
        parser.add_render_rule("footnote_ref", _render_footnote_in_place)
        parser.core.ruler.push("link_addresses", _print_link_addresses)
    return parser


def _render_footnote_in_place(self, tokens: list[Token], idx: int, options, env) -> str:
    """In print, a note's text stands where it is called: CSS floats it to the page foot.
    A note is printed once, where it is first called: called again (or from inside
    itself, `[^1]: see[^1]`), it is not repeated, so no text can multiply itself."""
    note = tokens[idx].meta["id"]
    inside: set = env.setdefault("notes_being_printed", set())
    printed: set = env.setdefault("notes_printed", set())
    if note in inside or note in printed:
        return ""
    inside.add(note)
    printed.add(note)
    children = env.get("notes_in_place", {}).get(note, [])
    try:
        return f'<span class="footnote">{self.renderInline(children, options, env)}</span>'
    finally:
        inside.discard(note)


def _print_link_addresses(state: StateCore) -> None:
    """Runs after cross-references, whose "#q16" links, like footnote calls, get nothing."""
    for token in state.tokens:
        if token.type == "inline" and token.children:
            token.children = with_addresses(token.children, state.md)


@lru_cache(maxsize=32)
def parse(
    text: str,
    *,
    for_print: bool = False,
    numbers: QuestionNumbers | None = None,
    previous: str | None = None,
    note_prefix: str = "",
) -> Parsed:
    """Parse `text` once for everything this request reads of it.

    `for_print` prepares footnotes to stand where they are called and links to print
    their addresses; `numbers` (the questions that exist) and `previous` turn
    references such as "answer to Q 16" and "answer above" into links; `note_prefix`
    keeps one answer's footnote ids apart from another's on a page of many.

    On screen, references and note ids are added to the text's plain parse (cached:
    usually the checks' own), not parsed again: markdown-it adds them last, and a
    refused save's page or a preview of a bound form shows the same words once."""
    if not for_print and (numbers is not None or previous is not None or note_prefix):
        return _referenced(parse(text), numbers, previous, note_prefix)
    env: dict = {"question_numbers": numbers, "previous_question": previous}
    if note_prefix:
        env["docId"] = note_prefix
    parser = _print_parser if for_print else _web_parser
    refused: list[str] = []
    noting = _refused.set(refused)
    try:
        tokens = parser.parse(text, env)
    finally:
        _refused.reset(noting)
    lost = bool(env.pop("lost_to_nesting", False))
    if for_print:
        tokens = _lift_footnotes(tokens, env)
    return Parsed(
        text=text,
        tokens=tokens,
        env=env,
        for_print=for_print,
        lost_to_nesting=lost,
        refused_links=tuple(dict.fromkeys(refused)),
    )


def _referenced(
    plain: Parsed, numbers: QuestionNumbers | None, previous: str | None, note_prefix: str
) -> Parsed:
    env = {**plain.env, "question_numbers": numbers, "previous_question": previous}
    if note_prefix:
        env["docId"] = note_prefix
    tokens = plain.tokens
    if numbers is not None:
        tokens = with_references(tokens, plain.text, numbers, previous)
    return replace(plain, tokens=tokens, env=env)


def _lift_footnotes(tokens: list[Token], env: dict) -> list[Token]:
    """Take the footnote block off the end of the document, keeping each note's text."""
    notes: dict[int, list[Token]] = {}
    kept: list[Token] = []
    inside, current = False, None
    for token in tokens:
        if token.type == "footnote_block_open":
            inside = True
        elif token.type == "footnote_block_close":
            inside = False
        elif not inside:
            kept.append(token)
        elif token.type == "footnote_open":
            current = token.meta["id"]
            notes[current] = []
        elif token.type == "inline" and current is not None:
            if notes[current]:
                notes[current].append(Token("text", "", 0, content=" "))
            notes[current].extend(token.children or [])
    env["notes_in_place"] = notes
    return kept


_web_parser = _build_parser(for_print=False)
_print_parser = _build_parser(for_print=True)
