"""The admin site, for administrators only.

Staff status alone would show every team's responses in the admin, round the
rulebook's scoping; so the site asks the rulebook who is an administrator.
"""

from django.contrib import admin
from django.http import HttpRequest

from responses import rules


class AdministratorsSite(admin.AdminSite):
    site_header = "Consult administration"
    site_title = "Consult administration"

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and rules.is_administrator(request.user)
