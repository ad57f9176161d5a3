"""E-mail notifications: who is told of what, once, after the step commits, with a link."""

import pytest
from django.db import transaction

from responses import notifications, workflow
from responses.errors import Invalid
from responses.models import CabinetReport, Consultation, Response
from responses.models.drafting import MAX_TEXT_LENGTH
from tests.edits import edit_answer
from tests.factories import UserFactory
from tests.papers import digest_of

pytestmark = pytest.mark.django_db

SITE = "https://consult.example.gov.uk"
CONSULTATION = "Local Strategic Partnerships: Shaping their future"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE + "/"  # a trailing slash makes no double slash


@pytest.fixture
def sent(mailoutbox, django_capture_on_commit_callbacks):
    """Run a step as a page does, then give the mails it sent once it committed."""

    def run(step, *args, **kwargs):
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            step(*args, **kwargs)
        return list(mailoutbox)

    return run


def submit(response, lead):
    workflow.submit(user=lead, response_id=response.pk, confirm_gaps=True)


def approve(user, response):
    workflow.approve(user=user, response_id=response.pk, seen_digest=digest_of(response))


@transaction.atomic
def then_fail(step, *args) -> None:
    """The step, inside a transaction that something after it makes roll back."""
    step(*args)
    raise RuntimeError("something after the step failed")


def sign_off_link(response) -> str:
    return f"{SITE}/responses/{response.pk}/sign-off/"


def assign(user, response, number, assignee):
    answer = response.answers.get(question__number=number)
    return edit_answer(user, response, number, answer.text, assignee=assignee)


# Sign-off: each step tells the one person who acts next, with the sign-off page.


def test_submitting_tells_the_director_once_with_the_sign_off_page(signing, lead, director, sent):
    [mail] = sent(submit, signing, lead)
    assert mail.to == [director.email]
    assert mail.subject == f"{signing.report.title} is ready for your sign-off"
    assert sign_off_link(signing) in mail.body.splitlines()


def test_the_directors_approval_tells_the_portfolio_holder_and_theirs_the_lead(
    signing, lead, director, portfolio_holder, sent
):
    submit(signing, lead)
    [to_portfolio_holder] = sent(approve, director, signing)
    [to_lead] = sent(approve, portfolio_holder, signing)
    assert to_portfolio_holder.to == [portfolio_holder.email]
    assert to_lead.to == [lead.email]
    assert to_lead.subject == f"{signing.report.title} has been signed off"
    assert sign_off_link(signing) in to_lead.body.splitlines()


def test_a_return_tells_the_lead_with_the_comment(signing, lead, director, sent):
    submit(signing, lead)
    [mail] = sent(
        workflow.return_for_changes,
        user=director,
        response_id=signing.pk,
        comment="Answer question 28.",
    )
    assert mail.to == [lead.email]
    assert mail.subject.endswith("was returned for changes")
    assert sign_off_link(signing) in mail.body.splitlines()
    assert mail.body.endswith("Comment:\nAnswer question 28.\n")


def test_a_withdrawal_tells_the_signatory_it_awaited(signing, lead, director, sent):
    submit(signing, lead)
    [mail] = sent(workflow.withdraw, user=lead, response_id=signing.pk, reason="New figures.")
    assert mail.to == [director.email]
    assert "withdrawn from sign-off" in mail.subject
    assert sign_off_link(signing) in mail.body.splitlines()


def test_reopening_tells_both_signatories_once_each(
    signing, lead, director, portfolio_holder, sent
):
    submit(signing, lead)
    approve(director, signing)
    approve(portfolio_holder, signing)
    mails = sent(workflow.reopen, user=lead, response_id=signing.pk, reason="Cabinet changes.")
    assert sorted(m.to[0] for m in mails) == sorted([director.email, portfolio_holder.email])
    assert all(sign_off_link(signing) in m.body.splitlines() for m in mails)


def test_a_step_that_rolls_back_sends_nothing(
    signing, lead, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as queued, pytest.raises(RuntimeError):
        then_fail(submit, signing, lead)
    assert (queued, mailoutbox) == ([], [])
    signing.refresh_from_db()
    assert signing.status == Response.Status.DRAFTING


def test_an_inactive_lead_is_not_told_it_was_signed_off(
    signing, lead, director, portfolio_holder, sent
):
    submit(signing, lead)
    approve(director, signing)
    lead.is_active = False
    lead.save()
    assert sent(approve, portfolio_holder, signing) == []
    signing.refresh_from_db()
    assert signing.status == Response.Status.SIGNED_OFF


def test_nobody_without_an_address_or_an_account_is_mailed(signing, sent):
    nobody = UserFactory(username="no-address", email="")
    for recipient in (None, nobody):
        assert sent(notifications.sign_off_news, signing, recipient, "is ready") == []


# Assignment: the person given a question is told, with the link to its editor.


def test_a_question_given_to_an_officer_tells_them_once_with_the_link_to_answer_it(
    seed, lead, officer, sent
):
    [mail] = sent(assign, lead, seed, "12", officer)
    assert mail.to == [officer.email]
    assert mail.subject == f"Question 12 of {CONSULTATION} is assigned to you"
    assert f"{SITE}/responses/{seed.pk}/answers/12/edit/" in mail.body.splitlines()
    assert f"{lead.get_full_name()} assigned question 12" in mail.body
    assert "12. We believe that it is important" in mail.body


def test_taking_a_question_yourself_or_keeping_its_assignee_tells_nobody(seed, lead, officer, sent):
    assert sent(assign, lead, seed, "12", lead) == []  # to yourself
    assign(lead, seed, "14", officer)
    assert sent(assign, lead, seed, "14", officer) == []  # nothing changes
    assert sent(edit_answer, officer, seed, "14", "Officer's words") == []  # nor on a save
    assert sent(assign, lead, seed, "14", None) == []  # un-assigned: nobody to tell


def test_an_assignment_that_is_not_saved_tells_nobody(
    seed, lead, officer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        with pytest.raises(Invalid):
            edit_answer(lead, seed, "12", "x" * (MAX_TEXT_LENGTH + 1), assignee=officer)
        with pytest.raises(RuntimeError):
            then_fail(assign, lead, seed, "13", officer)
    assert (queued, mailoutbox) == ([], [])
    assert not seed.answers.filter(assignee=officer).exists()


def test_an_officer_without_an_address_is_assigned_but_not_mailed(seed, lead, officer, sent):
    officer.email = ""
    officer.save()
    assert sent(assign, lead, seed, "12", officer) == []
    assert seed.answers.get(question__number="12").assignee == officer


def test_a_line_break_in_a_title_never_reaches_a_subject(seed, lead, officer, sent):
    Consultation.objects.filter(pk=seed.consultation_id).update(title="Local\nPartnerships")
    CabinetReport.objects.filter(pk=seed.report.pk).update(title="Response to\r\nLocal")
    seed.refresh_from_db()
    [assigned] = sent(assign, lead, seed, "12", officer)
    [submitted] = sent(submit, seed, lead)
    assert assigned.subject == "Question 12 of Local Partnerships is assigned to you"
    assert submitted.subject == "Response to Local is ready for your sign-off"


def test_a_mail_server_that_is_down_does_not_undo_an_assignment(
    seed, lead, officer, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with django_capture_on_commit_callbacks(execute=True):
        assign(lead, seed, "12", officer)
    assert seed.answers.get(question__number="12").assignee == officer
    assert f"Could not e-mail {officer.email} about response {seed.pk}" in caplog.text
