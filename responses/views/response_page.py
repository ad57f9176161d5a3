from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from responses import appendix
from responses.access import get_response


def response_detail(request: HttpRequest, response_id: int) -> HttpResponse:
    response = get_response(request.user, response_id)
    sections, answers = appendix.load(response)
    shown = appendix.FILTERS_BY_NAME.get(request.GET.get("show", "all"))
    unknown_filter = shown is None
    shown = shown or appendix.FILTERS_BY_NAME["all"]
    counts = {f.name: sum(1 for a in answers if f.test(a, request.user)) for f in appendix.FILTERS}
    entries = appendix.entries(sections, answers, keep=lambda a: shown.test(a, request.user))
    return render(
        request,
        "responses/response_detail.html",
        {
            "response": response,
            "entries": entries,
            "filters": [(f, counts[f.name]) for f in appendix.FILTERS],
            "shown": shown,
            "unknown_filter": unknown_filter,
            "can_edit": request.user.has_perm("responses.change_answer") and not response.is_locked,
        },
    )
