from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class ResponsesConfig(AppConfig):
    name = "responses"
    verbose_name = "Consultation responses"

    def ready(self) -> None:
        import consult.sessions  # noqa: F401 - connects its sign-in receiver
        import consult.sign_in  # noqa: F401 - connects its failed sign-in receiver
        import responses.models.counts  # noqa: F401 - connects the answer counts' receivers
        from responses.roles import ensure_role_groups

        post_migrate.connect(ensure_role_groups, sender=self)


class ConsultAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on a site for administrators only (see responses/admin_site.py)."""

    default = False
    # Outside the admin package: importing the site must not import the package, whose
    # registrations would land on a site that is then replaced by the one being made.
    default_site = "responses.admin_site.AdministratorsSite"
