from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from responses import audit as audit_trail
from responses.access import get_response


def audit(request: HttpRequest, response_id: int) -> HttpResponse:
    response = get_response(request.user, response_id)
    page = Paginator(audit_trail.timeline(response), 200).get_page(request.GET.get("page"))
    return render(request, "responses/audit.html", {"response": response, "page": page})
