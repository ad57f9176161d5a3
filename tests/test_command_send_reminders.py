"""`manage.py send_reminders [--today YYYY-MM-DD] [--dry-run]`, run daily.

The seed's Cabinet meets on Wednesday 1 March 2006; its report is due seven working
days before, on Monday 20 February; with the default of 3 days, the reminder goes on
Friday 17 February (or on any later day up to the deadline, if a run was missed).
"""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from responses.models import Answer, CabinetReport, CouncilSettings, ReminderSent, Response
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SITE = "https://consult.example.gov.uk"
THREE_DAYS_BEFORE = "2006-02-17"
UNANSWERED = ["28", "32", "33", "34", "35"]


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def drafting(seed, officer):
    """The seed as `make run` leaves it: its unanswered questions assigned to the officer."""
    Answer.objects.filter(text="").update(assignee=officer)
    return seed


@pytest.fixture
def run(mailoutbox, django_capture_on_commit_callbacks):
    """Run the command as cron does; give what it printed and the mails it sent."""

    def run_on(today: str, *args: str) -> tuple[str, list]:
        out = io.StringIO()
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", f"--today={today}", *args, stdout=out)
        return out.getvalue(), list(mailoutbox)

    return run_on


def test_three_days_before_the_deadline_the_lead_and_the_officer_are_reminded_once(
    drafting, lead, officer, run
):
    out, mails = run(THREE_DAYS_BEFORE)

    to_lead, to_officer = sorted(mails, key=lambda m: m.to != [lead.email])
    assert (to_lead.to, to_officer.to) == ([lead.email], [officer.email])
    title = drafting.report.title
    for mail in mails:
        assert mail.subject == f"Reminder: {title} is due on Monday 20 February 2006"
        assert "due with democratic services on Monday 20 February 2006: in 3 days." in mail.body
        assert f"{SITE}/responses/{drafting.pk}/" in mail.body.splitlines()
    assert "Still unanswered: questions 28, 32, 33, 34 and 35." in to_lead.body
    assert "Assigned to you and still unanswered: questions 28, 32, 33, 34 and 35." in (
        to_officer.body
    )
    assert "Still unanswered:" not in to_officer.body
    assert f"Reminded {lead.get_full_name()} <{lead.email}>" in out
    assert f"Reminded {officer.get_full_name()} <{officer.email}>" in out
    assert out.endswith("Sent 2 reminders.\n")
    assert set(ReminderSent.objects.values_list("recipient", "deadline")) == {
        (lead.pk, datetime.date(2006, 2, 20)),
        (officer.pk, datetime.date(2006, 2, 20)),
    }


def test_a_second_run_the_same_day_or_the_next_sends_nothing_new(drafting, run):
    run(THREE_DAYS_BEFORE)
    for day in (THREE_DAYS_BEFORE, "2006-02-18", "2006-02-20"):
        out, mails = run(day)
        assert (out, mails) == ("Sent 0 reminders.\n", [])
    assert ReminderSent.objects.count() == 2


def test_nothing_is_sent_earlier_or_after_the_deadline_and_a_missed_day_still_reminds(
    drafting, lead, run
):
    assert run("2006-02-16")[1] == []  # 4 days away
    assert run("2006-02-21")[1] == []  # passed
    out, mails = run("2006-02-20")  # the cron did not run for three days: still in time
    assert len(mails) == 2
    assert "on Monday 20 February 2006: today." in mails[0].body


@pytest.mark.parametrize(
    "status",
    [
        Response.Status.SIGNED_OFF,
        Response.Status.AWAITING_DIRECTOR,
        Response.Status.AWAITING_PORTFOLIO_HOLDER,
    ],
)
def test_a_response_no_longer_in_drafting_is_not_reminded(drafting, run, status):
    Response.objects.filter(pk=drafting.pk).update(status=status)
    assert run(THREE_DAYS_BEFORE) == ("Sent 0 reminders.\n", [])
    assert not ReminderSent.objects.exists()


def test_a_moved_meeting_is_a_new_deadline_and_a_new_reminder(drafting, lead, run):
    run(THREE_DAYS_BEFORE)
    CabinetReport.objects.filter(pk=drafting.report.pk).update(meeting_date="2006-03-08")

    assert run(THREE_DAYS_BEFORE)[1] == []  # the new deadline is 27 February: not yet
    out, mails = run("2006-02-24")

    assert len(mails) == 2
    assert all("due on Monday 27 February 2006" in m.subject for m in mails)
    assert ReminderSent.objects.filter(recipient=lead).count() == 2


def test_who_has_no_address_or_has_left_is_skipped_and_said_to_be(drafting, lead, officer, run):
    officer.email = ""
    officer.save()
    out, mails = run(THREE_DAYS_BEFORE)
    assert [m.to for m in mails] == [[lead.email]]
    assert f"Not reminded: {officer.get_full_name()} has no e-mail address or has left." in out
    assert not ReminderSent.objects.filter(recipient=officer).exists()
    # Once they have an address, they are reminded of the same deadline.
    officer.email = "officer@example.org"
    officer.save()
    assert [m.to for m in run("2006-02-18")[1]] == [["officer@example.org"]]


def test_only_team_members_with_unanswered_questions_are_reminded(drafting, lead, officer, run):
    done = UserFactory(username="done")
    gone = UserFactory(username="gone")
    drafting.team.add(done)
    Answer.objects.filter(question__number="12").update(assignee=done)  # answered
    Answer.objects.filter(question__number="28").update(assignee=gone)  # not on the team
    _, mails = run(THREE_DAYS_BEFORE)
    assert sorted(m.to[0] for m in mails) == sorted([lead.email, officer.email])
    to_officer = next(m for m in mails if m.to == [officer.email])
    assert "questions 32, 33, 34 and 35." in to_officer.body


def test_the_lead_is_reminded_even_when_every_question_has_an_answer(drafting, lead, run):
    Answer.objects.filter(text="").update(text="Answered.")
    _, mails = run(THREE_DAYS_BEFORE)
    assert [m.to for m in mails] == [[lead.email]]
    assert "Every question has an answer." in mails[0].body


def test_the_councils_setting_says_how_many_days_before_and_0_sends_none(drafting, run):
    settings = CouncilSettings.load()
    settings.reminder_days_before = 5
    settings.save()
    assert len(run("2006-02-15")[1]) == 2
    ReminderSent.objects.all().delete()
    settings.reminder_days_before = 0
    settings.save()
    out, mails = run(THREE_DAYS_BEFORE)
    assert (out, mails) == ("Reminders are off (the council sets 0 days before): none sent.\n", [])


def test_a_dry_run_says_who_would_be_reminded_and_sends_and_records_nothing(drafting, lead, run):
    out, mails = run(THREE_DAYS_BEFORE, "--dry-run")
    assert mails == []
    assert not ReminderSent.objects.exists()
    assert f"Would remind {lead.get_full_name()} <{lead.email}>" in out
    assert out.endswith("Dry run: 2 reminders would be sent; nothing was sent.\n")


def test_a_mail_server_that_is_down_does_not_stop_the_run(drafting, settings, run, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    out, _ = run(THREE_DAYS_BEFORE)
    assert out.endswith("Sent 2 reminders.\n")
    assert "Could not e-mail" in caplog.text
    # Recorded with the decision: never sent twice, even if the first try failed.
    assert ReminderSent.objects.count() == 2


def test_a_date_that_is_not_a_date_is_refused():
    with pytest.raises(CommandError, match="not a date: write it as YYYY-MM-DD"):
        call_command("send_reminders", "--today=17/02/2006")


@pytest.mark.parametrize(("days", "accepted"), [(0, True), (30, True), (31, False)])
def test_the_admin_takes_0_to_30_days_before(client, administrator, days, accepted):
    council = CouncilSettings.load()
    client.force_login(administrator)
    url = reverse("admin:responses_councilsettings_change", args=[council.pk])
    page = client.post(
        url,
        {
            "name": "Walsall Council",
            "report_headings": council.report_headings,
            "report_deadline_working_days": "7",
            "reminder_days_before": str(days),
        },
    )
    council.refresh_from_db()
    assert (page.status_code == 302, council.reminder_days_before == days) == (accepted, accepted)
