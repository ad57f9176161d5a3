"""History pages: every version with who and when, a diff of any two, restore."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from responses import services
from responses.models import Answer, ReportSection, Response
from tests.edits import edit_answer
from tests.html import error_summary, ids

pytestmark = pytest.mark.django_db


def history_url(response, number="4") -> str:
    return reverse("answer_history", args=[response.pk, number])


def answer(number="4") -> Answer:
    return Answer.objects.get(question__number=number)


def edit(user, response, text, number="4", **changes):
    return edit_answer(user, response, number, text, **changes)


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
    assert "<p>Yes<ins>, with reservations</ins></p>" in html


def test_any_two_versions_can_be_compared(client, officer, seed):
    edit(officer, seed, "Second")
    edit(officer, seed, "Third")
    ids = list(answer().history.order_by("history_date").values_list("history_id", flat=True))
    client.force_login(officer)
    html = client.get(history_url(seed), {"from": ids[0], "to": ids[2]}).content.decode()
    assert "Version 1 to version 3" in html
    assert "<del>Yes</del><ins>Third</ins>" in html
    assert "Version 2" not in html.split('id="diff-title"')[1]


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


def rows(html: str) -> list[str]:
    """The history table's rows, as their text with tags and spacing removed."""
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in body.split("<tr>")[1:]]


def test_the_diff_is_of_the_words_a_reader_sees_not_the_markdown(client, officer, seed):
    edit(officer, seed, "Yes, with [the plan](https://example.org/plan) and **more**.")
    client.force_login(officer)
    diff = client.get(history_url(seed)).content.decode().split('class="diff"')[1]
    assert "<ins>, with the plan and more.</ins>" in diff
    assert "**" not in diff
    assert "example.org" not in diff


def test_a_version_that_changed_only_formatting_says_so(client, officer, seed):
    edit(officer, seed, "**Yes**")
    client.force_login(officer)
    html = client.get(history_url(seed)).content.decode()
    assert "The words are the same in both versions: only their formatting changed" in html
    assert "Struck through: removed." not in html


def test_each_row_lists_its_status_and_assignee_changes(client, officer, lead, seed):
    edit(lead, seed, "Yes", assignee=officer)
    edit(lead, seed, "Yes", status=Answer.Status.READY_FOR_REVIEW)
    edit(lead, seed, "Yes", assignee=None)
    client.force_login(officer)
    listed = rows(client.get(history_url(seed)).content.decode())
    name = officer.get_full_name()
    assert [row.split(" ", 1)[0] for row in listed] == ["4", "3", "2", "1"]
    assert "Unassigned" in listed[0]
    assert "Status: Drafting → Ready for review" in listed[1]
    assert f"Assigned to {name}" in listed[2]
    assert "Status: Drafting" in listed[3]
    assert "Assigned" not in listed[3]


def test_a_save_that_kept_the_version_shares_its_row(client, officer, seed):
    """`create_demo_users` assigns the seed's unanswered questions with a plain save,
    which records history but keeps version 1: the seed's version is listed once."""
    unanswered = Answer.objects.get(question__number="28")
    unanswered.assignee = officer
    unanswered.save()
    unanswered.save()
    assert unanswered.history.count() == 3
    client.force_login(officer)
    listed = rows(client.get(history_url(seed, "28")).content.decode())
    assert len(listed) == 1
    assert listed[0].startswith("1 (current) Created")
    assert f"Assigned to {officer.get_full_name()}" in listed[0]


def test_a_link_to_any_record_of_a_version_compares_that_version(client, officer, seed):
    unanswered = Answer.objects.get(question__number="28")
    unanswered.assignee = officer
    unanswered.save()
    edit(officer, seed, "Now answered", number="28")
    first, assigned, answered = unanswered.history.order_by("history_id")
    client.force_login(officer)
    query = {"from": first.history_id, "to": answered.history_id}
    html = client.get(history_url(seed, "28"), query).content.decode()
    assert "Version 1 to version 2" in html
    assert "<ins>Now answered</ins>" in html
    assert f'value="{assigned.history_id}"' in html  # the row stands for its latest record


def test_a_section_history_lists_a_renaming_and_not_its_moves(client, officer, lead, seed):
    section = ReportSection.objects.get(heading="Recommendations")
    services.move_report_section(user=lead, response_id=seed.pk, section_id=section.pk, offset=-1)
    services.save_report_section(
        user=lead,
        response_id=seed.pk,
        section_id=section.pk,
        heading="What we recommend",
        body=section.body,
        expected_version=1,
    )
    client.force_login(officer)
    html = client.get(reverse("section_history", args=[seed.pk, section.pk])).content.decode()
    listed = rows(html)
    assert len(listed) == 2
    assert escape("Heading: “Recommendations” → “What we recommend”") in listed[0]
    assert "The words are the same in both versions." in html


@pytest.mark.parametrize("edits", [1, 20])
def test_the_history_page_reads_a_fixed_number_of_queries(
    client, officer, lead, seed, django_assert_num_queries, edits
):
    for n in range(edits):
        edit(lead, seed, f"Version {n}", assignee=officer if n % 2 else None)
    client.force_login(officer)
    # session, user, the response, the officer's own and group permissions; the answer
    # with its question; the versions with who saved them and whom they assigned;
    # whether the officer may restore (the rulebook's team check).
    with django_assert_num_queries(7):
        assert client.get(history_url(seed)).status_code == 200


def test_a_compare_that_fails_shows_the_error_summary_linking_to_the_versions(
    client, officer, seed
):
    client.force_login(officer)
    only = answer().history.get()  # one version: Compare sends no "from"
    result = client.get(history_url(seed), {"to": only.history_id})
    html = result.content.decode()
    assert result.status_code == 200
    assert "<title>Error: History of Question 4" in html
    assert html.index("There is a problem") < html.index('<form method="get"')
    assert error_summary(html) == [
        (f"from-{only.history_id}", "Choose two versions of this text to compare.")
    ]
    assert f"from-{only.history_id}" in ids(html)


def test_a_history_page_without_errors_has_no_summary(client, officer, seed):
    client.force_login(officer)
    html = client.get(history_url(seed)).content.decode()
    assert error_summary(html) == []
    assert "<title>History of Question 4" in html


def test_a_version_that_changed_the_councils_position_says_so(client, officer, seed):
    current = Answer.objects.get(response=seed, question__number="12")
    edit_answer(officer, seed, "12", current.text, position="disagrees")
    client.force_login(officer)
    html = client.get(reverse("answer_history", args=[seed.pk, "12"])).content.decode()
    assert "Council&#x27;s position: Disagrees" in html
