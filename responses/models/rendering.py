"""Documents being made, and made, out of the request.

A PDF can take seconds to lay out, and a pathological one much longer, so no
request waits for one: asking for a document records a `Rendering` under the
digest of everything it will show, and the task worker makes it and stores the
file. Everyone asking for the same content shares one rendering; any edit gives a
new key, so a stored file is never stale. A failure is remembered under its key
and not retried in a loop. A download waits for its own rendering: if the paper
changed before the worker reached it, the worker makes the paper as it then finds it
and points the awaited rendering there, so a download completes while people save.
A rendering made while the paper was signed off is served only while those
signatures stand: reopened, it gives way to the draft.
"""

from __future__ import annotations

from django.db import models

from responses.models.drafting import Response


class Rendering(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        RENDERING = "rendering", "Being made"
        READY = "ready", "Ready"
        FAILED = "failed", "Could not be made"
        SUPERSEDED = "superseded", "Made from a newer version"

    key = models.CharField(max_length=100, unique=True, help_text="What it shows, and how.")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="renderings")
    kind = models.CharField(max_length=16)  # "paper" or "response"
    format = models.CharField(max_length=8)  # "pdf" or "docx"
    published = models.BooleanField(default=False)
    questions = models.PositiveIntegerField(
        default=0, help_text="How many it shows: sets its place in the queue and its time bound."
    )
    signed = models.BooleanField(
        default=False, help_text="Shows signatures: served, and kept, only while they still stand."
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    file_name = models.CharField(max_length=200, blank=True)
    download_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, help_text="Why it could not be made, for the page.")
    attempts = models.PositiveSmallIntegerField(default=0)
    superseded_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The paper changed before this was made: the rendering made instead.",
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    alive_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign that the worker making it is alive."
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.format} of response {self.response_id}: {self.state}"
