"""Domain errors become pages here, in one place: views and services never build HTTP errors."""

from __future__ import annotations

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from responses.errors import DomainError, NotAllowed, NotFound


class DomainErrorMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound):
            raise Http404(str(exception)) from exception
        if isinstance(exception, NotAllowed):
            raise PermissionDenied(str(exception)) from exception
        if isinstance(exception, DomainError):
            return render(
                request, "refused.html", {"message": str(exception)}, status=exception.status
            )
        return None


class NoNulInQueryMiddleware:
    """A query string with a NUL character is refused (400) before any view reads it: no
    word holds one, and PostgreSQL refuses it in a query, which made a filter of the
    admin's lists, or any page that searched with it, a server error."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in key or "\x00" in "".join(values) for key, values in request.GET.lists()):
            raise BadRequest("An address with a NUL character in it.")
        return self.get_response(request)


class FormsInUtf8Middleware:
    """A form sent in a character set other than UTF-8 (or its ASCII subset) is refused
    (400) before anything reads it. Browsers send Consult's forms as UTF-8; one declared
    UTF-16 could not be read, and the CSRF check reading it again made even the 400 page
    a server error."""

    READABLE = {"utf-8", "utf8", "us-ascii", "ascii"}

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        charset = request.content_params.get("charset")
        if charset is not None and charset.strip().lower() not in self.READABLE:
            request.encoding = "utf-8"  # the 400 page may not read it in the other one
            raise BadRequest("A form sent in a character set other than UTF-8.")
        return self.get_response(request)
