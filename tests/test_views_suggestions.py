"""The suggestion pages: suggest from the editor or the suggestion editor, see the diff,
accept, reject with a reason, withdraw; bad input and outsiders."""

import pytest
from django.urls import reverse

from responses import roles, suggestions
from responses.models import Answer, Response, Suggestion
from responses.models.drafting import MAX_TEXT_LENGTH
from tests.factories import UserFactory, response_with_questions
from tests.html import error_summary

pytestmark = pytest.mark.django_db

NEW_WORDS = "The council strongly agrees, and asks for funding."


@pytest.fixture
def response(staffed):
    return staffed(3)


@pytest.fixture
def colleague(response):
    user = UserFactory(username="colleague", groups=[roles.OFFICER])
    response.team.add(user)
    return user


def answer(response, number="1") -> Answer:
    return Answer.objects.get(response=response, question__number=number)


def make(user, response, text=NEW_WORDS) -> Suggestion:
    return suggestions.suggest(
        user=user,
        response_id=response.pk,
        number="1",
        text=text,
        made_on_version=answer(response).version,
    )


def editor(response, number="1") -> str:
    return reverse("answer_edit", args=[response.pk, number])


def suggest_url(response, number="1") -> str:
    return reverse("suggest", args=[response.pk, number])


def page(response, suggestion) -> str:
    return reverse("suggestion", args=[response.pk, suggestion.pk])


def step(name, response, suggestion) -> str:
    return reverse(f"suggestion_{name}", args=[response.pk, suggestion.pk])


def set_status(response, status):
    Response.objects.filter(pk=response.pk).update(status=status, submission_round=1)


def test_the_editor_offers_suggest_changes_beside_save(client, response, colleague):
    client.force_login(colleague)
    html = client.get(editor(response)).content.decode()
    assert f'formaction="{suggest_url(response)}"' in html
    assert ">Suggest changes</button>" in html


def test_the_editors_suggest_button_opens_suggestion_mode_with_the_typed_words(
    client, response, colleague
):
    client.force_login(colleague)
    current = answer(response)
    result = client.post(
        suggest_url(response),
        {"text": NEW_WORDS, "version": current.version, "status": current.status},
    )
    html = result.content.decode()
    assert result.status_code == 200
    assert "Suggest changes to question 1" in html
    assert NEW_WORDS in html
    assert ">Send suggestion</button>" in html
    assert "data-draft-unsaved" in html
    assert not Suggestion.objects.exists()  # nothing kept until it is sent


def test_send_suggestion_keeps_the_words_as_a_suggestion(client, response, colleague):
    client.force_login(colleague)
    current = answer(response)
    result = client.post(
        suggest_url(response), {"text": NEW_WORDS, "version": current.version, "send": "1"}
    )
    made = Suggestion.objects.get()
    assert result.status_code == 302
    assert result["Location"] == page(response, made)
    assert answer(response).text == current.text  # nothing saved to the answer
    shown = client.get(result["Location"]).content.decode()
    assert "<ins>" in shown
    assert "Withdraw my suggestion" in shown
    assert f'data-clear-draft="answer-{response.pk}-1"' in shown


def test_suggestion_mode_with_a_mangled_version_starts_from_the_current_one(
    client, response, colleague
):
    client.force_login(colleague)
    result = client.post(suggest_url(response), {"text": NEW_WORDS, "version": "１"})
    assert result.status_code == 200
    assert 'name="version" value="1"' in result.content.decode()


def test_a_signatory_at_their_turn_opening_the_editor_gets_the_suggestion_editor(
    client, response, director
):
    set_status(response, Response.Status.AWAITING_DIRECTOR)
    client.force_login(director)
    result = client.get(editor(response))
    html = result.content.decode()
    assert result.status_code == 200
    assert "Suggest changes to question 1" in html
    assert f'action="{suggest_url(response)}"' in html
    assert ">Save</button>" not in html


def test_a_signatory_not_at_their_turn_may_not_open_the_editor(client, response, director):
    set_status(response, Response.Status.AWAITING_PORTFOLIO_HOLDER)
    client.force_login(director)
    assert client.get(editor(response)).status_code == 403
    assert client.get(suggest_url(response)).status_code == 409


def test_the_response_page_links_a_signatory_at_their_turn_to_suggest(client, response, director):
    set_status(response, Response.Status.AWAITING_DIRECTOR)
    client.force_login(director)
    html = client.get(reverse("response", args=[response.pk])).content.decode()
    assert f'href="{suggest_url(response)}"' in html
    assert "Edit the answer" not in html


def test_the_lead_sees_open_suggestions_in_the_editor_with_accept_and_reject(
    client, response, colleague, lead
):
    make(colleague, response)
    client.force_login(lead)
    html = client.get(editor(response)).content.decode()
    assert "Suggested changes (1)" in html
    assert "<del>" in html
    assert "<ins>" in html
    assert ">Accept<" in html
    assert "Reason<span" in html


def test_an_officer_who_may_not_decide_sees_suggestions_without_accept(
    client, response, colleague, officer, lead
):
    make(lead, response)
    client.force_login(colleague)
    html = client.get(editor(response)).content.decode()
    assert "Suggested changes (1)" in html
    assert ">Accept<" not in html


def test_accepting_from_the_editor_saves_and_returns_to_it(client, response, colleague, lead):
    made = make(colleague, response)
    client.force_login(lead)
    result = client.post(
        step("accept", response, made),
        {"version": answer(response).version, "back": "editor", "number": "1"},
    )
    assert result.status_code == 302
    assert result["Location"] == editor(response)
    assert (answer(response).text, answer(response).version) == (NEW_WORDS, 2)
    html = client.get(result["Location"]).content.decode()
    assert "now version 2" in html
    assert "Suggested changes" not in html


def test_a_stale_accept_changes_nothing_and_shows_the_diff_against_the_new_text(
    client, response, officer, colleague, lead
):
    first = make(officer, response, text="First wording.")
    second = make(colleague, response, text="Second wording.")
    client.force_login(lead)
    client.post(step("accept", response, first), {"version": 1})

    result = client.post(step("accept", response, second), {"version": 1}, follow=True)

    html = result.content.decode()
    assert answer(response).text == "First wording."
    assert Suggestion.objects.get(pk=second.pk).is_open
    assert "nothing was accepted" in html
    assert "the answer is now version 2: this shows what accepting would change now" in html
    assert 'name="version" value="2"' in html


def test_accepting_twice_says_it_was_already_accepted(client, response, colleague, lead):
    made = make(colleague, response)
    client.force_login(lead)
    client.post(step("accept", response, made), {"version": 1})
    html = client.post(step("accept", response, made), {"version": 2}, follow=True)
    assert "already accepted" in html.content.decode()
    assert answer(response).version == 2


def test_accepting_while_with_the_signatories_says_it_waits(client, response, director, lead):
    set_status(response, Response.Status.AWAITING_DIRECTOR)
    made = make(director, response)
    client.force_login(lead)
    page_html = client.get(page(response, made)).content.decode()
    assert "waits until it is back in drafting" in page_html
    assert ">Accept<" not in page_html
    html = client.post(step("accept", response, made), {"version": 1}, follow=True)
    assert "waits until it is back in drafting" in html.content.decode()
    assert answer(response).version == 1


def test_rejecting_without_a_reason_is_a_form_error(client, response, colleague, lead):
    made = make(colleague, response)
    client.force_login(lead)
    result = client.post(step("reject", response, made), {f"s{made.pk}-reason": "  "})
    assert result.status_code == 400
    problems = error_summary(result.content.decode())
    assert problems == [(f"id_s{made.pk}-reason", suggestions.REASON_NEEDED)]
    assert f'id="id_s{made.pk}-reason"' in result.content.decode()
    assert Suggestion.objects.get(pk=made.pk).is_open


def test_rejecting_with_a_reason_keeps_the_answer(client, response, colleague, lead):
    made = make(colleague, response)
    client.force_login(lead)
    result = client.post(
        step("reject", response, made), {f"s{made.pk}-reason": "Too <b>strong</b>."}
    )
    assert result.status_code == 302
    made.refresh_from_db()
    assert (made.status, made.reason) == ("rejected", "Too <b>strong</b>.")
    assert answer(response).version == 1
    html = client.get(page(response, made)).content.decode()
    assert "Too &lt;b&gt;strong&lt;/b&gt;." in html


def test_a_reason_too_long_is_a_form_error(client, response, colleague, lead):
    made = make(colleague, response)
    client.force_login(lead)
    result = client.post(step("reject", response, made), {f"s{made.pk}-reason": "x" * 2001})
    assert result.status_code == 400
    assert Suggestion.objects.get(pk=made.pk).is_open


def test_a_proposal_identical_to_the_answer_is_a_form_error(client, response, colleague):
    client.force_login(colleague)
    current = answer(response)
    result = client.post(suggest_url(response), {"text": current.text, "version": 1, "send": "1"})
    assert result.status_code == 400
    assert "This is the answer as it stands" in result.content.decode()
    assert not Suggestion.objects.exists()


def test_an_oversized_proposal_is_a_form_error_that_keeps_the_words(client, response, colleague):
    client.force_login(colleague)
    words = "a" * (MAX_TEXT_LENGTH + 1)
    result = client.post(suggest_url(response), {"text": words, "version": 1, "send": "1"})
    assert result.status_code == 400
    assert words in result.content.decode()
    assert not Suggestion.objects.exists()


def test_the_author_withdraws_from_the_suggestions_page(client, response, colleague):
    made = make(colleague, response)
    client.force_login(colleague)
    result = client.post(step("withdraw", response, made))
    assert result.status_code == 302
    assert Suggestion.objects.get(pk=made.pk).status == "withdrawn"


def test_someone_else_may_not_withdraw(client, response, colleague, lead):
    made = make(colleague, response)
    client.force_login(lead)
    assert client.post(step("withdraw", response, made)).status_code == 403
    assert Suggestion.objects.get(pk=made.pk).is_open


def test_an_officer_not_assigned_gets_403_for_accept(client, response, colleague, lead):
    made = make(lead, response)
    client.force_login(colleague)
    assert client.post(step("accept", response, made), {"version": 1}).status_code == 403
    assert answer(response).version == 1


def test_another_responses_suggestion_is_not_found_and_nothing_changes(
    client, response, colleague, lead
):
    made = make(colleague, response)
    other = response_with_questions(2)
    other.report.lead_officer = lead
    other.report.save()
    client.force_login(lead)
    for name, data in [
        ("accept", {"version": 1}),
        ("reject", {f"s{made.pk}-reason": "No."}),
        ("withdraw", {}),
    ]:
        url = reverse(f"suggestion_{name}", args=[other.pk, made.pk])
        assert client.post(url, data).status_code == 404, name
    assert client.get(reverse("suggestion", args=[other.pk, made.pk])).status_code == 404
    assert Suggestion.objects.get(pk=made.pk).is_open
    assert answer(response).version == 1


@pytest.mark.parametrize("who", ["outsider", "outside_officer"])
def test_someone_off_the_response_gets_404_or_403_and_changes_nothing(
    client, response, colleague, outsider, who
):
    made = make(colleague, response)
    user = outsider if who == "outsider" else UserFactory(username="x", groups=[roles.OFFICER])
    client.force_login(user)
    expected = 403 if who == "outsider" else 404  # no role at all: told so, as everywhere
    assert client.get(page(response, made)).status_code == expected
    assert client.get(suggest_url(response)).status_code == expected
    sent = client.post(suggest_url(response), {"text": "x", "version": 1, "send": "1"})
    assert sent.status_code == expected
    assert client.post(step("accept", response, made), {"version": 1}).status_code == expected
    assert Suggestion.objects.count() == 1
    assert answer(response).version == 1


def test_the_response_page_counts_open_suggestions_beside_each_answer(
    client, response, colleague, lead
):
    make(colleague, response)
    make(lead, response, text="Another proposal.")
    client.force_login(lead)
    html = client.get(reverse("response", args=[response.pk])).content.decode()
    assert "2 open suggestions" in html
    assert html.count("open-suggestions") == 1


@pytest.mark.parametrize("questions", [35, 350])
def test_the_response_page_queries_do_not_grow_with_suggestions(
    client, staffed, officer, django_assert_num_queries, questions
):
    response = staffed(questions)
    for answer_ in Answer.objects.filter(response=response).exclude(text="")[:questions:3]:
        suggestions.suggest(
            user=officer,
            response_id=response.pk,
            number=answer_.question.number,
            text="Proposed.",
            made_on_version=answer_.version,
        )
    client.force_login(officer)
    # As test_views_response's count: 10, one of them the open suggestions per answer.
    with django_assert_num_queries(10):
        html = client.get(reverse("response", args=[response.pk])).content.decode()
    assert "1 open suggestion" in html


def test_an_officer_on_an_agreed_answer_is_offered_suggest_changes_instead(
    client, response, colleague
):
    Answer.objects.filter(response=response, question__number="1").update(
        status=Answer.Status.AGREED
    )
    client.force_login(colleague)
    html = client.get(editor(response)).content.decode()
    assert ">Save</button>" not in html
    assert f'href="{suggest_url(response)}">Suggest changes</a>' in html
    assert client.get(suggest_url(response)).status_code == 200


def test_the_audit_lists_each_step_of_a_suggestion(client, response, colleague, lead):
    made = make(colleague, response)
    suggestions.reject(user=lead, response_id=response.pk, suggestion_id=made.pk, reason="Not now.")
    client.force_login(lead)
    html = client.get(reverse("audit", args=[response.pk])).content.decode()
    assert "Changes suggested (question 1, made on version 1)" in html
    assert "rejected (question 1, made on version 1)" in html
    assert "Not now." in html


def test_an_empty_suggestion_is_a_form_error_and_keeps_nothing(client, response, colleague):
    client.force_login(colleague)
    result = client.post(suggest_url(response), {"text": "  \n", "version": 1, "send": "1"})
    assert result.status_code == 400
    assert suggestions.NO_WORDS in result.content.decode()
    assert not Suggestion.objects.exists()


def test_suggestion_mode_refuses_words_longer_than_an_answer_without_drawing_them(
    client, response, colleague
):
    client.force_login(colleague)
    words = "![" * (MAX_TEXT_LENGTH // 2 + 1)
    result = client.post(suggest_url(response), {"text": words, "version": 1})
    html = result.content.decode()
    assert result.status_code == 400
    assert error_summary(html) == [
        (
            "id_text",
            f"The suggested answer must be {MAX_TEXT_LENGTH:,} characters or fewer; "
            f"it has {len(words)}. Nothing was saved.",
        )
    ]
    assert not Suggestion.objects.exists()


def test_a_decision_returns_to_its_own_answers_editor_whatever_number_is_posted(
    client, response, colleague, lead
):
    made = make(colleague, response)
    client.force_login(lead)
    result = client.post(
        step("accept", response, made),
        {"version": answer(response).version, "back": "editor", "number": "x/y"},
    )
    assert result.status_code == 302
    assert result["Location"] == editor(response)
    assert Suggestion.objects.get().status == Suggestion.Status.ACCEPTED
