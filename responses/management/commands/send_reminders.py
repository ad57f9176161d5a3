"""`manage.py send_reminders`: e-mail who still has work before a report deadline. Run daily."""

from __future__ import annotations

import argparse
import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from responses import notifications
from responses.deadlines import report_deadline
from responses.models import CouncilSettings, ReminderSent, Response

KIND = ReminderSent.Kind.REPORT_DEADLINE


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"“{value}” is not a date: write it as YYYY-MM-DD."
        ) from None


@dataclass(frozen=True)
class Due:
    """One person to remind of one response's report deadline, and of what is theirs."""

    recipient: AbstractBaseUser
    assigned_to_them: list[str]


class Command(BaseCommand):
    help = (
        "E-mail a reminder of the report deadline to the lead officer of each response still "
        "in drafting, and to each member of its team with unanswered questions assigned to "
        "them, once the deadline is N calendar days away or fewer and has not yet passed (N is "
        "the council setting 'reminder days before', 3 unless changed; 0 sends none). Each "
        "person is reminded once per deadline however often this runs, so a missed day still "
        "reminds; a moved meeting is a new deadline and a new reminder. Run it daily."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--today", type=_day, help="Act as on this day, YYYY-MM-DD (default: today)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say who would be reminded; send nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today: datetime.date = options["today"] or timezone.localdate()
        dry_run: bool = options["dry_run"]
        council = CouncilSettings.current()
        if not council.reminder_days_before:
            self.stdout.write("Reminders are off (the council sets 0 days before): none sent.")
            return
        # A report is due before its meeting: a meeting already past has no deadline ahead.
        candidates = Response.objects.filter(
            status=Response.Status.DRAFTING, report__meeting_date__gte=today
        ).order_by("report__meeting_date", "pk")
        count = 0
        for response_id in candidates.values_list("pk", flat=True):
            count += self._remind(response_id, today, council, dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"Dry run: {_reminders(count)} would be sent; nothing was sent.")
        else:
            self.stdout.write(f"Sent {_reminders(count)}.")

    def _remind(
        self, response_id: int, today: datetime.date, council: CouncilSettings, *, dry_run: bool
    ) -> int:
        """Remind who is due a reminder about one response; how many were (or would be) sent.

        One transaction per response, under its row lock: deciding to send and recording
        it commit together, and each mail leaves only once they have.
        """
        with transaction.atomic():
            response = (
                Response.objects.select_for_update(of=("self",))
                .select_related("consultation", "report__lead_officer")
                .filter(pk=response_id, status=Response.Status.DRAFTING)
                .first()
            )
            report = response.cabinet_report if response else None
            if report is None:
                return 0
            deadline = report_deadline(report.meeting_date, council.report_deadline_working_days)
            if not 0 <= (deadline - today).days <= council.reminder_days_before:
                return 0
            unanswered, due = _due(response)
            count = 0
            for person in due:
                name = person.recipient.get_full_name() or person.recipient.get_username()
                about = f"{report.title} (response {response.pk}), due {deadline:%-d %B %Y}"
                if not notifications.may_be_mailed(person.recipient):
                    self.stdout.write(f"Not reminded: {name} has no e-mail address or has left.")
                    continue
                seen = {"response": response, "recipient": person.recipient, "kind": KIND}
                if dry_run:
                    if not ReminderSent.objects.filter(**seen, deadline=deadline).exists():
                        self.stdout.write(
                            f"Would remind {name} <{person.recipient.email}>: {about}"
                        )
                        count += 1
                    continue
                _, new = ReminderSent.objects.get_or_create(**seen, deadline=deadline)
                if not new:
                    continue
                notifications.deadline_reminder(
                    response,
                    person.recipient,
                    deadline=deadline,
                    today=today,
                    unanswered=unanswered,
                    assigned_to_them=person.assigned_to_them,
                )
                self.stdout.write(f"Reminded {name} <{person.recipient.email}>: {about}")
                count += 1
            return count


def _due(response: Response) -> tuple[list[str], list[Due]]:
    """Every unanswered question, and who to remind: the lead officer first, then each
    team member with unanswered questions assigned to them, in the paper's order."""
    lead = response.report.lead_officer
    team = set(response.team.values_list("pk", flat=True)) | ({lead.pk} if lead else set())
    unanswered: list[str] = []
    theirs: dict[AbstractBaseUser, list[str]] = {}
    answers = response.answers.select_related("question", "assignee").order_by(
        "question__position", "question__pk"
    )
    for answer in answers:
        if answer.text.strip():
            continue
        unanswered.append(answer.question.number)
        if answer.assignee_id in team:
            theirs.setdefault(answer.assignee, []).append(answer.question.number)
    due = [Due(lead, theirs.pop(lead, []))] if lead else []
    return unanswered, due + [Due(user, numbers) for user, numbers in theirs.items()]


def _reminders(count: int) -> str:
    return f"{count} reminder{'' if count == 1 else 's'}"
