"""The editor's heartbeat: who has an answer open (see responses/presence.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_POST

from responses import presence
from responses.errors import Invalid
from responses.gate import open_response
from responses.limits import Over, limited


def _beating_too_fast(request: HttpRequest, over: Over) -> HttpResponse:
    """The page's script keeps the line it shows and beats again at its next turn."""
    request.passive = True
    return JsonResponse({"error": "Too many heartbeats: wait a moment."}, status=429)


@require_POST
@limited("heartbeat", _beating_too_fast)
def heartbeat(request: HttpRequest, response_id: int, number: str) -> HttpResponse:
    """A beat from an open editor: who else is here, as JSON. With `leaving`, the
    window closed (the page's last beat, sent as it goes): its row is removed. A beat
    is the page's, not its reader's: it keeps no session from idling out."""
    request.passive = True
    access = open_response(request.user, response_id)
    try:
        window = presence.window_id(request.POST.get("window", ""))
    except Invalid as refused:
        return JsonResponse({"error": str(refused)}, status=400)
    if request.POST.get("leaving"):
        presence.leave(access, number=number, window=window)
        return HttpResponse(status=204)
    replaces = request.POST.get("replaces", "")
    replaces = replaces if presence.WINDOW.fullmatch(replaces) else ""
    here = presence.heartbeat(access, number=number, window=window, replaces=replaces)
    return JsonResponse(
        {
            "text": presence.describe(here),
            "people": [{"name": p.label, "since": p.since_label, "you": p.you} for p in here],
        }
    )
