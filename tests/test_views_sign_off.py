"""The sign-off page `/responses/<id>/sign-off/` and the audit page."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from responses import comments, suggestions, workflow
from responses.models import AuditEvent, Response, SignOff
from tests.html import text
from tests.papers import digest_of

pytestmark = pytest.mark.django_db


def approve(user, response):
    """Approve as a signatory does: having read the paper as it is now."""
    return workflow.approve(user=user, response_id=response.pk, seen_digest=digest_of(response))


Status = Response.Status


def page(client, user, response) -> str:
    client.force_login(user)
    result = client.get(reverse("sign_off", args=[response.pk]))
    assert result.status_code == 200
    return result.content.decode()


def to_director(signing, lead):
    workflow.submit(user=lead, response_id=signing.pk, confirm_gaps=True)


def test_the_page_shows_the_paper_as_it_will_print(client, officer, signing):
    html = page(client, officer, signing)
    assert "The paper as it will print (DRAFT: not signed off)" in html
    assert "Portfolio:</strong> Councillor Tom Ansell, Leader" in html
    assert 'id="q12"' in html
    assert "Appendix 2" in html


def test_the_page_shows_the_papers_version_as_its_documents_print_it(
    client, officer, lead, director, signing
):
    version = digest_of(signing)[:8]
    assert f"is version <code>{version}</code>" in page(client, officer, signing)

    to_director(signing, lead)
    approve(director, signing)
    html = page(client, officer, signing)

    decisions = html[html.index("Sign-off so far") :]
    assert "approved</strong> on " in decisions
    assert f", version <code>{version}</code>" in decisions


def test_lead_sees_submit_and_others_do_not(client, lead, officer, director, signing):
    assert ">Submit for sign-off</button>" in page(client, lead, signing)
    for user in (officer, director):
        html = page(client, user, signing)
        assert "Submit for sign-off</button>" not in html
        assert ">Approve</button>" not in html


def test_submitting_with_gaps_lists_them_and_asks_again(client, lead, signing):
    client.force_login(lead)
    result = client.post(reverse("submit", args=[signing.pk]))
    assert result.status_code == 409
    html = result.content.decode()
    assert "Not everything is finished" in html
    assert 'href="#q28"' in html  # to the question in the paper on this page
    assert 'id="q28"' in html
    assert "Submit for sign-off as it is" in html
    signing.refresh_from_db()
    assert signing.status == Status.DRAFTING

    result = client.post(reverse("submit", args=[signing.pk]), {"confirm_gaps": "yes"})
    assert result.status_code == 302
    signing.refresh_from_db()
    assert signing.status == Status.AWAITING_DIRECTOR


def test_the_named_director_sees_approve_and_return(client, lead, director, signing):
    to_director(signing, lead)
    html = page(client, director, signing)
    assert ">Approve</button>" in html
    assert ">Return</button>" in html
    assert 'name="comment"' in html


def test_others_see_whose_turn_it_is(client, lead, portfolio_holder, officer, signing):
    to_director(signing, lead)
    for user in (lead, portfolio_holder, officer):
        html = page(client, user, signing)
        assert "Awaiting the Executive Director" in html
        assert ">Approve</button>" not in html


def test_return_without_a_comment_is_a_form_error(client, lead, director, signing):
    to_director(signing, lead)
    client.force_login(director)
    result = client.post(reverse("decide", args=[signing.pk]), {"decision": "return"})
    assert result.status_code == 400
    assert (
        "Enter a comment: say what should change before you return it." in result.content.decode()
    )
    signing.refresh_from_db()
    assert signing.status == Status.AWAITING_DIRECTOR
    assert not SignOff.objects.exists()


def test_return_with_a_comment_goes_back_to_drafting(client, lead, director, signing):
    to_director(signing, lead)
    client.force_login(director)
    result = client.post(
        reverse("decide", args=[signing.pk]),
        {"decision": "return", "comment": "Please answer 28."},
        follow=True,
    )
    assert "Returned to the lead officer" in result.content.decode()
    signing.refresh_from_db()
    assert signing.status == Status.DRAFTING
    assert "Please answer 28." in page(client, lead, signing)


def test_approval_by_the_wrong_person_changes_nothing(client, lead, portfolio_holder, signing):
    to_director(signing, lead)
    client.force_login(portfolio_holder)
    result = client.post(
        reverse("decide", args=[signing.pk]),
        {"decision": "approve", "digest": digest_of(signing)},
        follow=True,
    )
    assert "It awaits the Executive Director" in result.content.decode()
    assert not SignOff.objects.exists()


def test_a_double_click_on_approve_records_one_approval(client, lead, director, signing):
    to_director(signing, lead)
    client.force_login(director)
    client.post(
        reverse("decide", args=[signing.pk]),
        {"decision": "approve", "digest": digest_of(signing)},
    )
    second = client.post(
        reverse("decide", args=[signing.pk]),
        {"decision": "approve", "digest": digest_of(signing)},
        follow=True,
    )
    assert "It awaits the Portfolio Holder" in second.content.decode()
    assert SignOff.objects.count() == 1


def test_an_unknown_decision_changes_nothing(client, lead, director, signing):
    to_director(signing, lead)
    client.force_login(director)
    result = client.post(reverse("decide", args=[signing.pk]), {"decision": "publish"}, follow=True)
    assert "Choose Approve or Return." in result.content.decode()
    assert not SignOff.objects.exists()


def test_decisions_need_the_csrf_token(lead, director, signing):
    to_director(signing, lead)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(director)
    assert (
        strict.post(
            reverse("decide", args=[signing.pk]),
            {"decision": "approve", "digest": digest_of(signing)},
        ).status_code
        == 403
    )
    assert not SignOff.objects.exists()


def test_get_is_not_a_decision(client, lead, director, signing):
    to_director(signing, lead)
    client.force_login(director)
    for name in ("submit", "decide", "record"):
        assert client.get(reverse(name, args=[signing.pk])).status_code == 405


def test_recording_the_decision_and_sending(client, lead, director, portfolio_holder, signing):
    to_director(signing, lead)
    approve(director, signing)
    approve(portfolio_holder, signing)
    client.force_login(lead)
    assert "Record decision" in page(client, lead, signing)
    bad = client.post(reverse("record", args=[signing.pk]), {"decision": "maybe"})
    assert bad.status_code == 400
    decided = {"decision": "agreed", "decided_on": timezone.localdate().isoformat()}
    client.post(reverse("record", args=[signing.pk]), {**decided, "minute": "Minute 12/26"})
    assert "Record sending" in page(client, lead, signing)
    bad = client.post(reverse("record", args=[signing.pk]), {"sent_on": "not a date"})
    assert bad.status_code == 400
    assert "Enter the date the response was sent as a real date" in bad.content.decode()
    empty = client.post(reverse("record", args=[signing.pk]), {"sent_on": ""})
    assert "Enter the date the response was sent to government." in empty.content.decode()
    today = timezone.localdate()
    client.post(reverse("record", args=[signing.pk]), {"sent_on": today.isoformat()})
    signing.refresh_from_db()
    assert (signing.cabinet_decision, signing.sent_to_government_on) == ("agreed", today)


def test_a_user_in_no_role_is_refused(client, outsider, signing):
    client.force_login(outsider)
    assert client.get(reverse("sign_off", args=[signing.pk])).status_code == 403
    assert client.post(reverse("submit", args=[signing.pk])).status_code == 403


def test_audit_page_lists_edits_and_steps_with_comments(client, lead, director, signing):
    to_director(signing, lead)
    workflow.return_for_changes(user=director, response_id=signing.pk, comment="Needs work.")
    client.force_login(lead)
    html = client.get(reverse("audit", args=[signing.pk])).content.decode()
    assert "Submitted for sign-off" in html
    assert "Returned for changes" in html
    assert "Needs work." in html
    assert "Answer to question 12 created" in html
    assert "Report section “Recommendations” created" in html
    assert html.index("Returned for changes") < html.index("Submitted for sign-off")


@pytest.mark.parametrize("events", [1, 30])
def test_audit_query_count_is_fixed(client, lead, signing, django_assert_num_queries, events):
    for _ in range(events):
        AuditEvent.objects.create(response=signing, kind="submitted", actor=lead, summary="x")
    client.force_login(lead)
    # session, user, permissions (own, groups), the response; question numbers,
    # answer history, section history, report history, audit events.
    with django_assert_num_queries(10):
        assert client.get(reverse("audit", args=[signing.pk])).status_code == 200


@pytest.mark.parametrize("questions", [35, 350])
def test_sign_off_page_query_count_does_not_grow_with_questions(
    client, staffed, lead, director, django_assert_num_queries, questions
):
    response = staffed(questions)
    workflow.submit(user=lead, response_id=response.pk, confirm_gaps=True)
    response.refresh_from_db()
    assert (response.status, response.submission_round) == (Status.AWAITING_DIRECTOR, 1)
    client.force_login(director)
    # 1 the session; 2 the user; 3 the response, with its consultation, report and the
    # report's lead officer, director and portfolio holder (`for_rules`); 4, 5 the
    # director's own and group permissions. The paper: 6 its sections; 7 its answers
    # with their questions and assignees; 8 the report's sections; 9 its sign-offs with
    # their users. Whose turn it is comes from the report's users already read. 10 the
    # council's settings the paper prints with; 11 the submissions, withdrawals and
    # reopenings with who took them (the steps of sign-off, however many); 12 what the
    # director was shown before; 13, 14 the open comment threads and suggestions the
    # paper's gaps list; the first time, 15, 16 record what is shown now.
    with django_assert_num_queries(16):
        assert client.get(reverse("sign_off", args=[response.pk])).status_code == 200
    with django_assert_num_queries(14):
        assert client.get(reverse("sign_off", args=[response.pk])).status_code == 200


def test_the_sign_off_page_says_when_the_awaited_signatory_has_left(
    client, signing, lead, director
):
    workflow.submit(user=lead, response_id=signing.pk, confirm_gaps=True)
    director.is_active = False
    director.save()
    client.force_login(lead)
    html = client.get(reverse("sign_off", args=[signing.pk])).content.decode()
    assert "account is deactivated, so they cannot sign" in html
    assert "An administrator must name another Executive Director" in html


def test_the_signatory_sees_what_they_are_signing_before_the_paper(client, signing, lead, director):
    section = signing.report.sections.order_by("position").last()
    section.body = ""
    section.save()
    to_director(signing, lead)

    html = page(client, director, signing)

    summary = html.index("What you are signing")
    assert summary < html.index("The paper as it will print")
    assert "5 questions unanswered: " in html
    for number in ["28", "32", "33", "34", "35"]:
        assert f'<a href="#q{number}">{number}</a>' in html
    assert "30 answers not agreed" in html
    assert f'<a href="#report-section-{section.pk}">{section.heading}</a>' in html
    assert f'id="report-section-{section.pk}"' in html


def test_approve_says_what_is_approved_and_return_is_its_own_form(client, signing, lead, director):
    to_director(signing, lead)

    html = page(client, director, signing)

    approve_form = html[html.index('id="approve-title"') : html.index('id="return-title"')]
    assert "submission 1" in approve_form
    assert digest_of(signing)[:8] in approve_form
    assert "Comment" not in approve_form
    assert approve_form.count("<textarea") == 0


def test_a_return_without_a_comment_shows_the_error_summary_linking_to_the_field(
    client, signing, lead, director
):
    to_director(signing, lead)
    client.force_login(director)

    result = client.post(reverse("decide", args=[signing.pk]), {"decision": "return"})

    html = result.content.decode()
    assert result.status_code == 400
    assert html.index("There is a problem") < html.index("The paper as it will print")
    assert '<a href="#id_comment">Enter a comment' in html
    assert "<title>Error: Sign-off" in html
    signing.refresh_from_db()
    assert signing.status == Status.AWAITING_DIRECTOR


def test_after_a_return_the_director_sees_exactly_what_changed(client, signing, lead, director):
    from tests.edits import edit_answer

    to_director(signing, lead)
    page(client, director, signing)  # the director reads submission 1
    workflow.return_for_changes(user=director, response_id=signing.pk, comment="Say more on 4.")
    edit_answer(lead, signing, "4", "Yes, **with** the changes we set out.")
    to_director(signing, lead)

    html = page(client, director, signing)

    changes = html[
        html.index("What changed since you saw submission 1") : html.index(
            "The paper as it will print"
        )
    ]
    assert "1 change." in changes
    assert "Answer to question 4" in changes
    assert '<a href="#q4">' in changes
    assert "<p>Yes<ins>, with the changes we set out.</ins></p>" in changes
    assert "**" not in changes
    assert "question 5" not in changes.lower()


def test_a_director_who_saw_nothing_before_sees_no_list_of_changes(client, signing, lead, director):
    to_director(signing, lead)
    assert "What changed since you saw" not in page(client, director, signing)


def test_the_lead_withdraws_from_the_page_with_a_reason(client, signing, lead, director):
    to_director(signing, lead)
    client.force_login(lead)
    assert (
        "Withdraw from sign-off</button>"
        in client.get(reverse("sign_off", args=[signing.pk])).content.decode()
    )

    empty = client.post(reverse("withdraw", args=[signing.pk]), {"reason": " "})
    assert empty.status_code == 400
    assert '<a href="#id_reason">Enter the reason' in empty.content.decode()
    signing.refresh_from_db()
    assert signing.status == Status.AWAITING_DIRECTOR

    done = client.post(reverse("withdraw", args=[signing.pk]), {"reason": "New figures."})
    assert done.status_code == 302
    signing.refresh_from_db()
    assert signing.status == Status.DRAFTING
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.WITHDRAWN, comment="New figures."
    ).exists()


def test_the_lead_reopens_a_signed_off_paper_and_draft_comes_back(
    client, signing, lead, director, portfolio_holder
):
    to_director(signing, lead)
    approve(director, signing)
    approve(portfolio_holder, signing)
    client.force_login(lead)

    result = client.post(reverse("reopen", args=[signing.pk]), {"reason": "Cabinet's changes."})

    assert result.status_code == 302
    html = client.get(result["Location"]).content.decode()
    assert "The paper as it will print (DRAFT: not signed off)" in html
    assert "Reopened for changes" in html


@pytest.mark.parametrize("who", ["director", "officer", "administrator"])
def test_nobody_but_the_lead_withdraws_or_reopens(client, request, signing, lead, who):
    to_director(signing, lead)
    client.force_login(request.getfixturevalue(who))

    result = client.post(reverse("withdraw", args=[signing.pk]), {"reason": "Mine now."})

    assert result.status_code == 403
    signing.refresh_from_db()
    assert signing.status == Status.AWAITING_DIRECTOR


def test_withdrawing_a_paper_in_drafting_says_there_is_nothing_to_withdraw(client, signing, lead):
    client.force_login(lead)
    result = client.post(
        reverse("withdraw", args=[signing.pk]), {"reason": "Why not."}, follow=True
    )
    assert "there is nothing to withdraw" in result.content.decode()
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.WITHDRAWN).exists()


def _timeline(html: str) -> str:
    start = html.index('id="timeline-title"')
    return html[start : html.index("</ol>", start)]


def test_the_reasons_for_a_withdrawal_and_a_reopening_are_on_the_page_in_order(
    client, signing, lead, director, portfolio_holder
):
    to_director(signing, lead)
    workflow.withdraw(user=lead, response_id=signing.pk, reason="The figures in 3.2 are wrong.")
    to_director(signing, lead)
    approve(director, signing)
    approve(portfolio_holder, signing)
    workflow.reopen(user=lead, response_id=signing.pk, reason="Cabinet asked for changes to Q7.")

    timeline = _timeline(page(client, director, signing))

    steps = [
        "Submitted for sign-off",
        "Withdrawn from sign-off",
        "The figures in 3.2 are wrong.",
        "Submitted for sign-off",
        "approved",
        "approved",
        "Reopened for changes",
        "Cabinet asked for changes to Q7.",
    ]
    at = 0
    for step in steps:
        found = timeline.find(step, at)
        assert found >= 0, f"{step!r} not found after position {at}"
        at = found + len(step)


def test_a_return_is_on_the_timeline_with_its_comment_and_who_returned_it(
    client, signing, lead, director
):
    to_director(signing, lead)
    workflow.return_for_changes(user=director, response_id=signing.pk, comment="Shorter, please.")

    timeline = _timeline(page(client, lead, signing))

    assert "returned" in timeline
    assert "Shorter, please." in timeline
    assert timeline.index("Submitted for sign-off") < timeline.index("Shorter, please.")


def test_a_reason_is_escaped_on_the_timeline(client, signing, lead):
    to_director(signing, lead)
    workflow.withdraw(user=lead, response_id=signing.pk, reason="<script>alert(1)</script> x")

    timeline = _timeline(page(client, lead, signing))

    assert "<script>" not in timeline
    assert "&lt;script&gt;alert(1)&lt;/script&gt; x" in timeline


@pytest.mark.parametrize("rounds", [1, 6])
def test_the_steps_of_sign_off_cost_one_query_however_many(
    client, signing, lead, django_assert_num_queries, rounds
):
    for _ in range(rounds):
        to_director(signing, lead)
        workflow.withdraw(user=lead, response_id=signing.pk, reason="Again.")
    client.force_login(lead)
    # session, user, the lead's own and group permissions, the response (for_rules);
    # the paper's sections, answers, report sections, sign-offs; the council's settings;
    # the steps of sign-off (one query, whatever their number).
    with django_assert_num_queries(11):
        html = client.get(reverse("sign_off", args=[signing.pk])).content.decode()
    assert _timeline(html).count("Again.") == rounds


def test_several_open_threads_and_suggestions_on_one_question_name_it_once(client, staffed, lead):
    response = staffed(3)
    for body in ("Check the figure.", "And the date."):
        comments.add_comment(user=lead, response_id=response.pk, number="2", body=body)
    answer = response.answers.get(question__number="3")
    for words in ("Better words.", "Other words."):
        suggestions.suggest(
            user=lead,
            response_id=response.pk,
            number="3",
            text=words,
            made_on_version=answer.version,
        )
    client.force_login(lead)

    words = text(client.post(reverse("submit", args=[response.pk])).content.decode())

    assert "2 comment threads still open: Question 2 (2)" in words
    assert "2 suggestions not yet accepted or rejected, on question 3 (2)" in words


def test_submitting_lists_open_comments_and_suggestions_as_unfinished(client, staffed, lead):
    response = staffed(3)
    comments.add_comment(user=lead, response_id=response.pk, number="2", body="Check the figure.")
    answer = response.answers.get(question__number="3")
    suggestions.suggest(
        user=lead,
        response_id=response.pk,
        number="3",
        text="Better words.",
        made_on_version=answer.version,
    )
    client.force_login(lead)
    page = client.post(reverse("submit", args=[response.pk]))
    assert page.status_code == 409
    words = text(page.content.decode())
    assert "1 comment thread still open: Question 2" in words
    assert "1 suggestion not yet accepted or rejected, on question 3" in words
    assert Response.objects.get(pk=response.pk).status == Status.DRAFTING
