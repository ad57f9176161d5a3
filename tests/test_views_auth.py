"""Signing in and out."""

import re
import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db.models import F
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from consult.sessions import TOUCH_EVERY, TOUCHED
from tests.factories import PASSWORD
from tests.html import error_summary, ids

pytestmark = pytest.mark.django_db


def test_sign_in_lands_on_the_dashboard(client, officer):
    page = client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    assert page.status_code == 302
    assert page["Location"] == reverse("dashboard")


def test_sign_in_returns_to_the_page_asked_for(client, officer):
    page = client.post(
        reverse("login"), {"username": "officer", "password": PASSWORD, "next": "/admin/"}
    )
    assert page["Location"] == "/admin/"


def test_sign_in_never_redirects_off_site(client, officer):
    page = client.post(
        reverse("login"),
        {"username": "officer", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert page["Location"] == reverse("dashboard")


def test_wrong_password_shows_a_form_error_and_signs_nobody_in(client, officer):
    page = client.post(reverse("login"), {"username": "officer", "password": "wrong"})
    assert page.status_code == 200
    assert "Enter a correct username and password" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_in_needs_the_csrf_token(officer):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    page = strict.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    assert page.status_code == 403
    assert "_auth_user_id" not in strict.session


def test_sign_out_is_a_post_and_ends_the_session(client, officer):
    client.force_login(officer)
    assert client.get(reverse("logout")).status_code == 405
    page = client.post(reverse("logout"))
    assert page.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302


def test_a_wrong_password_is_in_the_error_summary_linking_to_the_username(client, officer):
    page = client.post(reverse("login"), {"username": "officer", "password": "wrong"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "<title>Error: Sign in" in html
    assert html.index("There is a problem") < html.index(
        f'<form method="post" action="{reverse("login")}"'
    )
    [(target, message)] = error_summary(html)
    assert target == "id_username"
    assert target in ids(html)
    assert message.startswith("Enter a correct username and password")


def test_empty_fields_are_each_in_the_error_summary(client, officer):
    html = client.post(reverse("login"), {"username": "", "password": ""}).content.decode()
    assert "<title>Error: Sign in" in html
    summary = error_summary(html)
    assert [target for target, _ in summary] == ["id_username", "id_password"]
    assert {target for target, _ in summary} <= ids(html)


def test_the_sign_in_page_has_no_summary_until_a_sign_in_fails(client):
    html = client.get(reverse("login")).content.decode()
    assert error_summary(html) == []
    assert "<title>Sign in" in html


# Throttling: django-axes counts failures per username and address.

LOCKED_OUT = (
    "Too many failed sign-in attempts for this username from this address. Try again in"
    " 15 minutes, or ask an administrator to unlock the account."
)


def _sign_in(client, password, url=None, **headers):
    return client.post(
        url or reverse("login"), {"username": "officer", "password": password}, **headers
    )


def _fail_five_times(client, **headers):
    return [_sign_in(client, "wrong", **headers).status_code for _ in range(5)]


def test_five_wrong_passwords_pause_sign_in_with_a_page_that_says_why(client, officer):
    assert _fail_five_times(client) == [200, 200, 200, 200, 429]
    page = _sign_in(client, PASSWORD)
    assert page.status_code == 429
    html = page.content.decode()
    assert LOCKED_OUT in html
    assert "<title>Sign-in paused" in html
    assert 'href="/login/"' in html  # the site's own layout, with a way back
    assert "_auth_user_id" not in client.session


def test_a_sign_in_resets_the_count(client, officer):
    for _ in range(4):
        _sign_in(client, "wrong")
    assert _sign_in(client, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    assert [_sign_in(client, "wrong").status_code for _ in range(4)] == [200] * 4


def test_the_same_username_from_another_address_can_still_sign_in(client, officer):
    _fail_five_times(client)
    assert _sign_in(client, PASSWORD, REMOTE_ADDR="10.0.0.9").status_code == 302


def test_after_the_cool_off_the_username_can_sign_in_again(client, officer):
    from axes.models import AccessAttempt

    _fail_five_times(client)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=14))
    assert _sign_in(client, PASSWORD).status_code == 429
    # Each try while paused starts the wait again: 15 minutes after that one.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    assert _sign_in(client, PASSWORD).status_code == 302


def test_an_administrator_can_unlock_the_username_early(client, officer, administrator):
    from axes.models import AccessAttempt

    _fail_five_times(client)
    [attempt] = AccessAttempt.objects.all()
    admin = type(client)()
    admin.force_login(administrator)
    assert admin.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200
    deleted = admin.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 302
    assert _sign_in(client, PASSWORD).status_code == 302


def test_the_admin_sign_in_is_throttled_too(client, administrator):
    url = reverse("admin:login")
    post = {"username": "admin", "password": "wrong", "next": "/admin/"}
    assert [client.post(url, post).status_code for _ in range(5)] == [200] * 4 + [429]
    page = client.post(url, {**post, "password": PASSWORD})
    assert page.status_code == 429
    assert LOCKED_OUT in page.content.decode()


def test_a_forwarded_for_header_does_not_change_the_address_counted(client, officer):
    # Not behind a proxy (BEHIND_PROXY unset), X-Forwarded-For is anyone's to send.
    statuses = [
        _sign_in(client, "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code for n in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    spoofed = _sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert spoofed.status_code == 429


def test_behind_a_proxy_the_address_it_added_to_x_forwarded_for_is_counted(client, officer):
    from consult.settings import forwarded_client_ip

    with override_settings(AXES_CLIENT_IP_CALLABLE=forwarded_client_ip):
        # The proxy appends the address it saw; whatever comes before is the client's
        # own to write, and changing it changes nothing.
        statuses = [
            _sign_in(client, "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.7").status_code
            for n in range(5)
        ]
        assert statuses == [200, 200, 200, 200, 429]
        assert _sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
        elsewhere = _sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.8")
        assert elsewhere.status_code == 302


# Failed sign-ins per address, whatever the username (consult/sign_in.py).

# The wait is what is left of the address's 5 minutes.
PAUSED = re.compile(r"Too many sign-in attempts from your network; wait [1-5] minutes?, then try")


def _new_usernames(client, count, url=None, **headers):
    url = url or reverse("login")
    return [
        client.post(url, {"username": f"guess{n}", "password": "x"}, **headers).status_code
        for n in range(count)
    ]


def test_failed_sign_ins_with_new_usernames_pause_the_address(client, officer, settings):
    from axes.models import AccessAttempt

    settings.FAILED_SIGN_INS_PER_ADDRESS = 4
    assert _new_usernames(client, 4) == [200] * 4
    checked = AccessAttempt.objects.count()
    paused = _sign_in(client, PASSWORD)  # even the right password is not checked
    assert paused.status_code == 429
    assert PAUSED.search(paused.content.decode())
    assert 1 <= int(paused["Retry-After"]) <= 5 * 60
    assert "_auth_user_id" not in client.session
    assert _new_usernames(client, 3) == [429] * 3
    assert AccessAttempt.objects.count() == checked  # no password was checked


def test_another_address_signs_in_while_one_is_paused(client, officer, settings):
    settings.FAILED_SIGN_INS_PER_ADDRESS = 4
    _new_usernames(client, 5)
    assert _sign_in(client, PASSWORD, REMOTE_ADDR="10.0.0.9").status_code == 302


def test_sign_ins_that_succeed_are_not_counted(client, officer, settings):
    settings.FAILED_SIGN_INS_PER_ADDRESS = 2
    for _ in range(5):
        assert _sign_in(client, PASSWORD).status_code == 302
        client.post(reverse("logout"))
    assert _new_usernames(client, 3) == [200, 200, 429]


def test_the_admin_sign_in_shares_the_address_count(client, settings):
    settings.FAILED_SIGN_INS_PER_ADDRESS = 2
    assert _new_usernames(client, 2, url=reverse("admin:login")) == [200, 200]
    assert _new_usernames(client, 1) == [429]
    assert _new_usernames(client, 1, url=reverse("admin:login")) == [429]


def test_behind_a_proxy_failed_sign_ins_count_against_the_address_it_added(client, settings):
    from consult.settings import forwarded_client_ip

    settings.FAILED_SIGN_INS_PER_ADDRESS = 2
    settings.RATELIMIT_IP_META_KEY = forwarded_client_ip
    spoofs = [f"192.0.2.{n}, 203.0.113.7" for n in range(3)]
    assert [_new_usernames(client, 1, HTTP_X_FORWARDED_FOR=spoofed)[0] for spoofed in spoofs] == [
        200,
        200,
        429,
    ]
    assert _new_usernames(client, 1, HTTP_X_FORWARDED_FOR="203.0.113.8") == [200]


# Sessions.


def test_a_session_ends_after_eight_hours_without_a_request(client, officer):
    signed_in = _sign_in(client, PASSWORD)
    assert signed_in.cookies["sessionid"]["max-age"] == 8 * 60 * 60
    # A request more than five minutes after the last push pushes the expiry back.
    session = client.session
    session[TOUCHED] = int(time.time()) - TOUCH_EVERY - 1
    session.save()
    page = client.get(reverse("dashboard"))
    assert page.status_code == 200
    assert page.cookies["sessionid"]["max-age"] == 8 * 60 * 60
    assert Session.objects.get().expire_date > timezone.now() + timedelta(hours=7, minutes=59)
    # Eight hours without one, and the session is over.
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get(reverse("dashboard")).status_code == 302


def test_requests_within_five_minutes_do_not_write_the_session(client, officer):
    _sign_in(client, PASSWORD)
    page = client.get(reverse("dashboard"))
    assert page.status_code == 200
    assert "sessionid" not in page.cookies


def test_the_admins_paused_sign_in_leads_back_to_the_admins_sign_in(client, settings):
    settings.FAILED_SIGN_INS_PER_ADDRESS = 2
    url = reverse("admin:login")
    for n in range(2):
        client.post(url, {"username": f"guess{n}", "password": "x"})
    paused = client.post(url, {"username": "admin", "password": "x"})
    assert paused.status_code == 429
    html = paused.content.decode()
    assert f'href="{url}"' in html
    assert "ask an administrator" not in html


@pytest.mark.parametrize(
    "forwarded", ["203.0.113.7:8080", "[2001:db8::1]:443", "foo", "a:b", "unknown", ""]
)
def test_behind_a_proxy_an_address_written_oddly_still_signs_in(client, officer, forwarded):
    """Some load balancers add a port; some send nothing usable."""
    from consult.settings import forwarded_client_ip

    with override_settings(
        AXES_CLIENT_IP_CALLABLE=forwarded_client_ip, RATELIMIT_IP_META_KEY=forwarded_client_ip
    ):
        assert _sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR=forwarded).status_code == 302


def test_a_server_on_a_unix_socket_with_no_client_address_still_signs_in(client, officer):
    assert _sign_in(client, "wrong", REMOTE_ADDR="").status_code == 200
    assert _sign_in(client, PASSWORD, REMOTE_ADDR="").status_code == 302


def test_an_address_with_a_port_is_counted_as_the_address(client, officer, settings):
    from consult.settings import forwarded_client_ip

    settings.FAILED_SIGN_INS_PER_ADDRESS = 2
    with override_settings(
        AXES_CLIENT_IP_CALLABLE=forwarded_client_ip, RATELIMIT_IP_META_KEY=forwarded_client_ip
    ):
        for port in (1111, 2222):
            _new_usernames(client, 1, HTTP_X_FORWARDED_FOR=f"203.0.113.9:{port}")
        assert _new_usernames(client, 1, HTTP_X_FORWARDED_FOR="203.0.113.9") == [429]


@pytest.mark.parametrize("url", ["/login/", "/admin/login/"])
def test_a_form_posted_in_another_character_set_is_a_bad_request(url):
    from django.test import Client

    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.get(url)
    body = "username=officer&password=x".encode("utf-16")
    sent = client.generic(
        "POST", url, body, content_type="application/x-www-form-urlencoded; charset=utf-16"
    )
    assert sent.status_code == 400


def test_a_browser_that_signed_in_before_is_not_paused_by_others_at_its_address(
    client, officer, settings
):
    """An office shares one address: someone else's guesses there must not lock out a
    colleague whose browser has signed in before."""
    settings.FAILED_SIGN_INS_PER_ADDRESS = 3
    assert _sign_in(client, PASSWORD).status_code == 302
    del client.cookies["sessionid"]  # signed out, the browser's other cookies kept
    stranger = type(client)()
    assert _new_usernames(stranger, 3) == [200] * 3
    assert _new_usernames(stranger, 1) == [429]
    assert _sign_in(client, PASSWORD).status_code == 302


def test_a_known_browser_guessing_is_paused_on_its_own(client, officer, settings):
    settings.FAILED_SIGN_INS_PER_ADDRESS = 3
    assert _sign_in(client, PASSWORD).status_code == 302
    del client.cookies["sessionid"]
    assert _new_usernames(client, 3) == [200] * 3
    assert _new_usernames(client, 1) == [429]
    assert _new_usernames(type(client)(), 1) == [200]  # a new browser at the address


def test_the_known_browser_mark_cannot_be_forged(client, officer, settings):
    settings.FAILED_SIGN_INS_PER_ADDRESS = 2
    assert _new_usernames(type(client)(), 2) == [200] * 2
    client.cookies["consult_known"] = str(officer.pk)
    assert _sign_in(client, PASSWORD).status_code == 429
