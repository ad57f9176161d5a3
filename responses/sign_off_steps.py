"""Every step of a paper's sign-off, in order, with the reasons given: what the sign-off
page lists so that nobody has to find a reason in an e-mail or the audit.

Submissions, withdrawals and reopenings are the workflow's audit events (their reasons
are kept there, as the lead officer typed them); approvals and returns are the
sign-offs themselves (a return's comment with it). Two lists, one query for the events
(the paper has read the sign-offs already), merged by time.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from responses.models import AuditEvent, Response, SignOff

# The audit events that are steps of sign-off; approvals and returns come as sign-offs.
_KINDS = [AuditEvent.Kind.SUBMITTED, AuditEvent.Kind.WITHDRAWN, AuditEvent.Kind.REOPENED]


@dataclass(frozen=True)
class Step:
    at: datetime.datetime
    kind: str  # an AuditEvent.Kind: submitted, approved, returned, withdrawn, reopened
    event: AuditEvent | None = None  # a submission, withdrawal or reopening
    decision: SignOff | None = None  # an approval or a return

    @property
    def reason(self) -> str:
        """What the person taking the step said: a return's comment, a withdrawal's or a
        reopening's reason."""
        if self.decision is not None:
            return self.decision.comment
        return self.event.comment if self.kind != AuditEvent.Kind.SUBMITTED else ""

    @property
    def actor(self) -> Any:
        return self.decision.user if self.decision is not None else self.event.actor


def steps(response: Response, decisions: list[SignOff]) -> list[Step]:
    """Oldest first. `decisions` are the report's sign-offs (`Paper.decisions`)."""
    events = (
        AuditEvent.objects.filter(response=response, kind__in=_KINDS)
        .select_related("actor")
        .order_by("at", "pk")
    )
    merged = [Step(event.at, event.kind, event=event) for event in events]
    merged += [Step(d.signed_at, d.decision, decision=d) for d in decisions]
    # Stable: at the same instant, the events (a submission) come before the decisions.
    return sorted(merged, key=lambda step: step.at)
