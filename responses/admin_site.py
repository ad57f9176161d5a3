"""The admin site, for administrators only.

Staff status alone would show every team's responses in the admin, round the
rulebook's scoping; so the site asks the rulebook who is an administrator.
"""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from consult import sign_in
from responses import rules


class AdministratorsSite(admin.AdminSite):
    site_header = "Consult administration"
    site_title = "Consult administration"

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and rules.is_administrator(request.user)

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        """Paced as the site's sign-in is (consult/sign_in.py)."""
        return sign_in.refused(request) or super().login(request, extra_context)
