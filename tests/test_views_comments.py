"""The comment pages and endpoints (responses/views/comments.py), and the threads
beside the answer and section editors."""

import pytest
from django.urls import reverse

from responses import comments, roles, services, workflow
from responses.comment_forms import POINTED_PROBLEM
from responses.models import Answer, Comment, Response
from responses.models.review import MAX_COMMENT_LENGTH
from tests.factories import ReportSectionFactory, UserFactory
from tests.html import elements, error_summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper(staffed):
    return staffed(3)


def post_comment(client, user, paper, body, number="1"):
    client.force_login(user)
    return client.post(reverse("answer_comments", args=[paper.pk, number]), {"comment-body": body})


def test_an_officer_comments_from_the_editor_and_goes_back_to_the_thread(client, officer, paper):
    result = post_comment(client, officer, paper, "Is **this** right?")
    made = Comment.objects.get()
    assert result.status_code == 302
    assert result.url == reverse("answer_edit", args=[paper.pk, "1"]) + f"#comment-{made.pk}"
    page = client.get(result.url).content.decode()
    assert 'aria-label="Review"' in page
    assert "Is <strong>this</strong> right?" in page
    assert "on version 1" in page
    assert f'id="comment-{made.pk}"' in page


def test_a_comment_says_when_the_answer_has_moved_on(client, officer, paper):
    post_comment(client, officer, paper, "Shorter, please.")
    for text in ("Two.", "Three."):
        answer = Answer.objects.get(response=paper, question__number="1")
        services.save_answer(
            user=officer,
            response_id=paper.pk,
            number="1",
            text=text,
            status=answer.status,
            assignee=None,
            expected_version=answer.version,
        )
    page = client.get(reverse("answer_edit", args=[paper.pk, "1"])).content.decode()
    assert "made on version 1; the answer is now version 3" in page


def test_markup_in_a_comment_is_escaped(client, officer, paper):
    post_comment(client, officer, paper, "<script>alert(1)</script> <b>hi</b>")
    page = client.get(reverse("answer_comments", args=[paper.pk, "1"])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "<b>hi</b>" not in page


def test_an_empty_comment_is_a_form_error_and_nothing_is_saved(client, officer, paper):
    result = post_comment(client, officer, paper, "   ")
    assert result.status_code == 400
    page = result.content.decode()
    assert "<title>Error:" in page
    assert "Write your comment first." in page
    assert not Comment.objects.exists()


def test_an_oversized_comment_keeps_the_typed_words(client, officer, paper):
    typed = "word " * (MAX_COMMENT_LENGTH // 5) + "over"
    result = post_comment(client, officer, paper, typed)
    assert result.status_code == 400
    page = result.content.decode()
    assert "5,000 characters or fewer" in page
    assert typed.strip()[:200] in page
    assert not Comment.objects.exists()


def test_someone_with_no_role_is_refused_and_another_lead_gets_404(client, outsider, paper):
    other_lead = UserFactory(username="other-lead", groups=[roles.LEAD_OFFICER])
    assert post_comment(client, outsider, paper, "Hello").status_code == 403
    assert post_comment(client, other_lead, paper, "Hello").status_code == 404
    assert not Comment.objects.exists()


def test_an_officer_off_the_team_gets_404(client, paper):
    stranger = UserFactory(username="stranger", groups=[roles.OFFICER])
    assert post_comment(client, stranger, paper, "Hello").status_code == 404
    client.force_login(stranger)
    assert client.get(reverse("answer_comments", args=[paper.pk, "1"])).status_code == 404
    assert not Comment.objects.exists()


def test_a_crafted_post_for_another_responses_question_is_404(client, officer, paper, staffed):
    staffed(5)  # its question 5 is not in `paper`
    assert post_comment(client, officer, paper, "Hi", number="5").status_code == 404
    assert not Comment.objects.exists()


def test_a_crafted_reply_to_another_responses_thread_is_404(client, officer, paper, staffed):
    other = staffed(2)
    theirs = comments.add_comment(user=officer, response_id=other.pk, number="1", body="Theirs")
    client.force_login(officer)
    for view, data in (
        ("comment_reply", {f"reply-{theirs.pk}-body": "Mine"}),
        ("comment_resolve", {}),
    ):
        result = client.post(reverse(view, args=[paper.pk, theirs.pk]), data)
        assert result.status_code == 404
    assert Comment.objects.count() == 1
    assert not Comment.objects.get().is_resolved


def test_reply_resolve_and_reopen_go_back_to_the_thread(client, officer, lead, paper):
    root = comments.add_comment(user=officer, response_id=paper.pk, number="2", body="Why?")
    client.force_login(lead)
    back = reverse("answer_edit", args=[paper.pk, "2"]) + f"#comment-{root.pk}"

    result = client.post(
        reverse("comment_reply", args=[paper.pk, root.pk]), {f"reply-{root.pk}-body": "Because."}
    )
    assert result.url == back
    assert client.post(reverse("comment_resolve", args=[paper.pk, root.pk])).url == back
    page = client.get(back).content.decode()
    assert '<details class="comment-thread resolved' in page
    assert "Resolved by" in page
    assert client.post(reverse("comment_reopen", args=[paper.pk, root.pk])).url == back
    root.refresh_from_db()
    assert not root.is_resolved
    assert root.replies.get().body == "Because."


def test_an_empty_reply_is_a_form_error_on_the_threads_page(client, officer, paper):
    root = comments.add_comment(user=officer, response_id=paper.pk, number="2", body="Why?")
    client.force_login(officer)
    result = client.post(
        reverse("comment_reply", args=[paper.pk, root.pk]), {f"reply-{root.pk}-body": ""}
    )
    assert result.status_code == 400
    assert "Write your comment first." in result.content.decode()
    assert not root.replies.exists()


def test_a_signatory_reads_and_comments_on_the_threads_page(client, director, paper):
    client.force_login(director)
    page = client.get(reverse("answer_comments", args=[paper.pk, "1"])).content.decode()
    assert "Comments on question 1" in page
    assert "Add comment" in page
    assert "Edit it" not in page
    result = post_comment(client, director, paper, "Cite the Act.")
    made = Comment.objects.get()
    assert result.url == reverse("answer_comments", args=[paper.pk, "1"]) + f"#comment-{made.pk}"


def test_a_signatory_after_sending_is_refused(client, director, lead, paper):
    Response.objects.filter(pk=paper.pk).update(
        status=Response.Status.SIGNED_OFF, sent_to_government_on="2026-03-01"
    )
    result = post_comment(client, director, paper, "Too late")
    assert result.status_code == 409
    assert "its comments are closed" in result.content.decode()
    assert not Comment.objects.exists()
    page = client.get(reverse("answer_comments", args=[paper.pk, "1"])).content.decode()
    assert "Add comment" not in page


def test_comments_on_a_section_beside_its_editor(client, lead, paper):
    section = ReportSectionFactory(report=paper.report, heading="Background")
    client.force_login(lead)
    result = client.post(
        reverse("section_comments", args=[paper.pk, section.pk]), {"comment-body": "More?"}
    )
    made = Comment.objects.get()
    assert result.url == reverse("section_edit", args=[paper.pk, section.pk]) + (
        f"#comment-{made.pk}"
    )
    assert "More?" in client.get(result.url).content.decode()


def test_a_thread_on_a_removed_section_is_listed_with_every_comment(client, lead, paper):
    section = ReportSectionFactory(report=paper.report, heading="Old heading")
    comments.add_comment(user=lead, response_id=paper.pk, section_id=section.pk, body="Gone?")
    services.delete_report_section(user=lead, response_id=paper.pk, section_id=section.pk)
    client.force_login(lead)
    page = client.get(reverse("comments", args=[paper.pk])).content.decode()
    assert "On Old heading" in page
    assert "a section since removed" in page
    assert "Gone?" in page


def test_threads_are_shown_on_the_locked_paper_for_the_team(client, officer, lead, paper):
    workflow.submit(user=lead, response_id=paper.pk, confirm_gaps=True)
    result = post_comment(client, officer, paper, "While it is signed")
    made = Comment.objects.get()
    # the editor is locked: back to the thread's own page
    assert result.url == reverse("answer_comments", args=[paper.pk, "1"]) + f"#comment-{made.pk}"


def test_the_response_page_counts_each_answers_open_threads(client, officer, lead, paper):
    first = comments.add_comment(user=officer, response_id=paper.pk, number="2", body="One")
    comments.add_comment(user=officer, response_id=paper.pk, number="2", body="Two")
    comments.add_comment(user=officer, response_id=paper.pk, number="3", body="Three")
    comments.reply(user=lead, response_id=paper.pk, comment_id=first.pk, body="Not a thread")
    comments.resolve(user=lead, response_id=paper.pk, comment_id=first.pk)
    comments.add_comment(user=officer, response_id=paper.pk, number="1", body="Four")
    comments.resolve(
        user=lead, response_id=paper.pk, comment_id=Comment.objects.get(body="Four").pk
    )
    client.force_login(officer)
    page = client.get(reverse("response", args=[paper.pk])).content.decode()
    assert page.count('class="open-comments"') == 2
    url = reverse("answer_comments", args=[paper.pk, "2"])
    assert f'href="{url}">1 open comment<span' in page
    assert "Three" not in page  # counted, not shown


@pytest.mark.parametrize("questions", [350])
def test_the_response_pages_query_count_does_not_grow_with_comments(
    client, staffed, officer, django_assert_num_queries, questions
):
    response = staffed(questions)
    answers = list(Answer.objects.filter(response=response))
    Comment.objects.bulk_create(
        Comment(
            response=response,
            answer=answer,
            about=f"Question {answer.question_id}",
            made_on_version=1,
            author=officer,
            body=f"Comment {n}",
        )
        for answer in answers
        for n in range(10)
    )
    client.force_login(officer)
    # As tests/test_views_response.py pins it (7: session, user, permissions twice, the
    # response, the team, Appendix 1's sections and answers), the open suggestions
    # counted per answer, who has an answer open now, and one more: the open threads
    # counted per answer.
    with django_assert_num_queries(10):
        page = client.get(reverse("response", args=[response.pk]))
    assert page.status_code == 200
    assert page.content.decode().count("10 open comments") == questions


def _return_with_points(client, director, paper, rows, comment="See the answers I marked."):
    client.force_login(director)
    data = {
        "decision": "return",
        "comment": comment,
        "pointed-TOTAL_FORMS": str(len(rows)),
        "pointed-INITIAL_FORMS": "0",
    }
    for index, (number, body) in enumerate(rows):
        data[f"pointed-{index}-number"] = number
        data[f"pointed-{index}-body"] = body
    return client.post(reverse("decide", args=[paper.pk]), data)


def test_a_signatory_returns_with_comments_pointed_at_answers(client, lead, director, paper):
    workflow.submit(user=lead, response_id=paper.pk, confirm_gaps=True)
    client.force_login(director)
    form = client.get(reverse("sign_off", args=[paper.pk])).content.decode()
    assert "Point comments at answers (optional)" in form
    assert '<option value="3">' in form

    result = _return_with_points(
        client, director, paper, [("2", "Too long."), ("", ""), ("3", "Cite the Act.")]
    )

    assert result.status_code == 302
    paper.refresh_from_db()
    assert paper.status == Response.Status.DRAFTING
    made = list(Comment.objects.order_by("pk"))
    assert [(c.about, c.sign_off.decision) for c in made] == [
        ("Question 2", "returned"),
        ("Question 3", "returned"),
    ]
    # The lead reads the return on the sign-off page, each comment linked to its answer.
    client.force_login(lead)
    page = client.get(reverse("sign_off", args=[paper.pk])).content.decode()
    decisions = page[page.index("Sign-off so far") :]
    editor = reverse("answer_edit", args=[paper.pk, "2"])
    assert f'<a href="{editor}#comment-{made[0].pk}">Question 2</a>: ' in decisions
    assert "Cite the Act." in decisions
    # and on their desk, each open one.
    desk = client.get(reverse("dashboard")).content.decode()
    assert f'href="{editor}#comment-{made[0].pk}">Question 2</a>' in desk
    comments.resolve(user=lead, response_id=paper.pk, comment_id=made[0].pk)
    desk = client.get(reverse("dashboard")).content.decode()
    assert f"#comment-{made[0].pk}" not in desk
    assert f"#comment-{made[1].pk}" in desk


def test_a_pointed_comment_without_words_keeps_everything_typed(client, lead, director, paper):
    workflow.submit(user=lead, response_id=paper.pk, confirm_gaps=True)
    result = _return_with_points(client, director, paper, [("2", "")], comment="My comment.")
    assert result.status_code == 400
    page = result.content.decode()
    assert "Say what should change in the answer to question 2." in page
    assert "My comment." in page
    assert Response.objects.get(pk=paper.pk).status == Response.Status.AWAITING_DIRECTOR
    assert not Comment.objects.exists()


def test_a_return_pointing_at_a_question_not_in_the_response_returns_nothing(
    client, lead, director, paper
):
    workflow.submit(user=lead, response_id=paper.pk, confirm_gaps=True)
    result = _return_with_points(client, director, paper, [("2", "Fine"), ("99", "Where?")])
    assert result.status_code == 400
    assert "This response has no question 99." in result.content.decode()
    assert Response.objects.get(pk=paper.pk).status == Response.Status.AWAITING_DIRECTOR
    assert not Comment.objects.exists()
    assert not paper.report.sign_offs.exists()


def test_every_pointed_row_that_needs_attention_says_so_in_one_go(client, lead, director, paper):
    workflow.submit(user=lead, response_id=paper.pk, confirm_gaps=True)
    result = _return_with_points(client, director, paper, [("99x", "Where?"), ("2", "")])
    assert result.status_code == 400
    page = result.content.decode()
    assert error_summary(page) == [("main", POINTED_PROBLEM)]
    rows = [e.text for e in elements(page) if "pointed-row" in e.classes]
    assert "This response has no question 99x." in rows[0]
    assert "Say what should change in the answer to question 2." in rows[1]
    assert Response.objects.get(pk=paper.pk).status == Response.Status.AWAITING_DIRECTOR
    assert not Comment.objects.exists()


def test_someone_who_may_not_decide_is_refused_before_any_pointed_comment_is_read(
    client, lead, officer, director, paper
):
    workflow.submit(user=lead, response_id=paper.pk, confirm_gaps=True)
    rows = [("2", "![" * 2_000 + str(n)) for n in range(300)]
    result = _return_with_points(client, officer, paper, rows)
    assert result.status_code == 403
    assert Response.objects.get(pk=paper.pk).status == Response.Status.AWAITING_DIRECTOR
    assert not Comment.objects.exists()


def test_a_return_reads_at_most_twenty_pointed_rows_however_many_are_posted(
    client, lead, director, paper
):
    workflow.submit(user=lead, response_id=paper.pk, confirm_gaps=True)
    result = _return_with_points(client, director, paper, [("2", f"Row {n}") for n in range(300)])
    assert result.status_code == 400
    assert "Please submit at most 20 forms." in result.content.decode()
    assert Response.objects.get(pk=paper.pk).status == Response.Status.AWAITING_DIRECTOR
    assert not Comment.objects.exists()


def test_a_signatory_finds_each_answers_comments_from_the_response_page(client, director, paper):
    client.force_login(director)
    page = client.get(reverse("response", args=[paper.pk])).content.decode()
    url = reverse("answer_comments", args=[paper.pk, "2"])
    assert f'<a href="{url}" aria-label="Comments on the answer to question 2">' in page


def test_the_audit_lists_comments_under_their_own_kind(client, officer, lead, paper):
    root = comments.add_comment(user=officer, response_id=paper.pk, number="2", body="Why so?")
    comments.resolve(user=lead, response_id=paper.pk, comment_id=root.pk)
    client.force_login(lead)
    page = client.get(reverse("audit", args=[paper.pk]), {"kind": "comment"}).content.decode()
    assert "Comment on Question 2" in page
    assert "Comments on Question 2 resolved" in page
    assert "Why so?" in page
    assert f'href="{reverse("comments", args=[paper.pk])}"' in page


def test_the_lead_is_emailed_the_return_with_its_pointed_comments(
    lead, director, paper, mailoutbox, django_capture_on_commit_callbacks
):
    lead.email = "lead@example.org"
    lead.save()
    workflow.submit(user=lead, response_id=paper.pk, confirm_gaps=True)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_for_changes(
            user=director, response_id=paper.pk, comment="Back.", pointed=[("2", "Shorter.")]
        )
    (mail,) = mailoutbox
    assert "Back.\n\nOn question 2: Shorter." in mail.body


def test_a_signatory_finds_a_sections_comments_from_the_report_page(client, director, paper):
    section = ReportSectionFactory(report=paper.report, heading="Background")
    client.force_login(director)
    page = client.get(reverse("report", args=[paper.pk])).content.decode()
    url = reverse("section_comments", args=[paper.pk, section.pk])
    assert f'<a href="{url}" aria-label="Comments on Background">Comments</a>' in page
    comments_page = client.get(url).content.decode()
    assert "Comments on “Background”" in comments_page
