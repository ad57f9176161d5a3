"""The editor's live preview: the server's own renderer, never a second one."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def preview(client, response, **data):
    return client.post(reverse("preview", args=[response.pk]), data)


def test_preview_renders_markdown_like_the_page(client, officer, seed):
    client.force_login(officer)
    html = preview(client, seed, text="**bold** and *italic*").content.decode()
    assert "<strong>bold</strong>" in html
    assert "<em>italic</em>" in html


def test_preview_links_cross_references(client, officer, seed):
    client.force_login(officer)
    html = preview(client, seed, text="See answer above", previous="16").content.decode()
    assert 'href="#q16"' in html


def test_report_preview_is_plain_markdown(client, officer, seed):
    client.force_login(officer)
    html = preview(client, seed, text="See answer above", previous="16", plain="1")
    assert 'href="#q16"' not in html.content.decode()


def test_preview_is_sanitised(client, officer, seed):
    client.force_login(officer)
    html = preview(client, seed, text="<img src=x onerror=alert(1)>").content.decode()
    assert "<img" not in html


def test_preview_of_too_long_text_says_so(client, officer, seed):
    client.force_login(officer)
    html = preview(client, seed, text="x" * 20_001).content.decode()
    assert "Too long to preview: 20,001 characters, 20,000 at most." in html


def test_preview_says_what_save_would_refuse_as_it_is_typed(client, officer, seed):
    client.force_login(officer)
    html = preview(client, seed, text="See [our plan](/plans/x).").content.decode()
    assert "Save will refuse this: The link to “/plans/x” is not a full web address" in html
    assert "our plan" in html
    assert "Save will refuse" not in preview(client, seed, text="Fine words.").content.decode()


def test_preview_is_post_only_and_needs_a_role(client, outsider, officer, seed):
    client.force_login(officer)
    assert client.get(reverse("preview", args=[seed.pk])).status_code == 405
    client.force_login(outsider)
    assert preview(client, seed, text="x").status_code == 403
