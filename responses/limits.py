"""How much of the server one person may use, so that nobody can slow it for everyone.

Each limit is a count of requests in a window of time (django-ratelimit), kept in the
"limits" cache: a database table that every worker of every server shares. The counts
are per person (their user id) for what a signed-in person asks for, and per address
for failed sign-ins, which have no person yet. The numbers are settings
(`PREVIEWS_PER_MINUTE`…), set far above what anyone does by hand: a limit is met only
by a script, or by someone holding a key down in several windows.

Over a limit, the request does nothing and is answered 429 with how long to wait,
shaped for what asked: a fragment for the live preview, JSON for the heartbeat, a page
with the words that were typed for a form.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django_ratelimit.core import get_usage

from consult import addresses

# Each limit: the setting that says how many, and the window, in seconds.
LIMITS = {
    "preview": ("PREVIEWS_PER_MINUTE", 60),
    "save": ("SAVES_PER_MINUTE", 60),
    "comment": ("COMMENTS_PER_MINUTE", 60),
    "heartbeat": ("HEARTBEATS_PER_MINUTE", 60),
    "sign_in": ("FAILED_SIGN_INS_PER_ADDRESS", 5 * 60),
    "mention_mails": ("MENTION_MAILS_PER_HOUR", 60 * 60),
}


@dataclass(frozen=True)
class Over:
    """A limit met: the request is refused, and `wait` seconds from now it is not."""

    wait: int

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.wait / 60))

    def retry_after(self, response: HttpResponse) -> HttpResponse:
        response["Retry-After"] = str(max(1, self.wait))
        return response


def _rate(group: str, request: HttpRequest | None) -> tuple[int, int]:
    setting, seconds = LIMITS[group]
    return getattr(settings, setting), seconds


def _person(group: str, request) -> str:
    return str(request.user.pk)


def address(request) -> str | None:
    """The address a request is counted against: the proxy's view of it behind one
    (RATELIMIT_IP_META_KEY), an IPv6 one as its /64 (one household or office has a
    whole /64 to choose from). None when there is none (a unix socket)."""
    read = getattr(settings, "RATELIMIT_IP_META_KEY", None)
    found = read(request) if callable(read) else addresses.direct(request)
    if found and ":" in found:
        return str(ipaddress.ip_network(f"{found}/64", strict=False).network_address)
    return found


def _address(group: str, request) -> str:
    return address(request) or ""


def _browser(group: str, request) -> str:
    from consult.sign_in import known_browser

    return f"browser:{known_browser(request)}"


_KEYS = {"person": _person, "address": _address, "browser": _browser}


def count(request, group: str, *, by: str = "person", add: bool = True) -> Over | None:
    """Count this request against the limit `group` (with `add`; without, only look),
    by the person who asks or by their address: `Over` if it is past the limit. A
    request from no known address is not counted by address."""
    if by == "address" and not address(request):
        return None
    usage = get_usage(
        request,
        group=group,
        key=_KEYS[by],
        rate=_rate,
        increment=add,
    )
    if usage is None:  # RATELIMIT_ENABLE is off
        return None
    limit = usage["limit"]
    past = usage["count"] > limit if add else usage["count"] >= limit
    return Over(wait=max(1, usage["time_left"])) if past else None


class _Asker:
    """What `count` needs of a request, for a count made outside one (a service)."""

    def __init__(self, user) -> None:
        self.user = user


def allowed(user, group: str) -> bool:
    """Count one use of `group` by `user` where no request is at hand (a service):
    whether it is still within the limit."""
    return count(_Asker(user), group) is None


Refusal = Callable[[HttpRequest, Over], HttpResponse]


def limited(group: str, answer: Refusal | None = None) -> Callable:
    """A view whose POSTs count against the person's limit `group`; past it, `answer`
    (by default the page that keeps what they typed) replaces the view."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST" and (over := count(request, group)):
                return over.retry_after((answer or too_many_page)(request, over))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def too_many_page(request: HttpRequest, over: Over) -> HttpResponse:
    """The page for a form posted too often: nothing was done, and what they typed is
    shown to copy (the editor's browser-kept draft has it too)."""
    typed = [
        (name, value)
        for name, value in request.POST.items()
        if (name in ("text", "heading") or name.endswith("body")) and value.strip()
    ]
    match = request.resolver_match
    number = match.kwargs.get("number") if match else None
    return render(
        request,
        "429.html",
        {
            "wait": over.wait,
            "minutes": over.minutes,
            "words": [value for _, value in typed],
            # The answer's and the section's editors keep a draft in the browser; a
            # comment box does not.
            "kept_in_browser": any(name in ("text", "heading") for name, _ in typed),
            "question": number if match and match.url_name == "answer_edit" else None,
            "back_url": _back_url(request),
        },
        status=429,
    )


def _back_url(request: HttpRequest) -> str:
    """Where the form was: the page that sent it, if it is this site's."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return ""
