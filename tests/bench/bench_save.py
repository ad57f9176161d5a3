"""An answer's save and the live preview: CPU, queries and Markdown parses per request.

Run by `make bench`. The save is the editor's POST as a browser sends it (sign-in,
CSRF aside, the form, the service, history, the redirect), timed alternately with the
cheapest save of the same row Django offers: a view that checks the permission, loads
the answer scoped to the user's team, sets its text and saves it with its history
row. CPU time (the database is SQLite in this process, so its work counts too), as
the median of the pairwise ratios. Queries are counted per save, and those made
inside the save's transaction, which holds the response's row lock on PostgreSQL.
Parses are calls of markdown-it's `parse`, wherever they come from.
The worst legal preview is 20,000 characters chosen to make the parser work hardest
("![" repeated), against a preview of an ordinary 2,000-character answer.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
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
from django.urls import reverse  # noqa: E402
from markdown_it import MarkdownIt  # noqa: E402

PAIRS = 41
PARAGRAPH = (
    "The council **agrees** with the proposal, and asks that the guidance say how "
    "[the duty](https://www.gov.uk/guidance/duty) applies to *district* councils. "
)


def ordinary_answer(length: int, tag: int) -> str:
    """An answer of about `length` characters in paragraphs, a list and links; `tag`
    makes each one new to every cache."""
    paragraphs = [f"Answer {tag}."]
    while sum(map(len, paragraphs)) < length - len(PARAGRAPH):
        paragraphs.append(PARAGRAPH)
        if len(paragraphs) % 4 == 0:
            paragraphs.append("- first point\n- second point\n- third point")
    return "\n\n".join(paragraphs)


class Parses:
    """Counts markdown-it parses while it is installed."""

    def __init__(self) -> None:
        self.count = 0
        self._parse = MarkdownIt.parse

    def __enter__(self) -> Parses:
        counter = self

        def parse(md, src, env=None):
            counter.count += 1
            return counter._parse(md, src, env)

        MarkdownIt.parse = parse
        return self

    def __exit__(self, *exc) -> None:
        MarkdownIt.parse = self._parse


class Queries:
    """Counts queries, and those made inside a transaction (the save's row lock)."""

    def __init__(self) -> None:
        self.total = self.locked = 0

    def __call__(self, execute, sql, params, many, context):
        if not sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "BEGIN", "COMMIT")):
            self.total += 1
            self.locked += connection.in_atomic_block
        return execute(sql, params, many, context)


def cpu(fn) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def main() -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.ROOT_URLCONF = "tests.bench.urls"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)

    from consult.wsgi import freeze_startup_objects
    from responses import roles
    from responses.models import Answer
    from tests.factories import UserFactory, response_with_questions, staff

    freeze_startup_objects()
    officer = UserFactory(username="bench-officer", groups=[roles.OFFICER])
    people = {
        role: UserFactory(username=f"bench-{role}", groups=[group])
        for role, group in [
            ("lead", roles.LEAD_OFFICER),
            ("director", roles.EXECUTIVE_DIRECTOR),
            ("portfolio_holder", roles.PORTFOLIO_HOLDER),
        ]
    }
    response = staff(response_with_questions(35), officer=officer, **people)
    client = Client()
    client.force_login(officer)
    ours_url = reverse("answer_edit", args=[response.pk, "7"])
    bare_url = f"/bench/bare-save/{response.pk}/8/"
    saves = iter(range(10**6))

    def save(url: str, number: str) -> None:
        answer = Answer.objects.get(response=response, question__number=number)
        text = ordinary_answer(2000, next(saves))
        posted = client.post(
            url, {"text": text, "status": "drafting", "assignee": "", "version": answer.version}
        )
        assert posted.status_code == 302, (url, posted.status_code)
        # A browser follows the redirect, which shows the "saved" message and clears it;
        # unread, messages would pile up in the cookie and spill into the session.
        client.cookies.pop("messages", None)

    def our_save() -> float:
        return cpu(lambda: save(ours_url, "7"))

    def bare_save() -> float:
        return cpu(lambda: save(bare_url, "8"))

    for _ in range(3):
        our_save(), bare_save()
    ours, bare, ratios = [], [], []
    for _ in range(PAIRS):
        a, b = our_save(), bare_save()
        ours.append(a)
        bare.append(b)
        ratios.append(a / b)
    queries = Queries()
    with Parses() as parses, connection.execute_wrapper(queries):
        save(ours_url, "7")
    save_parses = parses.count

    preview_url = reverse("preview", args=[response.pk])
    previews = iter(range(10**6))

    def preview(text: str) -> float:
        tagged = f"{text[:-8]}{next(previews):08d}"  # new to every cache, same length
        return cpu(lambda: client.post(preview_url, {"text": tagged, "previous": "6"}))

    ordinary = ordinary_answer(2000, 0)
    worst = "![" * 9996 + "!"
    with Parses() as preview_parses:
        preview(ordinary)
    for _ in range(2):
        preview(ordinary), preview(worst)
    worst_ratios = []
    worst_cpu, ordinary_cpu = [], []
    for _ in range(5):
        a, b = preview(worst), preview(ordinary)
        worst_cpu.append(a)
        ordinary_cpu.append(b)
        worst_ratios.append(a / b)

    print("An answer's save (the editor's POST) against a bare Django save of the row")
    print(
        f"  save CPU / bare save: {statistics.median(ratios):.2f} "
        f"({statistics.median(ours) * 1000:.1f} / {statistics.median(bare) * 1000:.1f} ms; "
        "target at most 1.5)"
    )
    print(
        f"  queries per save: {queries.total} ({queries.locked} under the row lock; "
        "target at most 10, at most 4 under the lock)"
    )
    print(
        f"  Markdown parses per save / per preview: {save_parses} / {preview_parses.count} "
        "(target 1 / 1)"
    )
    print(
        f"  worst legal preview (20,000 characters) / a 2,000-character preview: "
        f"{statistics.median(worst_ratios):.1f}x ({statistics.median(worst_cpu) * 1000:.0f} / "
        f"{statistics.median(ordinary_cpu) * 1000:.1f} ms CPU; target at most 10x)"
    )


if __name__ == "__main__":
    main()
