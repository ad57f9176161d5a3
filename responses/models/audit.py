"""The workflow's own record: submissions, approvals, returns and what followed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from responses.models.drafting import Response


class AuditEvent(models.Model):
    class Kind(models.TextChoices):
        SET_UP = "set_up", "Set up from the consultation's question list"
        SUBMITTED = "submitted", "Submitted for sign-off"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned for changes"
        WITHDRAWN = "withdrawn", "Withdrawn from sign-off"
        REOPENED = "reopened", "Reopened for changes"
        CABINET_DECISION = "cabinet_decision", "Cabinet decision recorded"
        SENT_TO_GOVERNMENT = "sent_to_government", "Sent to government"
        ROLE_CHANGED = "role_changed", "Lead officer or signatory changed"
        PUBLICATION = "publication", "Marked or unmarked not for publication"
        ACCOUNT_RENAMED = "account_renamed", "A signatory's account renamed"
        POSITIONS_SUMMARY = "positions_summary", "Summary of the council's positions"
        COMMENTED = "commented", "Comment made"
        COMMENT_REPLIED = "comment_replied", "Comment replied to"
        COMMENT_RESOLVED = "comment_resolved", "Comment thread resolved"
        COMMENT_REOPENED = "comment_reopened", "Comment thread reopened"
        SUGGESTED = "suggested", "Changes suggested to an answer"
        SUGGESTION_ACCEPTED = "suggestion_accepted", "Suggestion accepted"
        SUGGESTION_REJECTED = "suggestion_rejected", "Suggestion rejected"
        SUGGESTION_WITHDRAWN = "suggestion_withdrawn", "Suggestion withdrawn"
        TEAM_CHANGED = "team_changed", "An officer added to or removed from the team"

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="audit_events")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_events"
    )
    at = models.DateTimeField(default=timezone.now)
    summary = models.CharField(max_length=300)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.actor} on {self.at:%d %b %Y %H:%M}"
