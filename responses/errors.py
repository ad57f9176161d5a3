"""The domain's refusals: what services and the workflow raise instead of HTTP errors.

Every refusal says why in words a user understands, and is raised before anything
is written, so a refused step changes nothing. Views catch the ones they answer in
their own way (a conflict page, a locked page); `responses.middleware` maps the rest
to a page in one place.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A step refused: the message says why, and nothing was changed."""

    status = 400


class NotFound(DomainError):
    """No such thing, or not one this user may know of: both read the same."""

    status = 404

    def __init__(self, message: str = "There is no such page.") -> None:
        super().__init__(message)


class NotAllowed(DomainError):
    """The user may see the response but their role does not allow this step."""

    status = 403


class WrongState(DomainError):
    """The step does not apply to the response as it stands (e.g. already submitted)."""

    status = 409


class Locked(WrongState):
    """The response is with its signatories or signed off: its content cannot change."""

    def __init__(self, response: Any) -> None:
        where = (
            "signed off"
            if response.status == "signed_off"
            else f"with its signatories ({response.get_status_display()})"
        )
        super().__init__(
            f"This response is {where}: its answers and report cannot be changed "
            "until it is back in drafting."
        )
        self.response = response


class StaleEdit(WrongState):
    """Someone saved a newer version since the editor was opened."""

    def __init__(self, current: Any) -> None:
        super().__init__("Someone else saved a newer version while you were editing.")
        self.current = current


class Invalid(DomainError):
    """The input does not make sense (a missing comment, a date in the future).

    `field` names the form field it is about, so a view can show it there."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
