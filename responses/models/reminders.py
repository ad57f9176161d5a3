"""Which reminders have gone out, so that none goes out twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from responses.models.drafting import Response


class ReminderSent(models.Model):
    """One reminder to one person about one deadline of one response.

    `send_reminders` writes this row in the same transaction in which it decides to
    send, and the database refuses a second row for the same response, person, kind
    and deadline: a second run (the same day, the next day, or two at once) sends
    nothing new, while a moved meeting gives a new deadline and so a new reminder.
    A row means "decided and handed to the mail server", not "read".
    """

    class Kind(models.TextChoices):
        REPORT_DEADLINE = "report_deadline", "Report deadline"

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="reminders_sent")
    # Operational, not the audit: deleting an account (rare: people are deactivated)
    # takes its reminders with it rather than being refused.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders_received"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    deadline = models.DateField(help_text="The date the reminder was about.")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "reminder sent"
        verbose_name_plural = "reminders sent"
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "recipient", "kind", "deadline"],
                name="one_reminder_per_person_per_deadline",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} reminder of {self.deadline:%-d %B %Y} to {self.recipient}"
        )
