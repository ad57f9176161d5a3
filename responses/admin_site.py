"""The admin site, for administrators only.

Staff status alone would show every team's responses in the admin, round the
rulebook's scoping; so the site asks the rulebook who is an administrator.
"""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from consult import sign_in
from responses import rules


class ForgivingLookups:
    """A list filter the database cannot compare (a number wider than its integers,
    on SQLite) is a mistyped address: Django's "?e=1" note, as for any bad filter."""

    def get_changelist_instance(self, request: HttpRequest):
        try:
            return super().get_changelist_instance(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error


class AdministratorsSite(admin.AdminSite):
    site_header = "Consult administration"
    site_title = "Consult administration"

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and rules.is_administrator(request.user)

    def register(self, model_or_iterable, admin_class=None, **options) -> None:
        admin_class = type(
            (admin_class or admin.ModelAdmin).__name__,
            (ForgivingLookups, admin_class or admin.ModelAdmin),
            {"__module__": (admin_class or admin.ModelAdmin).__module__},
        )
        super().register(model_or_iterable, admin_class, **options)

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        """Paced as the site's sign-in is (consult/sign_in.py)."""
        return sign_in.refused(request) or sign_in.remember_browser(
            request, super().login(request, extra_context)
        )
