"""Link addresses: which a reader of the printed or sent paper can follow, and how a
link's address is printed after its words."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# "javascript:" or "https:", not "localhost:8000" or "www.gov.uk:443".
SCHEME = re.compile(r"^([a-z][a-z0-9+\-]*):(?!\d)", re.IGNORECASE)
_FOLLOWABLE = re.compile(r"^(https?://[^/]|mailto:|#)", re.IGNORECASE)
_WEB_ADDRESS = re.compile(r"^https?://[^/?#\s]+", re.IGNORECASE)
_EMAIL_ADDRESS = re.compile(r"^mailto:[^@\s]+@[^@\s]+", re.IGNORECASE)
_HIDDEN = {"Cc", "Cf", "Zl", "Zp", "Zs", "Co", "Cn"}


def followable(address: str) -> bool:
    """A full web or e-mail address, or a place on the page (a cross-reference, a note)."""
    return bool(_FOLLOWABLE.match(address))


def link_problem(address: str) -> str | None:
    """What is wrong with a typed link's address, in words, or None for a full address."""
    if _WEB_ADDRESS.match(address) or _EMAIL_ADDRESS.match(address):
        return None
    shown = _shortened(address)
    scheme = SCHEME.match(address)
    if scheme and scheme.group(1).lower() not in ALLOWED_URL_SCHEMES:
        return (
            f"The link to “{shown}” does not go to a web page or an e-mail address, so it "
            "could not be followed from the printed or sent paper. Link only to addresses "
            "starting https:// (or mailto: for e-mail)."
        )
    if scheme and scheme.group(1).lower() == "mailto":
        return (
            f"The link to “{shown}” is not a whole e-mail address, so it would lead nowhere. "
            "Write it as mailto:name@example.org."
        )
    return (
        f"The link to “{shown}” is not a full web address, so it would lead nowhere once "
        "printed or sent. Write the whole address, starting https://."
    )


def _shortened(address: str, limit: int = 60) -> str:
    if len(address) <= limit:
        return address
    return f"{address[: limit - 16]}…{address[-15:]}"


def with_addresses(children: list[Token], md: MarkdownIt) -> list[Token]:
    """On paper a link cannot be clicked: where its words are not its address, the
    address follows them in brackets, inside the link."""
    result: list[Token] = []
    opened: Token | None = None
    words: list[str] = []
    for child in children:
        if child.type == "link_open":
            opened, words = child, []
        elif child.type == "link_close" and opened is not None:
            address = _printed_address(opened, "".join(words), md)
            if address:
                content = f" ({address})" if "".join(words).strip() else address
                result.append(Token("text", "", 0, content=content))
            opened = None
        elif opened is not None:
            words.append(child.content if child.type in {"text", "code_inline"} else "")
            if child.type in {"softbreak", "hardbreak"}:
                words.append(" ")
        result.append(child)
    return result


def _printed_address(link: Token, words: str, md: MarkdownIt) -> str | None:
    """The address to print after a link's words; None when the words already say it."""
    href = str(link.attrGet("href") or "")
    scheme = SCHEME.match(href)
    if (
        link.markup == "autolink"
        or not scheme
        or scheme.group(1).lower() not in ALLOWED_URL_SCHEMES
    ):
        return None
    address = _printable_address(href, md)
    if scheme.group(1).lower() == "mailto":
        address = address[len("mailto:") :].split("?", 1)[0]
    # Left out only when the words are the address itself, not when they contain it:
    # "[https://www.gov.uk/x.evil.example](https://evil.example)" prints its address.
    said = {_bare(address), _bare(md.normalizeLinkText(address))}
    return None if _bare(words) in said else address


def _printable_address(href: str, md: MarkdownIt) -> str:
    """The address for a reader: its path in readable letters (café, not caf%C3%A9),
    but its host as the link holds it (an international host in its xn-- form) and any
    invisible or direction-changing character %-encoded, so it cannot pass for
    another address."""
    held, readable = urlsplit(href), urlsplit(md.normalizeLinkText(href).replace(" ", "%20"))
    shown = readable._replace(netloc=held.netloc).geturl() if held.netloc else readable.geturl()
    return "".join(
        quote(character) if unicodedata.category(character) in _HIDDEN else character
        for character in shown
    )


def _bare(address: str) -> str:
    """An address as a reader would compare it: no scheme, no www., no closing slash."""
    bare = re.sub(r"^(https?://|mailto:)?(www\.)?", "", address.strip().lower())
    return bare.removesuffix("/")
