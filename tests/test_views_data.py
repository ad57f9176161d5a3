"""`/responses/<id>/response.csv` and `response.json`: the answers as data, read back."""

import csv
import io
import json

import pytest
from django.urls import reverse

from responses.documents.data import neutralised, plain_text
from responses.models import Answer, Question, Section
from responses.services import save_answer
from tests.edits import edit_answer

pytestmark = pytest.mark.django_db


def _csv(client, response) -> list[dict[str, str]]:
    result = client.get(reverse("response_csv", args=[response.pk]))
    assert result.status_code == 200
    assert result["Content-Type"] == "text/csv; charset=utf-8"
    assert result.content.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(result.content.decode("utf-8-sig"))))


def _json(client, response) -> dict:
    result = client.get(reverse("response_json", args=[response.pk]))
    assert result.status_code == 200
    return json.loads(result.content)


def _seed_answers(seed) -> list[tuple[str, str]]:
    questions = Question.objects.filter(consultation=seed.consultation).order_by("position")
    answers = {a.question_id: a.text for a in Answer.objects.filter(response=seed)}
    return [(q.number, answers[q.pk]) for q in questions]


def test_the_csv_holds_the_35_questions_in_order_with_the_seeds_answers_verbatim(
    client, officer, seed
):
    client.force_login(officer)

    rows = _csv(client, seed)

    assert list(rows[0]) == [
        "Number",
        "Section",
        "Question",
        "Answer",
        "Answer (Markdown)",
        "Status",
        "Council's position",
    ]
    assert [(r["Number"], r["Answer (Markdown)"]) for r in rows] == _seed_answers(seed)
    assert rows[1]["Section"] == (
        "The role of LSPs, Sustainable Community Strategies and LAAs › "
        "Regional/Sub-regional engagement"
    )
    assert {r["Status"] for r in rows} <= {"Not started", "Drafting", "Ready for review", "Agreed"}


def test_the_json_holds_each_question_with_its_answer_as_markdown_and_as_text(
    client, officer, seed
):
    edit_answer(officer, seed, "4", "Yes, **with** [two changes](https://example.org/x).")
    client.force_login(officer)

    data = _json(client, seed)

    assert data["schema_version"] == 3
    assert data["consultation"]["title"] == seed.consultation.title
    assert data["response"]["organisation"] == "Walsall Council"
    assert data["response"]["status"] == "Drafting"
    questions = data["questions"]
    assert [q["number"] for q in questions] == [n for n, _ in _seed_answers(seed)]
    fourth = questions[3]
    assert fourth["answer_markdown"] == "Yes, **with** [two changes](https://example.org/x)."
    assert fourth["answer_text"] == "Yes, with two changes (https://example.org/x)."
    assert fourth["section_path"] == [
        "The role of LSPs, Sustainable Community Strategies and LAAs",
        "Sustainable Community Strategies",
    ]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_starts_like_a_formula_is_shown_not_run(client, officer, seed, start):
    edit_answer(officer, seed, "1", f'{start}HYPERLINK("https://evil.example")')
    client.force_login(officer)

    first = _csv(client, seed)[0]

    markdown = first["Answer (Markdown)"]
    assert markdown.startswith("'")
    assert markdown[1:].lstrip("\r") == f'{start}HYPERLINK("https://evil.example")'.lstrip("\r")
    printed = first["Answer"]  # the words as printed: leading spaces go, so it may not start so
    assert printed.startswith("'") or not printed.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert printed.endswith('HYPERLINK("https://evil.example")')
    assert neutralised("A plain answer.") == "A plain answer."


@pytest.mark.parametrize(
    "cell",
    [
        "\uff1dSUM(A1)",
        "\uff0b1",
        "\uff0d1",
        "\uff20SUM(A1)",
        "|calc",
        "\ufeff=1",
        "\u200b=1",
        "\u200e=1",  # a left-to-right mark
        "\u202b=1",  # right-to-left embedding
        "\u2028=1",  # a line separator
        "\u00a0=1",  # a no-break space
        "\u3000=1",  # an ideographic space
    ],
)
def test_a_formula_behind_a_full_width_sign_or_invisible_characters_is_shown_not_run(cell):
    assert neutralised(cell) == f"'{cell}"


def test_every_column_that_starts_like_a_formula_is_shown_not_run(client, staffed, officer):
    """Questions, numbers and section titles come from an imported document, which
    anyone could have written: each column is neutralised, not only the answer."""
    response = staffed(1)
    question = Question.objects.get(consultation=response.consultation)
    Question.objects.filter(pk=question.pk).update(number="-1", text='=HYPERLINK("x")')
    Section.objects.filter(consultation=response.consultation).update(title="@SUM(A1)")
    Answer.objects.filter(response=response).update(text="+1", status=Answer.Status.DRAFTING)
    client.force_login(officer)

    (row,) = _csv(client, response)

    assert row == {
        "Number": "'-1",
        "Section": "'@SUM(A1) › @SUM(A1)",
        "Question": '\'=HYPERLINK("x")',
        "Answer": "'+1",
        "Answer (Markdown)": "'+1",
        "Status": "Drafting",
        "Council's position": "",
    }


def test_every_markdown_construct_rtl_text_emoji_and_20000_characters_still_parse(
    client, officer, seed
):
    text = (
        "# Heading\n\n**bold** *italic* `code`\n\n- one\n- two\n\n1. first\n2. second\n\n"
        "> quoted\n\n[link](https://example.org) and a note[^1]\n\n"
        "مرحبا بالعالم 🙂 ✅\n\n[^1]: The note."
    )
    long = ("word " * 4000)[:19_990]
    edit_answer(officer, seed, "1", text)
    edit_answer(officer, seed, "2", long)
    client.force_login(officer)

    rows = _csv(client, seed)
    data = _json(client, seed)

    assert rows[0]["Answer (Markdown)"] == text
    assert rows[1]["Answer (Markdown)"] == long
    assert rows[1]["Answer"] == long.strip()
    assert data["questions"][0]["answer_markdown"] == text
    assert "مرحبا بالعالم 🙂 ✅" in data["questions"][0]["answer_text"]
    assert "The note." in data["questions"][0]["answer_text"]


@pytest.mark.parametrize("url_name", ["response_csv", "response_json"])
def test_someone_off_the_team_gets_not_found_for_every_format(client, outsider, seed, url_name):
    from tests.factories import UserFactory

    other_officer = UserFactory(username="other-officer", groups=["Officer"])
    client.force_login(other_officer)
    assert client.get(reverse(url_name, args=[seed.pk])).status_code == 404
    client.force_login(outsider)
    assert client.get(reverse(url_name, args=[seed.pk])).status_code == 403


@pytest.mark.parametrize("url_name", ["response_csv", "response_json"])
def test_the_data_takes_the_same_queries_whatever_the_number_of_questions(
    client, staffed, officer, django_assert_num_queries, url_name
):
    client.force_login(officer)
    for size in (5, 60):
        response = staffed(size)
        # session, user, the response for the rulebook, permissions (2), the team check,
        # sections, answers
        with django_assert_num_queries(7):
            assert client.get(reverse(url_name, args=[response.pk])).status_code == 200


def test_plain_text_keeps_hard_line_breaks_and_joins_soft_ones():
    assert plain_text("Line one  \nline two\nand on.") == "Line one\nline two and on."


def test_plain_text_keeps_paragraphs_apart_and_list_items_one_per_line():
    assert plain_text("One.\n\n- a\n- b\n\nTwo.") == "One.\n\n- a\n- b\n\nTwo."


def test_plain_text_numbers_lists_as_printed_and_indents_sub_items():
    text = "3. third\n4. fourth\n   - a point\n   - another\n\nBetween.\n\n1. again"
    assert plain_text(text) == (
        "3. third\n4. fourth\n  - a point\n  - another\n\nBetween.\n\n1. again"
    )


def test_plain_text_gives_a_links_address_once():
    text = "See <https://www.walsall.gov.uk/c>, <policy@walsall.gov.uk> and [the plan](https://e.org/p)."
    assert plain_text(text) == (
        "See https://www.walsall.gov.uk/c, policy@walsall.gov.uk and the plan (https://e.org/p)."
    )


def test_the_response_page_offers_both_downloads(client, officer, seed):
    client.force_login(officer)
    html = client.get(reverse("response", args=[seed.pk])).content.decode()
    assert reverse("response_csv", args=[seed.pk]) in html
    assert reverse("response_json", args=[seed.pk]) in html


def test_every_csv_cell_is_quoted_so_no_separator_starts_a_formula(client, officer, seed):
    edit_answer(officer, seed, "1", "a;=1+1, and more")
    client.force_login(officer)
    content = client.get(reverse("response_csv", args=[seed.pk])).content.decode("utf-8-sig")
    assert '"a;=1+1, and more"' in content
    assert content.splitlines()[0] == (
        '"Number","Section","Question","Answer","Answer (Markdown)","Status","Council\'s position"'
    )


def test_the_csv_answer_reads_as_printed_and_keeps_the_markdown_beside_it(client, officer, seed):
    markdown = (
        "We support a **12-month** period ([guidance](https://www.gov.uk/x)), "
        "as before.[^1]\n\n1. First point\n2. Second point\n\n[^1]: Cabinet, March 2006."
    )
    edit_answer(officer, seed, "4", markdown)
    client.force_login(officer)

    fourth = _csv(client, seed)[3]

    assert fourth["Answer (Markdown)"] == markdown
    assert fourth["Answer"] == (
        "We support a 12-month period (guidance (https://www.gov.uk/x)), as before.[1]\n\n"
        "1. First point\n2. Second point\n\n"
        "[1] Cabinet, March 2006."
    )


def test_the_councils_position_is_in_the_csv_and_the_json_and_null_where_unset(
    client, officer, seed
):
    answer = Answer.objects.get(response=seed, question__number="2")
    save_answer(
        user=officer,
        response_id=seed.pk,
        number="2",
        text=answer.text,
        status=answer.status,
        assignee=answer.assignee,
        expected_version=answer.version,
        position=Answer.Position.PARTLY_AGREES,
    )
    client.force_login(officer)

    rows = _csv(client, seed)
    questions = _json(client, seed)["questions"]

    assert [r["Council's position"] for r in rows[:3]] == ["", "Partly agrees", ""]
    assert [q["position"] for q in questions[:3]] == [None, "Partly agrees", None]
