from django.db import migrations

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


def add_headings(apps, schema_editor):
    StandardHeading = apps.get_model("responses", "StandardHeading")
    if StandardHeading.objects.exists():
        return
    for position, heading in enumerate(WALSALL_HEADINGS, start=1):
        StandardHeading.objects.create(heading=heading, position=position)


class Migration(migrations.Migration):
    dependencies = [("responses", "0001_initial")]

    operations = [migrations.RunPython(add_headings, migrations.RunPython.noop)]
