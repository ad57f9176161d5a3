"""Every page needs a login: walk the whole URL configuration as an anonymous visitor."""

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

# The pages a visitor must reach to sign in at all, the icon browsers ask for, and
# the health check.
PUBLIC = {"login", "logout", "admin:login", "admin:logout", "favicon", "healthz"}
SAMPLE_BY_CONVERTER = {
    "int": "1",
    "id": "1",
    "number": "12",
    "str": "x",
    "slug": "x",
    "path": "x/y",
    "uuid": str(uuid.uuid4()),
}
SAMPLE_BY_GROUP = {"app_label": "responses", "url": "x"}


def _route_sample(route: str) -> str:
    return re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: SAMPLE_BY_CONVERTER[m.group(1) or "str"], route)


def _regex_sample(regex: str) -> str:
    sample = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: SAMPLE_BY_GROUP.get(m.group(1), "1"), regex)
    return sample.lstrip("^").rstrip("$").replace("\\", "")


def _sample(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return _route_sample(str(pattern))
    assert isinstance(pattern, RegexPattern)
    return _regex_sample(pattern.regex.pattern)


def walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        path = prefix + _sample(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, path, ns)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name or entry.lookup_str}", "/" + path


ALL_URLS = sorted(set(walk(get_resolver().url_patterns)))


def test_the_walk_finds_the_pages_and_the_admin():
    names = {name for name, _ in ALL_URLS}
    assert {"dashboard", "login", "admin:index", "admin:responses_answer_changelist"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "path"), [u for u in ALL_URLS if u[0] not in PUBLIC])
def test_anonymous_visitor_is_sent_to_sign_in(client, name, path):
    response = client.get(path)
    assert response.status_code == 302, f"{name} ({path}) answered {response.status_code}"
    assert response["Location"].startswith(("/login/?next=", "/admin/login/?next="))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "path"), [u for u in ALL_URLS if u[0] in {"login", "admin:login"}]
)
def test_the_sign_in_pages_ask_for_a_username_and_password(client, name, path):
    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="username"' in html
    assert 'type="password"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "sign_in"), [("logout", "/login/?next="), ("admin:logout", "/admin/login/?next=")]
)
def test_signing_out_when_not_signed_in_leads_to_sign_in(client, name, sign_in):
    path = dict(ALL_URLS)[name]
    page = client.get(path)
    assert page.status_code == 302
    assert page["Location"].startswith(sign_in)
