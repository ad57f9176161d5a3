"""Downloads: the Cabinet paper and the response as PDF and Word, the answers as data.

Every format is made from one `Paper`, so they never disagree. PDF and Word files are
made by the task worker and stored (`documents.rendering`); CSV and JSON take
milliseconds and are made in the request.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from responses.access import get_report, get_response
from responses.documents import data
from responses.documents import rendering as rendering_service
from responses.documents.context import PAPER, RESPONSE, Document, filename_stem, safe_filename
from responses.errors import DomainError, NotFound
from responses.models.rendering import Rendering
from responses.paper import Paper

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
VERSIONS = {"": False, "published": True}


def _download(document: Document, content_type: str) -> HttpResponse:
    return HttpResponse(
        document.content,
        content_type=content_type,
        headers={
            "Content-Disposition": content_disposition_header(True, document.filename),
            "Cache-Control": "private, no-cache",
        },
    )


def _published(request: HttpRequest) -> bool:
    """`?version=published` asks for the paper without its sign-off block."""
    version = request.GET.get("version", "")
    if version not in VERSIONS:
        raise NotFound()
    return VERSIONS[version]


def _document(request: HttpRequest, response_id: int, kind: str, format: str) -> HttpResponse:  # noqa: A002
    try:
        return _prepared(request, response_id, kind, format)
    except DomainError:
        if request.htmx:
            # htmx leaves an error answer unshown and would poll on for ever: the page
            # is loaded again instead, and says why (no longer signed off, say).
            return HttpResponse(headers={"HX-Refresh": "true"})
        raise


def _prepared(request: HttpRequest, response_id: int, kind: str, format: str) -> HttpResponse:  # noqa: A002
    """The stored document when it is ready; else the page that waits for it.

    htmx polls the address of the rendering asked for (`?rendering=`), saying what
    it shows (`&shown=`): an answer with nothing new is empty (204), so a screen
    reader hears the status only when it changes. Once ready, the poll's answer says
    so and preparing.js starts the download. A failed
    rendering is shown, with a button (POST) to try again, and is not retried on its
    own."""
    published = _published(request)
    response = get_response(request.user, response_id)
    if kind == PAPER:
        get_report(response)
    prepared = rendering_service.prepare(
        response, kind, format, published=published, rendering_id=request.GET.get("rendering")
    )
    rendering = prepared.rendering
    url = _awaiting(request, rendering)
    if request.method == "POST":
        if rendering.state == Rendering.State.FAILED:
            rendering_service.retry(rendering)
        return redirect(url)
    if rendering.state == Rendering.State.READY and not request.htmx:
        content = rendering_service.read(rendering)
        if content is not None:
            return _download(Document(content, rendering.download_name), CONTENT_TYPES[format])
    late = prepared.waiting_too_long
    shown = f"{rendering.pk}-{rendering.state}{'-late' if late else ''}"
    if request.htmx and request.GET.get("shown") == shown:
        return HttpResponse(status=204)  # nothing new: htmx keeps the page as it is
    page = {
        "response": response,
        "rendering": rendering,
        "what": _what(kind, format, published),
        "url": url,
        "poll_url": f"{url}&shown={shown}",
        "latest_url": request.path + ("?version=published" if published else ""),
        "waiting_too_long": late,
        "changed_since": prepared.changed_since,
    }
    if request.htmx:
        return render(request, "includes/preparing_status.html", page)
    status = 200 if rendering.state == Rendering.State.FAILED else 202
    return render(request, "responses/preparing.html", page, status=status)


def _awaiting(request: HttpRequest, rendering: Rendering) -> str:
    """This document's address naming the rendering asked for: the page polls it, so
    the download is the paper as it was made even if people save meanwhile."""
    query = request.GET.copy()
    query.pop("shown", None)
    query["rendering"] = str(rendering.pk)
    return f"{request.path}?{query.urlencode()}"


def _what(kind: str, format: str, published: bool) -> str:  # noqa: A002
    document = "Cabinet paper" if kind == PAPER else "response"
    if published:
        document += " for publication"
    return f"{document} ({'Word' if format == 'docx' else 'PDF'})"


@require_http_methods(["GET", "POST"])
def cabinet_paper_pdf(request: HttpRequest, response_id: int) -> HttpResponse:
    return _document(request, response_id, PAPER, "pdf")


@require_http_methods(["GET", "POST"])
def cabinet_paper_docx(request: HttpRequest, response_id: int) -> HttpResponse:
    return _document(request, response_id, PAPER, "docx")


@require_http_methods(["GET", "POST"])
def response_pdf(request: HttpRequest, response_id: int) -> HttpResponse:
    return _document(request, response_id, RESPONSE, "pdf")


@require_http_methods(["GET", "POST"])
def response_docx(request: HttpRequest, response_id: int) -> HttpResponse:
    return _document(request, response_id, RESPONSE, "docx")


def _data(paper: Paper, content: bytes, extension: str, content_type: str) -> HttpResponse:
    stem = filename_stem(RESPONSE, paper)
    return _download(Document(content, safe_filename(stem, extension)), content_type)


@require_GET
def response_csv(request: HttpRequest, response_id: int) -> HttpResponse:
    paper = Paper.load(get_response(request.user, response_id), appendix_only=True)
    return _data(paper, data.response_csv(paper), ".csv", "text/csv; charset=utf-8")


@require_GET
def response_json(request: HttpRequest, response_id: int) -> HttpResponse:
    paper = Paper.load(get_response(request.user, response_id), appendix_only=True)
    return _data(paper, data.response_json(paper), ".json", "application/json; charset=utf-8")
