"""The task workers' signs of life, for /healthz and for pruning once an hour."""

from __future__ import annotations

from django.db import models


class TaskWorker(models.Model):
    worker_id = models.CharField(max_length=64, unique=True)
    started_at = models.DateTimeField()
    alive_at = models.DateTimeField(help_text="Last sign of life, idle or busy.")
    pruned_at = models.DateTimeField(
        null=True, blank=True, help_text="When it last pruned old documents."
    )

    def __str__(self) -> str:
        return f"task worker {self.worker_id}, alive at {self.alive_at:%Y-%m-%d %H:%M:%S}"
