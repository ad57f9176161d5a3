"""Accounts (and, on request, a large response) for the load test, tests/load/run.py.

Not for a real server: it makes officer accounts with one known password. It refuses
to run unless DEBUG is on or --test-database says the database is a throwaway one, and
unless the database already holds the seed (load_seed). It prints what it made as one
JSON object for the orchestrator to read.
"""

import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from responses import roles
from responses.models import Answer, Response


class Command(BaseCommand):
    help = (
        "For tests/load/run.py only: create officer accounts on the seed response's team "
        "(and, with --large N, a second response of N questions nobody edits), then print "
        "JSON: the seed response's id, its editable question numbers, the usernames."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--officers", type=int, default=50)
        parser.add_argument("--prefix", default="loadofficer")
        parser.add_argument("--password", required=True)
        parser.add_argument(
            "--large",
            type=int,
            default=0,
            help="Also create a response of this many questions (its paper renders slowly).",
        )
        parser.add_argument(
            "--test-database",
            action="store_true",
            help="This database is a throwaway one for a load test (needed unless DEBUG is on).",
        )

    def handle(
        self,
        *args,
        officers: int,
        prefix: str,
        password: str,
        large: int,
        test_database: bool,
        **options,
    ):
        if not (settings.DEBUG or test_database):
            raise CommandError(
                "loadtest_setup makes accounts with a known password, so it runs only when "
                "DEBUG is on or --test-database says this database is a throwaway one."
            )
        seed = (
            Response.objects.filter(report__isnull=False).order_by("pk").first()
            or Response.objects.order_by("pk").first()
        )
        if seed is None:
            raise CommandError("No response in the database: run load_seed first.")
        officer_group = Group.objects.get(name=roles.OFFICER)
        hashed = make_password(password)  # hashed once: 50 hashes would take a minute
        usernames = []
        with transaction.atomic():
            for n in range(1, officers + 1):
                username = f"{prefix}{n:02d}"
                user, created = get_user_model().objects.get_or_create(
                    username=username,
                    defaults={
                        "first_name": "Load",
                        "last_name": f"Officer {n:02d}",
                        "email": f"{username}@example.org",
                        "password": hashed,
                    },
                )
                user.groups.add(officer_group)
                seed.team.add(user)
                usernames.append(username)
        large_id = None
        if large:
            # Imported here: factory_boy is a development dependency.
            from tests.factories import response_with_questions

            with transaction.atomic():
                large_id = response_with_questions(large).pk  # team: every drafter
        numbers = list(
            Answer.objects.filter(response=seed)
            .exclude(status=Answer.Status.AGREED)
            .order_by("question__position", "pk")
            .values_list("question__number", flat=True)
        )
        self.stdout.write(
            json.dumps(
                {
                    "response": seed.pk,
                    "numbers": numbers,
                    "usernames": usernames,
                    "large_response": large_id,
                }
            )
        )
