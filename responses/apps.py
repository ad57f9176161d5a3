from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ResponsesConfig(AppConfig):
    name = "responses"
    verbose_name = "Consultation responses"

    def ready(self) -> None:
        from responses.roles import ensure_role_groups

        post_migrate.connect(ensure_role_groups, sender=self)
