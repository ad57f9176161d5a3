"""What changed between two versions of a paper, as a signatory is shown it."""

import copy

import pytest

from responses.changes import changes
from tests.papers import paper_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def canonical(seed):
    return paper_of(seed).canonical


def test_the_same_content_lists_nothing(canonical):
    assert changes(canonical, copy.deepcopy(canonical)) == []


def test_each_kind_of_change_is_listed_once_in_the_papers_order(canonical):
    new = copy.deepcopy(canonical)
    new["report"]["meeting_date"] = "2006-03-08"
    new["report_sections"][0]["body"] += " And one more sentence."
    new["report_sections"].append({"heading": "Financial implications", "body": "None."})
    new["answers"][11]["answer"] = "A new answer to twelve."
    new["consultation"]["executive_summary"] = "Shorter."

    found = [change.label for change in changes(canonical, new)]

    assert found == [
        "Report details: Meeting date",
        f"Report section “{canonical['report_sections'][0]['heading']}”",
        "Report section “Financial implications” (new)",
        "Answer to question 12",
        "Appendix 2: the executive summary",
    ]


def test_a_removed_section_and_a_removed_answer_are_listed(canonical):
    new = copy.deepcopy(canonical)
    removed = new["report_sections"].pop(1)
    new["answers"].pop(0)

    found = {change.label: change for change in changes(canonical, new)}

    assert f"Report section “{removed['heading']}” (removed)" in found
    assert "<del>" in found["Answer to question 1"].diff
    assert "<ins>" not in found["Answer to question 1"].diff


def test_a_changed_value_is_shown_old_and_new_escaped(canonical):
    new = copy.deepcopy(canonical)
    new["report"]["wards"] = "<b>North</b>"

    (change,) = changes(canonical, new)

    assert change.diff == "<del>All</del> <ins>&lt;b&gt;North&lt;/b&gt;</ins>"


def test_line_endings_and_a_final_newline_are_not_a_change(canonical):
    new = copy.deepcopy(canonical)
    summary = new["consultation"]["executive_summary"]
    new["consultation"]["executive_summary"] = summary.replace("\n", "\r\n").rstrip()

    assert changes(canonical, new) == []


def test_a_changed_date_is_shown_as_a_council_writes_it(canonical):
    new = copy.deepcopy(canonical)
    new["report"]["meeting_date"] = "2006-03-08"

    (change,) = changes(canonical, new)

    assert change.diff == "<del>1 March 2006</del> <ins>8 March 2006</ins>"
