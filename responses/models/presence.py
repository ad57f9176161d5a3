"""Who has an answer's editor open now: one row per person per browser window.

A row is written by the editor's heartbeat (responses/presence.py) and deleted when
the window closes; a row not seen for a minute is nobody there. Nothing here is a
record: rows older than a day are pruned, and nothing else refers to them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from responses.models.drafting import Answer, Response

# A window's id as the editor's script makes it: letters and digits, no more than this.
WINDOW_LENGTH = 32


class PresenceQuerySet(models.QuerySet):
    def here(self, *, now=None) -> PresenceQuerySet:
        """The rows of people still here: seen within the last minute."""
        from responses.presence import HERE_FOR

        return self.filter(last_seen__gte=(now or timezone.now()) - HERE_FOR)

    def with_people(self) -> PresenceQuerySet:
        """Each row with its person, earliest arrival first (what a page names)."""
        return self.select_related("user").order_by("since", "pk")


class Presence(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="presences")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="presences")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="presences"
    )
    window = models.CharField(max_length=WINDOW_LENGTH)
    since = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now, db_index=True)

    objects = PresenceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "user", "window"], name="one_presence_per_window"
            ),
        ]
        indexes = [models.Index(fields=["response", "last_seen"], name="presence_by_response")]

    def __str__(self) -> str:
        return f"{self.user} on {self.answer_id} since {self.since:%H:%M}"
