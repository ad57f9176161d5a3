"""Review in place: comment threads on an answer or a report section.

A comment is never printed and never deleted. It keeps what it was about (`about`,
"Question 12" or the section's heading as it was) and the version of that text it was
made on, so it stays readable after the answer moves on, or the section is renamed,
moved or removed (`section` is then empty). Replies hang from the thread's first
comment (one level); resolving and reopening are the thread's, so kept on that first
comment. A comment a signatory pointed at an answer when returning the paper names
that return (`sign_off`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from responses.models.drafting import Answer, Response
from responses.models.report import ReportSection, SignOff
from responses.text import MARKDOWN_VALIDATORS

MAX_COMMENT_LENGTH = 5_000


class CommentQuerySet(models.QuerySet):
    def threads(self) -> CommentQuerySet:
        """Threads (their first comments), oldest first, each with its author, who
        resolved it and its replies with their authors: three queries for any number."""
        return (
            self.filter(parent__isnull=True)
            .select_related("author", "resolved_by", "answer__question", "section")
            .prefetch_related(
                Prefetch(
                    "replies",
                    queryset=Comment.objects.select_related("author").order_by("created_at", "pk"),
                )
            )
            .order_by("created_at", "pk")
        )

    def open(self) -> CommentQuerySet:
        """Threads not resolved."""
        return self.filter(parent__isnull=True, resolved_at__isnull=True)

    def open_counts_by_answer(self, response: Response) -> dict[int, int]:
        """{answer id: its open threads} for a response, in one query."""
        rows = (
            self.open()
            .filter(response=response, answer__isnull=False)
            .order_by()
            .values("answer_id")
            .annotate(n=Count("pk"))
            .values_list("answer_id", "n")
        )
        return dict(rows)

    def pointed_at_returns(self, sign_offs) -> CommentQuerySet:
        """The comments signatories pointed at answers when they returned the paper."""
        return (
            self.filter(sign_off__in=sign_offs, parent__isnull=True)
            .select_related("answer__question", "resolved_by")
            .order_by("sign_off", "created_at", "pk")
        )


class Comment(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="comments")
    answer = models.ForeignKey(
        Answer, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments"
    )
    section = models.ForeignKey(
        ReportSection, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments"
    )
    # What it was about when made: "Question 12", or the section's heading as it was.
    about = models.CharField(max_length=300)
    made_on_version = models.PositiveIntegerField(
        help_text="The answer's or section's version when the comment was made."
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments"
    )
    body = models.TextField(
        validators=[MaxLengthValidator(MAX_COMMENT_LENGTH), *MARKDOWN_VALIDATORS]
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sign_off = models.ForeignKey(
        SignOff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="comments",
        help_text="The return for changes this comment was made with, if any.",
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~(Q(answer__isnull=False) & Q(section__isnull=False)),
                name="comment_on_an_answer_or_a_section",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True)
                | Q(resolved_at__isnull=True, resolved_by__isnull=True, sign_off__isnull=True),
                name="only_a_thread_is_resolved_or_returned",
            ),
            models.CheckConstraint(condition=~Q(body=""), name="comment_has_a_body"),
        ]

    def __str__(self) -> str:
        return f"Comment on {self.about} by {self.author}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    @property
    def target(self) -> Answer | ReportSection | None:
        """The answer or section it is about, or None if the section was removed."""
        return self.answer or self.section
