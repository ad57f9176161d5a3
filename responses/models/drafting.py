"""What the council answers: a response to one consultation, one answer per question."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models, transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
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

    def count_answers(self) -> int:
        """Count these responses' answers afresh into their counts, in one UPDATE: after
        writes that bypass `Answer.save` (see responses/models/counts.py)."""
        answers = Answer.objects.filter(response=OuterRef("pk")).order_by().values("response")
        return self.update(
            **{
                name: Coalesce(
                    Subquery(answers.filter(condition).annotate(n=Count("pk")).values("n")), 0
                )
                for name, condition in COUNTS.items()
            }
        )

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


# A minute reference, "Minute 123/06" say: short, as the minutes print it.
MINUTE_LENGTH = 50


def without_draft(title: str) -> str:
    """ "Draft Response by Walsall Council" → "Response by Walsall Council"."""
    cleaned = re.sub(r"\s*\bdraft\b[\s:–-]*", " ", title, count=1, flags=re.IGNORECASE)
    cleaned = " ".join(cleaned.split())
    return cleaned[:1].upper() + cleaned[1:] if cleaned else title


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
    # When Cabinet decided and where its minutes say so: recorded with the decision.
    cabinet_decided_on = models.DateField(null=True, blank=True)
    cabinet_minute = models.CharField(
        max_length=MINUTE_LENGTH, blank=True, help_text="The minute reference, e.g. 123/06."
    )
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
    # What the dashboard's card shows, kept with the answers (responses/models/counts.py):
    # counting them on every view read every answer of every response in hand.
    answer_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Its answers (one per question)."
    )
    answered_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Its answers with words in them."
    )
    agreed_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Its answers marked agreed."
    )

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["consultation__responses_due_by", "pk"]
        permissions = [
            ("submit_response", "Can submit a response for sign-off"),
            ("sign_off_response", "Can approve or return a response as its named signatory"),
            ("administer", "Can see and set up every response (administrators)"),
        ]

    def __str__(self) -> str:
        return f"{self.current_title} ({self.consultation})"

    def save(self, *args, **kwargs) -> None:
        """The answer counts are the answers' to move: a new response has none, and a
        save of one read before its answers changed leaves their counts alone (or, where
        it names them, counts them afresh)."""
        update_fields = kwargs.get("update_fields")
        if self._state.adding and self.pk is None:
            self.answer_count = self.answered_count = self.agreed_count = 0
            super().save(*args, **kwargs)
        elif update_fields is None and not self._state.adding:
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in COUNTS and f.attname not in deferred
            ]
            super().save(*args, **kwargs)
        elif update_fields is None or set(update_fields) & set(COUNTS):
            with transaction.atomic(using=kwargs.get("using"), savepoint=False):
                super().save(*args, **kwargs)
                Response.objects.filter(pk=self.pk).count_answers()
        else:
            super().save(*args, **kwargs)

    @property
    def current_title(self) -> str:
        """The title as it stands. `title` is the draft's, as printed over Appendix 1 of
        the Cabinet paper (which keeps it); once Cabinet agrees, it is no draft."""
        if self.cabinet_decision in (
            self.CabinetDecision.AGREED,
            self.CabinetDecision.AGREED_WITH_CHANGES,
        ):
            return without_draft(self.title)
        return self.title

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

    def bulk_create(self, objs, *args, **kwargs) -> list[Answer]:
        """Inserted without `save()`: their responses are counted afresh."""
        from responses.models.counts import count_responses

        with transaction.atomic(using=self.db, savepoint=False):
            made = super().bulk_create(objs, *args, **kwargs)
            count_responses(answer.response_id for answer in made)
        return made

    def update(self, **kwargs) -> int:
        """Updated without `save()` (so too by `bulk_update`): where a counted value
        changes, the responses of the rows, before and after, are counted afresh."""
        from responses.models.counts import count_responses

        if self.query.is_sliced or not {"response", "response_id", "text", "status"} & set(kwargs):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db, savepoint=False):
            if {"response", "response_id"} & set(kwargs):  # where they were, and are
                rows = dict(self.order_by().values_list("pk", "response_id"))
                updated = super().update(**kwargs)
                after = Answer.objects.filter(pk__in=rows).values_list("response_id", flat=True)
                touched = {*rows.values(), *after}
            else:
                touched = set(self.order_by().values_list("response_id", flat=True).distinct())
                updated = super().update(**kwargs)
            count_responses(touched)
        return updated

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

    class Position(models.TextChoices):
        """The council's position on what the question proposes (blank: not yet set)."""

        AGREES = "agrees", "Agrees"
        PARTLY_AGREES = "partly_agrees", "Partly agrees"
        DISAGREES = "disagrees", "Disagrees"
        NO_VIEW = "no_view", "No view"
        NOT_APPLICABLE = "not_applicable", "Not applicable"

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
    # Content, like the text: changed only while drafting, through the same save.
    position = models.CharField(
        "council's position",
        max_length=16,
        choices=Position.choices,
        blank=True,
        default="",
        help_text="What the council thinks of the proposal; the report can summarise it.",
    )

    history = HistoricalRecords()
    objects = AnswerQuerySet.as_manager()
    _counted_as = None  # what the stored row is counted as, where known (counts.state)

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

    @classmethod
    def from_db(cls, db, field_names, values) -> Answer:
        """Read with what it is counted as (`counts.state`), where every field was read
        (Django's own test): a response page reads thousands, so no more than that."""
        answer = super().from_db(db, field_names, values)
        if len(values) == len(cls._meta.concrete_fields):
            answer._counted_as = (answer.response_id, answer.text != "", answer.status == AGREED)
        return answer

    def refresh_from_db(self, using=None, fields=None, from_queryset=None) -> None:
        from responses.models.counts import state

        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        self._counted_as = state(self) if fields is None else None

    def save(self, *args, **kwargs) -> None:
        """Saved with its response's answer counts moved, in one transaction
        (responses/models/counts.py)."""
        from responses.models.counts import count_save

        with transaction.atomic(using=kwargs.get("using"), savepoint=False):
            counted_as = count_save(self, kwargs.get("update_fields"))
            super().save(*args, **kwargs)
        self._counted_as = counted_as

    def clean(self) -> None:
        if (
            self.response_id
            and self.question_id
            and self.question.consultation_id != self.response.consultation_id
        ):
            raise ValidationError({"question": "The question belongs to another consultation."})


AGREED = Answer.Status.AGREED

# What each of a response's answer counts counts, as a filter on its answers.
COUNTS = {
    "answer_count": Q(),
    "answered_count": ~Q(text=""),
    "agreed_count": Q(status=AGREED),
}
