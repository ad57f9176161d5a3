"""The deadline chain: the consultation's closing date, the meeting, and the report deadline.

A council agrees its response at a meeting (usually Cabinet), and the report for that
meeting is due with democratic services a set number of working days before it. So the
response can be sent in time only if the meeting is on or before the closing date, and
the report is late once its deadline has passed. Working days leave out weekends and the
bank holidays of England and Wales (the two share one list), computed offline by the
`holidays` package: nothing is fetched at run time.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

import holidays
from django.utils.dateformat import format as format_date

from responses.models import CouncilSettings, Response

DATE_FORMAT = "j F Y"
SATURDAY = 5


@functools.cache
def bank_holidays(year: int) -> frozenset[datetime.date]:
    """England and Wales bank holidays of one year, substitute days included.

    Cached per year and frozen, so pages share one list and no thread changes it.
    """
    return frozenset(holidays.UnitedKingdom(subdiv="ENG", years=year))


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday and not a bank holiday: a day council offices are open."""
    return day.weekday() < SATURDAY and day not in bank_holidays(day.year)


def working_days_before(day: datetime.date, n: int) -> datetime.date:
    """The date `n` working days before `day` (`day` itself never counts).

    For a meeting on Wednesday 1 March 2006, 7 working days before is Monday 20 February.
    """
    if n < 0:
        raise ValueError("Count working days back with a number of 0 or more.")
    while n:
        day -= datetime.timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def report_deadline(meeting_date: datetime.date, working_days: int | None = None) -> datetime.date:
    """When the report for a meeting on `meeting_date` is due.

    `working_days` is the council's setting; give it when it is already loaded (a page
    with many reports reads it once), otherwise it is read here.
    """
    if working_days is None:
        working_days = CouncilSettings.current().report_deadline_working_days
    return working_days_before(meeting_date, working_days)


def _day(day: datetime.date) -> str:
    return format_date(day, DATE_FORMAT)


@dataclass(frozen=True)
class DeadlineChain:
    """The three dates a response must meet, in the order they fall due."""

    closing: datetime.date
    meeting: datetime.date
    report_deadline: datetime.date
    meeting_body: str = "Cabinet"

    @classmethod
    def for_response(cls, response: Response, working_days: int) -> DeadlineChain | None:
        """The chain from a response with its consultation and report already loaded.

        None while the response has no report, so no meeting to be agreed at.
        """
        report = response.cabinet_report
        if report is None:
            return None
        return cls(
            closing=response.consultation.responses_due_by,
            meeting=report.meeting_date,
            report_deadline=report_deadline(report.meeting_date, working_days),
            meeting_body=report.meeting_body,
        )

    def problems(self, today: datetime.date) -> list[str]:
        """What is wrong with the chain on `today`, in plain words for council officers."""
        found = []
        if self.meeting > self.closing:
            found.append(
                f"{self.meeting_body} meets on {_day(self.meeting)}, after the consultation "
                f"closes on {_day(self.closing)}: the response cannot be agreed in time. "
                "Ask the government for more time, or take the report to an earlier meeting."
            )
        if today > self.report_deadline:
            found.append(
                f"The report deadline for {self.meeting_body} on {_day(self.meeting)} "
                f"was {_day(self.report_deadline)}."
            )
        return found

    def warnings_for(self, status: str, today: datetime.date) -> list[str]:
        """The problems worth showing for a response in `status`: none once it is signed
        off, as the report is then ready for its meeting and nobody can act on a warning."""
        if status == Response.Status.SIGNED_OFF:
            return []
        return self.problems(today)
