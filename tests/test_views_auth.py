"""Signing in and out."""

import pytest
from django.urls import reverse

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
