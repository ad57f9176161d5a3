"""The response's title follows its state: a draft's until Cabinet agrees, then not."""

import json

import pytest
from django.urls import reverse

from responses.models import Response

pytestmark = pytest.mark.django_db

Decision = Response.CabinetDecision


def agreed(response: Response, decision: str = Decision.AGREED) -> Response:
    Response.objects.filter(pk=response.pk).update(
        status=Response.Status.SIGNED_OFF, cabinet_decision=decision
    )
    response.refresh_from_db()
    return response


@pytest.mark.parametrize(
    ("decision", "title"),
    [
        ("", "Draft Response by Walsall Council"),
        (Decision.DEFERRED, "Draft Response by Walsall Council"),
        (Decision.AGREED, "Response by Walsall Council"),
        (Decision.AGREED_WITH_CHANGES, "Response by Walsall Council"),
    ],
)
def test_the_title_is_the_drafts_until_cabinet_agrees(seed, decision, title):
    assert agreed(seed, decision).current_title == title


def test_a_title_without_the_word_draft_stays_as_it_is(seed):
    response = agreed(seed)
    response.title = "Walsall Council's response"
    assert response.current_title == "Walsall Council's response"


def test_after_cabinet_agrees_the_response_page_and_json_drop_draft(client, officer, seed):
    agreed(seed)
    client.force_login(officer)
    page = client.get(reverse("response", args=[seed.pk])).content.decode()
    assert "<h1" in page
    assert "Response by Walsall Council</h1>" in page
    assert "Draft Response by" not in page
    data = json.loads(client.get(reverse("response_json", args=[seed.pk])).content)
    assert data["response"]["title"] == "Response by Walsall Council"


def test_before_cabinet_agrees_the_page_says_draft(client, officer, seed):
    client.force_login(officer)
    page = client.get(reverse("response", args=[seed.pk])).content.decode()
    assert "Draft Response by Walsall Council</h1>" in page


def test_the_admin_list_names_the_response_by_its_title_now(admin_client, seed):
    agreed(seed)
    page = admin_client.get(reverse("admin:responses_response_changelist")).content.decode()
    assert "Response by Walsall Council" in page
    assert "Draft Response by Walsall Council" not in page
