"""The table the limits count in (settings.CACHES["limits"]), made here so that
`migrate` is all a new or upgraded installation runs."""

from django.core.management import call_command
from django.db import migrations

TABLE = "consult_limit_counts"


def make_table(apps, schema_editor):
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("responses", "0031_worker_heartbeat_and_rendering_size")]

    operations = [migrations.RunPython(make_table, drop_table)]
