"""Signing in and out."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

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
    assert "Please enter a correct username and password" in page.content.decode()
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
