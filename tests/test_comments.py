"""Comment threads (responses/comments.py): made, replied to, resolved and reopened
by the team and the signatories, audited, never deleted; bad paths change nothing."""

import datetime

import pytest
from django.db import IntegrityError
from django.urls import reverse

from responses import comments, roles, services, workflow
from responses.errors import Invalid, NotFound, WrongState
from responses.models import Answer, AuditEvent, Comment, Response
from responses.models.review import MAX_COMMENT_LENGTH
from tests import pdfs, words
from tests.factories import ReportSectionFactory, UserFactory
from tests.papers import digest_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper(staffed):
    return staffed(3)


def comment(user, response, body="Is this right?", **target):
    target = target or {"number": "1"}
    return comments.add_comment(user=user, response_id=response.pk, body=body, **target)


def save(user, response, number, text):
    answer = Answer.objects.get(response=response, question__number=number)
    return services.save_answer(
        user=user,
        response_id=response.pk,
        number=number,
        text=text,
        status=answer.status,
        assignee=answer.assignee,
        expected_version=answer.version,
    )


def test_an_officer_on_the_team_comments_on_an_answer_at_its_version(paper, officer):
    made = comment(officer, paper, "Should we cite the **2019** survey?")

    answer = Answer.objects.get(response=paper, question__number="1")
    assert (made.answer, made.section, made.about) == (answer, None, "Question 1")
    assert made.made_on_version == answer.version
    assert made.author == officer
    assert made.parent is None
    assert not made.is_resolved
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.COMMENTED)
    assert (event.actor, event.summary) == (officer, "Comment on Question 1")
    assert event.comment == "Should we cite the **2019** survey?"


def test_a_comment_keeps_the_version_it_was_made_on_as_the_answer_moves_on(paper, officer):
    made = comment(officer, paper)
    save(officer, paper, "1", "New words.")
    made.refresh_from_db()
    assert made.made_on_version == 1
    assert made.answer.version == 2


def test_each_signatory_and_the_lead_and_an_administrator_comment(
    paper, lead, director, portfolio_holder, administrator
):
    for user in (lead, director, portfolio_holder, administrator):
        comment(user, paper, f"From {user.username}")
    assert Comment.objects.count() == 4


def test_a_signatory_comments_while_the_paper_awaits_them(paper, lead, director):
    workflow.submit(user=lead, response_id=paper.pk, confirm_gaps=True)
    made = comment(director, paper, "Tighten this.")
    assert made.author == director


def test_an_officer_not_on_the_team_cannot_comment(paper):
    stranger = UserFactory(username="stranger", groups=[roles.OFFICER])
    with pytest.raises(NotFound):
        comment(stranger, paper)
    assert not Comment.objects.exists()


def test_another_responses_answer_is_not_found_and_nothing_is_saved(paper, officer, staffed):
    other = staffed(5)
    with pytest.raises(NotFound):
        comment(officer, paper, number="5")  # question 5 is only the other response's
    assert not Comment.objects.exists()
    assert not AuditEvent.objects.exists()
    assert other.comments.count() == 0


def test_another_reports_section_is_not_found(paper, officer, staffed):
    elsewhere = ReportSectionFactory(report=staffed(2).report)
    with pytest.raises(NotFound):
        comment(officer, paper, section_id=elsewhere.pk)
    assert not Comment.objects.exists()


def test_a_reply_to_another_responses_thread_is_not_found(paper, officer, staffed):
    other = staffed(2)
    theirs = comment(officer, other)
    with pytest.raises(NotFound):
        comments.reply(user=officer, response_id=paper.pk, comment_id=theirs.pk, body="Hi")
    with pytest.raises(NotFound):
        comments.resolve(user=officer, response_id=paper.pk, comment_id=theirs.pk)
    assert Comment.objects.count() == 1
    assert not Comment.objects.get().is_resolved


@pytest.mark.parametrize("body", ["", "   ", "\n\n", "…"])
def test_an_empty_comment_is_refused(paper, officer, body):
    with pytest.raises(Invalid, match="Write your comment first"):
        comment(officer, paper, body)
    assert not Comment.objects.exists()


def test_an_oversized_comment_is_refused(paper, officer):
    with pytest.raises(Invalid, match="5,000 characters or fewer"):
        comment(officer, paper, "a" * (MAX_COMMENT_LENGTH + 1))
    assert not Comment.objects.exists()
    assert comment(officer, paper, "a" * MAX_COMMENT_LENGTH).body == "a" * MAX_COMMENT_LENGTH


def test_a_comment_with_an_unsafe_link_is_refused(paper, officer):
    with pytest.raises(Invalid):
        comment(officer, paper, "[click](javascript:alert(1))")
    assert not Comment.objects.exists()


def test_a_reply_to_a_reply_joins_the_thread(paper, officer, lead):
    root = comment(officer, paper)
    first = comments.reply(user=lead, response_id=paper.pk, comment_id=root.pk, body="Yes.")
    second = comments.reply(user=officer, response_id=paper.pk, comment_id=first.pk, body="OK.")
    assert first.parent == root
    assert second.parent == root
    assert list(root.replies.order_by("pk")) == [first, second]
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.COMMENT_REPLIED).count() == 2


def test_resolve_and_reopen_are_the_threads_and_audited(paper, officer, director):
    root = comment(officer, paper)
    reply = comments.reply(user=director, response_id=paper.pk, comment_id=root.pk, body="Done?")

    comments.resolve(user=director, response_id=paper.pk, comment_id=reply.pk)
    root.refresh_from_db()
    assert root.is_resolved
    assert root.resolved_by == director
    with pytest.raises(WrongState, match="already resolved"):
        comments.resolve(user=officer, response_id=paper.pk, comment_id=root.pk)

    comments.reopen(user=officer, response_id=paper.pk, comment_id=root.pk)
    root.refresh_from_db()
    assert not root.is_resolved
    assert root.resolved_by is None
    with pytest.raises(WrongState, match="open already"):
        comments.reopen(user=officer, response_id=paper.pk, comment_id=root.pk)
    kinds = list(AuditEvent.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["commented", "comment_replied", "comment_resolved", "comment_reopened"]


def test_comments_are_made_in_every_state_until_the_paper_is_sent(paper, lead, director):
    for status in Response.Status.values:
        Response.objects.filter(pk=paper.pk).update(status=status)
        comment(director, paper, f"In {status}")
    Response.objects.filter(pk=paper.pk).update(sent_to_government_on=datetime.date(2026, 3, 1))
    with pytest.raises(WrongState, match="sent to government"):
        comment(director, paper, "Too late")
    root = Comment.objects.first()
    with pytest.raises(WrongState, match="sent to government"):
        comments.resolve(user=lead, response_id=paper.pk, comment_id=root.pk)
    assert Comment.objects.count() == len(Response.Status.values)


def test_a_comment_on_a_removed_section_stays_readable(paper, lead):
    section = ReportSectionFactory(report=paper.report, heading="Financial implications")
    made = comment(lead, paper, "Add the cost.", section_id=section.pk)
    services.delete_report_section(user=lead, response_id=paper.pk, section_id=section.pk)
    made.refresh_from_db()
    assert made.section is None
    assert made.target is None
    assert (made.about, made.body) == ("Financial implications", "Add the cost.")
    reply = comments.reply(user=lead, response_id=paper.pk, comment_id=made.pk, body="Added.")
    assert reply.about == "Financial implications"


def test_a_comment_is_about_one_thing_only(paper, officer):
    made = comment(officer, paper)
    made.section = ReportSectionFactory(report=paper.report)
    with pytest.raises(IntegrityError):
        made.save()


def test_a_mention_of_someone_on_the_paper_emails_them(
    paper, officer, lead, director, mailoutbox, django_capture_on_commit_callbacks
):
    lead.first_name, lead.last_name, lead.email = "Lena", "Lead", "lena@example.org"
    lead.save()
    director.email = "director@example.org"
    director.save()
    with django_capture_on_commit_callbacks(execute=True):
        comment(officer, paper, "@Lena Lead and @director: see this. @nobody is unknown.")
    assert sorted(m.to[0] for m in mailoutbox) == ["director@example.org", "lena@example.org"]
    mail = mailoutbox[0]
    assert "mentioned you in a comment on Question 1" in mail.subject
    assert "see this" in mail.body
    assert f"/responses/{paper.pk}/answers/1/comments/#comment-" in mail.body


def test_a_mention_in_a_refused_comment_emails_nobody(
    paper, officer, lead, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Invalid):
        comment(officer, paper, "@lead " + "a" * MAX_COMMENT_LENGTH)
    assert mailoutbox == []


def test_mentions_match_usernames_and_full_names_and_nothing_else(paper, officer, lead):
    lead.first_name, lead.last_name = "Lena", "Lead"
    people = [officer, lead]
    assert comments.mentioned("Ask @officer.", people) == [officer]
    assert comments.mentioned("Ask @LENA   lead, please", people) == [lead]
    assert comments.mentioned("mail officer@lead.example or @leader", people) == []
    assert comments.mentioned("@Lena Leadership", people) == []


def test_a_return_points_comments_at_answers_in_its_transaction(paper, lead, director):
    workflow.submit(user=lead, response_id=paper.pk, confirm_gaps=True)
    sign_off = workflow.return_for_changes(
        user=director,
        response_id=paper.pk,
        comment="See my comments.",
        pointed=[("2", "Too long."), ("3", "Cite the Act.")],
    )
    made = list(sign_off.comments.order_by("pk"))
    assert [(c.about, c.body, c.author) for c in made] == [
        ("Question 2", "Too long.", director),
        ("Question 3", "Cite the Act.", director),
    ]


def test_a_return_pointing_at_a_question_not_in_the_response_changes_nothing(paper, lead, director):
    workflow.submit(user=lead, response_id=paper.pk, confirm_gaps=True)
    with pytest.raises(Invalid, match="no question 99"):
        workflow.return_for_changes(
            user=director,
            response_id=paper.pk,
            comment="See my comments.",
            pointed=[("2", "Too long."), ("99", "Where?")],
        )
    paper.refresh_from_db()
    assert paper.status == Response.Status.AWAITING_DIRECTOR
    assert not Comment.objects.exists()
    assert not paper.report.sign_offs.exists()


def test_a_return_with_an_empty_pointed_comment_changes_nothing(paper, lead, director):
    workflow.submit(user=lead, response_id=paper.pk, confirm_gaps=True)
    with pytest.raises(Invalid):
        workflow.return_for_changes(
            user=director, response_id=paper.pk, comment="Back.", pointed=[("2", " ")]
        )
    assert Response.objects.get(pk=paper.pk).status == Response.Status.AWAITING_DIRECTOR


def test_an_approval_is_unaffected_by_comments(paper, lead, director):
    workflow.submit(user=lead, response_id=paper.pk, confirm_gaps=True)
    before = digest_of(paper)
    comment(director, paper, "Fine by me.")
    assert digest_of(paper) == before


def test_comments_are_never_printed_in_any_document(client, paper, officer, lead, director):
    """The paper, the response's documents and its copy page hold the answers, never
    a word of the comments on them (nor of those pointed at answers by a return)."""
    section = ReportSectionFactory(report=paper.report, heading="Background", body="Words.")
    root = comment(officer, paper, "Secret thread about the wording")
    comments.reply(user=lead, response_id=paper.pk, comment_id=root.pk, body="Secret reply")
    comment(lead, paper, "Secret on a section", section_id=section.pk)
    workflow.submit(user=lead, response_id=paper.pk, confirm_gaps=True)
    workflow.return_for_changes(
        user=director,
        response_id=paper.pk,
        comment="Returned.",
        pointed=[("2", "Secret pointed comment")],
    )
    assert Comment.objects.count() == 4
    client.force_login(lead)

    def get(name: str) -> bytes:
        result = client.get(reverse(name, args=[paper.pk]))
        assert result.status_code == 200, name
        return result.content

    printed = {
        "cabinet_paper_pdf": pdfs.text(get("cabinet_paper_pdf")),
        "cabinet_paper_docx": words.text(get("cabinet_paper_docx")),
        "response_docx": words.text(get("response_docx")),
        "response_csv": get("response_csv").decode(),
        "response_json": get("response_json").decode(),
        "copy_answers": get("copy_answers").decode(),
    }
    for name, text in printed.items():
        assert "Answer 1" in text, name  # the answers are there
        assert "Secret" not in text, name


def test_an_answer_keeps_at_most_its_share_of_comments(paper, officer):
    answer = Answer.objects.get(response=paper, question__number="1")
    Comment.objects.bulk_create(
        Comment(
            response=paper,
            answer=answer,
            about="Question 1",
            made_on_version=1,
            author=officer,
            body=f"Comment {n}",
        )
        for n in range(comments.MOST_COMMENTS)
    )
    with pytest.raises(Invalid, match="has 200 comments, the most it keeps"):
        comment(officer, paper, "One more")
    assert Comment.objects.count() == comments.MOST_COMMENTS
    comment(officer, paper, "On another answer", number="2")
