"""What Save refuses is what the preview warns of, and a link Save accepts is one the
page links: found by attacking the editor with hostile Markdown (issue 22 review)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from responses.models import Answer
from responses.text import markdown_to_html, validate_link_addresses

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text",
    [
        "[the plan](%68ttps://evil.example/plan)",  # "h" %-encoded: no scheme at all
        "[write](%6dailto:clerk@walsall.gov.uk)",  # "m" %-encoded
    ],
)
def test_an_address_whose_scheme_is_percent_encoded_is_refused(text):
    # The page keeps no href for it (it is a relative address), so Save must refuse
    # it, as it did before the checks read the one parse.
    assert "href=" not in markdown_to_html(text)
    with pytest.raises(ValidationError, match="is not a full web address"):
        validate_link_addresses(text)


def _preview_warnings(client, response, text: str) -> list[str]:
    html = client.post(reverse("preview", args=[response.pk]), {"text": text}).content.decode()
    return re.findall(r"Save will refuse this: (.*?)</p>", html, re.S)


@pytest.mark.parametrize(
    "text",
    [
        "    [our plan](/plans/x)",  # an indented code block: no link on the preview
        "    " + ">" * 25 + " our deepest point",  # also a code block on the preview
    ],
)
def test_save_refuses_exactly_what_the_preview_warns_of(client, officer, seed, text):
    client.force_login(officer)
    warned = _preview_warnings(client, seed, text)
    current = Answer.objects.get(response=seed, question__number="12")
    saved = client.post(
        reverse("answer_edit", args=[seed.pk, "12"]),
        {"text": text, "status": current.status, "version": current.version},
    )
    refused = saved.status_code != 302
    assert refused == bool(warned), (warned, saved.status_code)
