from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from responses import audit as audit_trail
from responses.access import get_response

PAGE_SIZE = 200


class AuditFilterForm(forms.Form):
    """Narrow the timeline to one person's entries, one kind, or both. The people are
    those who appear in it, so the list never offers a name that would show nothing."""

    person = forms.ChoiceField(
        label="Person",
        required=False,
        error_messages={
            "invalid_choice": "Choose a person from the list: the one asked for has no "
            "entries here, so everyone's are shown."
        },
    )
    kind = forms.ChoiceField(
        label="Kind of change",
        required=False,
        choices=[("", "All kinds"), *audit_trail.KINDS.items()],
        error_messages={
            "invalid_choice": "Choose a kind of change from the list: the one asked for "
            "is not one of them, so every kind is shown."
        },
    )

    def __init__(self, *args, people: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "Everyone"), *people]

    def wanted(self) -> dict[str, str]:
        """The filters that are valid; one that is not (an old link, a typed address)
        is left out, and its error shown, rather than emptying the page."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


def audit(request: HttpRequest, response_id: int) -> HttpResponse:
    response = get_response(request.user, response_id)
    events = audit_trail.timeline(response)
    form = AuditFilterForm(request.GET or None, people=audit_trail.people(events))
    wanted = form.wanted() if form.is_bound else {}
    shown = audit_trail.matching(events, **wanted)
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "responses/audit.html",
        {
            "response": response,
            "page": page,
            "form": form,
            "filtered": bool(wanted),
            "total": len(events),
            "system": audit_trail.SYSTEM,
        },
    )
