"""The one way in to a response: load it for a user and an action, lock it when the
caller will write, ask the rulebook once, and hand back what the user may do.

Views, forms, services and the workflow all come through `open_response`; what it
returns (`Access`) carries the user's standing and every action they may take now,
so nothing downstream asks the rulebook again or loads the response a second time.
Services take an `Access` opened with `lock=True` and trust it: they check only
what their own arguments add (the version seen, the status asked for).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property, wraps
from typing import Any, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection, transaction

from responses import rules
from responses.errors import DomainError, NotAllowed, NotFound
from responses.models import Response
from responses.rules import Action, Standing


@dataclass
class Access:
    """A user's way in to one response, as the rulebook judged it when it was opened."""

    user: AbstractBaseUser
    response: Response
    standing: Standing
    locked_row: bool = False
    # The action whose every rule (role and state) was asked under the row lock.
    opened_for: Action | None = None

    @classmethod
    def of(cls, user: AbstractBaseUser, response: Response) -> Access:
        """The access of a response this request already opened through the gate."""
        return cls(user, response, rules.standing(user, response))

    @cached_property
    def allowed(self) -> frozenset[Action]:
        """Every action the user may take now, their role and the response's state asked."""
        return frozenset(
            action
            for action in Action
            if rules.refusal_for(self.standing, action, self.response) is None
        )

    @property
    def can(self) -> dict[str, bool]:
        """For templates: `{% if access.can.submit %}`, one entry per action."""
        return {action.value: action in self.allowed for action in Action}

    def may(self, action: Action) -> bool:
        return action in self.allowed

    def may_try(self, action: Action) -> bool:
        """Whether their role allows it, whatever the state (a locked editor says why)."""
        return rules.refusal_for(self.standing, action, self.response, state=False) is None

    def refusal(self, action: Action, *, state: bool = True) -> DomainError | None:
        """The rulebook's refusal of `action` (why not), or None if it is allowed."""
        return rules.refusal_for(self.standing, action, self.response, state=state)

    def require(self, action: Action, *, state: bool = True) -> None:
        """Raise the rulebook's refusal of `action`, if any."""
        if (error := self.refusal(action, state=state)) is not None:
            raise error


@contextmanager
def writing(
    user: AbstractBaseUser, response_id: int, action: Action, *, state: bool = True
) -> Iterator[Access]:
    """`open_response` for a write, in a transaction that holds the response's row lock
    until the block ends. The user's permissions are read before it begins, so the lock
    waits only on the rows the write needs."""
    if not rules.has_a_role(user):
        raise NotAllowed(rules.NO_ROLE)
    with transaction.atomic():
        access = open_response(user, response_id, action, lock=True, state=state)
        try:
            yield access
        finally:  # the lock ends with the transaction: no step may trust it after
            access.locked_row, access.opened_for = False, None


def open_response(
    user: AbstractBaseUser,
    response_id: int,
    action: Action = Action.VIEW,
    *,
    lock: bool = False,
    state: bool = True,
    people: bool = False,
) -> Access:
    """The response, if the user may do `action` to it, as an `Access`.

    Someone who may not know of it gets `NotFound`, the same as for an id that does
    not exist; an account with no role at all is refused before the id is looked up,
    so it cannot learn which ids exist either. `lock` takes the response's row lock
    for the caller's transaction, so a save and a submission cannot interleave.
    `state=False` asks only whether their role allows the action (a view that shows a
    locked page of its own). `people` loads the report's named people too, for a page
    that names them; the rulebook reads only their ids."""
    if not rules.has_a_role(user):
        raise NotAllowed(rules.NO_ROLE)
    if lock:
        if not connection.in_atomic_block:
            raise RuntimeError("open_response(lock=True) belongs inside transaction.atomic().")
        responses = Response.objects.for_writing(user).select_for_update(of=("self",))
    else:
        responses = (
            Response.objects.for_rules(user) if people else Response.objects.for_writing(user)
        ).select_related("consultation")
    # Unordered: one row by its key needs none of the model's default ordering's joins.
    response = next(iter(responses.filter(pk=response_id).order_by()[:1]), None)
    if response is None:
        raise NotFound("There is no such response.")
    access = Access(user, response, rules.standing(user, response), locked_row=lock)
    access.require(action, state=state)
    if lock and state:
        access.opened_for = action
    return access


R = TypeVar("R")


def step(action: Action) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """A write that trusts the `Access` it is given and asks the rulebook nothing again.

    A view opens that `Access` with `writing(user, id, action)`, so the row lock, the
    one question and the write share a transaction. The admin, commands and tests may
    call the step with `user=` and `response_id=` instead: it opens the `Access` itself."""

    def decorate(write: Callable[..., R]) -> Callable[..., R]:
        @wraps(write)
        def run(
            access: Access | None = None,
            /,
            *,
            user: AbstractBaseUser | None = None,
            response_id: int | None = None,
            **kwargs: Any,
        ) -> R:
            if access is None:
                with writing(user, response_id, action) as opened:
                    return write(opened, **kwargs)
            if access.opened_for is not action or not access.locked_row:
                raise RuntimeError(f"{write.__name__} needs writing(user, id, {action!r}).")
            return write(access, **kwargs)

        return run

    return decorate
