from django.db import migrations, models


def mark_signed(apps, schema_editor):
    """A document made while signed off was named without "(draft)", so those stored
    before this field are known by their name. A draft whose long title cut the mark
    off counts as signed: the worst that does is give the current paper instead of it
    once the paper changes."""
    Rendering = apps.get_model("responses", "Rendering")
    Rendering.objects.exclude(download_name__contains="(draft)").update(signed=True)


class Migration(migrations.Migration):
    dependencies = [
        ("responses", "0029_presence_and_team"),
    ]

    operations = [
        migrations.AddField(
            model_name="rendering",
            name="signed",
            field=models.BooleanField(
                default=False,
                help_text="Shows signatures: served, and kept, only while they still stand.",
            ),
        ),
        migrations.RunPython(mark_signed, migrations.RunPython.noop),
    ]
