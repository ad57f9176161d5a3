"""Sessions that end after hours without a request, saved at most every few minutes.

`SESSION_SAVE_EVERY_REQUEST` would write the session row on every request (every
live preview, every poll); refreshing its expiry once `TOUCH_EVERY` has passed gives
the same idle timeout, give or take those minutes, for a write now and then.
"""

from __future__ import annotations

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

TOUCHED = "_touched"
TOUCH_EVERY = 5 * 60  # seconds


class IdleSessionMiddleware:
    """After SessionMiddleware: marks a signed-in session modified when its expiry was
    last pushed back more than `TOUCH_EVERY` ago, so Django saves it, and its cookie,
    with a fresh SESSION_COOKIE_AGE. A request a page makes by itself, not its reader
    (`request.passive`, the editor's heartbeat), pushes nothing back: an editor left
    open on a screen does not keep its session signed in."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if getattr(request, "passive", False):
            return response
        if session is not None and not session.is_empty():
            touched = session.get(TOUCHED, 0)
            if time.time() - touched > TOUCH_EVERY:
                session[TOUCHED] = int(time.time())
        return response


@receiver(user_logged_in)
def touch_on_sign_in(sender, request: HttpRequest | None, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[TOUCHED] = int(time.time())
