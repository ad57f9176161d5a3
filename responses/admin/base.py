"""What every model admin here shares: forms that know who asks and the version
they loaded, admins that ask the rulebook, and read-only records."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from responses import rules
from responses.forms import MAX_ID
from responses.models import (
    Response,
)
from responses.rules import Action


class AskedForm(forms.ModelForm):
    """A model form that knows who is asking, and the version they loaded."""

    user = None  # set by `RulebookAdmin.get_form`
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            self.fields["version"].required = False

    def clean(self) -> dict:
        data = super().clean()
        version = data.get("version")
        if self.instance.pk and version and version != self.instance.version:
            raise ValidationError(
                f"Someone saved version {self.instance.version} while you were editing: "
                "nothing was saved. Open the page again to see their change."
            )
        return data


class RulebookAdmin(admin.ModelAdmin):
    """Change and delete only what the rulebook allows on the object's response now."""

    action: Action = Action.SET_UP

    def response_of(self, obj) -> Response | None:
        raise NotImplementedError

    def get_form(self, request: HttpRequest, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def _allows(self, request: HttpRequest, obj) -> bool:
        response = self.response_of(obj) if obj is not None else None
        return response is None or rules.may(request.user, self.action, response)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_change_permission(request, obj) and self._allows(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and self._allows(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of what happened: shown, never edited."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


# The consultation: questions and headings print in every response to it.


class ReadOnlyHistory(SimpleHistoryAdmin):
    """History is shown here, never reverted: a restore is the app's history page, through
    the services, as a new version."""

    def history_form_view(self, request: HttpRequest, object_id, version_id, extra_context=None):
        if not str(version_id).isdigit():
            raise Http404("No such version.")
        if request.method == "POST":
            raise PermissionDenied("Restore a version from the history page in Consult.")
        return super().history_form_view(request, object_id, version_id, extra_context)
