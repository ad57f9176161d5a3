"""Rendered HTML read back as elements, so tests check structure rather than spelling."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

_VOID = {"br", "hr", "img", "input", "link", "meta"}


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str | None]
    ancestors: tuple[Element, ...] = field(repr=False)
    text: str = ""

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.text: list[str] = []
        self._open: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs), tuple(self._open))
        self.elements.append(element)
        if tag not in _VOID:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in reversed(range(len(self._open))):
            if self._open[index].tag == tag:
                del self._open[index:]
                return

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        for element in self._open:
            element.text += data


def _read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader


def elements(html: str) -> list[Element]:
    """Every element in document order, each with the text inside it."""
    return _read(html).elements


def links(html: str) -> list[tuple[str | None, str]]:
    """Each link's href and the text it wraps."""
    return [(e.attrs.get("href"), e.text) for e in elements(html) if e.tag == "a"]


def text(html: str) -> str:
    """The text a reader sees, tags removed."""
    return "".join(_read(html).text)


def ids(html: str) -> set[str]:
    """Every id in the page."""
    return {e.attrs["id"] for e in elements(html) if e.attrs.get("id")}


def error_summary(html: str) -> list[tuple[str, str]]:
    """The GOV.UK error summary's links, as (the id each goes to, its text); [] for none."""
    return [
        ((e.attrs.get("href") or "").removeprefix("#"), e.text)
        for e in elements(html)
        if e.tag == "a" and any("data-error-summary" in a.attrs for a in e.ancestors)
    ]
