"""Downloads: the Cabinet paper and the response as PDF and Word, the answers as data.

Every format is made from one `Paper`, so they never disagree; each view only finds
the response the user may see, reads its paper and hands back the file.
"""

from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header

from responses import pdf
from responses.access import get_report, get_response
from responses.documents import data, word
from responses.documents.context import RESPONSE, Document, filename_stem, safe_filename
from responses.errors import NotFound
from responses.paper import Paper

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
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


def _paper_with_report(request: HttpRequest, response_id: int) -> Paper:
    response = get_response(request.user, response_id)
    get_report(response)
    return Paper.load(response)


def cabinet_paper_pdf(request: HttpRequest, response_id: int) -> HttpResponse:
    published = _published(request)
    paper = _paper_with_report(request, response_id)
    return _download(pdf.cabinet_paper(paper, published=published), PDF)


def cabinet_paper_docx(request: HttpRequest, response_id: int) -> HttpResponse:
    published = _published(request)
    paper = _paper_with_report(request, response_id)
    return _download(word.cabinet_paper(paper, published=published), DOCX)


def response_pdf(request: HttpRequest, response_id: int) -> HttpResponse:
    response = get_response(request.user, response_id)
    return _download(pdf.response_only(Paper.load(response)), PDF)


def response_docx(request: HttpRequest, response_id: int) -> HttpResponse:
    response = get_response(request.user, response_id)
    return _download(word.response_only(Paper.load(response)), DOCX)


def _data(paper: Paper, content: bytes, extension: str, content_type: str) -> HttpResponse:
    stem = filename_stem(RESPONSE, paper)
    return _download(Document(content, safe_filename(stem, extension)), content_type)


def response_csv(request: HttpRequest, response_id: int) -> HttpResponse:
    paper = Paper.load(get_response(request.user, response_id), appendix_only=True)
    return _data(paper, data.response_csv(paper), ".csv", "text/csv; charset=utf-8")


def response_json(request: HttpRequest, response_id: int) -> HttpResponse:
    paper = Paper.load(get_response(request.user, response_id), appendix_only=True)
    return _data(paper, data.response_json(paper), ".json", "application/json; charset=utf-8")
