from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from responses import roles
from responses.models import Answer, CabinetReport, Response

DEMO_PASSWORD = "consult-demo"  # noqa: S105 - local demo accounts only; refused without DEBUG.


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str


DEMO_USERS = [
    DemoUser("officer", "Olivia", "Officer", roles.OFFICER),
    DemoUser("lead", "David", "Trethewey", roles.LEAD_OFFICER),
    DemoUser("director", "Tim", "Johnson", roles.EXECUTIVE_DIRECTOR),
    DemoUser("portfolio", "Tom", "Ansell", roles.PORTFOLIO_HOLDER),
    DemoUser("admin", "Ada", "Administrator", roles.ADMINISTRATOR),
]


class Command(BaseCommand):
    help = (
        "Create the demo accounts (officer, lead, director, portfolio, admin) and make lead, "
        "director and portfolio the seed report's contact officer and signatories. "
        "Local use only: refuses when DEBUG is off."
    )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "create_demo_users is for local use only and refuses to run when DEBUG is off."
            )
        with transaction.atomic():
            created = {}
            users = {}
            for demo in DEMO_USERS:
                users[demo.username], created[demo.username] = self._ensure_user(demo)
            # Only on first creation, so that a second `make run` keeps the
            # assignments and signatories people have changed since.
            if created["lead"] or created["director"] or created["portfolio"]:
                self._link_reports(users)
            if created["officer"]:
                self._join_teams(users["officer"])
                self._assign_unanswered(users["officer"])
        self.stdout.write(f"Demo accounts (password for each: {DEMO_PASSWORD}):")
        for demo in DEMO_USERS:
            self.stdout.write(f"  {demo.username:<10} {demo.role}")

    def _ensure_user(self, demo: DemoUser):
        user, created = get_user_model().objects.get_or_create(
            username=demo.username,
            defaults={
                "first_name": demo.first_name,
                "last_name": demo.last_name,
                "email": f"{demo.username}@example.org",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = demo.role == roles.ADMINISTRATOR
            user.is_superuser = demo.role == roles.ADMINISTRATOR
            user.save()
        user.groups.add(Group.objects.get(name=demo.role))
        return user, created

    def _link_reports(self, users) -> None:
        """Fill each report's empty accounts; an account an administrator chose stays."""
        for report in CabinetReport.objects.all():
            report.lead_officer = report.lead_officer or users["lead"]
            report.director_user = report.director_user or users["director"]
            report.portfolio_holder_user = report.portfolio_holder_user or users["portfolio"]
            report.save(update_fields=["lead_officer", "director_user", "portfolio_holder_user"])

    def _join_teams(self, officer) -> None:
        for response in Response.objects.all():
            response.team.add(officer)

    def _assign_unanswered(self, officer) -> None:
        for answer in Answer.objects.filter(text="", assignee__isnull=True):
            answer.assignee = officer
            answer.save()
