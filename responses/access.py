"""The first line of every view about a response: load it as the rulebook reads it, and ask."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser

from responses.errors import NotFound
from responses.gate import open_response
from responses.models import CabinetReport, Response
from responses.rules import Action


def get_response(
    user: AbstractBaseUser, response_id: int, action: Action = Action.VIEW
) -> Response:
    """The response, if the user's role on it allows `action` at all (see
    `gate.open_response`). The response's state is not asked here: a view shows a
    locked editor its own way, and the service asks under the row lock."""
    return open_response(user, response_id, action, state=False).response


def get_report(response: Response) -> CabinetReport:
    report = response.cabinet_report
    if report is None:
        raise NotFound("This response has no Cabinet report yet.")
    return report
