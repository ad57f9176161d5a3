"""The answer editor's CPU as the council's history grows: 2,350 questions in other
consultations visible to the officer, against none.

Run by `make bench`. Two officers on the seed response's team open the same editor
(seed question 28); one is also on the team of 50 earlier consultations' responses,
so the editor offers them earlier answers from 2,350 questions, the other sees none
of those. Requests alternate between them, so a noisy machine slows both alike; the
figure is the median of the pairwise ratios of this process's CPU time (SQLite runs in
it, so the database's work counts too). Target: at most 1.2x. For information, it
also prints the editor with the history against the editor before any of it was
stored, each measured as a ratio to `/login/`'s CPU in its own turn.

The history is a council's: a third of the questions are the seed's own asked again
(some word for word, some restyled, some reworded a little), the rest are others of
all lengths; every one answered.
"""

from __future__ import annotations

import os
import random
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
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

CONSULTATIONS = 50
QUESTIONS = 47  # per earlier consultation: 2,350 in all
PAIRS = 25
TARGET = 1.2


def cpu(client: Client, url: str) -> float:
    """CPU seconds this process spent on one GET."""
    start = time.process_time()
    response = client.get(url)
    elapsed = time.process_time() - start
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def asked_again(text: str, rng: random.Random) -> str:
    """The seed's question as another consultation might print it."""
    styles = [
        lambda t: t,
        lambda t: t.upper().replace("?", " ?"),
        lambda t: t.replace(" we ", " councils ", 1).replace(" you ", " councils ", 1),
        lambda t: t.rstrip("?.") + ", and why?",
    ]
    return rng.choice(styles)(text)


def history(officer, seed_texts: list[str]) -> int:
    """CONSULTATIONS earlier consultations of QUESTIONS questions, each with a response
    whose team is `officer` and every question answered. Bulk inserts: the benchmark
    times reading, not making. Returns the number of questions made."""
    from faker import Faker

    from responses.models import Answer, Consultation, Question, Response, Section

    rng = random.Random(22)
    fake = Faker("en_GB")
    fake.seed_instance(22)
    statuses = [Answer.Status.AGREED, Answer.Status.READY_FOR_REVIEW, Answer.Status.DRAFTING]
    made = 0
    for index in range(CONSULTATIONS):
        consultation = Consultation.objects.create(
            title=f"Earlier consultation {index}",
            issued_by="Bench",
            responses_due_by=date(2020, 3, 3),
        )
        section = Section.objects.create(consultation=consultation, title="Questions", position=1)
        texts = [
            asked_again(rng.choice(seed_texts), rng)
            if rng.random() < 1 / 3
            else fake.paragraph(nb_sentences=rng.randint(1, 5)).rstrip(".") + "?"
            for _ in range(QUESTIONS)
        ]
        questions = Question.objects.bulk_create(
            Question(
                consultation=consultation,
                section=section,
                number=str(n + 1),
                text=text,
                position=n,
            )
            for n, text in enumerate(texts)
        )
        response = Response.objects.create(
            consultation=consultation, organisation_name="Walsall Council", title="Our response"
        )
        response.team.add(officer)
        Answer.objects.bulk_create(
            Answer(
                response=response,
                question=question,
                text=fake.paragraph(nb_sentences=4),
                status=statuses[n % 3],
            )
            for n, question in enumerate(questions)
        )
        made += len(questions)
    return made


def main() -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)

    from consult.wsgi import freeze_startup_objects
    from responses import roles
    from responses.models import Question, Response
    from tests.factories import UserFactory

    freeze_startup_objects()
    call_command("load_seed", verbosity=0)
    seed = Response.objects.get()
    with_history = UserFactory(username="bench-with-history", groups=[roles.OFFICER])
    newcomer = UserFactory(username="bench-newcomer", groups=[roles.OFFICER])
    seed.team.add(with_history, newcomer)
    url = f"/responses/{seed.pk}/answers/28/edit/"
    clients = {"login": Client()}
    for who, user in [("history", with_history), ("none", newcomer)]:
        clients[who] = Client()
        clients[who].force_login(user)

    def ratios(a: str, b: str, a_url: str = url, b_url: str = url) -> tuple[float, float, float]:
        """Medians of a's and b's CPU and of their pairwise ratios."""
        for _ in range(3):
            cpu(clients[a], a_url)
            cpu(clients[b], b_url)
        times_a, times_b, pairwise = [], [], []
        for _ in range(PAIRS):
            times_a.append(cpu(clients[a], a_url))
            times_b.append(cpu(clients[b], b_url))
            pairwise.append(times_a[-1] / times_b[-1])
        return tuple(statistics.median(x) for x in (times_a, times_b, pairwise))

    _, _, empty_to_login = ratios("none", "login", b_url="/login/")
    seed_texts = list(Question.objects.values_list("text", flat=True))
    questions = history(with_history, seed_texts)
    offered = clients["history"].get(url).content.decode().count('name="start_from"')
    assert offered == 3, f"the editor offered {offered} earlier answers, not 3"
    ours, bare, ratio = ratios("history", "none")
    _, _, full_to_login = ratios("history", "login", b_url="/login/")

    print(f"Answer editor (question 28 of the seed), {questions:,} earlier questions answered")
    print(
        f"  editor CPU with {questions:,} other questions visible / with none: {ratio:.2f}x "
        f"({ours * 1000:.1f} / {bare * 1000:.1f} ms; target at most {TARGET}x)"
    )
    print(
        f"  the same against the editor before any other question was stored, each as a "
        f"ratio to /login/ in its own turn: {full_to_login / empty_to_login:.2f}x "
        "(for information)"
    )


if __name__ == "__main__":
    main()
