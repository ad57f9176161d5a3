"""History pages: every version with who and when, a diff of any two, restore."""

import pytest
from django.urls import reverse

from responses import services
from responses.models import Answer, ReportSection, Response
from tests.edits import edit_answer

pytestmark = pytest.mark.django_db


def history_url(response, number="4") -> str:
    return reverse("answer_history", args=[response.pk, number])


def answer(number="4") -> Answer:
    return Answer.objects.get(question__number=number)


def edit(user, response, text, number="4"):
    return edit_answer(user, response, number, text)


def test_every_version_is_listed_with_who(client, officer, lead, seed):
    edit(officer, seed, "Yes, with reservations")
    edit(lead, seed, "Yes, with two reservations")
    client.force_login(officer)
    html = client.get(history_url(seed)).content.decode()
    assert html.count('name="from"') == 3
    assert officer.get_full_name() in html
    assert lead.get_full_name() in html
    assert "System" in html  # the seed's first version


def test_the_latest_two_versions_are_compared_word_by_word(client, officer, seed):
    edit(officer, seed, "Yes, with reservations")
    client.force_login(officer)
    html = client.get(history_url(seed)).content.decode()
    assert "<del>Yes</del><ins>Yes, with reservations</ins>" in html


def test_any_two_versions_can_be_compared(client, officer, seed):
    edit(officer, seed, "Second")
    edit(officer, seed, "Third")
    ids = list(answer().history.order_by("history_date").values_list("history_id", flat=True))
    client.force_login(officer)
    html = client.get(history_url(seed), {"from": ids[0], "to": ids[2]}).content.decode()
    assert "Version 1 to version 3" in html
    assert "<del>Yes</del><ins>Third</ins>" in html


@pytest.mark.parametrize("query", [{"from": "abc", "to": "1"}, {"from": "999999", "to": "1"}])
def test_comparing_versions_that_do_not_exist_explains_itself(client, officer, seed, query):
    client.force_login(officer)
    result = client.get(history_url(seed), query)
    assert result.status_code == 200
    assert "Choose two versions of this text to compare." in result.content.decode()


def test_restore_makes_a_new_version(client, officer, seed):
    edit(officer, seed, "Changed my mind")
    first = answer().history.earliest()
    client.force_login(officer)
    result = client.post(history_url(seed), {"history_id": first.history_id, "version": 2})
    assert result.status_code == 302
    restored = answer()
    assert (restored.text, restored.version) == ("Yes", 3)
    assert answer().history.count() == 3


def test_restore_over_a_newer_version_is_refused(client, officer, lead, seed):
    edit(officer, seed, "Second")
    edit(lead, seed, "Third, by the lead")
    first = answer().history.earliest()
    client.force_login(officer)
    result = client.post(
        history_url(seed), {"history_id": first.history_id, "version": 2}, follow=True
    )
    assert "Someone saved a newer version" in result.content.decode()
    assert answer().text == "Third, by the lead"


def test_restore_with_bad_input_changes_nothing(client, officer, seed):
    client.force_login(officer)
    result = client.post(history_url(seed), {"history_id": "x"}, follow=True)
    assert "Choose a version to restore." in result.content.decode()
    assert client.post(history_url(seed), {"history_id": 999999, "version": 1}).status_code == 404
    assert answer().version == 1


def test_signatories_see_history_but_cannot_restore(client, director, seed):
    client.force_login(director)
    html = client.get(history_url(seed)).content.decode()
    assert "Restore version" not in html
    first = answer().history.earliest()
    result = client.post(history_url(seed), {"history_id": first.history_id, "version": 1})
    assert result.status_code == 403


def test_restore_is_refused_while_locked(client, officer, seed):
    edit(officer, seed, "Second")
    Response.objects.filter(pk=seed.pk).update(status=Response.Status.SIGNED_OFF)
    first = answer().history.earliest()
    client.force_login(officer)
    result = client.post(
        history_url(seed), {"history_id": first.history_id, "version": 2}, follow=True
    )
    assert "cannot be changed" in result.content.decode()
    assert answer().text == "Second"


def test_report_section_history_and_restore(client, officer, seed):
    section = ReportSection.objects.get(heading="Recommendations")
    services.save_report_section(
        user=officer,
        response_id=seed.pk,
        section_id=section.pk,
        heading=section.heading,
        body="A new recommendation",
        expected_version=1,
    )
    url = reverse("section_history", args=[seed.pk, section.pk])
    client.force_login(officer)
    html = client.get(url).content.decode()
    assert "<ins>" in html
    assert "History of Recommendations" in html
    first = section.history.earliest()
    client.post(url, {"history_id": first.history_id, "version": 2})
    section.refresh_from_db()
    assert section.body.startswith("That the Cabinet agrees")
    assert section.version == 3


def test_the_seed_text_is_version_one_and_can_be_restored_after_the_first_edit(
    client, officer, seed
):
    seed_text = answer().text
    edit(officer, seed, "An officer's first edit")
    client.force_login(officer)
    history = answer().history.order_by("history_date")
    assert [(h.version, h.text) for h in history] == [
        (1, seed_text),
        (2, "An officer's first edit"),
    ]
    html = client.get(history_url(seed)).content.decode()
    assert "Restore version 1" in html
    client.post(history_url(seed), {"history_id": history[0].history_id, "version": 2})
    assert (answer().text, answer().version) == (seed_text, 3)


def test_restoring_the_current_version_says_nothing_changed(client, officer, seed):
    edit(officer, seed, "Second words")
    client.force_login(officer)
    current = answer().history.order_by("-history_date")[0]
    page = client.post(
        history_url(seed), {"history_id": current.history_id, "version": 2}, follow=True
    ).content.decode()
    assert "nothing changed" in page
    assert "Restored as version" not in page
    assert answer().version == 2
