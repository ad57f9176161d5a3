"""The first line of every view about a response: load it as the rulebook reads it, and ask."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser

from responses import rules
from responses.errors import NotAllowed, NotFound
from responses.models import CabinetReport, Response
from responses.rules import Action


def get_response(
    user: AbstractBaseUser, response_id: int, action: Action = Action.VIEW
) -> Response:
    """The response, if the user's role on it allows `action` at all.

    Someone who may not know of it gets `NotFound`, the same as for an id that does
    not exist. An account with no role at all is refused before the id is looked up,
    so it cannot learn which ids exist either. The response's state is not asked here:
    a view shows a locked editor its own way, and the service asks again under the row
    lock.
    """
    if not rules.has_a_role(user):
        raise NotAllowed(rules.NO_ROLE)
    try:
        response = Response.objects.for_rules().get(pk=response_id)
    except Response.DoesNotExist:
        raise NotFound("There is no such response.") from None
    rules.require(user, action, response, state=False)
    return response


def get_report(response: Response) -> CabinetReport:
    report = response.cabinet_report
    if report is None:
        raise NotFound("This response has no Cabinet report yet.")
    return report
