"""Answers the council gave before to the same question, in another consultation.

A question matches when its wording is the same after `normalise` (case, spacing,
punctuation and quotes aside), or near it: `rapidfuzz.fuzz.ratio` of at least
`NEAR` on the normalised texts. Only non-empty answers in responses the user may
see (`Response.objects.visible_to`, as the dashboard scopes) are offered, never one
from the question's own consultation.

Two queries whatever is stored: the candidate questions' texts, scored here in
Python, then the answers to the questions that matched.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.urls import reverse
from rapidfuzz import fuzz, process

from responses.crossrefs import anchor
from responses.models import Answer, Question, Response
from responses.wording import normalise

__all__ = ["NEAR", "EarlierAnswer", "earlier_answers", "normalise"]

NEAR = 90  # the least fuzz.ratio (0-100) on normalised wording that counts as the same question
EXCERPT_CHARS = 300


@dataclass(frozen=True)
class EarlierAnswer:
    """One earlier answer offered as a starting point, and where it came from."""

    answer_id: int
    text: str
    score: float
    agreed: bool
    status_label: str
    changed_at: datetime.datetime
    response_id: int
    response_title: str
    consultation_title: str
    question_number: str
    question_text: str

    @property
    def url(self) -> str:
        """The answer on its response's page."""
        return f"{reverse('response', args=[self.response_id])}#{anchor(self.question_number)}"

    @property
    def excerpt(self) -> str:
        """The first words, on one line, cut between words: enough to judge it by."""
        line = " ".join(self.text.split())
        if len(line) <= EXCERPT_CHARS:
            return line
        cut = line[: EXCERPT_CHARS + 1].rsplit(" ", 1)[0] or line[:EXCERPT_CHARS]
        return cut.rstrip(" .,;:!?-") + "…"

    @property
    def exact(self) -> bool:
        return self.score >= 100


def candidates(question: Question, user: AbstractBaseUser):
    """Answers that may be offered for `question` to `user`, before the wording is compared."""
    return (
        Answer.objects.filter(response__in=Response.objects.visible_to(user))
        .exclude(response__consultation_id=question.consultation_id)
        .exclude(text="")
    )


def earlier_answers(
    question: Question, user: AbstractBaseUser, *, limit: int = 3
) -> list[EarlierAnswer]:
    """The best `limit` earlier answers to this question's wording that `user` may see:
    best match first, then agreed before not, then the most recently changed."""
    wanted = normalise(question.text)
    if not wanted or limit < 1:
        return []
    pool = candidates(question, user)
    texts = dict(
        Question.objects.filter(pk__in=pool.values("question_id"))
        .order_by()
        .values_list("pk", "text")
    )
    matches = process.extract(
        wanted,
        {pk: normalise(text) for pk, text in texts.items()},
        scorer=fuzz.ratio,
        score_cutoff=NEAR,
        limit=None,
    )
    scores = {pk: score for _, score, pk in matches}
    if not scores:
        return []
    found = [
        _offer(answer, scores[answer.question_id])
        for answer in pool.filter(question_id__in=scores).select_related(
            "question", "response__consultation"
        )
        if answer.text.strip()
    ]
    found.sort(key=lambda o: o.changed_at, reverse=True)
    found.sort(key=lambda o: (o.score, o.agreed), reverse=True)
    return found[:limit]


def _offer(answer: Answer, score: float) -> EarlierAnswer:
    return EarlierAnswer(
        answer_id=answer.pk,
        text=answer.text,
        score=score,
        agreed=answer.status == Answer.Status.AGREED,
        status_label=answer.get_status_display(),
        changed_at=answer.changed_at,
        response_id=answer.response_id,
        response_title=answer.response.title,
        consultation_title=answer.response.consultation.title,
        question_number=answer.question.number,
        question_text=answer.question.text,
    )
