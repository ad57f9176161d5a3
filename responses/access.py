"""Who may see what: the first line of every view that shows or changes a response."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from responses.models import CabinetReport, Response


def get_response(user: AbstractBaseUser, response_id: int, *, write: str | None = None) -> Response:
    """The response if `user` may see it (403 otherwise, 404 if none); with `write`,
    the permission needed to change it as well."""
    if not user.has_perm("responses.view_response"):
        raise PermissionDenied("Your account has no role in Consult.")
    response = get_object_or_404(
        Response.objects.select_related("consultation", "report"), pk=response_id
    )
    if write and not user.has_perm(write):
        raise PermissionDenied("Your role cannot make this change.")
    return response


def get_report(response: Response) -> CabinetReport:
    report = response.cabinet_report
    if report is None:
        raise Http404("This response has no Cabinet report yet.")
    return report
