"""The Cabinet report that wraps a response, its sections, and the sign-offs it gets."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from responses.models.consultation import PLAUSIBLE_DATE
from responses.models.drafting import MAX_TEXT_LENGTH, Response
from responses.models.versioned import VersionedText
from responses.text import MARKDOWN_VALIDATORS


class CabinetReport(models.Model):
    class Publication(models.TextChoices):
        """Whether the report may be published (Local Government Act 1972, Part VA)."""

        PUBLIC = "", "For publication"
        EXEMPT = "exempt", "Exempt (Schedule 12A)"
        CONFIDENTIAL = "confidential", "Confidential"

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="report")
    meeting_body = models.CharField(max_length=100, default="Cabinet")
    meeting_date = models.DateField(validators=PLAUSIBLE_DATE)
    agenda_item = models.CharField(max_length=20, blank=True)
    title = models.CharField(max_length=300)
    portfolio = models.CharField(max_length=200, help_text="For example: Leader.")
    portfolio_holder_name = models.CharField(
        max_length=200, help_text="For example: Councillor Tom Ansell."
    )
    service_area = models.CharField(max_length=200)
    wards = models.CharField(max_length=200)
    forward_plan = models.BooleanField(default=False)

    contact_name = models.CharField(max_length=200)
    contact_job_title = models.CharField(max_length=200)
    contact_phone = models.CharField(max_length=50, blank=True)
    contact_email = models.EmailField(blank=True)
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports_led",
        help_text="The contact officer's account: assigns questions and submits for sign-off.",
    )

    director_name = models.CharField(max_length=200)
    director_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports_to_sign_as_director",
        verbose_name="Executive Director's account",
    )
    portfolio_holder_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports_to_sign_as_portfolio_holder",
        verbose_name="Portfolio Holder's account",
    )
    # Not for publication: exempt under a paragraph of Schedule 12A, or confidential.
    publication = models.CharField(
        max_length=16, choices=Publication.choices, blank=True, default=Publication.PUBLIC
    )
    exempt_paragraph = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
        help_text="The paragraph of Part 1 of Schedule 12A (1 to 7) it is exempt under.",
    )
    # 1., 1.1 in the paper: the council's setting when the report was made. The report's
    # own, so that changing the setting later changes no paper already signed.
    number_paragraphs = models.BooleanField(
        "number the paragraphs",
        default=False,
        help_text="Number each section (1., 2.) and its paragraphs (1.1, 1.2) in the paper.",
    )
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    # isnull=False: a NULL paragraph would make the check NULL, which passes.
                    models.Q(
                        publication="exempt",
                        exempt_paragraph__isnull=False,
                        exempt_paragraph__gte=1,
                        exempt_paragraph__lte=7,
                    )
                    | (~models.Q(publication="exempt") & models.Q(exempt_paragraph__isnull=True))
                ),
                name="exempt_report_names_its_paragraph",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_body} – {self.meeting_date:%-d %B %Y}: {self.title}"

    @property
    def not_for_publication(self) -> str:
        """The marking every page carries while the report is not for publication, or ""."""
        return publication_marking(self.publication, self.exempt_paragraph)

    @property
    def portfolio_line(self) -> str:
        """As printed under the title: "Councillor Tom Ansell, Leader"."""
        return ", ".join(part for part in (self.portfolio_holder_name, self.portfolio) if part)


def publication_marking(publication: str | None, exempt_paragraph: int | None) -> str:
    """ "NOT FOR PUBLICATION: …" for a report marked exempt or confidential, or ""."""
    if publication == CabinetReport.Publication.EXEMPT:
        return (
            f"NOT FOR PUBLICATION: exempt information under paragraph {exempt_paragraph} "
            "of Part 1 of Schedule 12A to the Local Government Act 1972"
        )
    if publication == CabinetReport.Publication.CONFIDENTIAL:
        return (
            "NOT FOR PUBLICATION: confidential information "
            "(section 100A(3) of the Local Government Act 1972)"
        )
    return ""


class ReportSection(VersionedText):
    report = models.ForeignKey(CabinetReport, on_delete=models.CASCADE, related_name="sections")
    heading = models.CharField(max_length=200)
    body = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(MAX_TEXT_LENGTH), *MARKDOWN_VALIDATORS],
    )
    position = models.PositiveIntegerField(default=0)
    # The summary of the council's positions (responses/positions.py) prints after the
    # body: built afresh while drafting, and kept here, as printed, from submission on.
    summarises_positions = models.BooleanField(
        default=False, help_text="Ends with the summary of the council's positions."
    )
    positions_summary = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(2_000)],
        help_text="The summary as it was when the paper was last submitted.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "position", "pk"]

    def __str__(self) -> str:
        return self.heading


class SignOffQuerySet(models.QuerySet):
    def returned_to(self, lead) -> SignOffQuerySet:
        """The returns a lead officer has still to act on: this round's, while drafting."""
        return (
            self.filter(
                decision=SignOff.Decision.RETURNED,
                report__lead_officer=lead,
                report__response__status=Response.Status.DRAFTING,
                round=models.F("report__response__submission_round"),
            )
            .select_related("report__response__consultation", "user")
            .order_by("-signed_at")
        )

    def with_open_comments(self) -> SignOffQuerySet:
        """Each with `open_comments`: the threads it pointed at answers still open, with
        their questions (responses/models/review.py), in one more query for them all."""
        from responses.models.review import Comment

        return self.prefetch_related(
            models.Prefetch(
                "comments",
                queryset=Comment.objects.open().select_related("answer__question"),
                to_attr="open_comments",
            )
        )


class SignOff(models.Model):
    """One signatory's decision on a report, with a digest of exactly what they saw."""

    class Role(models.TextChoices):
        EXECUTIVE_DIRECTOR = "executive_director", "Executive Director"
        PORTFOLIO_HOLDER = "portfolio_holder", "Portfolio Holder"

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned"

    report = models.ForeignKey(CabinetReport, on_delete=models.CASCADE, related_name="sign_offs")
    round = models.PositiveIntegerField(
        default=1,
        help_text="Which submission for sign-off this decision belongs to: 1 for the first.",
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sign_offs"
    )
    decision = models.CharField(max_length=16, choices=Decision.choices)
    comment = models.TextField(blank=True)
    signed_at = models.DateTimeField(default=timezone.now)
    content_digest = models.CharField(
        max_length=64, help_text="SHA-256 of the canonical content that was signed."
    )
    # The signer as they were when they signed: what the documents print, so renaming
    # the account later changes nothing already signed.
    signer_name = models.CharField(max_length=301, blank=True)  # Django's 150 + " " + 150
    signer_title = models.CharField(max_length=200, blank=True)

    objects = SignOffQuerySet.as_manager()

    class Meta:
        ordering = ["report", "signed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(decision="returned", comment=""),
                name="returned_sign_off_has_comment",
            ),
            models.UniqueConstraint(
                fields=["report", "round", "role"], name="one_decision_per_role_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.get_decision_display().lower()}"


class PaperSnapshot(models.Model):
    """The paper's canonical content, kept by its digest, so that "what changed since
    you last saw it" compares against exactly what a signatory was shown."""

    digest = models.CharField(max_length=64, unique=True)
    content = models.JSONField()
    taken_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.digest[:12]


class Shown(models.Model):
    """A signatory was shown the paper at this round and digest (once is enough)."""

    response = models.ForeignKey(
        "responses.Response", on_delete=models.CASCADE, related_name="shown"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    round = models.PositiveIntegerField()
    digest = models.CharField(max_length=64)
    shown_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["response", "-round", "-shown_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "user", "round", "digest"], name="shown_once_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} saw round {self.round} ({self.digest[:12]})"
