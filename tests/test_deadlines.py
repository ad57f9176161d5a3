"""The deadline chain: closing date, meeting, and the report deadline in working days."""

import datetime

import holidays
import pytest
from django.urls import reverse

from responses.deadlines import (
    DeadlineChain,
    is_working_day,
    report_deadline,
    working_days_before,
)
from responses.models import CouncilSettings, Response

D = datetime.date

# The seed: Walsall's Cabinet met on Wednesday 1 March 2006; the consultation closed on 3 March.
SEED_MEETING = D(2006, 3, 1)
SEED_CLOSING = D(2006, 3, 3)


def seed_chain(meeting: datetime.date = SEED_MEETING) -> DeadlineChain:
    return DeadlineChain(
        closing=SEED_CLOSING, meeting=meeting, report_deadline=working_days_before(meeting, 7)
    )


# Working days


def test_a_weekend_is_not_counted():
    monday = D(2006, 3, 6)
    assert working_days_before(monday, 1) == D(2006, 3, 3)  # the Friday


def test_no_working_days_before_is_the_day_itself():
    assert working_days_before(SEED_MEETING, 0) == SEED_MEETING


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError, match="0 or more"):
        working_days_before(SEED_MEETING, -1)


def test_a_meeting_the_tuesday_after_easter_skips_easter_monday_and_good_friday():
    # Good Friday 14 April 2006, Easter Monday 17 April 2006.
    assert working_days_before(D(2006, 4, 18), 1) == D(2006, 4, 13)


def test_christmas_and_boxing_day_are_not_counted():
    # Christmas Day Monday 25, Boxing Day Tuesday 26 December 2006.
    assert working_days_before(D(2006, 12, 27), 1) == D(2006, 12, 22)


def test_substitute_days_for_a_christmas_at_the_weekend_are_not_counted():
    # Christmas 2021 fell on a Saturday: the bank holidays were Monday 27 and Tuesday 28.
    assert not is_working_day(D(2021, 12, 27))
    assert not is_working_day(D(2021, 12, 28))
    assert working_days_before(D(2021, 12, 29), 1) == D(2021, 12, 24)


def test_a_substitute_new_years_day_is_not_counted():
    # New Year's Day 2022 was a Saturday: the bank holiday was Monday 3 January.
    assert working_days_before(D(2022, 1, 4), 1) == D(2021, 12, 31)


def test_a_one_off_bank_holiday_is_not_counted():
    # The State Funeral of Queen Elizabeth II, Monday 19 September 2022.
    assert not is_working_day(D(2022, 9, 19))


def test_scottish_bank_holidays_are_working_days_in_england_and_wales():
    # 2 January is a bank holiday in Scotland only.
    assert is_working_day(D(2006, 1, 3))
    assert is_working_day(D(2007, 1, 2))


def test_england_and_wales_share_one_list_of_bank_holidays():
    """Why one list (subdiv ENG) serves councils in Wales too."""
    years = range(1995, 2041)
    england = holidays.UnitedKingdom(subdiv="ENG", years=years)
    wales = holidays.UnitedKingdom(subdiv="WLS", years=years)
    assert dict(england) == dict(wales)


# The chain


def test_the_seed_report_was_due_seven_working_days_before_cabinet():
    assert seed_chain().report_deadline == D(2006, 2, 20)


def test_the_seed_chain_is_fine_before_its_report_deadline():
    assert seed_chain().problems(today=D(2006, 2, 1)) == []


def test_on_the_report_deadline_itself_nothing_has_passed():
    assert seed_chain().problems(today=D(2006, 2, 20)) == []


def test_a_meeting_on_the_closing_day_is_in_time():
    chain = seed_chain(meeting=SEED_CLOSING)
    assert chain.problems(today=D(2006, 2, 1)) == []


def test_a_meeting_after_the_closing_date_is_warned():
    chain = seed_chain(meeting=D(2006, 3, 6))
    assert chain.problems(today=D(2006, 2, 1)) == [
        "Cabinet meets on 6 March 2006, after the consultation closes on 3 March 2006: "
        "the response cannot be agreed in time. Ask the government for more time, "
        "or take the report to an earlier meeting."
    ]


def test_a_passed_report_deadline_is_warned():
    assert seed_chain().problems(today=D(2006, 2, 21)) == [
        "The report deadline for Cabinet on 1 March 2006 was 20 February 2006."
    ]


def test_both_warnings_come_in_the_order_the_dates_matter():
    problems = seed_chain(meeting=D(2006, 3, 6)).problems(today=D(2006, 3, 1))
    assert len(problems) == 2
    assert problems[0].startswith("Cabinet meets on 6 March 2006")
    assert problems[1] == "The report deadline for Cabinet on 6 March 2006 was 23 February 2006."


def test_the_warning_names_the_meeting_body():
    chain = DeadlineChain(
        closing=SEED_CLOSING,
        meeting=D(2006, 3, 8),
        report_deadline=D(2006, 2, 27),
        meeting_body="Council",
    )
    assert chain.problems(today=D(2006, 3, 1))[1].startswith("The report deadline for Council")


@pytest.mark.django_db
def test_a_signed_off_response_has_no_warnings(seed):
    chain = DeadlineChain.for_response(seed, working_days=7)
    late = D(2006, 3, 2)
    assert chain.warnings_for(seed.status, late) == chain.problems(late) != []
    seed.status = Response.Status.SIGNED_OFF
    assert chain.warnings_for(seed.status, late) == []


@pytest.mark.django_db
def test_the_chain_of_the_seed_response(seed):
    assert DeadlineChain.for_response(seed, working_days=7) == DeadlineChain(
        closing=SEED_CLOSING, meeting=SEED_MEETING, report_deadline=D(2006, 2, 20)
    )


@pytest.mark.django_db
def test_a_response_without_a_report_has_no_chain():
    from tests.factories import ResponseFactory

    assert DeadlineChain.for_response(ResponseFactory(), working_days=7) is None


# The council's setting


@pytest.mark.django_db
def test_the_report_deadline_is_seven_working_days_by_default_without_writing():
    assert report_deadline(SEED_MEETING) == D(2006, 2, 20)
    assert not CouncilSettings.objects.exists()


@pytest.mark.django_db
def test_the_councils_setting_changes_the_report_deadline():
    settings = CouncilSettings.load()
    settings.report_deadline_working_days = 10
    settings.save()
    assert report_deadline(SEED_MEETING) == D(2006, 2, 15)


@pytest.mark.django_db
def test_the_settings_are_one_row_made_on_first_use():
    first = CouncilSettings.load()
    assert first.report_deadline_working_days == 7
    CouncilSettings(report_deadline_working_days=9).save()
    assert CouncilSettings.objects.count() == 1
    assert CouncilSettings.load().report_deadline_working_days == 9


def _admin_change(client, days: int):
    settings = CouncilSettings.load()
    url = reverse("admin:responses_councilsettings_change", args=[settings.pk])
    return client.post(
        url,
        {
            "name": "Walsall Council",
            "report_headings": settings.report_headings,
            "report_deadline_working_days": str(days),
            "reminder_days_before": str(settings.reminder_days_before),
        },
    )


@pytest.mark.django_db
@pytest.mark.parametrize("days", [0, 61])
def test_the_admin_refuses_a_report_deadline_of(client, administrator, days):
    client.force_login(administrator)
    page = _admin_change(client, days)
    assert page.status_code == 200  # the form again, with the error
    assert page.context["adminform"].form.errors["report_deadline_working_days"]
    assert CouncilSettings.load().report_deadline_working_days == 7


@pytest.mark.django_db
@pytest.mark.parametrize("days", [1, 60])
def test_the_admin_accepts_a_report_deadline_of(client, administrator, days):
    client.force_login(administrator)
    assert _admin_change(client, days).status_code == 302
    assert CouncilSettings.load().report_deadline_working_days == days


@pytest.mark.django_db
def test_the_admin_lists_the_one_row_and_offers_no_second_or_delete(client, administrator):
    client.force_login(administrator)
    listing = client.get(reverse("admin:responses_councilsettings_changelist"))
    assert listing.status_code == 302  # the list is the one row's page
    assert CouncilSettings.objects.count() == 1
    assert listing.url == reverse(
        "admin:responses_councilsettings_change", args=[CouncilSettings.load().pk]
    )
    assert client.get(reverse("admin:responses_councilsettings_add")).status_code == 403
    delete = reverse("admin:responses_councilsettings_delete", args=[CouncilSettings.load().pk])
    assert client.get(delete).status_code == 403


@pytest.mark.django_db
def test_officers_cannot_reach_the_setting(client, officer):
    client.force_login(officer)
    page = client.get(reverse("admin:responses_councilsettings_changelist"))
    assert page.status_code == 302  # to the admin's sign-in
