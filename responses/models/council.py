"""The council's own settings: one row, changed by an administrator."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

# The council's single settings row always has this key.
SINGLETON_PK = 1
DEFAULT_REPORT_DEADLINE_WORKING_DAYS = 7
DEFAULT_REMINDER_DAYS_BEFORE = 3


class CouncilSettings(models.Model):
    """Rules of the council's own timetable that are not a consultation's or a meeting's.

    One row: `load()` makes it on first use, the database refuses a second.
    """

    report_deadline_working_days = models.PositiveSmallIntegerField(
        "report deadline (working days before the meeting)",
        default=DEFAULT_REPORT_DEADLINE_WORKING_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="How many working days before the meeting a Cabinet report is due with "
        "democratic services. Weekends and England and Wales bank holidays are not counted.",
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        "reminder (days before the report deadline)",
        default=DEFAULT_REMINDER_DAYS_BEFORE,
        validators=[MinValueValidator(0), MaxValueValidator(30)],
        help_text="How many calendar days before a report deadline the lead officer and "
        "everyone with unanswered questions are e-mailed a reminder (once per deadline). "
        "0 sends no reminders.",
    )

    class Meta:
        verbose_name = "council settings"
        verbose_name_plural = "council settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(pk=SINGLETON_PK), name="council_settings_single_row"
            ),
        ]

    def __str__(self) -> str:
        return "Council settings"

    def save(self, *args, **kwargs) -> None:
        self.pk = SINGLETON_PK
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> CouncilSettings:
        """The one row, made with the defaults the first time anyone asks."""
        settings, _ = cls.objects.get_or_create(pk=SINGLETON_PK)
        return settings

    @classmethod
    def current(cls) -> CouncilSettings:
        """The settings in force, in one query and without writing: until an administrator
        saves them, the defaults (so a page that only reads them never writes)."""
        return cls.objects.filter(pk=SINGLETON_PK).first() or cls(pk=SINGLETON_PK)
