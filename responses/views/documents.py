from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header

from responses import pdf
from responses.access import get_report, get_response
from responses.documents import data
from responses.paper import Paper


def _pdf_response(document: pdf.Document) -> HttpResponse:
    return HttpResponse(
        document.content,
        content_type="application/pdf",
        headers={
            "Content-Disposition": content_disposition_header(True, document.filename),
            "Cache-Control": "private, no-cache",
        },
    )


def cabinet_paper_pdf(request: HttpRequest, response_id: int) -> HttpResponse:
    response = get_response(request.user, response_id)
    get_report(response)
    return _pdf_response(pdf.cabinet_paper(Paper.load(response)))


def response_pdf(request: HttpRequest, response_id: int) -> HttpResponse:
    response = get_response(request.user, response_id)
    return _pdf_response(pdf.response_only(Paper.load(response)))


def _data_response(content: bytes, paper: Paper, extension: str, content_type: str):
    response = paper.response
    stem = f"{response.organisation_name} - response to {response.consultation.title}"
    return HttpResponse(
        content,
        content_type=content_type,
        headers={
            "Content-Disposition": content_disposition_header(
                True, pdf.safe_filename(stem, extension)
            ),
            "Cache-Control": "private, no-cache",
        },
    )


def response_csv(request: HttpRequest, response_id: int) -> HttpResponse:
    paper = Paper.load(get_response(request.user, response_id), appendix_only=True)
    return _data_response(data.response_csv(paper), paper, ".csv", "text/csv; charset=utf-8")


def response_json(request: HttpRequest, response_id: int) -> HttpResponse:
    paper = Paper.load(get_response(request.user, response_id), appendix_only=True)
    return _data_response(
        data.response_json(paper), paper, ".json", "application/json; charset=utf-8"
    )


def cabinet_paper_docx(request: HttpRequest, response_id: int) -> HttpResponse:
    raise NotImplementedError


def response_docx(request: HttpRequest, response_id: int) -> HttpResponse:
    raise NotImplementedError
