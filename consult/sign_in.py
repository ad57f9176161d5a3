"""Sign-in paced per address, whatever the username.

django-axes locks a username at one address after a few wrong passwords; someone
trying a new username each time never meets that, and every try costs a password
hash (Django hashes for a username nobody has too, so that the time taken does not
say which usernames exist). So failed sign-ins are also counted per address
(`FAILED_SIGN_INS_PER_ADDRESS` in 5 minutes): past that, the site's sign-in and the
admin's answer 429 before any password is checked, until the count starts again.
Successful sign-ins are not counted, so an office behind one address signs in as
usual on a Monday morning.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from responses import limits


def refused(request: HttpRequest) -> HttpResponse | None:
    """The 429 page for a sign-in from an address that has failed too often, or None."""
    if request.method != "POST":
        return None
    over = limits.count(request, "sign_in", by="address", add=False)
    if over is None:
        return None
    page = render(
        request, "registration/too_many_sign_ins.html", {"minutes": over.minutes}, status=429
    )
    return over.retry_after(page)


@receiver(user_login_failed)
def _count_failure(sender, credentials, request=None, **kwargs) -> None:
    if request is not None:
        limits.count(request, "sign_in", by="address")


class SignInView(LoginView):
    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return refused(request) or super().post(request, *args, **kwargs)
