"""Word, CSV and JSON against the PDF of the same paper.

Run by `make bench`. For the seed (35 questions), each format's build time is
timed alternately with an uncached PDF render of the same paper, each read afresh
as a download reads it, and printed as a ratio (targets: a Word document at most
0.5 of its PDF, CSV and JSON at most 0.1); then a 350-question Word paper against
a 35-question one (target at most 12; linear is 10).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consult.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("HTTPS", "0")  # the benchmarks talk plain HTTP to themselves
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", "sqlite://:memory:")
os.environ["DOCUMENTS_DIR"] = tempfile.mkdtemp(prefix="consult-bench-documents-")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from tests.bench.timing import paired, print_growth  # noqa: E402


def main() -> None:
    from responses.documents import data, pdf, word
    from responses.models import Response
    from responses.paper import Paper
    from tests.papers import paper_of

    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    call_command("load_seed", verbosity=0)
    seed = Response.objects.get()

    def appendix(response=seed) -> Paper:
        return Paper.load(Response.objects.for_rules().get(pk=response.pk), appendix_only=True)

    def paper_pdf(response=seed) -> bytes:
        return pdf.cabinet_paper(paper_of(response)).content

    def response_pdf() -> bytes:
        return pdf.response_only(paper_of(seed)).content

    def paper_docx(response=seed) -> bytes:
        return word.cabinet_paper(paper_of(response)).content

    formats = [
        ("Cabinet paper, Word", paper_docx, paper_pdf, "its PDF", 0.5),
        ("Response, Word", lambda: word.response_only(paper_of(seed)).content, response_pdf,
         "its PDF", 0.5),
        ("Answers, CSV", lambda: data.response_csv(appendix()), response_pdf,
         "the response PDF", 0.1),
        ("Answers, JSON", lambda: data.response_json(appendix()), response_pdf,
         "the response PDF", 0.1),
    ]  # fmt: skip
    for _, build, render, _, _ in formats:
        build(), render()  # warm: imports, templates, fonts
    print("Documents of the seed (35 questions), each against a PDF render of the same paper")
    for label, build, render, against, target in formats:
        size = len(build())
        build_s, render_s, ratio = paired(build, render, runs=5)
        print(
            f"  {label}: {build_s * 1000:.0f} ms, {size / 1024:.0f} KiB; / {against}: "
            f"{ratio:.3f} ({render_s * 1000:.0f} ms; target at most {target})"
        )

    print_growth("Word, ", paper_docx)


if __name__ == "__main__":
    main()
