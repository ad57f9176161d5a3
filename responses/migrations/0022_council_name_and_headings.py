"""The council's name and standard report headings move into its settings.

StandardHeading goes. An installation in use (any Cabinet report) keeps the headings it
has, in order, and takes its name from its newest response, as the new-consultation form
did. A fresh database, whose headings are still exactly the Walsall list migration 0002
wrote and which has no report, starts from the neutral list instead.
"""

from django.db import migrations, models

import responses.models.council

# As migration 0002 wrote them: Walsall Council's 2006 report headings.
WALSALL_HEADINGS = [
    "Summary of report",
    "Recommendations",
    "Resource and legal considerations",
    "Citizen impact",
    "Community safety",
    "Environmental impact",
    "Performance and risk management issues",
    "Equality implications",
    "Consultation",
    "Vision 2008",
    "Background papers",
]

SINGLETON_PK = 1


def headings_into_settings(apps, schema_editor):
    StandardHeading = apps.get_model("responses", "StandardHeading")
    CouncilSettings = apps.get_model("responses", "CouncilSettings")
    CabinetReport = apps.get_model("responses", "CabinetReport")
    Response = apps.get_model("responses", "Response")
    headings = list(
        StandardHeading.objects.order_by("position", "pk").values_list("heading", flat=True)
    )
    in_use = CabinetReport.objects.exists()
    if not in_use and headings == WALSALL_HEADINGS:
        return  # a fresh database: the field's default, the neutral list, stands
    settings, _ = CouncilSettings.objects.get_or_create(pk=SINGLETON_PK)
    settings.report_headings = "\n".join(headings)
    if not settings.name:
        newest = Response.objects.order_by("-created_at", "-pk").first()
        if newest is not None:
            settings.name = newest.organisation_name
    settings.save()


def headings_back_into_rows(apps, schema_editor):
    StandardHeading = apps.get_model("responses", "StandardHeading")
    CouncilSettings = apps.get_model("responses", "CouncilSettings")
    settings = CouncilSettings.objects.filter(pk=SINGLETON_PK).first()
    text = settings.report_headings if settings else "\n".join(WALSALL_HEADINGS)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for position, heading in enumerate(dict.fromkeys(lines), start=1):
        StandardHeading.objects.create(heading=heading, position=position)


class Migration(migrations.Migration):
    dependencies = [
        ("responses", "0021_signatures_decisions_marking"),
    ]

    operations = [
        migrations.AddField(
            model_name="councilsettings",
            name="name",
            field=models.CharField(
                default="",
                help_text="As printed on its responses, for example: Anytown Borough Council. "
                "A new consultation's response starts with it.",
                max_length=200,
                verbose_name="council's name",
            ),
        ),
        migrations.AddField(
            model_name="councilsettings",
            name="report_headings",
            field=models.TextField(
                default="Summary\nRecommendations\nReasons for recommendations\n"
                "Alternative options considered\nBackground\nFinancial implications\n"
                "Legal implications\nEquality implications\n"
                "Climate and environmental implications\nConsultation\nBackground papers",
                help_text="One heading a line, in the order a new Cabinet report shows them. "
                "Every new report starts with a section for each; reports already made keep "
                "theirs.",
                validators=[responses.models.council.validate_report_headings],
                verbose_name="standard report headings",
            ),
        ),
        migrations.RunPython(headings_into_settings, headings_back_into_rows),
        migrations.DeleteModel(name="StandardHeading"),
    ]
