"""The answer editor `/responses/<id>/answers/<n>/edit/`: save, preview, conflicts, refusals."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from responses import workflow
from responses.models import Answer, Response
from tests.edits import edit_answer
from tests.html import elements, error_summary, ids, links

pytestmark = pytest.mark.django_db


def edit_url(response, number="12") -> str:
    return reverse("answer_edit", args=[response.pk, number])


def answer(number="12") -> Answer:
    return Answer.objects.select_related("assignee").get(question__number=number)


def post(client, response, number="12", **fields):
    current = answer(number)
    data = {
        "text": current.text,
        "status": current.status,
        "assignee": current.assignee_id or "",
        "version": current.version,
        **fields,
    }
    return client.post(edit_url(response, number), data)


def test_editor_shows_the_question_its_section_and_the_answer(client, officer, seed):
    client.force_login(officer)
    html = client.get(edit_url(seed)).content.decode()
    assert "What is your view?" in html
    assert "Governance of LSPs › LSP as the partnership of partnerships" in html
    assert "Walsall has reviewed its partnership structures" in html
    assert reverse("answer_edit", args=[seed.pk, "11"]) in html  # previous question
    assert reverse("answer_edit", args=[seed.pk, "13"]) in html  # next question


def test_save_keeps_the_text_and_returns_to_the_answers_anchor(client, officer, seed):
    client.force_login(officer)
    result = post(client, seed, text="Our **new** answer.", version=1)
    assert result.status_code == 302
    assert result["Location"] == reverse("response", args=[seed.pk]) + "#q12"
    saved = answer()
    assert (saved.text, saved.version, saved.changed_by) == ("Our **new** answer.", 2, officer)
    assert saved.history.latest().history_user == officer


def test_the_save_message_tells_the_browser_to_forget_its_draft(client, officer, seed):
    client.force_login(officer)
    result = client.get(post(client, seed, text="Saved words")["Location"])
    assert f'data-clear-draft="answer-{seed.pk}-12"' in result.content.decode()


def test_preview_button_renders_without_saving(client, officer, seed):
    client.force_login(officer)
    result = post(client, seed, text="A **bold** claim", preview="1")
    assert result.status_code == 200
    assert "<strong>bold</strong>" in result.content.decode()
    assert answer().version == 1


def test_a_stale_save_shows_the_conflict_and_keeps_both_texts(officer, lead, seed):
    first, second = Client(), Client()
    first.force_login(lead)
    second.force_login(officer)
    assert post(first, seed, text="The lead's words.", version=1).status_code == 302
    result = post(second, seed, text="The officer's words.", version=1)
    assert result.status_code == 409
    html = result.content.decode()
    assert f"{lead.get_full_name()} saved this while you were editing" in html
    assert "The lead&#x27;s words." in html  # the saved text
    assert "The officer&#x27;s words." in html  # theirs, in the merge box
    assert '<input type="hidden" name="version" value="2"' in html
    assert answer().text == "The lead's words."

    merged = post(second, seed, text="Both sets of words.", version=2)
    assert merged.status_code == 302
    assert answer().text == "Both sets of words."
    assert [h.text for h in answer().history.order_by("history_date")][-3:] == [
        "Walsall has reviewed its partnership structures in the light of delivering the Local "
        "Area Agreement, developing linkages between the thematic partnerships and the LSP's. "
        "The LSP Board is made up of representatives from the sectors.",
        "The lead's words.",
        "Both sets of words.",
    ]


def test_text_over_20000_characters_is_a_form_error(client, officer, seed):
    client.force_login(officer)
    result = post(client, seed, text="x" * 20_001)
    assert result.status_code == 400
    assert "The answer must be 20,000 characters or fewer; it has 20001." in result.content.decode()
    assert text_box(result.content.decode()) == "x" * 20_001  # kept in the box, not cut
    assert answer().version == 1


def text_box(html: str) -> str:
    """What the answer's text box holds as the page comes back."""
    (box,) = (e for e in elements(html) if e.tag == "textarea" and e.attrs.get("name") == "text")
    return box.text.removeprefix("\n")  # Django starts a textarea's content on a new line


def test_the_text_box_has_no_maxlength_to_cut_a_paste_but_says_its_limit(client, officer, seed):
    client.force_login(officer)
    (box,) = (
        e
        for e in elements(client.get(edit_url(seed)).content.decode())
        if e.tag == "textarea" and e.attrs.get("name") == "text"  # not the comment box beside it
    )
    assert "maxlength" not in box.attrs
    assert box.attrs["data-max-length"] == "20000"
    assert "data-markdown" in box.attrs


def test_20000_characters_with_line_breaks_fit_as_the_counter_says(client, officer, seed):
    """A browser sends each line break as CRLF; the server counts it as one, as stored."""
    client.force_login(officer)
    lines = ["Line of words."] * 1_000
    text = "\n".join(lines)
    text += "x" * (20_000 - len(text))
    assert (len(text), text.count("\n")) == (20_000, 999)
    assert post(client, seed, text=text.replace("\n", "\r\n")).status_code == 302
    assert answer().text == text
    refused = post(client, seed, text=(text + "y").replace("\n", "\r\n"))
    assert refused.status_code == 400
    assert "it has 20001." in refused.content.decode()


def test_a_relative_link_is_refused_with_the_words_kept(client, officer, seed):
    client.force_login(officer)
    words = "Our answer is in [our plan](/plans/x), as agreed."
    result = post(client, seed, text=words)
    html = result.content.decode()
    assert result.status_code == 400
    [(target, message)] = error_summary(html)
    assert target == "id_text"
    assert message == (
        "The link to “/plans/x” is not a full web address, so it would lead nowhere once "
        "printed or sent. Write the whole address, starting https://."
    )
    assert text_box(html) == words
    assert answer().version == 1
    assert (
        post(client, seed, text=words.replace("/plans", "https://walsall.gov.uk/plans")).status_code
        == 302
    )


def test_an_answer_a_page_could_not_lay_out_is_refused_in_the_editor(client, officer, seed):
    client.force_login(officer)
    pathological = "*a" * 10000
    result = post(client, seed, text=pathological)
    html = result.content.decode()
    assert result.status_code == 400
    [(target, message)] = error_summary(html)
    assert target == "id_text"
    assert "5,000 pieces of formatting" in message
    assert text_box(html) == pathological
    assert answer().version == 1


def test_a_status_that_does_not_exist_is_a_form_error(client, officer, seed):
    client.force_login(officer)
    result = post(client, seed, status="published")
    assert result.status_code == 400
    assert "Choose a status from the list." in result.content.decode()
    assert answer().version == 1


def test_an_assignee_that_does_not_exist_is_a_form_error(client, lead, seed):
    client.force_login(lead)
    result = post(client, seed, assignee="9999")
    assert result.status_code == 400
    assert "Choose someone on the team." in result.content.decode()


def test_a_missing_version_is_a_form_error(client, officer, seed):
    client.force_login(officer)
    result = post(client, seed, version="", text="Changed")
    assert result.status_code == 400
    assert answer().version == 1


def test_officer_cannot_choose_agreed(client, officer, seed):
    client.force_login(officer)
    assert 'value="agreed"' not in client.get(edit_url(seed)).content.decode()
    result = post(client, seed, status="agreed")
    assert result.status_code == 400
    assert answer().status == "drafting"


def test_officer_posting_an_assignee_changes_nothing(client, officer, lead, seed):
    client.force_login(officer)
    assert post(client, seed, assignee=lead.pk, text="Edited").status_code == 302
    assert answer().assignee is None


def test_lead_agrees_and_assigns(client, lead, officer, seed):
    client.force_login(lead)
    assert post(client, seed, status="agreed", assignee=officer.pk).status_code == 302
    saved = answer()
    assert (saved.status, saved.assignee) == ("agreed", officer)


def test_a_question_that_does_not_exist_is_404(client, officer, seed):
    client.force_login(officer)
    assert client.get(edit_url(seed, "99")).status_code == 404


def test_a_response_that_does_not_exist_is_404(client, officer, seed):
    client.force_login(officer)
    assert client.get(reverse("answer_edit", args=[999, "12"])).status_code == 404


@pytest.mark.parametrize("persona", ["director", "portfolio_holder", "outsider"])
def test_roles_that_do_not_draft_are_refused(client, request, persona, seed):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(edit_url(seed)).status_code == 403
    assert post(client, seed, text="Changed").status_code == 403
    assert answer().version == 1


def test_a_post_without_csrf_is_refused(officer, seed):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(officer)
    result = post(strict, seed, text="Forged")
    assert result.status_code == 403
    assert answer().version == 1


def test_a_locked_response_shows_a_message_not_a_form(client, officer, seed):
    Response.objects.filter(pk=seed.pk).update(status=Response.Status.AWAITING_DIRECTOR)
    client.force_login(officer)
    html = client.get(edit_url(seed)).content.decode()
    assert "locked" in html
    assert "<textarea" not in html
    result = post(client, seed, text="Changed after submission")
    assert result.status_code == 409
    assert answer().version == 1


def test_a_locked_editor_links_to_the_answers_comments(client, officer, seed):
    Response.objects.filter(pk=seed.pk).update(status=Response.Status.AWAITING_DIRECTOR)
    client.force_login(officer)
    number = answer().question.number
    html = client.get(edit_url(seed)).content.decode()
    comments = reverse("answer_comments", args=[seed.pk, number])
    assert (comments, f"Comments on Question {number}") in links(html)


@pytest.mark.parametrize(
    ("status", "step"),
    [
        (Response.Status.AWAITING_DIRECTOR, "withdraw it from sign-off"),
        (Response.Status.SIGNED_OFF, "reopen it for changes"),
    ],
)
def test_a_locked_editor_tells_the_lead_what_they_can_do_and_others_whom_to_ask(
    client, officer, lead, seed, status, step
):
    Response.objects.filter(pk=seed.pk).update(status=status)
    sign_off = reverse("sign_off", args=[seed.pk])

    client.force_login(lead)
    for_lead = client.get(edit_url(seed)).content.decode()
    client.force_login(officer)
    for_officer = client.get(edit_url(seed)).content.decode()

    assert f"To change it, {step} on the" in for_lead
    assert f'href="{sign_off}"' in for_lead
    assert "ask the lead officer" not in for_lead
    assert f"ask the lead officer, who can {step}" in for_officer


def test_an_expired_session_sends_the_officer_to_sign_in_and_back(client, seed):
    result = client.post(edit_url(seed), {"text": "Typed before the session expired"})
    assert result.status_code == 302
    assert result["Location"] == f"/login/?next={edit_url(seed)}"
    assert answer().version == 1


def test_an_agreed_answer_is_the_lead_officers_to_change(client, officer, lead, seed):
    Answer.objects.filter(question__number="12").update(status=Answer.Status.AGREED)
    client.force_login(officer)
    assert "only they can change an agreed answer" in client.get(edit_url(seed)).content.decode()
    post(client, seed, text="An officer's rewrite")
    assert answer().text.startswith("Walsall has reviewed")
    client.force_login(lead)
    assert post(client, seed, text="The lead's rewrite").status_code == 302
    assert (answer().text, answer().status) == ("The lead's rewrite", "agreed")


def test_an_assignee_who_left_the_drafting_roles_does_not_block_saving(client, officer, seed):
    from tests.factories import UserFactory

    former = UserFactory(username="former")
    Answer.objects.filter(question__number="12").update(assignee=former)
    client.force_login(officer)
    assert post(client, seed, text="Still saved").status_code == 302
    assert (answer().text, answer().assignee) == ("Still saved", former)


def _agree(lead, response, text="The lead's agreed words"):
    return edit_answer(lead, response, "12", text, status=Answer.Status.AGREED)


def test_saving_on_the_conflict_page_after_the_lead_agreed_keeps_the_officers_words(
    client, officer, lead, seed
):
    opened = answer()
    edit_answer(lead, seed, "12", "The lead's words")
    client.force_login(officer)
    conflict = post(client, seed, text="My words", status="drafting", version=opened.version)
    assert conflict.status_code == 409
    # While the officer merges on the conflict page, the lead agrees the answer.
    merging_on = answer().version
    _agree(lead, seed)
    merge = post(client, seed, text="My merged words", status="drafting", version=merging_on)
    html = merge.content.decode()
    assert merge.status_code == 400
    assert "only they can change it" in html
    assert "My merged words" in html
    assert "data-clear-draft" not in html
    assert "alert-success" not in html
    assert answer().text == "The lead's agreed words"


def test_an_officer_saving_after_submission_sees_their_words_and_keeps_the_draft(
    client, officer, lead, seed
):
    client.force_login(officer)
    opened = answer()
    workflow.submit(user=lead, response_id=seed.pk, confirm_gaps=True)
    result = post(client, seed, text="Words typed before it was submitted", version=opened.version)
    html = result.content.decode()
    assert result.status_code == 409
    assert "Words typed before it was submitted" in html
    assert "data-clear-draft" not in html
    assert answer().text == opened.text


def test_saving_an_unchanged_answer_says_nothing_changed(client, officer, seed):
    client.force_login(officer)
    result = post(client, seed)
    assert result.status_code == 302
    page = client.get(result.url).content.decode()
    assert "Nothing changed" in page
    assert answer().version == 1


@pytest.mark.parametrize("number", ["%00", "12%00", "x" * 11, "%0a"])
def test_a_nul_control_character_or_oversize_number_in_the_url_is_not_found(
    client, officer, seed, number
):
    client.force_login(officer)
    assert client.get(f"/responses/{seed.pk}/answers/{number}/edit/").status_code == 404
    assert client.post(f"/responses/{seed.pk}/answers/{number}/edit/", {}).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/responses/99999999999999999999/",
        "/responses/1%00/",
        "/responses/{pk}/report/sections/99999999999999999999/edit/",
        "/responses/{pk}/cabinet-paper.pdf%00",
    ],
)
def test_an_oversize_or_nul_id_in_the_url_is_not_found(client, officer, seed, path):
    client.force_login(officer)
    assert client.get(path.format(pk=seed.pk)).status_code == 404


def test_an_oversize_version_or_history_id_is_a_form_error_not_a_server_error(
    client, officer, seed
):
    client.force_login(officer)
    assert post(client, seed, version=2**63).status_code == 400
    restore = client.post(
        reverse("answer_history", args=[seed.pk, "12"]),
        {"history_id": 2**63, "version": 1},
        follow=True,
    )
    assert "Choose a version to restore." in restore.content.decode()


def test_an_answer_nested_too_deep_is_refused_with_the_words_kept(client, officer, seed):
    client.force_login(officer)
    deep = "".join("  " * i + f"- level {i}\n" for i in range(14)) + "\nThe last words.\n"
    result = post(client, seed, text=deep)
    assert result.status_code == 400
    assert "more deeply than a page can show" in result.content.decode()
    assert "The last words." in result.content.decode()
    assert answer().version == 1


def test_an_agreed_answer_opens_read_only_for_an_officer_with_no_save_button(
    client, officer, lead, seed
):
    _agree(lead, seed)
    client.force_login(officer)
    html = client.get(edit_url(seed)).content.decode()
    assert "only they can change it" in html
    assert ">Save</button>" not in html
    assert "readonly" in html
    client.force_login(lead)
    assert ">Save</button>" in client.get(edit_url(seed)).content.decode()


DEEP = "> " * 30 + "Quoted too deeply to print."


def test_a_refused_save_shows_the_error_summary_linking_to_the_field(client, officer, seed):
    client.force_login(officer)
    result = post(client, seed, text=DEEP)
    html = result.content.decode()
    assert result.status_code == 400
    assert "<title>Error: Edit question 12" in html
    assert html.index("There is a problem") < html.index('<form method="post" class="editor-form"')
    [(target, message)] = error_summary(html)
    assert (target, message) == ("id_text", message)
    assert "more deeply than a page can show" in message
    assert target in ids(html)
    assert "Nothing was saved, and your words are still in the form." in html
    assert html.count("more deeply than a page can show") == 2  # the summary and the field


def test_a_form_wide_error_in_the_summary_links_to_the_page(client, officer, seed):
    client.force_login(officer)
    current = answer()
    result = client.post(
        edit_url(seed),
        {"text": "x", "status": current.status, "version": current.version, "start_from": "0"},
    )
    html = result.content.decode()
    assert result.status_code == 400
    assert "<title>Error: Edit question 12" in html
    [(target, message)] = error_summary(html)
    assert target == "main"
    assert target in ids(html)
    assert message.startswith("That earlier answer is not one offered")


def test_the_editor_without_errors_has_no_summary_and_a_plain_title(client, officer, seed):
    client.force_login(officer)
    html = client.get(edit_url(seed)).content.decode()
    assert error_summary(html) == []
    assert "There is a problem" not in html
    assert "<title>Edit question 12" in html
    preview = post(client, seed, text="A *fine* preview", preview="1").content.decode()
    assert error_summary(preview) == []
    assert "<title>Edit question 12" in preview


def test_a_save_reads_and_writes_a_fixed_handful_of_rows(client, officer, seed):
    """Session, user, the user's permissions (two), the response with the rulebook's rows
    (locked), the answer (locked), then the answer and its history row: the Markdown is
    checked once and nothing is fetched twice (SAVEPOINTs aside, which tests add). The
    person's count of saves (responses/limits.py) is its own table's, before the lock."""
    client.force_login(officer)
    current = answer()
    data = {"text": "Changed words.", "status": current.status, "assignee": "", "version": 1}
    with CaptureQueriesContext(connection) as captured:
        result = client.post(edit_url(seed), data)
    assert result.status_code == 302
    queries = [q["sql"] for q in captured.captured_queries]
    counting = [n for n, sql in enumerate(queries) if '"consult_limit_counts"' in sql]
    locking = min(n for n, sql in enumerate(queries) if '"responses_response"' in sql)
    assert counting
    assert max(counting) < locking
    queries = [sql for sql in queries if '"consult_limit_counts"' not in sql]
    statements = [sql.split()[0] for sql in queries]
    statements = [s for s in statements if s not in ("SAVEPOINT", "RELEASE")]
    assert statements == ["SELECT"] * 6 + ["UPDATE", "INSERT"]
    tables = [sql for sql in queries if sql.startswith("SELECT")]
    assert '"responses_response"' in tables[4].split("FROM")[1]
    assert '"responses_answer"' in tables[5].split("FROM")[1]


def test_the_editor_offers_the_councils_position_and_saves_it(client, officer, seed):
    client.force_login(officer)
    html = client.get(edit_url(seed)).content.decode()
    assert 'name="position"' in html
    assert ">Partly agrees</option>" in html

    result = post(client, seed, position="partly_agrees")

    assert result.status_code == 302
    saved = answer()
    assert (saved.position, saved.version) == ("partly_agrees", 2)
    assert saved.history.latest().position == "partly_agrees"


def test_an_unknown_position_is_a_form_error_and_nothing_is_saved(client, officer, seed):
    client.force_login(officer)
    result = post(client, seed, text="Words kept.", position="maybe")
    assert result.status_code == 400
    assert "Choose a position from the list." in result.content.decode()
    assert (answer().position, answer().version) == ("", 1)


def test_a_post_without_a_position_keeps_the_one_set(client, officer, seed):
    Answer.objects.filter(question__number="12").update(position="disagrees")
    client.force_login(officer)
    assert post(client, seed, text="Other words.").status_code == 302
    assert answer().position == "disagrees"


def test_a_stale_save_offers_their_position_on_the_conflict_page_and_loses_neither(
    officer, lead, seed
):
    first, second = Client(), Client()
    first.force_login(lead)
    second.force_login(officer)
    assert post(first, seed, text="The lead's words.", position="agrees").status_code == 302

    result = post(second, seed, text="The officer's words.", version=1, position="disagrees")

    assert result.status_code == 409
    html = result.content.decode()
    assert '<option value="disagrees" selected>Disagrees</option>' in html
    assert answer().position == "agrees"


def test_a_refused_save_reads_its_text_in_one_parse(client, officer, seed, monkeypatch):
    """The checks' parse is the page's preview too, references and all: a refused save
    of a long text costs one parse, as a preview does."""
    from markdown_it import MarkdownIt

    parses = []
    whole = MarkdownIt.parse
    monkeypatch.setattr(
        MarkdownIt, "parse", lambda md, src, env=None: parses.append(src) or whole(md, src, env)
    )
    client.force_login(officer)
    text = "See [our plan](/plans/x)\r\nand the answer to question 11.\r\n"  # as a browser sends it
    refused = post(client, seed, text=text)
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "is not a full web address" in html
    assert 'href="#q11"' in html  # the preview still links references
    assert len(parses) == 1
