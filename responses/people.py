"""People leave: an account that has done anything is deactivated, never deleted.

Deleting a user would blank their name on every version they saved (simple-history
sets `history_user` to NULL), drop their admin log, unassign their questions and
take them off the Cabinet reports that name them; it is refused outright where they
signed or took a workflow step (PROTECT). So an account that has acted is
deactivated instead: it can no longer sign in (Django's ModelBackend refuses an
inactive user, at sign-in and on every request of a session already open), and
history and audit keep showing who did what. Only an account that never did
anything, a mistyped one say, may be deleted.

`acted(user)` says, in words an administrator understands, why an account cannot
be deleted; `reasons_by_user(users)` does the same for many accounts in one query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from responses.errors import NotAllowed
from responses.models import (
    Answer,
    AuditEvent,
    CabinetReport,
    ReportSection,
    Response,
    SignOff,
)

Users = QuerySet | Iterable[AbstractBaseUser]


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _on_reports(count: int, role: str) -> str:
    reports = "a Cabinet report" if count == 1 else f"{count} Cabinet reports"
    return f"is named on {reports} as {role}"


@dataclass(frozen=True)
class _Trace:
    """One kind of thing a user leaves behind, and how to say so."""

    rows: Callable[[], QuerySet]
    user_field: str
    counted: str  # counted distinct: an answer edited five times is one answer edited
    says: Callable[[int], str]


# In the order an administrator reads them: what they did, then what names them.
_TRACES: dict[str, _Trace] = {
    "answers_edited": _Trace(
        lambda: Answer.history.all(),
        "history_user",
        "id",
        lambda n: f"edited {_plural(n, 'answer', 'answers')}",
    ),
    "sections_edited": _Trace(
        lambda: ReportSection.history.all(),
        "history_user",
        "id",
        lambda n: f"edited {_plural(n, 'Cabinet report section', 'Cabinet report sections')}",
    ),
    "reports_edited": _Trace(
        lambda: CabinetReport.history.all(),
        "history_user",
        "id",
        lambda n: f"edited the details of {_plural(n, 'Cabinet report', 'Cabinet reports')}",
    ),
    "sign_offs": _Trace(
        lambda: SignOff.objects.all(),
        "user",
        "pk",
        lambda n: f"recorded {_plural(n, 'sign-off decision', 'sign-off decisions')}",
    ),
    "workflow_steps": _Trace(
        lambda: AuditEvent.objects.all(),
        "actor",
        "pk",
        lambda n: f"took {_plural(n, 'workflow step', 'workflow steps')}",
    ),
    "admin_changes": _Trace(
        lambda: LogEntry.objects.all(),
        "user",
        "pk",
        lambda n: f"made {_plural(n, 'change', 'changes')} in the administration site",
    ),
    "reports_led": _Trace(
        lambda: CabinetReport.objects.all(),
        "lead_officer",
        "pk",
        lambda n: _on_reports(n, "lead officer"),
    ),
    "reports_as_director": _Trace(
        lambda: CabinetReport.objects.all(),
        "director_user",
        "pk",
        lambda n: _on_reports(n, "Executive Director (signatory)"),
    ),
    "reports_as_portfolio_holder": _Trace(
        lambda: CabinetReport.objects.all(),
        "portfolio_holder_user",
        "pk",
        lambda n: _on_reports(n, "Portfolio Holder (signatory)"),
    ),
    "questions_assigned": _Trace(
        lambda: Answer.objects.all(),
        "assignee",
        "pk",
        lambda n: f"is assigned {_plural(n, 'question', 'questions')}",
    ),
}


def _count(trace: _Trace) -> Coalesce:
    rows = (
        trace.rows()
        .filter(**{trace.user_field: OuterRef("pk")})
        .order_by()
        .values(trace.user_field)
        .annotate(n=Count(trace.counted, distinct=True))
        .values("n")[:1]
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _pks(users: Users) -> list[int]:
    if isinstance(users, QuerySet):
        return list(users.values_list("pk", flat=True))
    return [user.pk for user in users]


def reasons_by_user(users: Users) -> dict[int, list[str]]:
    """Each user's pk -> why they cannot be deleted (empty: they never acted).

    One query however many users and however many kinds of trace.
    """
    users = users.values("pk") if isinstance(users, QuerySet) else [user.pk for user in users]
    rows = (
        get_user_model()
        .objects.filter(pk__in=users)
        .order_by()
        .annotate(**{f"people_{key}": _count(trace) for key, trace in _TRACES.items()})
        .values("pk", *(f"people_{key}" for key in _TRACES))
    )
    return {
        row["pk"]: [
            trace.says(row[f"people_{key}"])
            for key, trace in _TRACES.items()
            if row[f"people_{key}"]
        ]
        for row in rows
    }


def acted(user: AbstractBaseUser) -> list[str]:
    """Why `user` cannot be deleted, e.g. ["edited 12 answers", "took 2 workflow steps"].

    Empty when they never did anything: then, and only then, they may be deleted.
    """
    return reasons_by_user([user]).get(user.pk, [])


def deactivate(*, by: AbstractBaseUser, users: Users) -> int:
    """Stop `users` signing in, keeping everything they did; never deletes anyone.

    Returns how many were active (deactivating a deactivated account is harmless).
    Refuses the whole step, changing nothing, if `by` may not change accounts or is
    among `users`: an administrator cannot lock themselves out.
    """
    if not by.has_perm("auth.change_user"):
        raise NotAllowed("You may not change user accounts.")
    pks = _pks(users)
    if by.pk in pks:
        raise NotAllowed(
            "You cannot deactivate your own account: ask another administrator. "
            "Nobody was deactivated."
        )
    return get_user_model().objects.filter(pk__in=pks, is_active=True).update(is_active=False)


def shown_name(user: AbstractBaseUser) -> str:
    return user.get_full_name() or user.get_username()


def record_rename(*, by: AbstractBaseUser, user: AbstractBaseUser, before: str) -> int:
    """Audit a change of an account's name on every response it signed or is named to
    sign. What it already signed keeps the name as signed (`SignOff.signer_name`), so
    nothing printed changes; the audit says who renamed whom, and when. Returns how many
    responses were told."""
    after = shown_name(user)
    if after == before:
        return 0
    responses = Response.objects.filter(
        Q(report__sign_offs__user=user)
        | Q(report__director_user=user)
        | Q(report__portfolio_holder_user=user)
    ).distinct()
    events = [
        AuditEvent(
            response=response,
            kind=AuditEvent.Kind.ACCOUNT_RENAMED,
            actor=by,
            summary=(
                f"Account {user.get_username()} renamed from {before} to {after}: "
                "signatures already given keep the name as signed"
            )[:300],
        )
        for response in responses
    ]
    AuditEvent.objects.bulk_create(events)
    return len(events)
