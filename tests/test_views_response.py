"""The response page `/responses/<id>/`: Appendix 1 in order, with filters."""

import pytest
from django.urls import reverse

from responses.models import Answer, Response
from tests.factories import response_with_questions

pytestmark = pytest.mark.django_db


def url(response, **query) -> str:
    base = reverse("response", args=[response.pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def page(client, user, response, **query) -> str:
    client.force_login(user)
    result = client.get(url(response, **query))
    assert result.status_code == 200
    return result.content.decode()


def test_questions_appear_in_printed_order_under_their_headings(client, officer, seed):
    html = page(client, officer, seed)
    positions = [html.index(f'id="q{n}"') for n in range(1, 36)]
    assert positions == sorted(positions)
    assert html.index("Governance of LSPs") < html.index("LSP as the partnership of partnerships")
    assert html.index("LSP as the partnership of partnerships") < html.index('id="q12"')
    assert html.index("Regional/Sub-regional engagement") < html.index('id="q2"')


def test_each_question_has_its_answer_status_and_edit_link(client, officer, seed):
    html = page(client, officer, seed)
    assert "Walsall has reviewed its partnership structures" in html
    assert reverse("answer_edit", args=[seed.pk, "12"]) in html
    assert html.count("No answer yet.") == 5


def test_cross_references_link_to_the_question_meant(client, officer, seed):
    html = page(client, officer, seed)
    assert '<a href="#q16" rel="noopener noreferrer">answer above</a>' in html  # answer to 17
    assert '<a href="#q16" rel="noopener noreferrer">answers to Q 16</a>' in html  # answer to 29


def test_filters_show_counts_and_narrow_the_list(client, officer, seed):
    Answer.objects.filter(question__number__in=["28", "32"]).update(assignee=officer)
    Answer.objects.filter(question__number="1").update(status=Answer.Status.AGREED)
    html = page(client, officer, seed)
    assert 'Mine <span class="filter-count">(2)</span>' in html
    assert 'Unanswered <span class="filter-count">(5)</span>' in html
    assert 'Not agreed <span class="filter-count">(34)</span>' in html

    mine = page(client, officer, seed, show="mine")
    assert 'id="q28"' in mine
    assert 'id="q32"' in mine
    assert 'id="q1"' not in mine
    assert "Involvement of Members of Parliament" in mine  # heading over 28 still shown
    assert "Governance of LSPs" not in mine  # no kept question below it

    unanswered = page(client, officer, seed, show="unanswered")
    assert [n for n in range(1, 36) if f'id="q{n}"' in unanswered] == [28, 32, 33, 34, 35]

    assert 'id="q1"' not in page(client, officer, seed, show="not-agreed")


def test_an_unknown_filter_shows_everything_and_says_so(client, officer, seed):
    html = page(client, officer, seed, show="<script>")
    assert "There is no such filter" in html
    assert 'id="q35"' in html
    assert "<script>" not in html


@pytest.mark.parametrize("persona", ["director", "portfolio_holder"])
def test_signatories_read_without_edit_links(client, request, seed, persona):
    html = page(client, request.getfixturevalue(persona), seed)
    assert 'id="q12"' in html
    assert reverse("answer_edit", args=[seed.pk, "12"]) not in html


def test_a_locked_response_says_so_and_offers_no_edit(client, officer, seed):
    Response.objects.filter(pk=seed.pk).update(status=Response.Status.AWAITING_DIRECTOR)
    html = page(client, officer, seed)
    assert "answers cannot be changed" in html
    assert reverse("answer_edit", args=[seed.pk, "12"]) not in html


def test_the_downloads_follow_the_response_after_the_page_was_shown(client, officer, seed):
    published = reverse("cabinet_paper_pdf", args=[seed.pk]) + "?version=published"
    assert published not in page(client, officer, seed)
    Response.objects.filter(pk=seed.pk).update(status=Response.Status.SIGNED_OFF)
    assert published in page(client, officer, seed)
    Response.objects.filter(pk=seed.pk).update(sent_to_government_on="2006-03-02")
    assert "Response as sent to government:" in page(client, officer, seed)


def test_a_response_that_does_not_exist_is_404(client, officer):
    client.force_login(officer)
    assert client.get(reverse("response", args=[999])).status_code == 404


def test_a_user_in_no_role_is_refused(client, outsider, seed):
    client.force_login(outsider)
    result = client.get(url(seed))
    assert result.status_code == 403
    assert b"Walsall" not in result.content
    # Nor can it tell which ids exist: a missing one is refused the same way.
    missing = client.get(reverse("response", args=[999]))
    assert missing.status_code == 403
    assert "has no role in Consult" in missing.content.decode()


def test_answer_text_is_escaped(client, officer, seed):
    Answer.objects.filter(question__number="28").update(text="<script>alert(1)</script>")
    html = page(client, officer, seed)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("questions", [35, 350])
def test_query_count_does_not_grow_with_questions(
    client, officer, django_assert_num_queries, questions
):
    response = response_with_questions(questions)
    client.force_login(officer)
    # session, user, the user's own and group permissions, the response with its
    # consultation and report, whether the officer is on its team, Appendix 1: its
    # sections, its answers with questions and assignees, each answer's open comment
    # threads counted in one query, its open suggestions counted in another, and who
    # has an answer open now in a third.
    with django_assert_num_queries(10):
        assert client.get(url(response)).status_code == 200


def test_an_answers_footnote_is_listed_under_it_on_the_page_with_its_own_ids(client, officer, seed):
    Answer.objects.filter(response=seed, question__number="12").update(
        text="See the minute.[^1]\n\n[^1]: Cabinet minute 4521."
    )
    client.force_login(officer)
    html = client.get(url(seed)).content.decode()
    assert 'href="#fn-q12-1"' in html
    assert 'id="fn-q12-1"' in html
    assert '<span class="footnote">' not in html  # that is the PDF's form


def _value(response, number: str) -> str:
    answer = Answer.objects.get(response=response, question__number=number)
    return f"{answer.pk}:{answer.version}"


def test_the_lead_selects_questions_and_assigns_them_from_the_page(client, seed, lead, officer):
    client.force_login(lead)
    page = client.get(reverse("response", args=[seed.pk])).content.decode()
    assert 'form="selected-answers"' in page
    assert ">Mark agreed</button>" in page

    result = client.post(
        reverse("answers_bulk", args=[seed.pk]),
        {
            "answer": [_value(seed, "28"), _value(seed, "32")],
            "action": "assign",
            "assignee": officer.pk,
        },
        follow=True,
    )

    assert "Questions 28, 32 assigned to" in result.content.decode()
    assert set(
        Answer.objects.filter(question__number__in=["28", "32"]).values_list("assignee", flat=True)
    ) == {officer.pk}


def test_officers_see_no_selection_and_cannot_post_one(client, seed, officer):
    client.force_login(officer)
    assert (
        'form="selected-answers"'
        not in client.get(reverse("response", args=[seed.pk])).content.decode()
    )

    result = client.post(
        reverse("answers_bulk", args=[seed.pk]), {"answer": [_value(seed, "1")], "action": "agree"}
    )

    assert result.status_code == 403
    assert not Answer.objects.filter(status=Answer.Status.AGREED).exists()


@pytest.mark.parametrize(
    "post",
    [
        {"answer": ["junk"], "action": "agree"},
        {"answer": ["999999:1"], "action": "agree"},
        {"answer": [], "action": "agree"},
        {"action": "assign", "assignee": ""},
        {"action": "assign", "assignee": "999999"},
        {"action": "explode"},
    ],
)
def test_a_selection_that_cannot_be_used_changes_nothing_and_says_why(client, seed, lead, post):
    client.force_login(lead)
    post = {"answer": [_value(seed, "1")], **post}
    before = list(Answer.objects.values_list("pk", "version", "status", "assignee"))

    result = client.post(reverse("answers_bulk", args=[seed.pk]), post, follow=True)

    assert result.status_code == 200
    assert 'class="alert alert-danger"' in result.content.decode()
    assert list(Answer.objects.values_list("pk", "version", "status", "assignee")) == before


@pytest.mark.parametrize(
    "post",
    [
        {"answer": ["9999999999999999999:1"], "action": "agree"},
        {"answer": ["3:\u00b2"], "action": "agree"},
        {"answer": ["\u0663:\u0661"], "action": "agree"},
        {"action": "assign", "assignee": "\u00b2"},
    ],
    ids=["overflowing-id", "superscript-version", "arabic-indic-digits", "superscript-assignee"],
)
def test_digits_no_database_holds_are_a_message_not_a_server_error(client, seed, lead, post):
    client.force_login(lead)
    post = {"answer": [_value(seed, "1")], **post}

    result = client.post(reverse("answers_bulk", args=[seed.pk]), post, follow=True)

    assert result.status_code == 200
    assert 'class="alert alert-danger"' in result.content.decode()
    assert not Answer.objects.filter(status=Answer.Status.AGREED).exists()


def test_the_councils_positions_filter_the_page_with_their_counts(client, officer, seed):
    Answer.objects.filter(question__number__in=["3", "4"]).update(position="agrees")
    Answer.objects.filter(question__number="5").update(position="not_applicable")
    html = page(client, officer, seed)
    assert 'Agrees <span class="filter-count">(2)</span>' in html
    assert 'Not applicable <span class="filter-count">(1)</span>' in html
    assert 'Not yet set <span class="filter-count">(32)</span>' in html

    agrees = page(client, officer, seed, show="agrees")
    assert [n for n in range(1, 36) if f'id="q{n}"' in agrees] == [3, 4]
    assert "Council's position: Agrees" in agrees
    assert 'aria-current="page" href="?show=agrees"' in agrees
    not_set = page(client, officer, seed, show="no-position")
    assert 'id="q3"' not in not_set
    assert 'id="q6"' in not_set


def test_agreeing_from_a_position_filter_comes_back_to_it_and_keeps_the_positions(
    client, lead, seed
):
    Answer.objects.filter(question__number__in=["3", "4"]).update(position="agrees")
    client.force_login(lead)

    result = client.post(
        reverse("answers_bulk", args=[seed.pk]),
        {"answer": [_value(seed, "3"), _value(seed, "4")], "action": "agree", "show": "agrees"},
    )

    assert result.status_code == 302
    assert result["Location"] == url(seed, show="agrees")
    agreed = Answer.objects.filter(status=Answer.Status.AGREED)
    assert sorted(agreed.values_list("position", flat=True)) == ["agrees", "agrees"]
