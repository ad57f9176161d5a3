"""Answers the council gave before to the same question, in another consultation.

A question matches when its wording is the same after `normalise` (case, spacing,
punctuation and quotes aside), or near it: `rapidfuzz.fuzz.ratio` of at least
`NEAR` on the normalised texts. Only answers with words in them, in responses the
user may see (`rules.visible_to`, as the dashboard scopes) are offered,
never one from the question's own consultation.

Nothing is normalised but the question asked. Every question stores its normalised
wording (`Question.wording_key`, written with its text) and is indexed by that key's
length. A ratio of `NEAR` or more bounds the ratio of the lengths (`length_bounds`),
so one query reads, through that index, only the keys of a length that could match
(an exact match has the same length), and rapidfuzz scores them in C; a second query
fetches at most `limit` answers to the questions that matched, ranked in SQL and
scoped to what the user may see. Two queries whatever is stored.

Why not PostgreSQL's trigram index: its similarity bounds neither way the ratio the
offer is defined by, so a threshold that never misses a near question is too low to
narrow anything, and the two databases would offer different answers.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Case, F, QuerySet, Value, When
from django.db.models.functions import Length
from django.urls import reverse
from rapidfuzz import fuzz, process

from responses import rules
from responses.models import Answer, Question
from responses.text.crossrefs import anchor
from responses.wording import normalise

__all__ = ["NEAR", "EarlierAnswer", "earlier_answers", "length_bounds", "normalise"]

NEAR = 90  # the least fuzz.ratio (0-100) on normalised wording that counts as the same question
EXCERPT_CHARS = 300

# An answer with words in it has a character `str.strip` keeps: a bracket of the spaces
# themselves, so SQLite (Python's re) and PostgreSQL read it alike. Python's whitespace
# all lies below U+3001.
WORDS = "[^" + "".join(c for c in map(chr, range(0x3001)) if c.isspace()) + "]"


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


# What an offer shows: not the consultation's summary, say, which may be long.
_SHOWN = [
    "text",
    "status",
    "changed_at",
    "response__title",
    "response__cabinet_decision",
    "response__consultation__title",
    "question__number",
    "question__text",
]


def length_bounds(length: int) -> tuple[int, int]:
    """The lengths a normalised wording may have to score `NEAR` or more against one of
    `length`. `fuzz.ratio` is 100 × (1 − d / (a + b)), d the insertions and deletions
    that turn one into the other, and d is at least |a − b|; so |a − b| × 100 ≤
    (100 − NEAR) × (a + b), which bounds b on both sides."""
    slack = 100 - NEAR
    return -(-length * (100 - slack) // (100 + slack)), length * (100 + slack) // (100 - slack)


def _pool(question: Question, user: AbstractBaseUser) -> QuerySet[Answer]:
    """Answers that may be offered for `question` to `user`, before the wording is compared."""
    return (
        Answer.objects.filter(response__in=rules.visible_to(user))
        .exclude(response__consultation_id=question.consultation_id)
        .filter(text__regex=WORDS)
    )


def earlier_answers(
    question: Question, user: AbstractBaseUser, *, limit: int = 3
) -> list[EarlierAnswer]:
    """The best `limit` earlier answers to this question's wording that `user` may see:
    best match first, then agreed before not, then the most recently changed."""
    wanted = normalise(question.text)
    if not wanted or limit < 1:
        return []
    shortest, longest = length_bounds(len(wanted))
    keys = dict(
        Question.objects.alias(key_length=Length("wording_key"))
        .filter(key_length__range=(shortest, longest))
        .exclude(consultation_id=question.consultation_id)
        .order_by()
        .values_list("pk", "wording_key")
    )
    matches = process.extract(wanted, keys, scorer=fuzz.ratio, score_cutoff=NEAR, limit=None)
    if not matches:
        return []
    by_score: dict[float, list[int]] = {}
    for _, score, pk in matches:  # best first
        by_score.setdefault(score, []).append(pk)
    best_first = Case(
        *(When(question_id__in=pks, then=Value(i)) for i, pks in enumerate(by_score.values()))
    )
    agreed_first = Case(When(status=Answer.Status.AGREED, then=Value(0)), default=Value(1))
    score_of = {pk: score for _, score, pk in matches}
    answers = (
        _pool(question, user)
        .filter(question_id__in=list(score_of))
        .alias(best=best_first, agreed=agreed_first)
        .order_by("best", "agreed", F("changed_at").desc(), "-pk")
        .select_related("question", "response__consultation")
        .only(*_SHOWN)[:limit]
    )
    return [_offer(answer, score_of[answer.question_id]) for answer in answers]


def _offer(answer: Answer, score: float) -> EarlierAnswer:
    return EarlierAnswer(
        answer_id=answer.pk,
        text=answer.text,
        score=score,
        agreed=answer.status == Answer.Status.AGREED,
        status_label=answer.get_status_display(),
        changed_at=answer.changed_at,
        response_id=answer.response_id,
        response_title=answer.response.current_title,
        consultation_title=answer.response.consultation.title,
        question_number=answer.question.number,
        question_text=answer.question.text,
    )
