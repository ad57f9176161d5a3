from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from responses import rules
from responses.errors import DomainError
from responses.importing import readers, setup
from responses.importing.bounded import read_within_limits
from responses.importing.parser import parse
from responses.models import CabinetReport, Response


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"“{value}” is not a date: write it as YYYY-MM-DD."
        ) from None


class Command(BaseCommand):
    help = (
        "Set up a consultation from its question list (.docx, .pdf, .md or .txt): the "
        "consultation, the council's response with an empty answer per question and, with "
        "--meeting-date, the Cabinet report. Prints what it created and every warning."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--title", required=True)
        parser.add_argument("--issued-by", required=True)
        parser.add_argument("--due", required=True, type=_day, help="Responses due by, YYYY-MM-DD.")
        parser.add_argument("--published-on", type=_day)
        parser.add_argument("--reference-url", default="")
        parser.add_argument(
            "--organisation", help="The council's name; by default, as on its last response."
        )
        parser.add_argument("--meeting-date", type=_day, help="Creates the Cabinet report too.")
        parser.add_argument("--meeting-body", default="Cabinet")
        parser.add_argument("--lead", help="The lead officer's username (default: as last time).")
        parser.add_argument("--director", help="The Executive Director's username.")
        parser.add_argument("--portfolio-holder", help="The Portfolio Holder's username.")
        parser.add_argument("--portfolio", help="For example: Leader.")
        parser.add_argument("--job-title", help="The lead officer's job title, printed as contact.")
        parser.add_argument(
            "--by", help="Who sets it up, for the audit: an administrator or the lead officer."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Read and check only; create nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            text = read_within_limits(path.name, path.read_bytes()).text
        except readers.UnreadableDocument as unreadable:
            raise CommandError(str(unreadable)) from unreadable
        outline = parse(text)
        self.stdout.write(f"Read {outline.summary} from {path.name}.")
        for warning in outline.warnings:
            self.stdout.write(f"  {'Error' if warning.blocking else 'Warning'}: {warning.message}")
        if not outline.can_be_created:
            reasons = " ".join(w.message for w in outline.warnings if w.blocking)
            raise CommandError(f"Nothing was created. {reasons} Fix the file and run it again.")
        if setup.title_taken(options["title"]):
            raise CommandError(f"A consultation called “{options['title']}” already exists.")
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was created.")
            return

        people = [
            f"--{name.replace('_', '-')}"
            for name in ("lead", "director", "portfolio_holder", "portfolio", "job_title")
            if options[name]
        ]
        if people and not options["meeting_date"]:
            raise CommandError(
                f"{', '.join(people)} name the Cabinet report's people: give --meeting-date "
                "too, or leave them out."
            )
        organisation = options["organisation"] or _last_organisation()
        report = _report(options) if options["meeting_date"] else None
        by = _user(options["by"]) if options["by"] else (report or {}).get("lead_officer")
        by = by or _an_administrator()
        try:
            response = setup.create_consultation(
                user=by,
                details=setup.ConsultationDetails(
                    title=options["title"],
                    issued_by=options["issued_by"],
                    responses_due_by=options["due"],
                    published_on=options["published_on"],
                    reference_url=options["reference_url"],
                ),
                outline=outline,
                organisation_name=organisation,
                report=report,
            )
        except DomainError as refused:
            raise CommandError(f"{refused} Nothing was created.") from refused
        sections = response.consultation.sections.count()
        self.stdout.write(
            f"Created consultation {response.consultation.pk} “{response.consultation.title}”: "
            f"{len(outline.questions)} questions in {sections} sections; response "
            f"{response.pk} for {organisation} with {len(outline.questions)} empty answers"
            + (
                ", and its Cabinet report."
                if report
                else " (no Cabinet report: no --meeting-date)."
            )
        )


def _last_organisation() -> str:
    last = Response.objects.order_by("-created_at", "-pk").first()
    if last is None:
        raise CommandError("Give the council's name with --organisation.")
    return last.organisation_name


def _user(username: str):
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"There is no active account “{username}”.")
    return user


def _an_administrator():
    for user in get_user_model().objects.filter(is_active=True).order_by("pk"):
        if rules.is_administrator(user):
            return user
    raise CommandError(
        "Nobody can be recorded as setting it up: pass --by USERNAME (an administrator or the "
        "lead officer), or create an administrator first (manage.py createsuperuser)."
    )


def _report(options: dict[str, Any]) -> dict[str, Any]:
    """The report's details: given on the command line, else as on the last report."""
    last = CabinetReport.objects.order_by("-meeting_date", "-pk").first()
    lead = _user(options["lead"]) if options["lead"] else getattr(last, "lead_officer", None)
    director = (
        _user(options["director"]) if options["director"] else getattr(last, "director_user", None)
    )
    holder = (
        _user(options["portfolio_holder"])
        if options["portfolio_holder"]
        else getattr(last, "portfolio_holder_user", None)
    )
    portfolio = options["portfolio"] or getattr(last, "portfolio", "")
    job_title = options["job_title"] or getattr(last, "contact_job_title", "")
    missing = [
        option
        for option, value in [
            ("--lead", lead),
            ("--director", director),
            ("--portfolio-holder", holder),
            ("--portfolio", portfolio),
            ("--job-title", job_title),
        ]
        if not value
    ]
    if missing:
        raise CommandError(
            f"For the Cabinet report, give {', '.join(missing)} (there is no earlier report "
            "to take them from), or leave out --meeting-date."
        )

    return setup.report_details(
        consultation_title=options["title"],
        meeting_body=options["meeting_body"],
        meeting_date=options["meeting_date"],
        lead=lead,
        director=director,
        portfolio_holder=holder,
        portfolio=portfolio,
        job_title=job_title,
        phone=getattr(last, "contact_phone", ""),
        service_area=getattr(last, "service_area", "") or "All",
        wards=getattr(last, "wards", "") or "All",
    )
