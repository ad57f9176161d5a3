"""The question-list parser, on its own: text in, headings and numbered questions out."""

import json
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from responses.importing.parser import Heading, Outline, Question, parse

ROOT = Path(__file__).resolve().parent.parent
SEED_QUESTIONS = Path(__file__).parent / "data" / "lsp_2006_questions.txt"


def _fixture_outline() -> list[Heading | Question]:
    """The seed fixture's chapters, sub-sections and questions, in printed order."""
    records = json.loads((ROOT / "fixtures" / "lsp_2006.json").read_text())
    sections = {r["pk"]: r["fields"] for r in records if r["model"] == "responses.section"}
    questions = [r["fields"] for r in records if r["model"] == "responses.question"]

    def level(pk: int) -> int:
        parent = sections[pk]["parent"]
        return 1 if parent is None else level(parent) + 1

    entries = [(f["position"], Heading(f["title"], level(pk))) for pk, f in sections.items()]
    entries += [(f["position"], Question(f["number"], f["text"])) for f in questions]
    return [item for _, item in sorted(entries, key=lambda entry: entry[0])]


def _questions(outline: Outline) -> list[tuple[str, str]]:
    return [(q.number, q.text) for q in outline.questions]


def test_the_seeds_question_list_gives_back_its_35_questions_verbatim():
    expected = [(q.number, q.text) for q in _fixture_outline() if isinstance(q, Question)]

    outline = parse(SEED_QUESTIONS.read_text())

    assert len(expected) == 35
    assert _questions(outline) == expected
    assert not any(w.blocking for w in outline.warnings)


def test_the_seeds_question_list_gives_the_fixtures_structure_but_one_level_to_correct():
    """Pasted as plain text, a heading's level is a guess; the one the guess gets wrong
    (Capacity, a chapter with no sub-sections after one that had some) is corrected in
    the preview by giving it one `#`, and then the structure is the fixture's."""
    outline = parse(SEED_QUESTIONS.read_text())
    guessed = [(h.title, h.level) for h in outline.headings]
    expected = [(h.title, h.level) for h in _fixture_outline() if isinstance(h, Heading)]
    differences = [(g, e) for g, e in zip(guessed, expected, strict=True) if g != e]
    assert differences == [(("Capacity", 2), ("Capacity", 1))]

    corrected = parse(outline.to_text().replace("## Capacity", "# Capacity"))

    assert corrected.items == _fixture_outline()


def test_the_seeds_question_list_as_markdown_keeps_its_words():
    """The extraction's own Markdown marks (bold, italic, headings of any depth) do not
    end up in the questions or headings."""
    text = SEED_QUESTIONS.read_text()
    marked = "\n".join(
        f"### **{line}**" if line and not line[0].isdigit() and line[0].isupper() else line
        for line in text.splitlines()
    )
    outline = parse(marked)
    assert _questions(outline) == _questions(parse(text))
    assert all("*" not in h.title and "#" not in h.title for h in outline.headings)


@pytest.mark.parametrize(
    ("style", "numbers"),
    [
        ("{n}. {text}", ["1", "2", "3"]),
        ("{n}) {text}", ["1", "2", "3"]),
        ("Q{n} {text}", ["1", "2", "3"]),
        ("Q{n}. {text}", ["1", "2", "3"]),
        ("Q{n}: {text}", ["1", "2", "3"]),
        ("Question {n}: {text}", ["1", "2", "3"]),
        ("QUESTION {n} - {text}", ["1", "2", "3"]),
        ("{n} {text}", ["1a", "1b", "2"]),
        ("{n}. {text}", ["1a", "1b", "2"]),
        ("Q{n} {text}", ["4.1", "4.2", "4.3"]),
    ],
)
def test_each_numbering_style_as_printed_gives_the_questions(style, numbers):
    texts = ["Do you agree with the proposal?", "Why?", "What else should we consider?"]
    lines = ["# Chapter one", ""]
    for number, text in zip(numbers, texts, strict=True):
        lines += [style.format(n=number, text=text), ""]

    outline = parse("\n".join(lines))

    assert _questions(outline) == list(zip(numbers, texts, strict=True))


def test_a_question_wrapped_over_lines_and_a_page_is_one_question():
    text = (
        "Chapter 2: Governance\n"
        "Q5 We believe that it is important that the partnership is made up of the thematic\n"
        "partnerships in the area together with a board, and that the board should meet in\n"
        "Local Partnerships: Shaping their future\n"
        "Page 7 of 12\n"
        "\f"
        "public at least twice a year. What is your view?\n"
        "Q6 Should every area have its own partnership?\n"
        "Local Partnerships: Shaping their future\n"
        "Page 8 of 12\n"
        "\f"
        "Q7 Who should chair it?\n"
        "Local Partnerships: Shaping their future\n"
        "Page 9 of 12\n"
    )
    outline = parse(text)

    assert _questions(outline) == [
        (
            "5",
            "We believe that it is important that the partnership is made up of the thematic "
            "partnerships in the area together with a board, and that the board should meet in "
            "public at least twice a year. What is your view?",
        ),
        ("6", "Should every area have its own partnership?"),
        ("7", "Who should chair it?"),
    ]
    assert outline.headings == [Heading("Chapter 2: Governance", 1)]
    assert "Page 7 of 12" in outline.dropped
    assert "Local Partnerships: Shaping their future" in outline.dropped


def test_a_wrapped_line_that_begins_with_the_word_question_continues_the_question():
    text = (
        "Q1 Do you agree with the approach the Government proposes in answer to the\n"
        "question 12 of the earlier paper, and if not, why not?\n"
        "Q2 Who should chair it?\n"
    )
    assert _questions(parse(text)) == [
        (
            "1",
            "Do you agree with the approach the Government proposes in answer to the "
            "question 12 of the earlier paper, and if not, why not?",
        ),
        ("2", "Who should chair it?"),
    ]


def test_answer_options_under_a_question_are_not_new_questions():
    text = (
        "1. Do you support the change?\n\n"
        "Yes/No/Prefer not to say\n\n"
        "2. Which should come first?\n"
        "a) the executive\n"
        "b) the thematic partnerships\n\n"
        "3. How often should it meet?\n"
        "- Monthly\n"
        "- Quarterly\n"
        "• Yearly\n"
    )
    outline = parse(text)

    assert [q.number for q in outline.questions] == ["1", "2", "3"]
    assert outline.questions[0].text == "Do you support the change? Yes/No/Prefer not to say"
    assert outline.questions[1].text == (
        "Which should come first? a) the executive b) the thematic partnerships"
    )
    assert outline.questions[2].text == "How often should it meet? Monthly / Quarterly / Yearly"


def test_intro_prose_between_questions_is_not_a_question():
    prose = (
        "The Government has set out its proposals for partnerships in chapter three. "
        "This chapter asks how they should be governed, and by whom."
    )
    outline = parse(f"1. First question?\n\n{prose}\n\n2. Second question?\n")

    assert [q.number for q in outline.questions] == ["1", "2"]
    assert outline.dropped == [prose]
    assert any("left out" in w.message for w in outline.warnings)


def test_bare_paragraph_numbers_are_prose_where_questions_are_printed_with_q():
    text = (
        "1.1 This consultation asks for views on partnerships.\n\n"
        "1. The Government believes partnerships matter.\n\n"
        "Q1 Do you agree?\n\n"
        "Q2 Why?\n"
    )
    outline = parse(text)

    assert _questions(outline) == [("1", "Do you agree?"), ("2", "Why?")]


def test_headings_from_markdown_chapter_lines_and_short_lines():
    text = (
        "Chapter 1: Roles\n\n1. First?\n\nLocal plans\n\n2. Second?\n\n"
        "Chapter 2 – Money\n\n3. Third?\n"
    )
    assert parse(text).headings == [
        Heading("Chapter 1: Roles", 1),
        Heading("Local plans", 2),
        Heading("Chapter 2 – Money", 1),
    ]

    markdown = "## Roles\n\n### Local plans\n\n1. First?\n\n## Money\n\n2. Second?\n"
    assert parse(markdown).headings == [
        Heading("Roles", 1),
        Heading("Local plans", 2),
        Heading("Money", 1),
    ]


def test_a_flat_list_of_headings_stays_at_one_level():
    text = "Roles\n\n1. First?\n\nMoney\n\n2. Second?\n\nPeople\n\n3. Third?\n"
    assert [h.level for h in parse(text).headings] == [1, 1, 1]


def test_gaps_and_going_back_in_the_numbering_are_warned_about():
    outline = parse("1. One?\n\n2. Two?\n\n5. Five?\n\n3. Three?\n")
    messages = [w.message for w in outline.warnings]

    assert any("is 3 to 4 missing" in m for m in messages)
    assert any("goes back from 5 to 3" in m for m in messages)
    assert outline.can_be_created


def test_a_repeated_number_must_be_fixed_before_creating():
    outline = parse("1. One?\n\n2. Two?\n\n2. Two again?\n")

    assert any(w.blocking and "appears twice" in w.message for w in outline.warnings)
    assert not outline.can_be_created


def test_a_question_with_two_question_marks_is_warned_about_as_such_not_as_long():
    """An ordinary 96-character question with two question marks was called long."""
    question = (
        "Do you agree that councils should publish their plans every year? "
        "If not, how often should they?"
    )
    assert len(question) == 96
    outline = parse(f"1. {question}\n")

    assert [w.message for w in outline.warnings if "Question 1" in w.message] == [
        "Question 1 has two question marks: it may hold two questions. Split it if so."
    ]


def test_a_long_question_is_warned_about_as_long_and_both_causes_are_named():
    long = "Do you agree with the proposals set out in this chapter " + "and the next " * 50
    outline = parse(f"1. {long.strip()}?\n\n2. {long.strip()}? And why?\n")
    messages = [w.message for w in outline.warnings]

    assert (
        "Question 1 is long (706 characters): it may hold intro text or more than one "
        "question. Split or shorten it if so."
    ) in messages
    assert any(m.startswith("Question 2 is long (715 characters)") for m in messages)
    assert (
        "Question 2 has two question marks: it may hold two questions. Split it if so." in messages
    )
    assert not any("Question 1 has" in m for m in messages)


def test_a_heading_with_no_questions_is_warned_about_and_left_out():
    """In a person's outline it is warned about; on first reading it is front matter."""
    text = "# Introduction\n\n# Roles\n\n1. First?\n"
    corrected, first_reading = parse(text, corrected=True), parse(text)

    assert [h.title for h, _ in corrected.tree()] == ["Roles"]
    assert any("“Introduction” has no questions" in w.message for w in corrected.warnings)
    assert [h.title for h in first_reading.headings] == ["Roles"]
    assert "Introduction" in first_reading.dropped


def test_many_headings_with_no_questions_are_one_warning_naming_the_first():
    """A whole document's chapters between its questions may hold none: one warning
    says so, not one each. (Those before the first question, or after the last, are
    left out as the document's front and back matter.)"""
    empty = ["Ministerial foreword", "Background", "Scope", "Glossary"]
    text = (
        "# Roles\n\n1. First?\n\n"
        + "".join(f"# {title}\n\n" for title in empty)
        + "# Money\n\n2. Second?\n"
    )

    outline = parse(text)

    left_out = [w.message for w in outline.warnings if "no questions under" in w.message]
    assert left_out == [
        "4 headings have no questions under them and will be left out: “Ministerial foreword”, "
        "“Background”, “Scope” and “Glossary”."
    ]


def test_a_long_list_of_headings_left_out_is_cut_short():
    parts = "".join(f"# Part {n}\n\n" for n in range(1, 13))
    text = f"# Roles\n\n1. First?\n\n{parts}# Money\n\n2. Second?\n"

    [left_out] = [w.message for w in parse(text).warnings if "no questions under" in w.message]

    assert left_out.startswith("12 headings have no questions under them")
    assert left_out.endswith("“Part 5” and 7 more.")


@pytest.mark.parametrize("text", ["", "   \n\n  ", "Just some prose without any numbers at all."])
def test_text_with_no_questions_cannot_be_created(text):
    outline = parse(text)

    assert outline.questions == []
    assert not outline.can_be_created
    assert any(w.blocking and "No questions were found" in w.message for w in outline.warnings)


def test_questions_before_any_heading_go_under_a_heading_of_their_own():
    outline = parse("1. First?\n\n2. Second?\n")
    assert [h.title for h, _ in outline.tree()] == ["Questions"]


def test_invisible_characters_and_odd_spaces_do_not_reach_the_questions():
    outline = parse("1.\u00a0Do\u200b you\u00ad agree?\r\n\r\n2.\tWhy\u202fnot?")
    assert _questions(outline) == [("1", "Do you agree?"), ("2", "Why not?")]


_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=9)


@st.composite
def _outlines(draw) -> list[Heading | Question]:
    items: list[Heading | Question] = []
    level = 0
    number = 0
    for _ in range(draw(st.integers(min_value=1, max_value=12))):
        if draw(st.booleans()):
            level = draw(st.integers(min_value=1, max_value=min(3, level + 1)))
            words = draw(st.lists(_WORD, min_size=1, max_size=6))
            items.append(Heading(" ".join(words).capitalize(), level))
        else:
            number += 1
            words = draw(st.lists(_WORD, min_size=1, max_size=40))
            end = draw(st.sampled_from(["?", ".", ""]))
            suffix = draw(st.sampled_from(["", "a", ".1", ".12"]))
            items.append(Question(f"{number}{suffix}", " ".join(words).capitalize() + end))
    return items


@given(_outlines())
def test_an_outline_written_out_reads_back_as_itself(items):
    """The preview's text box holds `to_text()`: unchanged, it must mean the same."""
    outline = Outline(items=items)
    assert parse(outline.to_text(), corrected=True).items == items


@pytest.mark.parametrize("title", ["Document", "Summary", "Home", "Related content"])
def test_a_persons_corrected_heading_stays_whatever_a_web_page_would_mean_by_it(title):
    outline = parse(f"# {title}\n\n1. Who should chair the board?\n", corrected=True)

    assert [h.title for h in outline.headings] == [title]


GOV_UK = """Consultation on local flood funding

Chapter 2: Funding local flood schemes

2.1 The Government proposes to change how local flood schemes are funded, so that
councils can plan over five years rather than one.

2.2 This chapter asks for views on the proposals and on how they would work in practice.

Question 1: Do you agree that funding should be allocated over five years?

Please explain your answer.

Yes / No / Don't know

Question 2: Should councils be able to carry funding over from one year to the next?

If not, why not?

12

Chapter 3: Partnership funding

3.1 Partnership funding brings in money from other bodies.

Question 3: How could partnership funding be made simpler?
"""

EXPECTED_GOV_UK = [
    Heading("Chapter 2: Funding local flood schemes", 1),
    Question(
        "1",
        "Do you agree that funding should be allocated over five years? "
        "Please explain your answer. Yes / No / Don't know",
    ),
    Question(
        "2",
        "Should councils be able to carry funding over from one year to the next? If not, why not?",
    ),
    Heading("Chapter 3: Partnership funding", 1),
    Question("3", "How could partnership funding be made simpler?"),
]


def test_a_gov_uk_style_list_keeps_follow_up_prompts_with_their_question():
    outline = parse(GOV_UK)

    assert [h for h, _ in outline.tree()] == [i for i in EXPECTED_GOV_UK if isinstance(i, Heading)]
    assert outline.questions == [i for i in EXPECTED_GOV_UK if isinstance(i, Question)]
    assert "12" in outline.dropped  # a page number


def test_the_same_list_copied_from_a_pdf_without_blank_lines_reads_the_same():
    wrapped = []
    for line in GOV_UK.splitlines():
        while len(line) > 80:
            cut = line.rfind(" ", 0, 80)
            wrapped.append(line[:cut])
            line = line[cut + 1 :]
        if line:
            wrapped.append(line)

    outline = parse("\n".join(wrapped))

    assert outline.questions == [i for i in EXPECTED_GOV_UK if isinstance(i, Question)]
    assert [h.title for h, _ in outline.tree()] == [
        "Chapter 2: Funding local flood schemes",
        "Chapter 3: Partnership funding",
    ]


def test_markdown_with_bold_numbers_numbers_as_headings_and_bullet_options():
    text = (
        "## Funding\n\n"
        "**Question 1:** Do you agree?\n\n"
        "- Yes\n- No\n- Don't know\n\n"
        "### Question 2\n\n"
        "Should funding carry over?\n\n"
        "Question 3\n\n"
        "Who should decide?\n"
    )
    outline = parse(text)

    assert [(q.number, q.text) for q in outline.questions] == [
        ("1", "Do you agree? Yes / No / Don't know"),
        ("2", "Should funding carry over?"),
        ("3", "Who should decide?"),
    ]
    assert [h.title for h in outline.headings] == ["Funding"]


def test_options_with_no_question_above_them_are_left_out_not_made_headings():
    outline = parse("- Yes\n- No\n\nYes / No\n\n1. A question?\n")
    assert [h.title for h in outline.headings] == []
    assert outline.dropped == ["- Yes", "- No", "Yes / No"]


def test_a_dotted_question_number_survives_the_outline_it_is_written_to():
    outline = parse("# Money\n\nQ2 Should councils lead?\n\nQ2.1 If not, who should?\n")

    assert [q.number for q in outline.questions] == ["2", "2.1"]
    assert parse(outline.to_text(), corrected=True).items == outline.items


def test_a_q_typed_into_a_corrected_outline_does_not_turn_the_other_questions_into_prose():
    corrected = "# Money\n\n1. Who pays?\n\nQ2 Who decides?\n\n3. When?\n"
    assert [q.number for q in parse(corrected, corrected=True).questions] == ["1", "2", "3"]


@pytest.mark.parametrize(
    "text",
    [
        "# x" + "#" * 200_000 + " y\n\n1. Why?",
        "_*" * 100_000 + "a" + "*_" * 100_000 + "\n\n1. Why?",
        "# h\n" * 50_000 + "\n1. Why?",
        "*" * 400_000 + "\n\n1. Why?",
    ],
    ids=["hashes", "nested-emphasis", "many-headings", "stars"],
)
def test_pathological_text_is_read_in_one_pass(text):
    """Each of these took minutes or hours when a pattern backtracked or a pass was
    quadratic; read in one pass, they come back with their one question."""
    assert [q.number for q in parse(text).questions] == ["1"]


@pytest.mark.parametrize(
    "text",
    ["-\n" * 200_000, "- a\n" * 100_000, "a) x\n" * 80_000],
    ids=["dashes", "bullets", "lettered"],
)
def test_a_long_text_with_no_numbered_question_is_read_in_one_pass(text):
    """Pasted or uploaded (400,000 characters), each took from 25 s to five minutes in
    the web server's own process, past its time limit, when every paragraph copied the
    rest of the list to look at the one after it. Now each takes a second or two."""
    started = time.process_time()
    assert parse(text).questions == []
    assert time.process_time() - started < 10


def test_digits_of_other_scripts_are_not_question_numbers():
    outline = parse("\u0661. First?\n\n\uff12. Second?\n\n3. Third?\n")
    assert [q.number for q in outline.questions] == ["3"]


def test_control_characters_do_not_reach_the_questions():
    outline = parse("1. Do\x1b you\x07 agree\x08?\n")
    assert outline.questions[0].text == "Do you agree?"


def test_limits_that_must_be_fixed_before_creating():
    long_heading = parse("# " + "word " * 80 + "\n\n1. Why?\n")
    assert any(w.blocking and "longer than 300" in w.message for w in long_heading.warnings)
    long_question = parse("1. " + "word " * 1200 + "?\n")
    assert any(w.blocking and "longer than 5,000" in w.message for w in long_question.warnings)
    many = parse("\n\n".join(f"{n}. Q?" for n in range(1, 2100)))
    assert any(w.blocking and "2,099 numbered paragraphs" in w.message for w in many.warnings)


# ---------------------------------------------------------------------------
# A whole consultation document, not only its question list

CONTENTS_WITH_LEADERS = """Local partnerships: the next steps

Contents

1. Introduction ........ 3
2. Background .............. 5
3. Governance . . . . . . . . 8
4. Capacity……………… 11
5. Accountability ______ 14
6. Summary of questions ..... 17
7. The consultation process ..... 18
Annex A: Response form ........ 20
"""

CONTENTS_WITH_PAGE_NUMBERS = """Contents

1 Introduction 3

2 Background 5

3 Governance 8

7 The consultation process 18

Annex A Response form iv
"""


@pytest.mark.parametrize("contents", [CONTENTS_WITH_LEADERS, CONTENTS_WITH_PAGE_NUMBERS])
def test_a_contents_page_gives_no_questions_and_no_headings(contents):
    text = contents + "\n# Governance\n\nQuestion 1: Should every area have a partnership?\n"

    outline = parse(text)

    assert _questions(outline) == [("1", "Should every area have a partnership?")]
    titles = [h.title for h in outline.headings]
    assert "Governance" in titles
    assert not any(word in t for t in titles for word in ("Contents", "Introduction", "Annex"))
    assert any("The consultation process" in piece for piece in outline.dropped)


def test_a_contents_page_before_numbered_questions_does_not_become_questions():
    text = CONTENTS_WITH_LEADERS + "\n# Governance\n\n1. Should every area have a partnership?\n"

    outline = parse(text)

    assert _questions(outline) == [("1", "Should every area have a partnership?")]
    assert outline.can_be_created


def test_questions_ending_with_a_number_are_not_taken_for_a_contents_page():
    text = "1. Should the fee be raised to 20?\n\n2. Should it stay at 10\n\n3. Why?\n"
    assert [q.number for q in parse(text).questions] == ["1", "2", "3"]


def test_the_documents_own_numbered_paragraphs_are_prose_and_numbered_headings_headings():
    """A numbered paragraph is a question when it asks: it has a question mark, or
    starts as questions and requests do ("Do you", "To what extent", "Please")."""
    text = (
        "1. Introduction\n\n"
        "2. The Government set out its plans for partnerships in 2024. This paper takes "
        "them forward and explains what they mean for councils.\n\n"
        "3. Do you agree that partnerships should publish their plans?\n\n"
        "4. The committee will publish the responses it receives.\n\n"
        "5. Please explain how your council would use the new powers.\n\n"
        "6. To what extent do the proposals meet the needs of rural areas\n\n"
        "1 See the Local Government Act 2000, section 4.\n"
    )
    outline = parse(text)

    assert [q.number for q in outline.questions] == ["3", "5", "6"]
    assert [h.title for h in outline.headings] == ["1. Introduction"]
    assert any(piece.startswith("4. The committee") for piece in outline.dropped)
    assert any(piece.startswith("1 See the Local") for piece in outline.dropped)


def test_a_list_of_numbered_statements_that_ask_nothing_is_still_read_as_questions():
    """When nothing in the text asks, the numbers are all there is to go on."""
    outline = parse("1. Views on the timetable.\n\n2. Views on the fees.\n")
    assert [q.number for q in outline.questions] == ["1", "2"]


SENEDD = """Inquiry into the capacity of the Senedd

The Committee is holding an inquiry into whether the Senedd has what it needs to
do its job. The Committee would welcome your views on the following:

- Does the Senedd have the capacity it needs to scrutinise the Welsh Government effectively?
- What changes, if any, would improve the way the Senedd's committees work?
- How could the Senedd engage better with people across Wales?

Responses should be sent by 5 March 2027. The Committee may publish them.
"""


def test_unnumbered_bulleted_questions_are_offered_numbered_in_order_with_a_warning():
    outline = parse(SENEDD)

    assert _questions(outline) == [
        (
            "1",
            "Does the Senedd have the capacity it needs to scrutinise the Welsh Government "
            "effectively?",
        ),
        ("2", "What changes, if any, would improve the way the Senedd's committees work?"),
        ("3", "How could the Senedd engage better with people across Wales?"),
    ]
    assert outline.can_be_created
    assert "3 questions had no number: numbered 1–3 in order; check them." in [
        w.message for w in outline.warnings
    ]


def test_a_question_ending_a_paragraph_is_offered_with_its_paragraph():
    text = (
        "# Fees\n\n"
        "The Government proposes to raise the planning fee for householders to 300 pounds "
        "from next April. Do you agree?\n\n"
        "Yes / No / Don't know\n\n"
        "Please explain your answer.\n\n"
        "Is there anything else we should consider?\n"
    )
    outline = parse(text)

    assert _questions(outline) == [
        (
            "1",
            "The Government proposes to raise the planning fee for householders to 300 pounds "
            "from next April. Do you agree? Yes / No / Don't know Please explain your answer.",
        ),
        ("2", "Is there anything else we should consider?"),
    ]
    assert "2 questions had no number: numbered 1–2 in order; check them." in [
        w.message for w in outline.warnings
    ]
    assert parse(outline.to_text(), corrected=True).items == outline.items


def test_a_web_pages_headings_that_ask_stay_headings_over_its_unnumbered_questions():
    text = (
        "Bus services: the next steps\n\n"
        "What is changing?\n\n"
        "The Government proposes to let every council run buses in its area, through a "
        "company of its own, without asking the Secretary of State first.\n\n"
        "Why are we consulting?\n\n"
        "We want to hear from councils and passengers before the law is changed.\n\n"
        "- Do you agree that councils should be able to run their own bus companies?\n"
        "- What powers would your council need?\n\n"
        "What happens next?\n\n"
        "We will publish a summary of the responses within 12 weeks.\n"
    )
    outline = parse(text)

    assert _questions(outline) == [
        ("1", "Do you agree that councils should be able to run their own bus companies?"),
        ("2", "What powers would your council need?"),
    ]
    assert [heading.title for heading in outline.headings] == [
        "Bus services: the next steps",
        "Why are we consulting?",
    ]
    assert "What is changing?" in outline.dropped  # over prose only, before any question
    assert "What happens next?" in outline.dropped  # back matter, after the last question
    assert "2 questions had no number: numbered 1–2 in order; check them." in [
        w.message for w in outline.warnings
    ]


def test_unnumbered_questions_keep_their_answer_options_and_follow_ups():
    text = (
        "Do you agree with the proposal?\n\n"
        "\u2610 Agree\n\u2610 Disagree\n\n"
        "If not, why not?\n\n"
        "Which option do you prefer?\n\n"
        "a) Strongly agree\nb) Disagree\n"
    )
    assert _questions(parse(text)) == [
        ("1", "Do you agree with the proposal? Agree / Disagree If not, why not?"),
        ("2", "Which option do you prefer? a) Strongly agree b) Disagree"),
    ]


def test_where_questions_are_numbered_a_sentence_ending_with_a_question_mark_is_prose():
    text = (
        "# Governance\n\n"
        "What does this mean for councils?\n\n"
        "Q1 Should every area have a partnership?\n\n"
        "Q2 Who should chair it?\n"
    )
    outline = parse(text)

    assert [q.number for q in outline.questions] == ["1", "2"]
    assert "What does this mean for councils?" in outline.dropped
    assert not any("had no number" in w.message for w in outline.warnings)


def test_text_with_no_question_at_all_says_what_was_looked_for():
    outline = parse("The Government has set out its plans. Councils will be told.\n")
    assert [w.message for w in outline.warnings if w.blocking] == [
        "No questions were found: no paragraph starts with a question's number (“1.”, "
        "“Q1”, “Question 1:”) and none ends with a question mark."
    ]


BODY_AND_SUMMARY = """# Governance

3.1 Partnerships bring together the public bodies in an area.

Question 1: Should every area have a partnership?

Question 2: Who should chair it? Please explain your answer.

# Capacity

Question 3: What support would help partnerships most?

# Summary of questions

Question 1: Should every area have a partnership?

Question 2: Who should chair it?

Question 3: What support would help partnerships most ?
"""


def test_a_question_in_the_body_and_again_in_the_summary_list_is_one_question():
    outline = parse(BODY_AND_SUMMARY)

    assert _questions(outline) == [
        ("1", "Should every area have a partnership?"),
        ("2", "Who should chair it? Please explain your answer."),
        ("3", "What support would help partnerships most?"),
    ]
    assert [h.title for h, _ in outline.tree()] == ["Governance", "Capacity"]
    assert outline.can_be_created
    assert (
        "Questions 1–3 are printed twice, in the text and in a list of the questions: "
        "each is kept once, where the text asks it." in [w.message for w in outline.warnings]
    )


def test_the_summary_list_alone_gives_the_questions_under_its_heading():
    summary = BODY_AND_SUMMARY.split("# Summary of questions")[1]
    outline = parse("# Summary of questions" + summary)
    assert [q.number for q in outline.questions] == ["1", "2", "3"]


def test_the_same_number_with_other_words_is_still_a_repeated_number():
    outline = parse(
        "# Governance\n\nQ1 Should every area have a partnership?\n\n"
        "# Summary of questions\n\nQ1 Who should pay for the new inspection regime?\n"
    )
    assert any(w.blocking and "appears twice" in w.message for w in outline.warnings)


def test_unnumbered_questions_in_the_body_and_in_a_summary_list_are_one_each():
    text = (
        "# Fees\n\nWe propose to raise the fee. Do you agree?\n\n"
        "# Timing\n\nWhen should the change take effect?\n\n"
        "# List of consultation questions\n\n"
        "- We propose to raise the fee. Do you agree?\n"
        "- When should the change take effect?\n"
    )
    outline = parse(text)

    assert _questions(outline) == [
        ("1", "We propose to raise the fee. Do you agree?"),
        ("2", "When should the change take effect?"),
    ]
    assert [h.title for h, _ in outline.tree()] == ["Fees", "Timing"]


def test_a_response_form_annex_gives_no_headings_from_its_fields():
    text = (
        "# Governance\n\nQuestion 1: Should every area have a partnership?\n\n"
        "# Annex A: Response form\n\nName:\n\nOrganisation:\n\nEmail address: __________\n\n"
        "Question 1: Should every area have a partnership?\n\n"
        "\u2610 Yes \u2610 No\n\nComments: ____________________\n"
    )
    outline = parse(text)

    assert _questions(outline) == [("1", "Should every area have a partnership?")]
    assert [h.title for h in outline.headings] == ["Governance"]
    assert {"Email address: __________", "Annex A: Response form"} <= set(outline.dropped)


def test_the_same_last_line_of_three_wrapped_questions_is_not_a_running_header():
    text = "".join(
        f"Question {n}: Do you agree with proposal {n} for the partnerships on\ngovernance?\n\n"
        for n in (1, 2, 3)
    )
    assert [q.text for q in parse(text).questions] == [
        f"Do you agree with proposal {n} for the partnerships on governance?" for n in (1, 2, 3)
    ]


def test_a_summary_of_the_questions_before_the_chapters_gives_way_to_the_chapters():
    text = (
        "# Summary of questions\n\nQ1 Should every area have a partnership?\n\n"
        "Q2 Who should chair it?\n\n"
        "# Governance\n\nQ1 Should every area have a partnership? Please explain.\n\n"
        "# Capacity\n\nQ2 Who should chair it?\n"
    )
    outline = parse(text)

    assert [(h.title, [q.number for q in qs]) for h, qs in outline.tree()] == [
        ("Governance", ["1"]),
        ("Capacity", ["2"]),
    ]
    assert outline.questions[0].text == "Should every area have a partnership? Please explain."


def test_two_chapters_asking_the_same_words_keep_both_questions():
    unnumbered = "# Fees\n\nDo you agree?\n\n# Timing\n\nDo you agree?\n"
    assert [q.number for q in parse(unnumbered).questions] == ["1", "2"]
    restarted = "# Fees\n\nQ1 Do you agree with proposal 1?\n\n# Timing\n\nQ1 Do you agree?\n"
    assert any("appears twice" in w.message for w in parse(restarted).warnings)
    listed = (
        "# Fees\n\nQ1 Do you agree with proposal 1?\n\n"
        "# Summary of questions\n\nQ1 Do you agree with proposal 2?\n"
    )
    assert any("appears twice" in w.message for w in parse(listed).warnings)


def test_a_web_pages_contents_list_without_page_numbers_stays_out():
    text = (
        "Contents\n\n1. Introduction\n\n2. Proposals for fees\n\n3. How to respond\n\n"
        "Introduction\n\nThe Government proposes to change planning fees. It wants views "
        "from councils and the public on the changes set out below.\n\n"
        "Proposals for fees\n\nWe propose to raise the fee. Do you agree?\n\n"
        "How to respond\n\nWhen should the change take effect?\n"
    )
    outline = parse(text)

    assert [(h.title, h.level) for h in outline.headings] == [
        ("Proposals for fees", 1),
        ("How to respond", 1),
    ]
    assert [q.number for q in outline.questions] == ["1", "2"]
    assert {"1. Introduction", "Introduction"} <= set(outline.dropped)


def test_questions_labelled_q_that_end_with_a_number_are_not_a_contents_page():
    text = "Q1 Rate option 1\nQ2 Rate proposal 2\nQ3 Rate change 3\n"
    assert [q.number for q in parse(text).questions] == ["1", "2", "3"]


def test_the_second_line_of_a_question_printed_three_times_is_not_a_running_header():
    """Question 9 wrapped alike in its chapter, the summary and the response form."""
    asked = (
        "Question 9: Do you agree that audit committees should include at least one\n"
        "independent member? Please give reasons.\n\n"
        "Question 10: Do you agree that audit committees should meet in public\n"
        "Every Month. Please give reasons.\n\n"
    )
    text = f"# Capacity\n\n{asked}# Annex A: Summary of questions\n\n{asked}"
    text += f"# Annex B: Response form\n\n{asked}"

    outline = parse(text)

    assert _questions(outline) == [
        (
            "9",
            "Do you agree that audit committees should include at least one "
            "independent member? Please give reasons.",
        ),
        (
            "10",
            "Do you agree that audit committees should meet in public Every Month. "
            "Please give reasons.",
        ),
    ]
    assert outline.dropped == ["Annex A: Summary of questions", "Annex B: Response form"]


def test_a_response_forms_yes_no_field_is_not_a_heading_and_its_copies_are_matched():
    asked = "Question {n}: Should area {n} have a partnership?\n\n"
    chapter = "".join(asked.format(n=n) for n in (1, 2))
    form = "".join(asked.format(n=n) + "\u2610 Yes \u2610 No \u2610 Don't know\n\n" for n in (1, 2))
    text = (
        f"# Governance\n\n{chapter}# Annex B: Response form\n\nName:\n\n"
        f"Are you responding on behalf of an organisation? Yes / No\n\n{form}"
    )

    outline = parse(text)

    assert _questions(outline) == [
        ("1", "Should area 1 have a partnership?"),
        ("2", "Should area 2 have a partnership?"),
    ]
    assert [h.title for h in outline.headings] == ["Governance"]
    assert "Annex B: Response form" in outline.dropped
    assert outline.can_be_created
    assert "Are you responding on behalf of an organisation? Yes / No" in outline.dropped


def test_boxed_answer_options_on_one_line_read_as_choices():
    outline = parse(
        "# Governance\n\nQ1 Should every area have a partnership?\n\n"
        "\u2610 Yes \u2610 No \u2610 Don't know\n"
    )
    assert _questions(outline) == [
        ("1", "Should every area have a partnership? Yes / No / Don't know")
    ]


@pytest.mark.parametrize(
    "front",
    [
        "Open consultation\nLocal nature recovery: strengthening the role of councils\nFrom:\n"
        "Department for Environment, Food & Rural Affairs\nPublished\n3 March 2025\nSummary\n"
        "We are seeking views on how councils should lead local nature recovery.\n"
        "This consultation closes at\n11:59pm on 14 April 2025\n",
        "Skip to main content\nSenedd Cymru\nWelsh Parliament\nHome\nCommittees\n"
        "Local Government and Housing Committee\nPublished 10 March 2025\n",
    ],
)
def test_a_cover_and_web_navigation_before_the_first_question_give_no_headings(front):
    text = front + "Consultation description\n- Should every area have a partnership?\n"

    outline = parse(text)

    titles = [h.title for h in outline.headings]
    assert titles == ["Consultation description"]
    assert _questions(outline) == [("1", "Should every area have a partnership?")]


def test_a_numbered_paragraph_ending_in_a_footnote_mark_is_prose():
    text = (
        "# 1. Introduction\n\n1.9 The Government has already legislated for backstop dates.1\n\n"
        "Q1 Should backstop dates continue?\n"
    )
    outline = parse(text)

    assert [h.title for h in outline.headings] == ["1. Introduction"]
    assert "1.9 The Government has already legislated for backstop dates.1" in outline.dropped


def test_questions_printed_three_times_are_named_once_each_as_a_range():
    asked = "".join(f"Q{n} Should area {n} have a partnership?\n\n" for n in (1, 2, 3, 5))
    text = f"# Governance\n\n{asked}# Summary of questions\n\n{asked}# Response form\n\n{asked}"

    messages = [w.message for w in parse(text).warnings]

    assert (
        "Questions 1–3 and 5 are printed more than once, in the text and in a list of the "
        "questions: each is kept once, where the text asks it." in messages
    )


@pytest.mark.parametrize(
    "prompt", ["If not, why not?", "If so, why?", "Why?", "Please explain why?"]
)
def test_a_trailing_follow_up_prompt_is_not_a_second_question_mark(prompt):
    outline = parse(f"# Fees\n\nQ4 Do you agree with the proposed fee scale? {prompt}\n")
    assert not any("question marks" in w.message for w in outline.warnings)


def test_two_questions_and_a_follow_up_prompt_still_count_two_question_marks():
    outline = parse("# Fees\n\nQ4 Should fees rise? Who should pay them? If not, why not?\n")
    assert "Question 4 has two question marks: it may hold two questions. Split it if so." in [
        w.message for w in outline.warnings
    ]


def test_a_short_numbered_paragraph_ending_a_sentence_is_prose():
    outline = parse("# 2. Overseeing the system\n\n2.1 The proposals follow.\n\nQ1 Do you agree?\n")
    assert [h.title for h in outline.headings] == ["2. Overseeing the system"]


def test_a_summary_repeating_one_number_thousands_of_times_is_refused():
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota"]
    copies = (" ".join(words[(n + i) % 9] for i in range(10)) + f" {n}?" for n in range(4800))
    outline = parse("# Summary of questions\n\n" + "\n\n".join(f"Q1. {q}" for q in copies))
    assert any(w.blocking and "numbered paragraphs" in w.message for w in outline.warnings)


def test_a_hundred_thousand_bare_question_marks_are_refused():
    outline = parse("- ?\n" * 100_000)
    assert any(w.blocking and "100,000 numbered paragraphs" in w.message for w in outline.warnings)


def test_a_question_label_after_a_table_of_figures_is_not_a_contents_entry():
    """A table's rows that end in figures read like a contents page without leaders;
    the label of the boxed question under the table ("Question 11") ends in a number
    too, but it labels the question: the question keeps its number."""
    text = (
        "# 4. Funding\n\n"
        "4.5 We propose the funding shares in Table 1.\n\n"
        "Table 1: Proposed funding shares\n\n"
        "Mayoral combined authority 42% 504\n\n"
        "County council 38% 456\n\n"
        "Unitary authority 20% 240\n\n"
        "Question 11\n"
        "Do you agree with the proposed funding formula set out in Table 1?\n"
    )
    assert _questions(parse(text)) == [
        ("11", "Do you agree with the proposed funding formula set out in Table 1?")
    ]


TABLE_AS_WORD_READS_IT = """# Funding

4.5 We set out below how funding would be shared between authorities.

Table 1: Proposed funding shares

Authority type

Share of funding

2027-28 (£m)

Mayoral combined authority

42%

504

County council

38%

456

Unitary authority

20%

240

Question 11 Do you agree with the proposed funding formula set out in Table 1?
"""
TABLE_AS_PDF_READS_IT = """# Funding

4.5 We set out below how funding would be shared between authorities.

Table 1: Proposed funding shares

Authority type Share of funding 2027-28 (£m)

Mayoral combined authority 42% 504

County council 38% 456

Unitary authority 20% 240

Question 11
Do you agree with the proposed funding formula set out in Table 1?
"""


@pytest.mark.parametrize(
    "text", [TABLE_AS_WORD_READS_IT, TABLE_AS_PDF_READS_IT], ids=["cell by cell", "row by row"]
)
def test_a_table_of_figures_and_its_caption_are_left_out_not_headings(text):
    outline = parse(text)

    assert [(h.title, [q.number for q in qs]) for h, qs in outline.tree()] == [("Funding", ["11"])]
    assert "Table 1: Proposed funding shares" in outline.dropped
    assert any("Unitary authority" in piece for piece in outline.dropped)


def test_a_web_pages_back_matter_does_not_set_the_levels_of_its_headings_that_ask():
    """ "Ways to respond" over "Respond online at ..." is two headings in a row, but it
    comes after the last question and is left out: the page's headings that ask stay
    one level, not the first a chapter and the rest inside it."""
    text = (
        "What is changing?\n\n"
        "We propose to remove the need for consent before franchising bus services.\n\n"
        "- Do you agree that every authority should be able to franchise?\n"
        "- What guidance would your authority need?\n\n"
        "Who is affected?\n\n"
        "Local transport authorities, bus operators and passengers outside London.\n\n"
        "- Should enhanced partnership plans be reviewed every two years?\n\n"
        "How will funding work?\n\n"
        "- Do you agree with the proposed funding formula?\n\n"
        "Ways to respond\n\n"
        "Respond online at https://example.org/survey\n\n"
        "or\n\n"
        "Email to:\n\n"
        "buses.consultation@example.org\n"
    )
    outline = parse(text)

    assert [(h.title, h.level) for h in outline.headings] == [
        ("What is changing?", 1),
        ("Who is affected?", 1),
        ("How will funding work?", 1),
    ]


def test_headings_before_the_first_question_that_hold_none_are_left_out():
    """A cover's or a contact page's lines that read as headings ("Cathays Park",
    "Cardiff") are not the chapters of the questions: left out, not for deleting."""
    text = (
        "# Cathays Park\n\n# Cardiff\n\n# Childcare for two-year-olds\n\n"
        "## Funding\n\n1. Do you agree with the funding rate?\n"
    )
    outline = parse(text)

    assert [(h.title, h.level) for h in outline.headings] == [
        ("Childcare for two-year-olds", 1),
        ("Funding", 2),
    ]
    assert {"Cathays Park", "Cardiff"} <= set(outline.dropped)
    assert not any("no questions under" in w.message for w in outline.warnings)


def test_prose_that_mentions_a_table_is_no_caption_over_the_next_heading():
    text = (
        "# Governance\n\n"
        "Table 2 below sets out the proposed fees for each kind of council.\n\n"
        "Our proposal for fees\n\n"
        "We propose to raise the fee for every council from April, in two steps.\n\n"
        "1. Do you agree with the proposed fees?\n"
    )
    outline = parse(text)

    assert [(h.title, [q.number for q in qs]) for h, qs in outline.tree()] == [
        ("Our proposal for fees", ["1"])
    ]


def test_a_pasted_pages_blank_lines_after_home_are_not_breadcrumbs():
    text = (
        "Home\n\nHousing\n\nLocal government\n\nOpen consultation\n\n"
        "Summary\n\nWhat is changing?\n\n"
        "We propose to let every council set its own fees for planning applications.\n\n"
        "- Do you agree that councils should set their own fees?\n"
    )
    outline = parse(text)

    assert "" not in outline.dropped
    assert {"Housing", "Local government"} <= set(outline.dropped)
    assert [q.text for q in outline.questions] == [
        "Do you agree that councils should set their own fees?"
    ]


def test_an_attachments_title_above_a_blank_line_is_left_out_with_it():
    text = (
        "Documents\n\nLocal bus services: consultation document\n\nPDF, 1.2 MB, 34 pages\n\n"
        "# Franchising\n\n1. Do you agree?\n"
    )
    outline = parse(text)

    assert {"Local bus services: consultation document", "PDF, 1.2 MB, 34 pages"} <= set(
        outline.dropped
    )
    assert "" not in outline.dropped
