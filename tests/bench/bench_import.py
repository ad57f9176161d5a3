"""Setting up a consultation: parsing its question list, and creating it.

Run by `make bench`. Prints, for a 300-question document (chapters, sub-sections,
questions wrapped over lines, intro prose, page numbers): the parse time against
the time to read the file it came from, as plain text and as Word; the time to read
a whole 120-page consultation PDF as the New consultation page does (its text, its
details, its questions) against a 12-page one built the same way; then the time
and queries to create a consultation of 35 and of 350 questions, with the ratio
between them (target: at most about 10, the ratio of questions) and the queries
each extra question costs (target: a fixed number, at most 2: its answer and the
answer's history entry). Timings alternate between the things compared.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
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

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from responses.importing.bounded import CPU_SECONDS  # noqa: E402
from responses.importing.sniffing import MAX_TEXT  # noqa: E402
from tests.bench.timing import paired, seconds  # noqa: E402

RUNS = 7
FILLER = (
    "The Government wants to hear from councils, partnerships and the public about how "
    "these proposals would work in practice, and what they would cost."
)


def question_list(count: int) -> list[tuple[str, str]]:
    """(kind, text) in reading order: 10 chapters of 3 sub-sections, prose, questions."""
    items: list[tuple[str, str]] = []
    per_sub = max(1, count // 30)
    number = 0
    for chapter in range(1, 11):
        items.append(("chapter", f"Chapter {chapter}: Partnerships and their work, part {chapter}"))
        for sub in range(1, 4):
            items.append(("sub", f"Working together {chapter}.{sub}"))
            items.append(("prose", FILLER))
            for _ in range(per_sub):
                number += 1
                if number > count:
                    break
                items.append(
                    (
                        "question",
                        f"Do you agree that partnerships should set out how they will work "
                        f"with the council on question {number}, and if not, what would you "
                        f"change and why?",
                    )
                )
    return items


def as_text(items: list[tuple[str, str]]) -> str:
    lines, number, page = [], 0, 1
    for kind, text in items:
        if kind == "question":
            number += 1
            # wrapped as a PDF's text would be, at about 90 characters
            words, line, wrapped = f"Q{number} {text}".split(), "", []
            for word in words:
                if len(line) + len(word) > 90:
                    wrapped.append(line)
                    line = ""
                line = f"{line} {word}".strip()
            lines += [*wrapped, line, ""]
            if number % 6 == 0:
                page += 1
                lines += [f"Page {page}", ""]
        else:
            lines += [text, ""]
    return "\n".join(lines)


def as_docx(items: list[tuple[str, str]]) -> bytes:
    from docx import Document

    document = Document()
    for kind, text in items:
        if kind == "chapter":
            document.add_heading(text, level=1)
        elif kind == "sub":
            document.add_heading(text, level=2)
        elif kind == "question":
            document.add_paragraph(text, style="List Number")
        else:
            document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def bench_parse() -> None:
    from responses.importing import readers
    from responses.importing.parser import parse

    items = question_list(300)
    folder = Path(tempfile.mkdtemp(prefix="consult-bench-import-"))
    for name, content in [
        ("questions.txt", as_text(items).encode()),
        ("questions.docx", as_docx(items)),
    ]:
        path = folder / name
        path.write_bytes(content)
        text = readers.read_document(name, path.read_bytes()).text
        found = len(parse(text).questions)
        read_s, parse_s, ratio = paired(
            lambda path=path: readers.read_document(path.name, path.read_bytes()).text,
            lambda text=text: parse(text),
        )
        print(
            f"  {name:<15} {found} questions: read {read_s * 1000:8.2f} ms, parse "
            f"{parse_s * 1000:7.2f} ms, parse/read {1 / ratio:6.2f}"
        )


def bench_whole_document() -> None:
    """What an upload costs on the New consultation page: the text and the file's facts
    (read once, in a process of its own), the details in them and the parse, for 120
    pages against 12 built the same way."""
    from responses.importing import readers
    from responses.importing.bounded import read_within_limits
    from responses.importing.details import find_details
    from responses.importing.parser import parse
    from tests.consultation_documents import consultation_pdf

    def upload(data: bytes):
        reading = read_within_limits("consultation.pdf", data)
        return reading, find_details(reading.text, reading.facts), parse(reading.text)

    small, large = consultation_pdf(evidence_pages=4), consultation_pdf(evidence_pages=112)
    small_reading = upload(small)[0]
    reading, found, outline = upload(large)
    large_s, small_s, ratio = paired(lambda: upload(large), lambda: upload(small), runs=3)
    in_place_s = seconds(lambda: readers.read_document("consultation.pdf", large))
    parse_s = seconds(lambda: parse(reading.text))
    small_text, text = small_reading.text, reading.text
    print(
        f"  {small_reading.facts.pages} pages, {len(small_text):,} characters: {small_s:6.2f} s\n"
        f"  {reading.facts.pages} pages, {len(text):,} characters: {large_s:6.2f} s "
        f"({len(outline.questions)} questions, closes {found.responses_due_by:%-d %B %Y})\n"
        f"  120/12 pages time ratio {ratio:5.2f}; their characters' ratio "
        f"{len(text) / len(small_text):5.2f} (linear in text). Of the 120 pages' time, "
        f"reading in the server's own process would take {in_place_s:.2f} s (the rest is "
        f"the reading process's start), the parse {parse_s:.2f} s.\n"
        f"  Limits: {readers.MAX_PDF_PAGES} pages, {MAX_TEXT:,} characters, "
        f"{CPU_SECONDS} s of processor time."
    )


def bench_create() -> None:
    from django.contrib.auth.models import Group

    from responses import roles
    from responses.importing import setup
    from responses.importing.parser import parse
    from tests.factories import UserFactory

    call_command("migrate", verbosity=0)
    lead = UserFactory(username="bench-lead", groups=[Group.objects.get(name=roles.LEAD_OFFICER)])
    director = UserFactory(
        username="bench-director", groups=[Group.objects.get(name=roles.EXECUTIVE_DIRECTOR)]
    )
    holder = UserFactory(
        username="bench-holder", groups=[Group.objects.get(name=roles.PORTFOLIO_HOLDER)]
    )
    made = iter(range(10**6))

    def create(count: int):
        outline = parse(as_text(question_list(count)))
        title = f"Bench {count} {next(made)}"

        def run():
            return setup.create_consultation(
                user=lead,
                details=setup.ConsultationDetails(
                    title=title, issued_by="Bench", responses_due_by=date(2027, 3, 3)
                ),
                outline=outline,
                organisation_name="Walsall Council",
                report=setup.report_details(
                    consultation_title=title,
                    meeting_body="Cabinet",
                    meeting_date=date(2027, 3, 1),
                    lead=lead,
                    director=director,
                    portfolio_holder=holder,
                    portfolio="Leader",
                    job_title="Policy Officer",
                ),
            )

        return run

    create(5)()  # warm caches (content types, templates) before timing
    queries = {}
    for count in (35, 350):
        with CaptureQueriesContext(connection) as captured:
            create(count)()
        queries[count] = len(captured)
    small_s, large_s, ratio = paired(lambda: create(35)(), lambda: create(350)(), runs=5)
    per_question = (queries[350] - queries[35]) / (350 - 35)
    print(
        f"  create 35 questions  {small_s * 1000:8.1f} ms, {queries[35]} queries\n"
        f"  create 350 questions {large_s * 1000:8.1f} ms, {queries[350]} queries\n"
        f"  350/35 time ratio {1 / ratio:6.2f} (target <= 10.5); "
        f"queries per extra question {per_question:.2f} (target <= 2)"
    )


def main() -> None:
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    print("Parsing a 300-question document, against reading its file:")
    bench_parse()
    print("Reading a whole consultation PDF (cover, contents, boxed questions, annexes):")
    bench_whole_document()
    print("Creating a consultation with its response and report:")
    bench_create()


if __name__ == "__main__":
    main()
