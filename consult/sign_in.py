"""Sign-in paced per address, whatever the username.

django-axes locks a username at one address after a few wrong passwords; someone
trying a new username each time never meets that, and every try costs a password
hash (Django hashes for a username nobody has too, so that the time taken does not
say which usernames exist). So failed sign-ins are also counted per address
(`FAILED_SIGN_INS_PER_ADDRESS` in 5 minutes): past that, the site's sign-in and the
admin's answer 429 before any password is checked, until the count starts again.
Successful sign-ins are not counted, so an office behind one address signs in as
usual on a Monday morning.

A whole office shares one address, so one person's guesses there would pause
everyone. A browser that has signed in before carries a signed mark (a cookie, kept
`KNOWN_FOR`) and is counted on its own instead: paused only by its own failures.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from responses import limits

KNOWN = "consult_known"
KNOWN_FOR = 180 * 24 * 60 * 60  # seconds: half a year without signing in forgets it
_SALT = "consult.sign_in.known"


def known_browser(request: HttpRequest) -> str | None:
    """The mark of a browser that signed in before, if it carries a valid one."""
    return request.get_signed_cookie(KNOWN, default=None, salt=_SALT, max_age=KNOWN_FOR)


def remember_browser(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """After a sign-in that worked, mark the browser as one that signed in before."""
    if request.method == "POST" and request.user.is_authenticated:
        response.set_signed_cookie(
            KNOWN,
            secrets.token_urlsafe(16),
            salt=_SALT,
            max_age=KNOWN_FOR,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response


def _counted_by(request: HttpRequest) -> str:
    return "browser" if known_browser(request) else "address"


def refused(request: HttpRequest) -> HttpResponse | None:
    """The 429 page for a sign-in from an address (or a known browser) that has failed
    too often, or None."""
    if request.method != "POST":
        return None
    over = limits.count(request, "sign_in", by=_counted_by(request), add=False)
    if over is None:
        return None
    page = render(
        request, "registration/too_many_sign_ins.html", {"minutes": over.minutes}, status=429
    )
    return over.retry_after(page)


@receiver(user_login_failed)
def _count_failure(sender, credentials, request=None, **kwargs) -> None:
    if request is not None:
        limits.count(request, "sign_in", by=_counted_by(request))


class SignInView(LoginView):
    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return refused(request) or remember_browser(request, super().post(request, *args, **kwargs))
