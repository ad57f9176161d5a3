from django.conf import settings
from django.db import models


class VersionedText(models.Model):
    """Text officers edit for weeks: who changed it last, when, and a version number
    that a stale editor's save is checked against (see responses/services.py)."""

    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Raised by one on every save; a form posts the version it loaded."
    )

    class Meta:
        abstract = True
