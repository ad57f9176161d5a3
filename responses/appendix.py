"""Appendix 1 in printed order: section headings, then each question with its answer.

Built from two flat lists (sections, answers with their questions) that a `Paper`
reads once, so a page or a PDF costs the same few queries however many questions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from responses.models import Answer, Section
from responses.text.crossrefs import anchor


@dataclass(frozen=True)
class Heading:
    title: str
    level: int  # 1 for a chapter, 2 for its sub-sections, and so on
    section_id: int


@dataclass(frozen=True)
class Item:
    answer: Answer
    previous_number: str | None  # what "the answer above" refers to

    @property
    def question(self):
        return self.answer.question

    @property
    def anchor(self) -> str:
        return anchor(self.answer.question.number)


Entry = Heading | Item


class Filter:
    """The response page's filters: the name in the URL, the label, the test."""

    def __init__(self, name: str, label: str, test: Callable[[Answer, object], bool]) -> None:
        self.name, self.label, self.test = name, label, test


EVERYTHING = Filter("all", "All questions", lambda answer, user: True)
FILTERS = [
    EVERYTHING,
    Filter("mine", "Mine", lambda answer, user: answer.assignee_id == user.pk),
    Filter("unanswered", "Unanswered", lambda answer, user: not answer.text.strip()),
    Filter("not-agreed", "Not agreed", lambda answer, user: answer.status != Answer.Status.AGREED),
]


def _position_filter(name: str, label: str, position: str) -> Filter:
    shown = Filter(name, label, lambda answer, user: answer.position == position)
    shown.position = position  # counted by the page in one pass over the answers
    return shown


# The council's position on each question: a second row of filters, by the same `show`.
POSITION_FILTERS = [
    *(
        _position_filter(value.replace("_", "-"), label, value)
        for value, label in Answer.Position.choices
    ),
    _position_filter("no-position", "Not yet set", ""),
]
FILTERS_BY_NAME = {f.name: f for f in (*FILTERS, *POSITION_FILTERS)}


def entries(
    sections: list[Section], answers: list[Answer], keep: Callable[[Answer], bool] | None = None
) -> list[Entry]:
    """Headings and items in order; with `keep`, only kept answers and the headings over them."""
    by_id = {section.pk: section for section in sections}
    paths: dict[int, list[int]] = {}  # one walk up the tree per section, not per answer
    result: list[Entry] = []
    open_path: list[int] = []
    previous: str | None = None
    for answer in answers:
        question = answer.question
        if keep is None or keep(answer):
            path = paths.get(question.section_id)
            if path is None:
                path = paths[question.section_id] = _path(question.section_id, by_id)
            if path is not open_path:  # the same section as the answer before: no heading
                shared = 0
                while shared < min(len(path), len(open_path)) and path[shared] == open_path[shared]:
                    shared += 1
                for level, section_id in enumerate(path[shared:], start=shared + 1):
                    result.append(Heading(by_id[section_id].title, level, section_id))
                open_path = path
            result.append(Item(answer, previous))
        previous = question.number
    return result


def _path(section_id: int, by_id: dict[int, Section]) -> list[int]:
    path: list[int] = []
    node = by_id.get(section_id)
    while node is not None and node.pk not in path:
        path.insert(0, node.pk)
        node = by_id.get(node.parent_id)
    return path
