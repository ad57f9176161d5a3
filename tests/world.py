"""One response and a person in every role around it, for the rulebook's tables."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser

from responses import roles
from responses.models import Response
from tests.factories import ReportSectionFactory, UserFactory, response_with_questions

ROLES = [
    "officer",  # an officer on the response's team
    "outside_officer",  # an officer, on another team
    "lead",  # the report's lead officer
    "other_lead",  # a lead officer of other responses
    "director",  # the Executive Director named on the report
    "portfolio_holder",  # the Portfolio Holder named on the report
    "administrator",
    "no_role",  # signed in, in no group
]
STATES = [status for status, _ in Response.Status.choices]
_GROUPS = {
    "officer": [roles.OFFICER],
    "outside_officer": [roles.OFFICER],
    "lead": [roles.LEAD_OFFICER],
    "other_lead": [roles.LEAD_OFFICER],
    "director": [roles.EXECUTIVE_DIRECTOR],
    "portfolio_holder": [roles.PORTFOLIO_HOLDER],
    "administrator": [roles.ADMINISTRATOR],
    "no_role": [],
}


@dataclass
class World:
    response: Response
    users: dict[str, AbstractBaseUser]

    @classmethod
    def build(cls, prefix: str = "") -> World:
        users = {
            role: UserFactory(username=f"{prefix}{role}", groups=_GROUPS[role]) for role in ROLES
        }
        response = response_with_questions(3, per_section=2)
        response.team.set([users["officer"]])
        report = response.report
        report.lead_officer = users["lead"]
        report.director_user = users["director"]
        report.portfolio_holder_user = users["portfolio_holder"]
        report.save()
        for position, heading in enumerate(["Summary of report", "Recommendations"], start=1):
            ReportSectionFactory(report=report, heading=heading, position=position)
        return cls(response, users)

    def set_state(self, status: str) -> None:
        Response.objects.filter(pk=self.response.pk).update(
            status=status, submission_round=0 if status == Response.Status.DRAFTING else 1
        )

    def fresh_response(self) -> Response:
        """The response as a request would read it: nothing remembered from before."""
        return Response.objects.for_rules().get(pk=self.response.pk)
