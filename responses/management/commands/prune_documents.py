from django.core.management.base import BaseCommand

from responses.documents import retention


class Command(BaseCommand):
    help = (
        "Delete documents finished over a day ago that are not the current paper's (and "
        "do not show signatures that still stand), with their stored files. The task "
        "worker does this once an hour by itself."
    )

    def handle(self, *args, **options) -> None:
        pruned = retention.prune()
        self.stdout.write(f"Pruned {pruned}.")
