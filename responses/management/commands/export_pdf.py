from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from responses import pdf
from responses.models import Response
from responses.paper import Paper


class Command(BaseCommand):
    help = "Write the Cabinet paper (or, with --response-only, the response alone) as a PDF."

    def add_arguments(self, parser) -> None:
        parser.add_argument("response_id", type=int)
        parser.add_argument("out", type=Path)
        parser.add_argument(
            "--response-only", action="store_true", help="Appendix 1 alone, without the report."
        )

    def handle(self, *args, response_id: int, out: Path, response_only: bool, **options) -> None:
        response = Response.objects.for_rules().filter(pk=response_id).first()
        if response is None:
            raise CommandError(f"There is no response {response_id}.")
        if not response_only and response.cabinet_report is None:
            raise CommandError(
                f"Response {response_id} has no Cabinet report: use --response-only."
            )
        if not out.parent.is_dir():
            raise CommandError(f"No such folder: {out.parent}")
        paper = Paper.load(response)
        document = pdf.response_only(paper) if response_only else pdf.cabinet_paper(paper)
        out.write_bytes(document.content)
        self.stdout.write(f"Wrote {out} ({len(document.content):,} bytes).")
