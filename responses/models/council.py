"""The council's own settings: one row, changed by an administrator.

Everything that makes the paper this council's and not another's (its name, its report
headings; later its logo and paragraph numbering) lives in this one model, so that
hosting several councils is one foreign key to it, not a hunt through the code.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

# The council's single settings row always has this key.
SINGLETON_PK = 1
DEFAULT_REPORT_DEADLINE_WORKING_DAYS = 7
DEFAULT_REMINDER_DAYS_BEFORE = 3
MAX_HEADING_LENGTH = 200  # a report section's heading holds no more
MAX_HEADINGS = 50  # each is a section of every new report, made as the report is

# A new installation's report headings: what a Cabinet report in England commonly
# carries, no one council's own (the seed sets Walsall's 2006 list for its demo).
NEUTRAL_HEADINGS = (
    "Summary",
    "Recommendations",
    "Reasons for recommendations",
    "Alternative options considered",
    "Background",
    "Financial implications",
    "Legal implications",
    "Equality implications",
    "Climate and environmental implications",
    "Consultation",
    "Background papers",
)


def heading_lines(text: str) -> list[str]:
    """The headings as typed, one a line, each trimmed; blank lines at the end dropped
    (a text box often ends with one), blank lines between headings kept for the check."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return lines


def validate_report_headings(text: str) -> None:
    """At least one heading; none blank, longer than a section's heading may be, or the
    same as another (however capitalised): each becomes one section of every new report."""
    lines = heading_lines(text)
    if not lines:
        raise ValidationError("Enter at least one heading.", code="no_headings")
    if len(lines) > MAX_HEADINGS:
        raise ValidationError(
            "There are %(count)s headings: a report may start with at most %(limit)s.",
            code="too_many_headings",
            params={"count": f"{len(lines):,}", "limit": MAX_HEADINGS},
        )
    errors = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line:
            errors.append(
                ValidationError(
                    "Line %(number)s is blank: remove it, or write a heading on it.",
                    code="blank_heading",
                    params={"number": number},
                )
            )
        elif len(line) > MAX_HEADING_LENGTH:
            errors.append(
                ValidationError(
                    "Line %(number)s has %(length)s characters: a heading may have at "
                    "most %(limit)s.",
                    code="heading_too_long",
                    params={"number": number, "length": len(line), "limit": MAX_HEADING_LENGTH},
                )
            )
        elif (key := line.casefold()) in seen:
            errors.append(
                ValidationError(
                    "Line %(number)s repeats line %(first)s (“%(heading)s”): each heading "
                    "may appear once.",
                    code="duplicate_heading",
                    params={"number": number, "first": seen[key], "heading": line},
                )
            )
        else:
            seen[key] = number
    if errors:
        raise ValidationError(errors)


class CouncilSettings(models.Model):
    """The council's name, its standard report headings, and the rules of its own
    timetable that are not a consultation's or a meeting's.

    One row: `load()` makes it on first use, the database refuses a second.
    """

    name = models.CharField(
        "council's name",
        max_length=200,
        default="",  # until an administrator names it: required on the settings page
        help_text="As printed on its responses, for example: Anytown Borough Council. "
        "A new consultation's response starts with it.",
    )
    report_headings = models.TextField(
        "standard report headings",
        default="\n".join(NEUTRAL_HEADINGS),
        validators=[validate_report_headings],
        help_text="One heading a line, in the order a new Cabinet report shows them. "
        "Every new report starts with a section for each; reports already made keep theirs.",
    )

    # The logo as uploaded (a PNG, or an SVG that only draws: responses/logos.py), and as
    # a PNG for Word. In the database, so a backup holds it with everything else.
    logo = models.BinaryField(blank=True, default=b"", editable=False)
    logo_type = models.CharField(max_length=20, blank=True, editable=False)
    logo_png = models.BinaryField(blank=True, default=b"", editable=False)
    logo_digest = models.CharField(max_length=64, blank=True, editable=False)

    number_paragraphs = models.BooleanField(
        "number the report's paragraphs",
        default=False,
        help_text="Number each section of a new Cabinet report (1., 2.) and each paragraph "
        "within it (1.1, 1.2), in the PDF and Word paper, as many councils' report guides "
        "ask. Reports already made keep theirs, so no signed paper changes.",
    )

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

    def clean(self) -> None:
        # Stored as checked: trimmed lines, no blank line at either end.
        self.name = self.name.strip()
        self.report_headings = "\n".join(heading_lines(self.report_headings))

    @property
    def headings(self) -> list[str]:
        """The standard report headings, in order."""
        return [line for line in heading_lines(self.report_headings) if line]

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
