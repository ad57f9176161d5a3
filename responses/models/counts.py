"""The answer counts each response keeps for its dashboard card: its answers, those with
words, those agreed (`Response.answer_count`, `answered_count`, `agreed_count`).

An administrator's dashboard has a card for every response in hand. Counting their
answers on each view read every answer of every response: at 200 responses of 350
questions, most of the page's cost. So each response keeps its counts, and every write
of an answer moves them in the same transaction:

- `Answer.save` (the services, so the editor, the admin and the lead's steps): when the
  save changes what is counted (the answer's response, whether its text is empty,
  whether it is agreed), one UPDATE that reads what the stored row was counted as, so
  the counts follow the rows even where the instance was read before a change;
- loaddata's raw saves (the seed, a restored backup), which bypass `save()`: the same,
  through `pre_save`; a response saved raw is counted from the answers already stored,
  so that either may come first;
- a delete, through `pre_delete` (a queryset's delete sends it for every row);
- `AnswerQuerySet.bulk_create` and `update` (so `bulk_update` too): each response
  touched is counted afresh (`ResponseQuerySet.count_answers`);
- `counted_once`: steps that write many answers of one response count it afresh once,
  at the end, rather than once for each answer.

A save skips the count only where the instance, as read from the database (`from_db`)
or last saved, shows the counted values unchanged: the services read the row locked
before they write it, as the version check needs. Raw SQL must count for itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Value, When
from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver

from responses.models.drafting import AGREED, COUNTS, Answer, Response

# Counted as: (response id, has words, agreed). None where the instance cannot tell.
State = tuple[int, bool, bool]
COUNTED = ("response", "text", "status")
_ATTNAMES = {"response": "response_id", "text": "text", "status": "status"}

# Responses whose answers are counted once, at the end of a step (`counted_once`).
_COUNTED_LATER: ContextVar[frozenset[int]] = ContextVar("counted_later", default=frozenset())


def state(answer: Answer) -> State | None:
    """What the instance's values count as, or None if one of them was not read."""
    if answer.get_deferred_fields() & set(_ATTNAMES.values()):
        return None
    return (answer.response_id, answer.text != "", answer.status == AGREED)


def count_save(answer: Answer, update_fields: Iterable[str] | None) -> State | None:
    """Move the counts for a save of `answer` about to be written (inside its
    transaction); return what the row will be counted as, for the next save."""
    written = _written(answer, update_fields)
    was: State | None = getattr(answer, "_counted_as", None)
    now = state(answer)
    if now is not None and len(written) < len(COUNTED):  # the rest stay as stored
        now = None if was is None else _merged(was, now, written)
    if not written:
        return was
    if answer.pk is None:  # a new row: nothing was counted for it yet
        if answer.response_id not in _COUNTED_LATER.get():
            _add(answer.response_id, answer.text != "", answer.status == AGREED)
        return now
    if was is not None and now is not None:
        if now == was:
            return was
        if {was[0], now[0]} <= _COUNTED_LATER.get():
            return now
    _recount_row(answer, written)
    return now


def _merged(was: State, now: State, written: set[str]) -> State:
    response, answered, agreed = (
        new if field in written else old for field, old, new in zip(COUNTED, was, now, strict=True)
    )
    return (response, answered, agreed)


def _written(answer: Answer, update_fields: Iterable[str] | None) -> set[str]:
    """The counted fields this save writes: those named, or (as `Model.save` does) every
    one that was read."""
    if update_fields is not None:
        named = set(update_fields)
        return {f for f in COUNTED if f in named or _ATTNAMES[f] in named}
    deferred = answer.get_deferred_fields()
    return {f for f in COUNTED if _ATTNAMES[f] not in deferred}


def _add(response_id: int, answered: bool, agreed: bool) -> None:
    Response.objects.filter(pk=response_id).update(
        answer_count=F("answer_count") + 1,
        answered_count=F("answered_count") + int(answered),
        agreed_count=F("agreed_count") + int(agreed),
    )


def _one_if(condition) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0))


def _recount_row(answer: Answer, written: set[str]) -> None:
    """One UPDATE: take the stored row off the counts of the response it was in, as it
    is stored, and add it to the one it will be in, as it will be written. Fields the
    save does not write are as stored."""
    row = Answer.objects.filter(pk=answer.pk)
    stored_here = row.filter(response=OuterRef("pk"))

    def was(condition: Q) -> Case:
        return _one_if(Exists(stored_here.filter(condition)))

    lands = Q(pk=answer.response_id) if "response" in written else Exists(stored_here)
    will = {
        "answer_count": Value(1),
        "answered_count": Value(int(answer.text != ""))
        if "text" in written
        else _one_if(Exists(row.filter(COUNTS["answered_count"]))),
        "agreed_count": Value(int(answer.status == AGREED))
        if "status" in written
        else _one_if(Exists(row.filter(COUNTS["agreed_count"]))),
    }
    where = Q(pk__in=row.values("response"))
    if "response" in written:
        where |= Q(pk=answer.response_id)
    Response.objects.filter(where).update(
        **{
            name: F(name) + Case(When(lands, then=will[name]), default=Value(0)) - was(condition)
            for name, condition in COUNTS.items()
        }
    )


def count_responses(response_ids: Iterable[int]) -> None:
    """Count these responses' answers afresh (one UPDATE)."""
    ids = set(response_ids)
    if ids:
        Response.objects.filter(pk__in=ids).count_answers()


@contextmanager
def counted_once(response: Response) -> Iterator[None]:
    """Answers of `response` written inside are counted once, at the end: one UPDATE
    however many are written. One transaction, so that nothing written inside is
    committed uncounted (an error rolls it all back)."""
    with transaction.atomic(savepoint=False):
        token = _COUNTED_LATER.set(_COUNTED_LATER.get() | {response.pk})
        try:
            yield
        finally:
            _COUNTED_LATER.reset(token)
        count_responses([response.pk])


@receiver(pre_save, sender=Answer)
def _count_a_raw_answer(sender, instance: Answer, raw: bool, **kwargs) -> None:
    """loaddata saves rows raw, without `Answer.save`: counted as stored, then as loaded."""
    if raw:
        _recount_row(instance, set(COUNTED))


@receiver(pre_save, sender=Response)
def _count_a_raw_response(sender, instance: Response, raw: bool, **kwargs) -> None:
    """A response loaded raw is counted from the answers already stored (none, where it
    comes first: each answer then counts itself in), not from what was dumped."""
    if raw:
        counted = Answer.objects.filter(response_id=instance.pk).aggregate(
            **{name: Count("pk", filter=condition) for name, condition in COUNTS.items()}
        )
        for name, value in counted.items():
            setattr(instance, name, value)


@receiver(pre_delete, sender=Answer)
def _uncount_a_deleted_answer(sender, instance: Answer, **kwargs) -> None:
    """Take the row off its response's counts, as it is stored."""
    stored_here = Answer.objects.filter(pk=instance.pk, response=OuterRef("pk"))
    Response.objects.filter(pk__in=Answer.objects.filter(pk=instance.pk).values("response")).update(
        **{
            name: F(name) - _one_if(Exists(stored_here.filter(condition)))
            for name, condition in COUNTS.items()
        }
    )


__all__ = ["count_responses", "count_save", "counted_once", "state"]
