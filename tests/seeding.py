"""The shipped seed for tests: `load_seed` run once per test database, its rows written
afresh for each test that asks for them."""

from __future__ import annotations

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, models, transaction

Rows = dict[type[models.Model], list[models.Model]]


def _ids_by_model() -> dict[type[models.Model], set]:
    return {
        model: set(model._base_manager.values_list("pk", flat=True))
        for model in apps.get_models(include_auto_created=True)
    }


def read_seed() -> Rows:
    """Every row `load_seed` writes, read back, then rolled back: loading the fixture
    parses it and saves its rows one by one (a quarter of a second a test), so it is
    done once and the rows kept."""
    with transaction.atomic():
        before = _ids_by_model()
        call_command("load_seed", verbosity=0)
        rows = {}
        for model, ids in _ids_by_model().items():
            if new := ids - before[model]:
                rows[model] = list(model._base_manager.filter(pk__in=new).order_by("pk"))
        transaction.set_rollback(True)
    return rows


def write_seed(rows: Rows) -> None:
    """Write the rows as they were read, field for field (raw, so `auto_now` leaves the
    stored times alone), and move PostgreSQL's id sequences past them as `loaddata` does."""
    with transaction.atomic():
        for model, objects in rows.items():
            fields = model._meta.local_concrete_fields
            size = connection.ops.bulk_batch_size(fields, objects) or len(objects)
            for start in range(0, len(objects), size):
                model._base_manager._insert(
                    objects[start : start + size], fields=fields, raw=True, using=connection.alias
                )
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), list(rows)):
                cursor.execute(statement)
