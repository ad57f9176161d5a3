"""An officer starts an answer from the council's answer to the same question in an
earlier consultation: offered on the editor, put in by one keyboard press, saved by Save."""

import pytest
from playwright.sync_api import expect

from responses.models import Answer
from tests.browser.pages import AnswerEditorPage, ResponsePage
from tests.factories import AnswerFactory, ConsultationFactory, QuestionFactory, ResponseFactory

pytestmark = pytest.mark.django_db(transaction=True)

EARLIER_TEXT = "We set up neighbourhood forums in every ward, with **budgets** of their own."


def given_an_earlier_answer_to_question_28() -> Answer:
    """Seed question 28 (still unanswered), asked before in other words' case and punctuation."""
    response = ResponseFactory(
        consultation=ConsultationFactory(title="Strong and Prosperous Communities"),
        title="Walsall Council's response",
    )
    question = QuestionFactory(
        section__consultation=response.consultation,
        number="7",
        text="How can we promote effective community engagement and involvement from all "
        "sections of the community, in shaping ‘local priorities’ and public services",
    )
    return AnswerFactory(
        response=response, question=question, text=EARLIER_TEXT, status=Answer.Status.AGREED
    )


@pytest.mark.parametrize("width", [1280, 375])
def test_an_officer_starts_from_an_earlier_answer_with_the_keyboard_and_saves_it(
    signed_in, live_server, officer, seed, width
):
    given_an_earlier_answer_to_question_28()
    signed_in(officer, width)
    page = signed_in.page
    page.goto(f"{live_server.url}/responses/{seed.pk}/answers/28/edit/")
    editor = AnswerEditorPage(page)
    offer = page.get_by_role("region", name="Asked before in another consultation")
    expect(offer).to_contain_text("Strong and Prosperous Communities, question 7")
    expect(offer).to_contain_text("Walsall Council's response · Agreed · last changed")
    expect(editor.text).to_have_value("")

    button = page.get_by_role(
        "button",
        name="Start from this answer to question 7 of Strong and Prosperous Communities",
        exact=True,
    )
    button.focus()
    with page.expect_navigation():  # the same page comes back: wait for it
        page.keyboard.press("Enter")

    editor = AnswerEditorPage(page)
    expect(page.get_by_role("status")).to_contain_text(
        "The answer from Strong and Prosperous Communities, question 7, is in the editor. "
        "It is not saved until you press Save."
    )
    expect(editor.text).to_have_value(EARLIER_TEXT)
    expect(editor.preview.locator("strong")).to_have_text("budgets")
    assert Answer.objects.get(response=seed, question__number="28").text == ""

    editor.save()
    ResponsePage(page)
    expect(page.get_by_role("status")).to_contain_text("Answer to question 28 saved.")
    assert Answer.objects.get(response=seed, question__number="28").text == EARLIER_TEXT
