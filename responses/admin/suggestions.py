"""Suggestions, read-only: they are made, accepted and rejected on the answer's pages,
through responses/suggestions.py, so the rulebook and the sign-off lock are asked."""

from django.contrib import admin

from responses.admin.base import ReadOnlyAdmin
from responses.models import Suggestion


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "response", "author", "status", "made_on_version", "created_at"]
    list_filter = ["status"]
    list_select_related = ["response", "author", "answer__question"]
