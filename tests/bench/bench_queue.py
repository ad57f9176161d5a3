"""A short paper asked for behind a long one: how long it waits for the task worker.

Run by `make bench`. Real `manage.py db_worker` processes, on a SQLite file (or the
PostgreSQL at BENCH_DATABASE_URL), make a 3-question paper asked for just after a
long one (QUEUE_BENCH_QUESTIONS, 1,000 unless set: its layout takes about half a
minute here). Printed: the short paper's wait, from being asked for to being made,

  1. with one worker, when every render had the same priority (as before): both
     queued at once, the long one first;
  2. the same, with the priority by size: the short one is made first;
  3. with one worker, the long one already being laid out when the short one is asked
     for (no priority can help: it waits for the layout under way);
  4. the same with two workers, as `make serve` runs them;

each as a ratio against the short paper made alone by an idle worker (target: at most
3 for 2 and 4; 1 and 3 are the long paper's layout, shown for comparison). The long
paper is stopped once the short one is made, so the run takes about two of its layouts.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
TEMP = Path(tempfile.mkdtemp(prefix="consult-bench-queue-"))
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "consult.settings",
    "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only"),
    "HTTPS": "0",
    "DEBUG": "0",
    "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{TEMP / 'queue.sqlite3'}"),
    "DOCUMENTS_DIR": str(TEMP / "documents"),
    "RENDER_TIMEOUT": "900",
}
os.environ.update(ENV)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

QUESTIONS = int(os.environ.get("QUEUE_BENCH_QUESTIONS", "1000"))
SHORT = 3


class Workers:
    def __init__(self, count: int) -> None:
        from responses.models import TaskWorker

        self.processes = [
            subprocess.Popen(  # noqa: S603 - our own command
                [
                    sys.executable,
                    "-W",
                    "ignore",
                    "manage.py",
                    "db_worker",
                    "--no-reload",
                    "--interval",
                    "0.2",
                    "--verbosity",
                    "0",
                ],
                cwd=ROOT,
                env=ENV,
                start_new_session=True,
            )  # fmt: skip
            for _ in range(count)
        ]
        # Ready once each has beaten: imported, connected, polling.
        until(lambda: TaskWorker.objects.count() == count, what="the workers to start")

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc) -> None:
        from responses.models import TaskWorker

        for process in self.processes:  # the worker and its render's child
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        TaskWorker.objects.all().delete()


def until(condition, what: str, limit: float = 900) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"gave up waiting for {what}")
        time.sleep(0.1)


def main() -> None:
    from django_tasks_db.models import DBTaskResult

    from responses.documents import rendering
    from responses.models import Rendering
    from tests.factories import response_with_questions
    from tests.papers import paper_of

    call_command("migrate", verbosity=0)
    long, short = response_with_questions(QUESTIONS), response_with_questions(SHORT)
    State = Rendering.State

    def ask(response) -> Rendering:
        return rendering.ask(paper_of(response), "paper", "pdf")

    def made(asked: Rendering) -> float:
        until(lambda: Rendering.objects.get(pk=asked.pk).state == State.READY, what="the paper")
        done = Rendering.objects.get(pk=asked.pk)
        return (done.finished_at - done.requested_at).total_seconds()

    def afresh() -> None:
        Rendering.objects.all().delete()
        DBTaskResult.objects.all().delete()

    def both_queued(same_priority: bool) -> float:
        afresh()
        with Workers(1):
            with transaction.atomic():  # the worker finds both queued at once
                ask(long)
                asked = ask(short)
                if same_priority:
                    DBTaskResult.objects.update(priority=0)
            return made(asked)

    def behind_a_layout(workers: int) -> float:
        afresh()
        with Workers(workers):
            began = ask(long)
            until(
                lambda: Rendering.objects.get(pk=began.pk).state == State.RENDERING,
                what="the long paper's layout to start",
            )
            return made(ask(short))

    def alone() -> float:
        afresh()
        with Workers(1):
            return made(ask(short))

    alone()  # warm: the file system's caches, the fonts
    baseline = alone()
    print(
        f"A {SHORT}-question paper asked for behind a {QUESTIONS:,}-question one (the task worker)"
    )
    print(f"  made alone by an idle worker: {baseline:.1f} s (the baseline)")
    for label, wait, target in [
        ("one worker, one priority for all (before): both queued", both_queued(True), None),
        ("one worker, smaller papers first: both queued", both_queued(False), 3),
        ("one worker, the long one already being laid out", behind_a_layout(1), None),
        ("two workers (make serve), the long one being laid out", behind_a_layout(2), 3),
    ]:
        goal = f"; target at most {target}" if target else ""
        print(f"  {label}: {wait:.1f} s, / baseline: {wait / baseline:.1f}{goal}")


if __name__ == "__main__":
    try:
        main()
    finally:
        subprocess.run(["rm", "-rf", str(TEMP)], check=False)  # noqa: S603, S607
