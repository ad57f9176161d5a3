"""What the government asks: a consultation, its sections and its questions."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Length, Lower
from django.db.models.signals import pre_save
from django.dispatch import receiver

from responses.text import validate_link_addresses, validate_printable_size
from responses.wording import normalise

# Dates a council's papers can hold: a typo's year 1 or 9999 is refused where it is
# typed, not found later when a deadline is counted back from it.
PLAUSIBLE_DATE = [
    MinValueValidator(datetime.date(1990, 1, 1), "Enter a date from 1990 onwards."),
    MaxValueValidator(datetime.date(2100, 12, 31), "Enter a date before 2101."),
]

# What a question's number may be: it stands in URLs (/answers/<number>/edit/) and ids (#q12).
QUESTION_NUMBER = r"^[0-9A-Za-z][0-9A-Za-z.\-]{0,9}\Z"


class Consultation(models.Model):
    title = models.CharField(max_length=300)
    issued_by = models.CharField(
        max_length=200, help_text="For example: Office of the Deputy Prime Minister."
    )
    published_on = models.DateField(null=True, blank=True, validators=PLAUSIBLE_DATE)
    responses_due_by = models.DateField(validators=PLAUSIBLE_DATE)
    reference_url = models.URLField(blank=True)
    executive_summary = models.TextField(
        blank=True,
        validators=[validate_link_addresses, validate_printable_size],
        help_text="Markdown, with footnotes as [^1]. Printed as Appendix 2.",
    )

    class Meta:
        ordering = ["responses_due_by", "title"]
        constraints = [
            models.UniqueConstraint(
                Lower("title"),
                name="unique_consultation_title",
                violation_error_message="A consultation with this title already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        # A browser sends CRLF: kept as LF, so saving the same words changes nothing.
        self.executive_summary = self.executive_summary.replace("\r\n", "\n")


class SectionQuerySet(models.QuerySet):
    def in_order(self) -> SectionQuerySet:
        return self.order_by("position", "pk")


class Section(models.Model):
    """A chapter of the consultation, or a sub-section of one (through `parent`)."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="sections"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    title = models.CharField(max_length=300)
    position = models.PositiveIntegerField(default=0)

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["consultation", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    def ancestors(self) -> list[Section]:
        """The chain of parents, outermost first."""
        chain: list[Section] = []
        node = self.parent
        while node is not None and node not in chain:
            chain.insert(0, node)
            node = node.parent
        return chain

    def clean(self) -> None:
        if self.parent is None:
            return
        if self.parent.consultation_id != self.consultation_id:
            raise ValidationError({"parent": "The parent section belongs to another consultation."})
        node = self.parent
        while node is not None:
            if node.pk is not None and node.pk == self.pk:
                raise ValidationError({"parent": "A section cannot be inside itself."})
            node = node.parent


class QuestionQuerySet(models.QuerySet):
    """Keeps `Question.wording_key` with the text where Django writes rows without
    `save()`: bulk inserts (the importer, the factories) and updates."""

    def bulk_create(self, objs, *args, **kwargs) -> list[Question]:
        objs = list(objs)
        for question in objs:
            question.wording_key = normalise(question.text)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs) -> int:
        if "text" in fields:
            objs = list(objs)
            for question in objs:
                question.wording_key = normalise(question.text)
            fields = [*fields, "wording_key"]
        return super().bulk_update(objs, fields, *args, **kwargs)

    def update(self, **kwargs) -> int:
        if "text" in kwargs and "wording_key" not in kwargs:  # bulk_update gives both
            if not isinstance(kwargs["text"], str):
                raise TypeError(
                    "A question's text is updated as a string, so that its wording_key "
                    "can be worked out from it (or give the wording_key too)."
                )
            kwargs["wording_key"] = normalise(kwargs["text"])
        return super().update(**kwargs)


class Question(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="questions")
    number = models.CharField(
        max_length=10,
        validators=[
            RegexValidator(
                QUESTION_NUMBER,
                "A question's number is letters, digits, dots and hyphens, as printed: "
                "for example 12, 3a or 4.1.",
            )
        ],
        help_text="As printed, for example 12, 3a or 4.1.",
    )
    text = models.TextField()
    position = models.PositiveIntegerField(default=0)
    wording_key = models.TextField(
        editable=False,
        default="",
        help_text="The text as earlier answers compare it (responses.wording.normalise), "
        "kept with the text whenever it is written.",
    )

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["consultation", "position", "pk"]
        indexes = [
            # Earlier answers look questions up by their key's length: equal for the
            # same wording, within a bound for a near one (see importing/earlier.py).
            # The length, not the key, so that a 5,000-character question fits an index.
            models.Index(Length("wording_key"), name="question_wording_length"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "number"], name="unique_question_number_per_consultation"
            ),
        ]

    def __str__(self) -> str:
        return f"Question {self.number}"

    def save(self, *args, **kwargs) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "text" in update_fields:
            kwargs["update_fields"] = {*update_fields, "wording_key"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.section_id and self.section.consultation_id != self.consultation_id:
            raise ValidationError({"section": "The section belongs to another consultation."})


@receiver(pre_save, sender=Question)
def _key_the_wording(sender, instance: Question, **kwargs) -> None:
    """Every save writes the key with the text, loaddata's raw saves (the seed, a
    restored backup) included: they bypass `Question.save`."""
    instance.wording_key = normalise(instance.text)
