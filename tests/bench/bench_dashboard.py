"""The dashboard's cost, as the database fills: 1, 50 and then 200 consultations of 350
questions.

Run by `make bench`. Times `/` for a lead officer who leads one of them (with their desk:
answers to review, a returned paper, papers with the signatories) and for an officer
on its team, each as a ratio to `/login/` timed alternately in the same run; and for
an administrator, who sees every response in hand. Targets: the lead's and the
officer's ratios at 50 consultations no more than 1.5x their ratios at 1 (the page
must not grow with answers that are not theirs), and queries the same; the
administrator's dashboard with 200 consultations at most 6x `/login/`'s CPU, measured
as the median of pairwise ratios of this process's CPU time (SQLite runs in it, so
the database's work counts too). Its cards are cached by what they show; the first
view after they change (each new day, for one) is printed for information.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consult.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("HTTPS", "0")  # the benchmarks talk plain HTTP to themselves
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", "sqlite://:memory:")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

QUESTIONS = 350
PAIRS = 25
SIZES = (1, 50, 200)
ADMIN_TARGET = 6


def cpu(client: Client, url: str) -> float:
    """CPU seconds this process spent on one GET."""
    start = time.process_time()
    response = client.get(url)
    elapsed = time.process_time() - start
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def cpu_ratio(client: Client, anonymous: Client) -> float:
    """The median of pairwise ratios of `/`'s CPU to `/login/`'s, taken alternately."""
    for _ in range(3):
        cpu(client, "/")
        cpu(anonymous, "/login/")
    return statistics.median(cpu(client, "/") / cpu(anonymous, "/login/") for _ in range(PAIRS))


def timed(client: Client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def consultation(index: int, lead, director, holder, team):
    """A consultation of QUESTIONS questions, its response with every answer written
    (bulk: the benchmark times reading, not making), and its Cabinet report."""
    from responses.models import (
        Answer,
        CabinetReport,
        Consultation,
        Question,
        Response,
        Section,
    )

    made = Consultation.objects.create(
        title=f"Consultation {index}", issued_by="Bench", responses_due_by=date(2027, 3, 3)
    )
    section = Section.objects.create(consultation=made, title="Questions", position=1)
    questions = Question.objects.bulk_create(
        Question(consultation=made, section=section, number=str(n), text=f"Q{n}?", position=n)
        for n in range(1, QUESTIONS + 1)
    )
    response = Response.objects.create(
        consultation=made, organisation_name="Walsall Council", title="Draft Response"
    )
    response.team.add(*team)
    statuses = [Answer.Status.AGREED, Answer.Status.READY_FOR_REVIEW, Answer.Status.DRAFTING]
    Answer.objects.bulk_create(
        Answer(
            response=response,
            question=q,
            text=f"Answer {q.number}" if n % 7 else "",
            status=statuses[n % 3],
        )
        for n, q in enumerate(questions)
    )
    CabinetReport.objects.create(
        response=response,
        meeting_date=date(2027, 3, 1),
        title=f"Report {index}",
        portfolio="Leader",
        portfolio_holder_name="Holder",
        service_area="All",
        wards="All",
        contact_name="Lead",
        contact_job_title="Officer",
        director_name="Director",
        lead_officer=lead,
        director_user=director,
        portfolio_holder_user=holder,
    )
    return response


def measure(clients: dict[str, Client], anonymous: Client) -> dict[str, tuple[float, float, int]]:
    """{who: (median ms, median ratio to /login/, queries)}."""
    results = {}
    for who, client in clients.items():
        for _ in range(3):
            timed(client, "/")
            timed(anonymous, "/login/")
        queries = []
        with connection.execute_wrapper(
            lambda execute, sql, *args, seen=queries: seen.append(sql) or execute(sql, *args)
        ):
            timed(client, "/")
        page, ratios = [], []
        for _ in range(PAIRS):
            a = timed(client, "/")
            b = timed(anonymous, "/login/")
            page.append(a)
            ratios.append(a / b)
        results[who] = (statistics.median(page) * 1000, statistics.median(ratios), len(queries))
    return results


def main() -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)

    from consult.wsgi import freeze_startup_objects
    from responses import roles, workflow
    from responses.models import Response
    from tests.factories import UserFactory

    freeze_startup_objects()
    lead = UserFactory(username="bench-lead", groups=[roles.LEAD_OFFICER])
    others = UserFactory(username="bench-other-lead", groups=[roles.LEAD_OFFICER])
    officer = UserFactory(username="bench-officer", groups=[roles.OFFICER])
    director = UserFactory(username="bench-director", groups=[roles.EXECUTIVE_DIRECTOR])
    holder = UserFactory(username="bench-holder", groups=[roles.PORTFOLIO_HOLDER])
    admin = UserFactory(username="bench-admin", groups=[roles.ADMINISTRATOR], is_superuser=True)

    mine = consultation(1, lead, director, holder, [officer])
    Response.objects.filter(pk=mine.pk).update(
        status=Response.Status.AWAITING_DIRECTOR, submission_round=1
    )
    workflow.return_for_changes(user=director, response_id=mine.pk, comment="More on money.")

    clients = {}
    for who, user in [("lead", lead), ("officer", officer), ("administrator", admin)]:
        clients[who] = Client()
        clients[who].force_login(user)
    anonymous = Client()

    print(f"Dashboard (/) against /login/, consultations of {QUESTIONS} questions")
    print(f"{'consultations':>13} {'who':>14} {'ms':>8} {'/login/ ratio':>14} {'queries':>8}")
    by_size = {}
    for size in SIZES:
        for index in range(Response.objects.count() + 1, size + 1):
            consultation(index, others, director, holder, [])
        by_size[size] = measure(clients, anonymous)
        for who, (ms, ratio, queries) in by_size[size].items():
            print(f"{size:>13} {who:>14} {ms:>8.1f} {ratio:>14.2f} {queries:>8}")
    for who in ("lead", "officer"):
        growth = by_size[50][who][1] / by_size[1][who][1]
        print(f"{who}: ratio at 50 against 1 consultation {growth:.2f}x (target at most 1.5x)")

    from responses.fragments import render_response_card

    admin_ratio = cpu_ratio(clients["administrator"], anonymous)
    render_response_card.cache_clear()
    first = cpu(clients["administrator"], "/") * 1000
    print(
        f"administrator with {SIZES[-1]} consultations: dashboard / /login/ CPU "
        f"{admin_ratio:.1f}x (target at most {ADMIN_TARGET}x); "
        f"first view with no card cached {first:.0f} ms CPU"
    )


if __name__ == "__main__":
    main()
