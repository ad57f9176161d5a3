"""The Cabinet paper and the response as PDF, rendered by WeasyPrint.

WeasyPrint fetches every URL a document names. Ours names only our print CSS and
fonts; user text reaches the HTML only through the sanitiser. The fetcher is the
second wall: it serves files under the app's static folders and refuses every
other URL (file:, data:, http:, https:), and follows no redirects.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import mimetypes
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import get_template, render_to_string
from django.template.loader_tags import ExtendsNode, IncludeNode
from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

from responses import logos
from responses.documents import bounded, context
from responses.documents.context import PAPER, RESPONSE, Document, safe_filename
from responses.paper import Paper

# A base URL no network can answer (RFC 2606); the fetcher maps it to static files.
STATIC_BASE_URL = "https://consult.invalid/static/"
SERVED_FOLDERS = ("css/", "fonts/")
CODE_FOLDERS = ("responses", "responses/documents")
TEMPLATES = {PAPER: "pdf/cabinet_paper.html", RESPONSE: "pdf/response.html"}
LOGO_TYPES = (logos.PNG, logos.SVG)
RENDERERS = ("weasyprint", "nh3", "markdown-it-py", "mdit-py-plugins", "python-docx")


class StaticFilesOnly(URLFetcher):
    """Serves our print CSS and fonts, and the council's logo; refuses everything else."""

    def __init__(self) -> None:
        super().__init__(allow_redirects=False, fail_on_errors=False)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        for content_type in LOGO_TYPES:  # the council's logo, checked on upload (logos.py)
            prefix = f"data:{content_type};base64,"
            if url.startswith(prefix):
                body = base64.b64decode(url.removeprefix(prefix), validate=True)
                return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})
        if not url.startswith(STATIC_BASE_URL):
            raise URLFetchingError(f"Refused to fetch {url[:80]!r}: not one of our files.")
        name = unquote(urlsplit(url).path).removeprefix("/static/")
        if not name.startswith(SERVED_FOLDERS) or ".." in name.split("/"):
            raise URLFetchingError(f"Refused to fetch {name[:80]!r}: not a print asset.")
        path = finders.find(name)
        if path is None:
            raise URLFetchingError(f"No such print asset: {name[:80]!r}.")
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=Path(path).read_bytes(), headers={"Content-Type": content_type}
        )


def cabinet_paper(paper: Paper, *, published: bool = False) -> Document:
    """The report, Appendix 1 (the response) and Appendix 2 (the executive summary);
    `published` leaves out the sign-off block."""
    if published:
        context.check_publishable(PAPER, paper)
    stem = context.filename_stem(PAPER, paper, published=published)
    html = render_html(PAPER, paper, published=published)
    return Document(bounded_pdf(html), safe_filename(stem))


def response_only(paper: Paper) -> Document:
    """Appendix 1 alone; once Cabinet has agreed it, the council's response as sent."""
    stem = context.filename_stem(RESPONSE, paper)
    return Document(bounded_pdf(render_html(RESPONSE, paper)), safe_filename(stem))


def bounded_pdf(
    html: str, beat: Callable[[], None] | None = None, *, seconds: float | None = None
) -> bytes:
    """Lay the HTML out in a child process stopped after `seconds` (RENDER_TIMEOUT unless
    given: `bounded.TooSlow`), calling `beat` now and then while it works."""
    bound = settings.RENDER_TIMEOUT if seconds is None else seconds
    return bounded.run(html_to_pdf, html, seconds=bound, beat=beat)


def render_html(kind: str, paper: Paper, *, published: bool = False) -> str:
    """The document's final HTML, as WeasyPrint receives it."""
    html = render_to_string(
        TEMPLATES[kind], context.document_context(kind, paper, published=published)
    )
    return spaces_inside_inline_starts(html)


# WeasyPrint 70 breaks a line badly when the only place it fits is the space just
# before a link or emphasis: it breaks at the paragraph's first space instead, leaving
# one word alone on a line. With the space moved just inside the element, the break
# falls where it should (and a space at a line's start is not printed).
_SPACE_BEFORE_INLINE = re.compile(r"(?<=[^\s>]) <(a|em|strong)((?:\s[^>]*)?)>")


def spaces_inside_inline_starts(html: str) -> str:
    return _SPACE_BEFORE_INLINE.sub(r"<\1\2> ", html)


def html_to_pdf(html: str) -> bytes:
    """`HTML.write_pdf` in its two steps, saying how many pages the layout made before
    the PDF is written (two fifths of the time for a 2,000-question paper): a paper
    stopped at its time bound then says how long it is."""
    options = {
        **weasyprint.DEFAULT_OPTIONS,
        "pdf_variant": "pdf/ua-1",
        "presentational_hints": True,
    }
    html = weasyprint.HTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=StaticFilesOnly())
    document = html.render(**options)
    bounded.progress(pages=len(document.pages))
    return document.write_pdf(**options)


@cache
def layout_version() -> str:
    """A digest of how a paper is made: every template the documents include (found by
    walking them, so a new include counts without anyone listing it), every file the
    fetcher may serve (print CSS, fonts), our code and the renderers' versions."""
    base = Path(settings.BASE_DIR)
    sha = hashlib.sha256()
    for name in RENDERERS:
        sha.update(f"{name}={importlib.metadata.version(name)};".encode())
    files = sorted(
        {*layout_templates(TEMPLATES.values())}
        | {str(p) for folder in SERVED_FOLDERS for p in (base / "static" / folder).rglob("*")}
        | {str(p) for folder in CODE_FOLDERS for p in (base / folder).glob("*.py")}
    )
    for name in files:
        path = Path(name)
        if path.is_file():
            sha.update(str(path.relative_to(base)).encode())
            sha.update(path.read_bytes())
    return sha.hexdigest()


def layout_templates(names) -> set[str]:
    """The files of these templates and of every template they extend or include."""
    found: set[str] = set()
    pending = list(names)
    while pending:
        template = get_template(pending.pop()).template
        if template.origin.name in found:
            continue
        found.add(template.origin.name)
        for node in template.nodelist.get_nodes_by_type((ExtendsNode, IncludeNode)):
            expression = node.parent_name if isinstance(node, ExtendsNode) else node.template
            if isinstance(expression.var, str):
                pending.append(str(expression.var))
    return found
