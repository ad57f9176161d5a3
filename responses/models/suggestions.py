"""Suggestions: wording proposed for an answer instead of an edit, for its assignee or
the lead officer to accept (a new version of the answer) or reject (with a reason).

A suggestion keeps the answer's text as it was when it was made (`base_text`, at
`made_on_version`): history can say the same, but a copy cannot be lost to a
history clean-up, and reading it costs no query. What accepting would change is
always shown against the answer as it stands now (responses/suggestions.py).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Count, Q

from responses.models.drafting import MAX_TEXT_LENGTH, Answer, Response
from responses.text import MARKDOWN_VALIDATORS

MAX_REASON_LENGTH = 2_000


class SuggestionQuerySet(models.QuerySet):
    def open(self) -> SuggestionQuerySet:
        return self.filter(status=Suggestion.Status.OPEN)

    def for_answer(self, answer: Answer) -> SuggestionQuerySet:
        """An answer's open suggestions, oldest first, with their authors."""
        return (
            self.open()
            .filter(answer=answer)
            .select_related("author", "answer__question")
            .order_by("created_at", "pk")
        )

    def open_counts(self, response: Response) -> dict[int, int]:
        """{answer id: its open suggestions} for a response's page, in one query."""
        rows = (
            self.open()
            .filter(response=response)
            .order_by()
            .values("answer_id")
            .annotate(n=Count("pk"))
        )
        return {row["answer_id"]: row["n"] for row in rows}


class Suggestion(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="suggestions")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="suggestions")
    made_on_version = models.PositiveIntegerField(
        help_text="The answer's version the suggestion was made against."
    )
    base_text = models.TextField(
        blank=True, help_text="The answer's text at that version, as the suggester saw it."
    )
    text = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(MAX_TEXT_LENGTH), *MARKDOWN_VALIDATORS],
        help_text="Markdown: the proposed answer, whole.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="suggestions"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(MAX_REASON_LENGTH)],
        help_text="Why it was rejected (required then).",
    )
    produced_version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The answer's version that accepting it made."
    )

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["answer", "status"], name="suggestion_answer_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reason=""),
                name="suggestion_rejected_with_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(produced_version__isnull=False),
                name="suggestion_accepted_with_version",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(decided_at__isnull=False),
                name="suggestion_decided_when",
            ),
        ]

    def __str__(self) -> str:
        return f"Suggestion {self.pk} on {self.answer}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def clean(self) -> None:
        if self.answer_id and self.response_id and self.answer.response_id != self.response_id:
            raise ValidationError({"answer": "The answer belongs to another response."})
