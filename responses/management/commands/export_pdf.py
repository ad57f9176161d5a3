from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from responses.documents import pdf, word
from responses.errors import WrongState
from responses.models import Response
from responses.paper import Paper

MAKERS = {"pdf": pdf, "docx": word}


class Command(BaseCommand):
    help = (
        "Write the Cabinet paper (or, with --response-only, the response alone) as a PDF, "
        "or with --format docx as a Word document."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("response_id", type=int)
        parser.add_argument("out", type=Path)
        parser.add_argument(
            "--response-only", action="store_true", help="Appendix 1 alone, without the report."
        )
        parser.add_argument("--format", choices=sorted(MAKERS), default="pdf")
        parser.add_argument(
            "--published",
            action="store_true",
            help="The signed-off Cabinet paper for publication, without the sign-off block.",
        )

    def handle(
        self,
        *args,
        response_id: int,
        out: Path,
        response_only: bool,
        format: str,  # noqa: A002 - the option's name
        published: bool,
        **options,
    ) -> None:
        response = Response.objects.for_rules().filter(pk=response_id).first()
        if response is None:
            raise CommandError(f"There is no response {response_id}.")
        if not response_only and response.cabinet_report is None:
            raise CommandError(
                f"Response {response_id} has no Cabinet report: use --response-only."
            )
        if response_only and published:
            raise CommandError("--published is for the Cabinet paper, not the response alone.")
        if not out.parent.is_dir():
            raise CommandError(f"No such folder: {out.parent}")
        paper = Paper.load(response)
        maker = MAKERS[format]
        try:
            document = (
                maker.response_only(paper)
                if response_only
                else maker.cabinet_paper(paper, published=published)
            )
        except WrongState as refusal:
            raise CommandError(str(refusal)) from refusal
        out.write_bytes(document.content)
        self.stdout.write(f"Wrote {out} ({len(document.content):,} bytes).")
