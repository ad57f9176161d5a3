from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from responses.models import Answer, CabinetReport, Consultation, ReportSection

SEED = Path(settings.BASE_DIR) / "fixtures" / "lsp_2006.json"


class Command(BaseCommand):
    help = "Load the seed consultation into an empty database; leave any other database alone."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--fixture", default=str(SEED), help="Fixture to load.")

    def handle(self, *args, fixture: str, **options) -> None:
        verbose = options["verbosity"] > 0
        if Consultation.objects.exists():
            if verbose:
                self.stdout.write(
                    "The database already holds consultations: the seed was not loaded."
                )
            return
        with transaction.atomic():
            call_command("loaddata", fixture, verbosity=0)
            # loaddata saves raw, which records no history: give every answer
            # and section its first version, so history starts with the seed.
            for model in (Answer, ReportSection, CabinetReport):
                model.history.bulk_history_create(list(model.objects.all()))
        if verbose:
            self.stdout.write(self.style.SUCCESS(f"Loaded the seed from {Path(fixture).name}."))
