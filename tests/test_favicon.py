"""Browsers ask every site for /favicon.ico, whatever its pages link."""

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_favicon_ico_answers_without_a_login(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].startswith("/static/")


def test_favicon_ico_leads_to_an_icon_file(client):
    location = client.get("/favicon.ico")["Location"]
    found = finders.find(location.removeprefix("/static/"))
    assert found is not None
    with open(found, "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # the ICO format's signature


def test_favicon_ico_refuses_a_post(client):
    assert client.post("/favicon.ico").status_code in (403, 405)


@pytest.mark.parametrize("path", ["/login/", "/admin/login/"])
def test_pages_link_the_icon(client, path):
    page = client.get(path).content.decode()
    assert 'rel="icon" href="/static/favicon.svg" type="image/svg+xml"' in page
    assert 'rel="icon" href="/static/favicon.ico" sizes="32x32"' in page
