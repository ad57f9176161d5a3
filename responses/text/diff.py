"""Word-level differences between two texts, as escaped HTML with <del> and <ins>.

`rendered_word_diff` compares what a reader sees: both texts go through the one
Markdown renderer first, so a word made bold or a link added shows as no change of
words, and no `**` or `](` ever appears in a diff. `word_diff` compares raw text, for
the conflict pages, where the officer is looking at the Markdown they typed.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from responses.text import parse
from responses.text.reading import blocks

_TOKENS = re.compile(r"\s+|[^\s]+")
# The most pairs of tokens compared in one go. difflib's matcher is quadratic or worse
# on repetitive text ("a a a" against "a b a b": minutes at 1,000 words); past this, the
# texts are compared paragraph by paragraph, and a paragraph pair still too large is
# shown whole, removed then added. Ordinary edits never come near it.
WORK_LIMIT = 40_000

Opcode = tuple[str, int, int, int, int]


def bounded_opcodes(
    a: list[str], b: list[str], breaks: frozenset[str] = frozenset()
) -> list[Opcode]:
    """difflib-style opcodes turning `a` into `b`, in time bounded by `WORK_LIMIT`.

    The common start and end are matched first (linear, and all a typical edit needs);
    what differs between them is matched word by word if small enough, else by its
    paragraphs (`breaks` are the tokens that end one), else shown whole."""
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    end = 0
    while end < len(a) - start and end < len(b) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    ops: list[Opcode] = []
    if start:
        ops.append(("equal", 0, start, 0, start))
    ops += _middle(a, b, start, len(a) - end, start, len(b) - end, breaks, [WORK_LIMIT * 4])
    if end:
        ops.append(("equal", len(a) - end, len(a), len(b) - end, len(b)))
    return ops


def _middle(
    a: list[str],
    b: list[str],
    a1: int,
    a2: int,
    b1: int,
    b2: int,
    breaks: frozenset[str],
    budget: list[int],
) -> list[Opcode]:
    """Opcodes for a[a1:a2] against b[b1:b2]; `budget` is the work left for the whole
    diff, so many paragraphs cannot add up to what one long one may not do."""
    if a1 == a2 and b1 == b2:
        return []
    if a1 == a2:
        return [("insert", a1, a2, b1, b2)]
    if b1 == b2:
        return [("delete", a1, a2, b1, b2)]
    work = (a2 - a1) * (b2 - b1)
    if work <= min(WORK_LIMIT, budget[0]):
        budget[0] -= work
        matcher = difflib.SequenceMatcher(a=a[a1:a2], b=b[b1:b2], autojunk=False)
        return [
            (op, x1 + a1, x2 + a1, y1 + b1, y2 + b1) for op, x1, x2, y1, y2 in matcher.get_opcodes()
        ]
    if breaks:
        a_paras, b_paras = _spans(a, a1, a2, breaks), _spans(b, b1, b2, breaks)
        if 1 < len(a_paras) * len(b_paras) <= min(WORK_LIMIT, budget[0]):
            budget[0] -= len(a_paras) * len(b_paras)
            keys_a = ["".join(a[i:j]) for i, j in a_paras]
            keys_b = ["".join(b[i:j]) for i, j in b_paras]
            matcher = difflib.SequenceMatcher(a=keys_a, b=keys_b, autojunk=False)
            ops: list[Opcode] = []
            for op, x1, x2, y1, y2 in matcher.get_opcodes():
                pa1 = a_paras[x1][0] if x1 < len(a_paras) else a2
                pa2 = a_paras[x2 - 1][1] if x2 > x1 else pa1
                pb1 = b_paras[y1][0] if y1 < len(b_paras) else b2
                pb2 = b_paras[y2 - 1][1] if y2 > y1 else pb1
                if op == "equal":
                    ops.append(("equal", pa1, pa2, pb1, pb2))
                else:
                    ops += _middle(a, b, pa1, pa2, pb1, pb2, frozenset(), budget)
            return ops
    return [("replace", a1, a2, b1, b2)]


def _spans(
    tokens: list[str], start: int, stop: int, breaks: frozenset[str]
) -> list[tuple[int, int]]:
    """(start, stop) of each paragraph in tokens[start:stop], its break included."""
    spans, begin = [], start
    for index in range(start, stop):
        if tokens[index] in breaks:
            spans.append((begin, index + 1))
            begin = index + 1
    if begin < stop:
        spans.append((begin, stop))
    return spans


def word_diff(old: str, new: str) -> SafeString:
    """Show `new` against `old` word by word; every piece of text is escaped."""
    old_words = _TOKENS.findall(old or "")
    new_words = _TOKENS.findall(new or "")
    breaks = frozenset(w for w in {*old_words, *new_words} if w.count("\n") > 1)
    parts: list[str] = []
    for op, a1, a2, b1, b2 in bounded_opcodes(old_words, new_words, breaks):
        if op == "equal":
            parts.append(escape("".join(old_words[a1:a2])))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(old_words[a1:a2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(new_words[b1:b2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - built only from escaped pieces.


# A word (letters and digits, with the apostrophes, hyphens and points inside it) or
# one mark of punctuation, each with the space before it.
_WORD = re.compile(r"(\s*)(\w+(?:['’.,\-]\w+)*|[^\w\s])")
_BREAK = "\n"


@dataclass(frozen=True)
class _Token:
    space: str
    text: str


def _words(markdown: str) -> list[_Token]:
    """The words a reader sees in `markdown`, with a break token between blocks."""
    tokens: list[_Token] = []
    for block in blocks(parse(markdown)) if markdown else []:
        if tokens:
            tokens.append(_Token("", _BREAK))
        tokens += [_Token(m[1], m[2]) for m in _WORD.finditer(block)]
    return tokens


def _marked(tag: str, tokens: list[_Token], *, skip_space: bool = False) -> list[str]:
    """`tokens` wrapped in `tag`, run by run between breaks. The space before a run is
    its own text's, so it goes inside the mark, unless both sides of a replacement share
    it (`skip_space`: the caller puts it before both): each side then reads as its text."""
    parts: list[str] = []
    run: list[_Token] = []

    def close_run() -> None:
        if run:
            words = "".join(t.space + t.text for t in run)
            if skip_space and not parts:
                words = words.removeprefix(run[0].space)
            parts.append(f"<{tag}>{escape(words)}</{tag}>")
            run.clear()

    for token in tokens:
        if token.text == _BREAK:
            close_run()
            parts.append(_BREAK)
        else:
            run.append(token)
    close_run()
    return parts


def _plain(tokens: list[_Token]) -> list[str]:
    return [t.text if t.text == _BREAK else escape(t.space + t.text) for t in tokens]


def _paragraphs(parts: list[str]) -> str:
    text = "".join(parts)
    return "".join(f"<p>{p.strip()}</p>" for p in text.split(_BREAK) if p.strip())


def rendered_word_diff(old_markdown: str, new_markdown: str) -> SafeString:
    """Show `new_markdown` against `old_markdown` as a reader sees them, word by word.

    Both texts are rendered by `markdown_to_html` and reduced to their words, so the
    diff shows changes of wording, never of Markdown marks (`**`, `[text](url)`, `- `);
    each paragraph, list item or heading is a paragraph of the result. Removed words are
    in <del>, added words in <ins>, and every word is escaped: the result is safe to put
    in any page. Equal texts give their words with no marks; two empty texts give "".
    """
    old, new = _words(old_markdown), _words(new_markdown)
    opcodes = bounded_opcodes([t.text for t in old], [t.text for t in new], frozenset({_BREAK}))
    parts: list[str] = []
    for op, a1, a2, b1, b2 in opcodes:
        if op == "equal":
            parts += _plain(new[b1:b2])
            continue
        shared = op == "replace" and old[a1].space == new[b1].space
        if shared:
            parts.append(escape(old[a1].space))
        if op in ("delete", "replace"):
            parts += _marked("del", old[a1:a2], skip_space=shared)
        if op in ("insert", "replace"):
            parts += _marked("ins", new[b1:b2], skip_space=shared)
    return mark_safe(_paragraphs(parts))  # noqa: S308 - built only from escaped pieces.
