"""The Cabinet paper and the response as PDF, rendered by WeasyPrint.

WeasyPrint fetches every URL a document names. Ours names only our print CSS and
fonts; user text reaches the HTML only through the sanitiser. The fetcher is the
second wall: it serves files under the app's static folders and refuses every
other URL (file:, data:, http:, https:), and follows no redirects.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import mimetypes
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

from responses import appendix, content, workflow
from responses.crossrefs import QuestionNumbers
from responses.fragments import AppendixItem
from responses.models import Response, SignOff
from responses.text import markdown_to_html

# A base URL no network can answer (RFC 2606); the fetcher maps it to static files.
STATIC_BASE_URL = "https://consult.invalid/static/"
SERVED_FOLDERS = ("css/", "fonts/")
TEMPLATES = {"paper": "pdf/cabinet_paper.html", "response": "pdf/response.html"}
LAYOUT_FILES = [
    "templates/pdf/base.html",
    "templates/pdf/cabinet_paper.html",
    "templates/pdf/paper_body.html",
    "templates/pdf/response.html",
    "templates/pdf/appendix_1.html",
    "templates/includes/question_and_answer.html",
    "static/css/print.css",
    "responses/text.py",
    "responses/crossrefs.py",
    "responses/pdf.py",
    "responses/appendix.py",
    "responses/content.py",
]


class StaticFilesOnly(URLFetcher):
    """Serves our print CSS and fonts; refuses everything else."""

    def __init__(self) -> None:
        super().__init__(allow_redirects=False, fail_on_errors=False)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
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


@dataclass(frozen=True)
class Document:
    content: bytes
    filename: str


def cabinet_paper(response: Response) -> Document:
    """The report, Appendix 1 (the response) and Appendix 2 (the executive summary)."""
    report = response.cabinet_report
    stem = (
        f"{report.meeting_date:%Y-%m-%d} {report.meeting_body} - {report.title}"
        if report
        else response.title
    )
    return Document(_cached_pdf("paper", response), _filename(stem))


def response_only(response: Response) -> Document:
    """Appendix 1 alone, as sent to government."""
    stem = f"{response.organisation_name} - response to {response.consultation.title}"
    return Document(_cached_pdf("response", response), _filename(stem))


def render_html(kind: str, response: Response, loaded: content.PaperContent | None = None) -> str:
    """The document's final HTML, as WeasyPrint receives it."""
    loaded = loaded or content.load(response)
    return render_to_string(TEMPLATES[kind], paper_context(kind, loaded))


def html_to_pdf(html: str) -> bytes:
    return weasyprint.HTML(
        string=html, base_url=STATIC_BASE_URL, url_fetcher=StaticFilesOnly()
    ).write_pdf(pdf_variant="pdf/ua-1", presentational_hints=True)


def cache_key(kind: str, loaded: content.PaperContent) -> str:
    """Names a rendering by everything it shows and how: any edit, signature or new
    layout gives a new key."""
    canonical = content.canonical(loaded)
    signed = workflow.signatures(loaded.response, content.digest(canonical))
    return "pdf:" + content.digest(
        {
            "kind": kind,
            "layout": layout_version(),
            "content": canonical,
            "status": loaded.response.status,
            "signatures": [
                [s.role, s.user.get_full_name(), s.signed_at.isoformat(), s.content_digest]
                for s in signed.approvals.values()
            ],
        }
    )


def _cached_pdf(kind: str, response: Response) -> bytes:
    """Render once per distinct content and layout; unchanged content comes from the cache."""
    loaded = content.load(response)
    key = cache_key(kind, loaded)
    store = caches["pdf"]
    pdf = store.get(key)
    if pdf is None:
        pdf = html_to_pdf(render_html(kind, response, loaded))
        store.set(key, pdf)
    return pdf


@cache
def layout_version() -> str:
    """A digest of the templates, CSS, fonts and renderers: a new layout, a new cache key."""
    base = Path(settings.BASE_DIR)
    versions = [
        importlib.metadata.version(name)
        for name in ("weasyprint", "nh3", "markdown-it-py", "mdit-py-plugins")
    ]
    sha = hashlib.sha256(" ".join(versions).encode())
    for name in LAYOUT_FILES + sorted(
        str(p.relative_to(base)) for p in (base / "static/fonts").glob("*.ttf")
    ):
        sha.update(name.encode())
        sha.update((base / name).read_bytes())
    return sha.hexdigest()


def paper_context(kind: str, loaded: content.PaperContent) -> dict:
    """What the paper's templates print; the sign-off page shows the same."""
    response, report = loaded.response, loaded.report
    signed = workflow.signatures(response, content.digest(content.canonical(loaded)))
    if kind == "paper" and report:
        title = report.title
        subject = (
            f"{report.meeting_body} – {report.meeting_date:%-d %B %Y}: {report.title}, with "
            f"Appendix 1 ({response.title}) and Appendix 2 (executive summary of the consultation)"
        )
    else:
        title = response.title
        subject = f"{response.organisation_name}'s response to {response.consultation.title}"
    return {
        "kind": kind,
        "title": title,
        "subject": subject,
        "author": response.organisation_name,
        "response": response,
        "consultation": response.consultation,
        "report": report,
        "report_sections": [
            (section, markdown_to_html(section.body, for_print=True))
            for section in loaded.report_sections
        ],
        "appendix": _appendix_rows(loaded),
        "executive_summary": markdown_to_html(
            response.consultation.executive_summary, for_print=True
        ),
        "draft": not signed.valid,
        "content_changed": signed.content_changed,
        "signatories": _signatories(report, signed),
        "printed_on": timezone.localdate(),
    }


def _appendix_rows(loaded: content.PaperContent) -> list:
    numbers = QuestionNumbers([a.question.number for a in loaded.answers])
    rows = []
    for entry in appendix.entries(loaded.sections, loaded.answers):
        if isinstance(entry, appendix.Heading):
            rows.append((entry, None))
            continue
        html = appendix.render_answer(entry.answer, numbers, entry.previous_number)
        rows.append(
            (
                None,
                AppendixItem(
                    anchor=entry.anchor,
                    number=entry.question.number,
                    question_text=entry.question.text,
                    answer_html=html if entry.answer.text else "",
                    status="",
                    status_label="",
                    assignee="",
                    edit_url="",
                    history_url="",
                ),
            )
        )
    return rows


def _signatories(report, signed: workflow.Signatures) -> list[dict]:
    """Names always; who signed and when only for a complete sign-off of this content."""
    if report is None:
        return []
    rows = []
    for role, name in [
        (SignOff.Role.EXECUTIVE_DIRECTOR, report.director_name),
        (SignOff.Role.PORTFOLIO_HOLDER, report.portfolio_holder_name),
    ]:
        approval = signed.approvals.get(role) if signed.valid else None
        rows.append(
            {
                "role": SignOff.Role(role).label,
                "name": name,
                "date": timezone.localtime(approval.signed_at).date() if approval else None,
                "signed_by": approval.user.get_full_name() if approval else "",
            }
        )
    return rows


def _filename(stem: str) -> str:
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f“”]+', "", stem)
    return re.sub(r"\s+", " ", safe).strip()[:150] + ".pdf"
