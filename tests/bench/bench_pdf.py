"""The Cabinet paper as PDF: render time, memory, pages, and our overhead on WeasyPrint.

Run by `make bench`. Prints, for the seed paper: the median render time, peak
memory and page count; our render against bare WeasyPrint given the same final
HTML (target at most 1.10); a stored download against a render (target at most
0.05); a 350-question paper against a 35-question one (target at most 12); and the
layout of a 2,000-question paper against a 350-question one (target at most 7).
Timings alternate between the two things compared, so machine noise hits both.
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import tempfile
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consult.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("HTTPS", "0")  # the benchmarks talk plain HTTP to themselves
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", "sqlite://:memory:")
os.environ["DOCUMENTS_DIR"] = tempfile.mkdtemp(prefix="consult-bench-pdf-")

import django  # noqa: E402

django.setup()

import weasyprint  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from tests.bench.timing import paired, print_growth  # noqa: E402

RUNS = 7
BIG_PAPER_RUNS = 3
BIG_PAPER_BOUND = 900  # seconds: measured here, not refused as the worker would


def main() -> None:
    from responses.documents import pdf, rendering
    from responses.models import Response
    from tests.papers import paper_of

    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    call_command("load_seed", verbosity=0)
    seed = Response.objects.get()

    # Each render reads its paper afresh, once, as the worker does: the response as
    # the rulebook loads it, then `Paper.load`. That read is part of what is timed, and
    # so is the layout's child process (forked, killed past the time bound).
    def ours(response=seed):
        return pdf.cabinet_paper(paper_of(response)).content

    html = pdf.render_html("paper", paper_of(seed))
    static = f"{ROOT / 'static'}/"

    def bare():
        # WeasyPrint as it comes: default fetcher reading the same files from disk.
        return weasyprint.HTML(string=html, base_url=static).write_pdf(
            pdf_variant="pdf/ua-1", presentational_hints=True
        )

    content = ours()
    bare()  # warm both: fonts, templates, imports

    tracemalloc.start()
    pdf.html_to_pdf(html)  # the layout alone, as its child process runs it
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    pages = len(weasyprint.HTML(string=html, base_url=static).render().pages)

    ours_s, bare_s, ratio = paired(ours, bare)
    print("Cabinet paper PDF (the seed: 35 questions)")
    print(
        f"  render, median of {RUNS}: {ours_s * 1000:.0f} ms; pages: {pages}; "
        f"size: {len(content) / 1024:.0f} KiB"
    )
    print(
        f"  peak Python memory in one layout (in its child process): {peak / 2**20:.1f} MiB; "
        f"process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )
    print(
        f"  ours / bare WeasyPrint on the same HTML: {ratio:.2f} "
        f"({ours_s * 1000:.0f} / {bare_s * 1000:.0f} ms; target at most 1.10)"
    )

    rendering.make(rendering.ask(paper_of(seed), "paper", "pdf").pk)  # made and stored

    def stored():
        # What a download does once the document is made: read the paper (its content
        # is the key), find the rendering, read the file from storage.
        return rendering.read(rendering.ask(paper_of(seed), "paper", "pdf"))

    cached_s, render_s, ratio = paired(stored, ours)
    print(
        f"  stored download / render: {ratio:.3f} "
        f"({cached_s * 1000:.1f} / {render_s * 1000:.0f} ms; target at most 0.05)"
    )

    print_growth("", ours)
    print_big_paper_growth()


def child_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def print_big_paper_growth() -> None:
    """The layout alone of a 2,000-question paper against a 350-question one, each in
    its child process as the worker runs it. Timed by the child's own CPU, which the
    machine's other work does not lengthen as it does the wall clock (a layout of a
    minute at nice 10 on a busy machine is mostly waiting)."""
    from responses.documents import bounded, pdf
    from tests.factories import response_with_questions
    from tests.papers import paper_of

    html = {n: pdf.render_html("paper", paper_of(response_with_questions(n))) for n in (350, 2000)}

    def layout(questions: int) -> float:
        before = child_cpu_seconds()
        bounded.run(pdf.html_to_pdf, html[questions], seconds=BIG_PAPER_BOUND)
        return child_cpu_seconds() - before

    big, small = [], []
    for _ in range(BIG_PAPER_RUNS):
        big.append(layout(2000))
        small.append(layout(350))
    ratio = statistics.median(b / s for b, s in zip(big, small, strict=True))
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"  paper layout 2,000 / 350 questions (the child's CPU): {ratio:.2f} "
        f"({statistics.median(big):.1f} / {statistics.median(small):.1f} s; "
        f"target at most 7, linear is 5.7); its child's peak RSS: {peak:.0f} MiB"
    )


if __name__ == "__main__":
    main()
