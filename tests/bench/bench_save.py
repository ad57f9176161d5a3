"""An answer's save and the live preview: CPU, queries and Markdown parses per request.

Run by `make bench`. The save is the editor's POST as a browser sends it (sign-in,
CSRF aside, the form, the service, history, the redirect), timed alternately with the
cheapest save of the same row Django offers: a view that checks the permission, loads
the answer scoped to the user's team, sets its text and saves it with its history
row. CPU time (the database is SQLite in this process, so its work counts too), as
the median of the pairwise ratios. Queries are counted per save, and those made
inside the save's transaction, which holds the response's row lock on PostgreSQL.
Parses are calls of markdown-it's `parse`, wherever they come from.
The worst legal preview is the costliest of texts of 20,000 characters (the most an
answer may have) chosen to make the parser work hardest (WORST_TEXTS), against a
preview of an ordinary 2,000-character answer; its save is timed too, accepted or
refused. Its CPU seconds are printed as well as the ratio: the per-person limits
(responses/limits.py) bound how often one person can ask for it.
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


def _filled(unit: str, length: int = 20_000) -> str:
    return (unit * (length // len(unit) + 1))[:length]


# Texts of the longest length an answer may have that cost markdown-it the most work:
# brackets make it look ahead for a link's end at every one (up to its nesting
# limit), emphasis runs fill its delimiter lists, short lines make many blocks.
WORST_TEXTS = {
    '"![" repeated': _filled("!["),
    '"[^" repeated': _filled("[^"),
    '"![[" repeated': _filled("![["),
    '"*_[" repeated (refused)': _filled("*_["),
    '"[" repeated': _filled("["),
    '"_*" repeated (refused)': _filled("_*"),
    'lines of "a"': _filled("a\n"),
    "setext headings": _filled("a\n=\n"),
}


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
    """Counts queries, and those made inside a transaction (the save's row lock); the
    count of the person's saves (responses/limits.py) apart."""

    def __init__(self) -> None:
        self.total = self.locked = self.limits = 0

    def __call__(self, execute, sql, params, many, context):
        if '"consult_limit_counts"' in sql:
            self.limits += 1
        elif not sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "BEGIN", "COMMIT")):
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
    # The benchmark is one person saving and previewing far faster than anyone may.
    settings.SAVES_PER_MINUTE = settings.PREVIEWS_PER_MINUTE = 10**6
    # A refused save draws the editor again, with the plain static files.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
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
    with Parses() as preview_parses:
        preview(ordinary)
    for _ in range(3):
        preview(ordinary)
    # The costliest text first, found by the median of three previews of each.
    costs = {
        name: statistics.median(preview(text) for _ in range(3))
        for name, text in WORST_TEXTS.items()
    }
    worst_name = max(costs, key=costs.get)
    worst = WORST_TEXTS[worst_name]
    worst_ratios = []
    worst_cpu, ordinary_cpu = [], []
    for _ in range(5):
        a, b = preview(worst), preview(ordinary)
        worst_cpu.append(a)
        ordinary_cpu.append(b)
        worst_ratios.append(a / b)

    def save_text(text: str) -> float:
        answer = Answer.objects.get(response=response, question__number="9")
        tagged = f"{text[:-8]}{next(saves):08d}"
        data = {"text": tagged, "status": "drafting", "assignee": "", "version": answer.version}
        return cpu(lambda: client.post(reverse("answer_edit", args=[response.pk, "9"]), data))

    save_costs = {
        name: statistics.median(save_text(text) for _ in range(3))
        for name, text in WORST_TEXTS.items()
    }
    worst_save = max(save_costs, key=save_costs.get)
    worst_save_cpu = statistics.median(save_text(WORST_TEXTS[worst_save]) for _ in range(5))

    print("An answer's save (the editor's POST) against a bare Django save of the row")
    print(
        f"  save CPU / bare save: {statistics.median(ratios):.2f} "
        f"({statistics.median(ours) * 1000:.1f} / {statistics.median(bare) * 1000:.1f} ms; "
        "target at most 1.5)"
    )
    print(
        f"  queries per save: {queries.total} ({queries.locked} under the row lock; "
        f"target at most 10, at most 4 under the lock), and {queries.limits} counting the "
        "person's saves"
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
    print(
        f"  worst legal preview: {statistics.median(worst_cpu):.2f} s CPU ({worst_name}; "
        "target at most 0.3 s)"
    )
    print(f"  worst legal save: {worst_save_cpu:.2f} s CPU ({worst_save}; target at most 0.3 s)")
    print(
        "  preview CPU of each 20,000-character text (ms): "
        + ", ".join(
            f"{name} {seconds * 1000:.0f}"
            for name, seconds in sorted(costs.items(), key=lambda kv: -kv[1])
        )
    )


if __name__ == "__main__":
    main()
