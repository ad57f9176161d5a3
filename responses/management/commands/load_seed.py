from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from responses.models import Answer, CabinetReport, Consultation, CouncilSettings, ReportSection

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
            named = _name_the_seeds_council()
        if verbose:
            self.stdout.write(self.style.SUCCESS(f"Loaded the seed from {Path(fixture).name}."))
            if named:
                self.stdout.write(
                    f"The council's settings now name {named.name} and its report headings: "
                    "change them in Administration › Council settings."
                )


def _name_the_seeds_council() -> CouncilSettings | None:
    """The seed's council as the council's settings: its name as its response prints
    it, and its report's headings in order (Walsall's 2006 list, "Vision 2008" and
    all), so a new report in the demo starts as the seed's did. Only while no
    administrator has named the council: a council that set itself up keeps its own."""
    settings = CouncilSettings.current()
    report = CabinetReport.objects.select_related("response").order_by("pk").first()
    if settings.name or report is None:
        return None
    settings.name = report.response.organisation_name
    settings.report_headings = "\n".join(
        report.sections.order_by("position", "pk").values_list("heading", flat=True)
    )
    settings.full_clean()
    settings.save()
    return settings
