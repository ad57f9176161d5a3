"""Response page latency at 35, 350 and 3,500 questions, against a bare view of the same rows.

Run by `make bench`. Both views go through the same client, middleware and login;
requests alternate ours/bare so that a noisy machine slows both alike. Each is timed
as this process's CPU (SQLite runs in it, so the database's work counts too); prints
medians and the median of pairwise ratios. Targets: at most 1.3x the bare view at 35
and 350 questions, 2x at 3,500, and linear growth (3,500 questions at most 12x 350).
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

SIZES = [(35, 31, 1.3), (350, 15, 1.3), (3500, 5, 2.0)]  # questions, timed pairs, target


def timed(client: Client, url: str) -> float:
    """CPU seconds this process spent on one GET."""
    start = time.process_time()
    response = client.get(url)
    elapsed = time.process_time() - start
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def main() -> None:
    # Not setup_test_environment(): it instruments every template render with a
    # signal, which would slow the page far more than anything of ours.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.ROOT_URLCONF = "tests.bench.urls"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)

    from consult.wsgi import freeze_startup_objects  # as the server starts
    from responses import roles
    from tests.factories import UserFactory, response_with_questions

    freeze_startup_objects()
    officer = UserFactory(username="bench-officer", groups=[roles.OFFICER])
    client = Client()
    client.force_login(officer)

    print("Response page (/responses/<id>/) against a bare view of the same rows, CPU")
    print(
        f"{'questions':>10} {'first ms':>9} {'ours ms':>9} {'bare ms':>9} {'ours/bare':>10} "
        f"{'target':>7}"
    )
    ours_by_size: dict[int, float] = {}
    for size, pairs, target in SIZES:
        response = response_with_questions(size)
        ours_url = f"/responses/{response.pk}/"
        bare_url = f"/bench/bare/{response.pk}/"
        first = timed(client, ours_url)  # nothing of this response rendered yet
        for _ in range(2):
            timed(client, ours_url)
            timed(client, bare_url)
        ours, bare, ratios = [], [], []
        for _ in range(pairs):
            a = timed(client, ours_url)
            b = timed(client, bare_url)
            ours.append(a)
            bare.append(b)
            ratios.append(a / b)
        ours_by_size[size] = statistics.median(ours)
        print(
            f"{size:>10} {first * 1000:>9.1f} {statistics.median(ours) * 1000:>9.1f} "
            f"{statistics.median(bare) * 1000:>9.1f} {statistics.median(ratios):>10.2f} "
            f"{f'<= {target}':>7}"
        )
    growth = ours_by_size[3500] / ours_by_size[350]
    print(f"growth, 3,500 against 350 questions: {growth:.2f}x (linear is 10x; target at most 12x)")
    print("medians; 'first' is one cold view, before any of the page's fragments is cached")


if __name__ == "__main__":
    main()
