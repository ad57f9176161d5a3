from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header

from responses import pdf
from responses.access import get_report, get_response
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
