"""What the council answers: a response to one consultation, one answer per question."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Count, Exists, Max, OuterRef, Q, Value
from simple_history.models import HistoricalRecords

from responses.models.consultation import Consultation, Question
from responses.models.versioned import VersionedText
from responses.text import MARKDOWN_VALIDATORS

MAX_TEXT_LENGTH = 20_000


class ResponseQuerySet(models.QuerySet):
    def locked(self) -> ResponseQuerySet:
        """Responses whose text may no longer change (`Response.is_locked`), in SQL."""
        return self.exclude(status=Response.Status.DRAFTING)

    def for_rules(self, user=None) -> ResponseQuerySet:
        """What a page about a response reads: the rulebook's rows (`for_writing`) and
        the consultation and the report's named people it shows."""
        return self.for_writing(user).select_related(
            "consultation",
            "report__lead_officer",
            "report__director_user",
            "report__portfolio_holder_user",
        )

    def for_writing(self, user=None) -> ResponseQuerySet:
        """Only what the rulebook reads, for a write that holds the row's lock: the
        report's ids of its people, and whether `user` is on the team, in one query."""
        responses = self.select_related("report")
        if user is None or not user.pk:
            return responses
        team = Response.team.through.objects.filter(response=OuterRef("pk"), user=user.pk)
        return responses.annotate(team_includes=Value(user.pk), in_team=Exists(team))

    def awaiting_signature_of(self, user) -> ResponseQuerySet:
        """Responses whose next signature is this user's."""
        return self.select_related("consultation", "report").filter(
            Q(status=Response.Status.AWAITING_DIRECTOR, report__director_user=user)
            | Q(
                status=Response.Status.AWAITING_PORTFOLIO_HOLDER, report__portfolio_holder_user=user
            )
        )

    def sent(self) -> ResponseQuerySet:
        """Responses sent to government, latest first, with their consultations."""
        return (
            self.filter(sent_to_government_on__isnull=False)
            .select_related("consultation")
            .order_by("-sent_to_government_on", "-pk")
        )

    def in_hand(self) -> ResponseQuerySet:
        """Not yet sent to government: what a dashboard lists."""
        return self.filter(sent_to_government_on__isnull=True)

    def awaiting_signatures_led_by(self, user) -> ResponseQuerySet:
        """The lead's papers with their signatories, and since when each has waited."""
        from responses.models.audit import AuditEvent

        return (
            self.filter(
                report__lead_officer=user,
                status__in=[
                    Response.Status.AWAITING_DIRECTOR,
                    Response.Status.AWAITING_PORTFOLIO_HOLDER,
                ],
            )
            .select_related(
                "consultation", "report__director_user", "report__portfolio_holder_user"
            )
            .annotate(
                waiting_since=Max(
                    "audit_events__at",
                    filter=Q(
                        audit_events__kind__in=[
                            AuditEvent.Kind.SUBMITTED,
                            AuditEvent.Kind.APPROVED,
                        ]
                    ),
                )
            )
            .order_by("waiting_since")
        )


class Response(models.Model):
    class Status(models.TextChoices):
        DRAFTING = "drafting", "Drafting"
        AWAITING_DIRECTOR = "awaiting_director", "Awaiting Executive Director"
        AWAITING_PORTFOLIO_HOLDER = "awaiting_portfolio_holder", "Awaiting Portfolio Holder"
        SIGNED_OFF = "signed_off", "Signed off"

    class CabinetDecision(models.TextChoices):
        AGREED = "agreed", "Agreed"
        AGREED_WITH_CHANGES = "agreed_with_changes", "Agreed with changes"
        DEFERRED = "deferred", "Deferred"

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="responses"
    )
    organisation_name = models.CharField(max_length=200, help_text="For example: Walsall Council.")
    title = models.CharField(max_length=300, help_text="As printed over Appendix 1.")
    status = models.CharField(max_length=32, choices=Status.choices, default=Status.DRAFTING)
    cabinet_decision = models.CharField(max_length=32, choices=CabinetDecision.choices, blank=True)
    sent_to_government_on = models.DateField(null=True, blank=True)
    submission_round = models.PositiveIntegerField(
        default=0, help_text="How many times the response has been submitted for sign-off."
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="response_teams",
        help_text="The officers who draft it. The report's lead officer is on it too; "
        "its signatories read it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["consultation__responses_due_by", "pk"]
        permissions = [
            ("submit_response", "Can submit a response for sign-off"),
            ("sign_off_response", "Can approve or return a response as its named signatory"),
            ("administer", "Can see and set up every response (administrators)"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.consultation})"

    @property
    def is_locked(self) -> bool:
        """Answers and report sections may change only while drafting (in SQL:
        `Response.objects.locked()`)."""
        return self.status != self.Status.DRAFTING

    def has_team_member(self, user) -> bool:
        """Whether the user drafts this response (uses a prefetched team when there is one)."""
        if getattr(self, "team_includes", None) == user.pk:
            return self.in_team
        if "team" in getattr(self, "_prefetched_objects_cache", {}):
            return any(member.pk == user.pk for member in self.team.all())
        return self.team.filter(pk=user.pk).exists()

    @property
    def cabinet_report(self):
        """The report, or None while an administrator has not made one."""
        try:
            return self.report
        except models.ObjectDoesNotExist:
            return None


class AnswerQuerySet(models.QuerySet):
    def for_appendix(self) -> AnswerQuerySet:
        """Answers in printed order, each with its question and assignee."""
        return self.select_related("question", "assignee").order_by(
            "question__position", "question__pk"
        )

    def ready_for_review_by(self, lead: settings.AUTH_USER_MODEL) -> AnswerQuerySet:
        """Answers a lead officer is asked to review, in the responses they lead."""
        return (
            self.filter(
                status=Answer.Status.READY_FOR_REVIEW,
                response__report__lead_officer=lead,
                response__status=Response.Status.DRAFTING,
            )
            .select_related("question", "response__consultation", "changed_by")
            .order_by("response__consultation__responses_due_by", "response", "question__position")
        )

    def progress(self) -> dict[int, tuple[int, int, int]]:
        """{response id: (questions, answered, agreed)} for the responses these answers
        belong to, counted in one pass over them (a response with none is missing).

        One grouped query rather than three subqueries per response: a dashboard of
        200 responses of 350 questions reads each answer once, not three times."""
        counted = (
            self.order_by()
            .values_list("response_id")
            .annotate(
                total=Count("pk"),
                answered=Count("pk", filter=~Q(text="")),
                agreed=Count("pk", filter=Q(status=Answer.Status.AGREED)),
            )
        )
        return {
            response_id: (total, answered, agreed)
            for response_id, total, answered, agreed in counted
        }

    def assigned_to(self, user: settings.AUTH_USER_MODEL) -> AnswerQuerySet:
        return (
            self.filter(assignee=user)
            .select_related("question", "response__consultation")
            .order_by("response__consultation__responses_due_by", "response", "question__position")
        )


class Answer(VersionedText):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        DRAFTING = "drafting", "Drafting"
        READY_FOR_REVIEW = "ready_for_review", "Ready for review"
        AGREED = "agreed", "Agreed"

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(MAX_TEXT_LENGTH), *MARKDOWN_VALIDATORS],
        help_text="Markdown. Leave empty where the council gives no answer.",
    )
    status = models.CharField(max_length=32, choices=Status.choices, default=Status.NOT_STARTED)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_answers",
    )

    history = HistoricalRecords()
    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["response", "question__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_question_per_response"
            ),
        ]
        permissions = [
            ("assign_answer", "Can assign questions to officers"),
            ("agree_answer", "Can mark answers agreed"),
        ]

    def __str__(self) -> str:
        return f"Answer to question {self.question.number}"

    def clean(self) -> None:
        if (
            self.response_id
            and self.question_id
            and self.question.consultation_id != self.response.consultation_id
        ):
            raise ValidationError({"question": "The question belongs to another consultation."})
