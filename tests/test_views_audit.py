"""The audit page `/responses/<id>/audit/`: entries that say what happened, link to
where it can be seen, and filter by person and kind."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from responses import services, workflow
from responses.models import Answer, AuditEvent, CabinetReport, ReportSection
from tests.edits import edit_answer
from tests.papers import digest_of

pytestmark = pytest.mark.django_db


def audit_page(client, user, response, **query) -> str:
    client.force_login(user)
    result = client.get(reverse("audit", args=[response.pk]), query)
    assert result.status_code == 200
    return result.content.decode()


def entries(html: str) -> list[str]:
    """Each entry's first line as a reader sees it, newest first."""
    items = re.findall(r'<li class="audit-event">\s*<p class="mb-1">(.*?)</p>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def linked(html: str, summary: str) -> str:
    """Where the entry that says `summary` links to."""
    found = re.search(rf'<a href="([^"]*)">{re.escape(escape(summary))}</a>', html)
    assert found, f"no link for {summary!r}"
    return found[1].replace("&amp;", "&")


def names(user) -> str:
    return user.get_full_name()


def section(heading: str) -> ReportSection:
    return ReportSection.objects.get(heading=heading)


def test_an_edit_says_which_answer_and_links_to_that_change(client, officer, lead, seed):
    edit_answer(officer, seed, "12", "New words for twelve.")
    html = audit_page(client, lead, seed)
    assert entries(html)[0] == "Answers edited: Answer to question 12 edited"
    before, after = Answer.objects.get(question__number="12").history.order_by("history_id")
    history = reverse("answer_history", args=[seed.pk, "12"])
    assert linked(html, "Answer to question 12 edited") == (
        f"{history}?from={before.history_id}&to={after.history_id}"
    )


def test_assignment_and_status_changes_say_who_and_what(client, officer, lead, seed):
    edit_answer(lead, seed, "12", Answer.objects.get(question__number="12").text, assignee=officer)
    edit_answer(lead, seed, "4", "Yes", status=Answer.Status.READY_FOR_REVIEW)
    edit_answer(lead, seed, "12", Answer.objects.get(question__number="12").text, assignee=None)
    html = audit_page(client, lead, seed)
    assert entries(html)[:3] == [
        "Questions assigned: Question 12 unassigned",
        "Answer status changed: Answer to question 4 marked Ready for review (was Drafting)",
        f"Questions assigned: Question 12 assigned to {names(officer)}",
    ]
    history = reverse("answer_history", args=[seed.pk, "12"])
    assert linked(html, f"Question 12 assigned to {names(officer)}") == history


def test_a_save_that_changed_nothing_says_nothing(client, lead, seed):
    answer = Answer.objects.get(question__number="4")
    answer.save()  # a plain save records history with the same words
    html = audit_page(client, lead, seed)
    assert "question 4 edited" not in html
    assert entries(html).count("Answers edited: Answer to question 4 created") == 1


def test_the_seed_and_a_plain_save_that_assigned_are_told_apart(client, officer, lead, seed):
    """As `create_demo_users` assigns the seed's unanswered questions."""
    answer = Answer.objects.get(question__number="28")
    answer.assignee = officer
    answer.save()
    html = audit_page(client, lead, seed)
    assert f"Questions assigned: Question 28 assigned to {names(officer)}" in entries(html)
    assert "Answer to question 28 created" not in html  # empty answers come with set-up


def test_a_section_moved_up_is_one_entry_linking_to_its_place(client, lead, seed):
    recommendations = section("Recommendations")
    services.move_report_section(
        user=lead, response_id=seed.pk, section_id=recommendations.pk, offset=-1
    )
    html = audit_page(client, lead, seed)
    summary = "Report section “Recommendations” moved up, above “Summary of report”"
    assert entries(html)[0] == f"Report sections and details: {summary}"
    assert "moved down" not in html
    assert linked(html, summary) == (
        f"{reverse('report', args=[seed.pk])}#section-{recommendations.pk}"
    )


def test_a_move_after_a_removal_names_only_the_two_sections_swapped(client, lead, seed):
    services.delete_report_section(
        user=lead, response_id=seed.pk, section_id=section("Citizen impact").pk
    )
    services.move_report_section(
        user=lead, response_id=seed.pk, section_id=section("Summary of report").pk, offset=1
    )
    moves = [e for e in entries(audit_page(client, lead, seed)) if " moved " in e]
    assert moves == [
        "Report sections and details: "
        "Report section “Recommendations” moved up, above “Summary of report”"
    ]


def test_section_edits_renames_and_removals_are_told(client, lead, seed):
    recommendations = section("Recommendations")
    services.save_report_section(
        user=lead,
        response_id=seed.pk,
        section_id=recommendations.pk,
        heading="What we recommend",
        body="New body.",
        expected_version=1,
    )
    services.delete_report_section(
        user=lead, response_id=seed.pk, section_id=section("Citizen impact").pk
    )
    html = audit_page(client, lead, seed)
    said = entries(html)[:3]
    assert said == [
        "Report sections and details: Report section “Citizen impact” removed",
        "Report sections and details: Report section “Recommendations” renamed “What we recommend”",
        "Report sections and details: Report section “What we recommend” edited",
    ]
    history = reverse("section_history", args=[seed.pk, recommendations.pk])
    assert linked(html, "Report section “What we recommend” edited").startswith(f"{history}?from=")
    assert "<strong>Report section “Citizen impact” removed</strong>" in html  # no link


def test_report_details_name_the_fields_and_leave_role_changes_to_the_workflow(
    client, lead, director, administrator, seed
):
    report = CabinetReport.objects.get()
    details = {name: getattr(report, name) for name in ("title", "wards")}
    services.save_report_details(
        user=lead,
        response_id=seed.pk,
        details={**details, "title": "A new title", "wards": "Bloxwich East"},
        expected_version=report.version,
    )
    workflow.change_lead_officer(user=administrator, response_id=seed.pk, lead=lead)
    said = entries(audit_page(client, lead, seed))
    assert said[0] == "Report sections and details: Report details changed: Title, Wards"
    assert sum("Report details" in e for e in said) == 1


def test_sign_off_steps_give_the_round_and_the_comment_and_link_to_sign_off(
    client, lead, director, seed
):
    for _ in range(2):
        workflow.submit(user=lead, response_id=seed.pk, confirm_gaps=True)
        workflow.return_for_changes(user=director, response_id=seed.pk, comment="Say more.")
    html = audit_page(client, lead, seed)
    said = entries(html)
    assert said[0] == "Sign-off: Returned for changes by the Executive Director"
    assert said[1] == "Sign-off: Submitted for sign-off (round 2)"
    assert "Sign-off: Submitted for sign-off (round 1)" in said
    assert "Say more." in html
    assert linked(html, "Submitted for sign-off (round 2)") == reverse("sign_off", args=[seed.pk])


def test_an_approval_names_the_version_of_the_paper_its_documents_print(
    client, lead, director, seed
):
    workflow.submit(user=lead, response_id=seed.pk, confirm_gaps=True)
    digest = digest_of(seed)
    workflow.approve(user=director, response_id=seed.pk, seen_digest=digest)

    said = entries(audit_page(client, lead, seed))

    # As the foot of every page of the PDF and Word documents names it.
    assert said[0] == f"Sign-off: Approved as Executive Director (round 1, version {digest[:8]})"


def test_the_filters_are_labelled_selects_with_a_filter_button(client, lead, officer, seed):
    edit_answer(officer, seed, "12", "Officer's words.")
    html = audit_page(client, lead, seed)
    assert re.search(r'<label\s+for="id_person"[^>]*>\s*Person\s*</label>', html)
    assert re.search(r'<label\s+for="id_kind"[^>]*>\s*Kind of change\s*</label>', html)
    assert '<select name="person"' in html
    assert '<select name="kind"' in html
    assert ">Filter</button>" in html
    person_options = html.split('<select name="person"')[1].split("</select>")[0]
    assert f">{escape(names(officer))}</option>" in person_options
    assert ">System (seed data)</option>" in person_options
    assert names(lead) not in person_options  # took no part yet


def test_filtering_by_person_shows_only_their_entries(client, lead, officer, seed):
    edit_answer(officer, seed, "12", "Officer's words.")
    edit_answer(lead, seed, "4", "Lead's words.")
    html = audit_page(client, lead, seed, person=officer.pk)
    assert entries(html) == ["Answers edited: Answer to question 12 edited"]
    assert "Showing 1 of" in html


def test_filtering_by_kind_and_person_together(client, lead, officer, director, seed):
    edit_answer(lead, seed, "12", "Lead's words.", assignee=officer)
    workflow.submit(user=lead, response_id=seed.pk, confirm_gaps=True)
    workflow.return_for_changes(user=director, response_id=seed.pk, comment="No.")
    assert entries(audit_page(client, lead, seed, kind="assignment", person=lead.pk)) == [
        f"Questions assigned: Question 12 assigned to {names(officer)}"
    ]
    assert entries(audit_page(client, lead, seed, kind="sign_off")) == [
        "Sign-off: Returned for changes by the Executive Director",
        "Sign-off: Submitted for sign-off (round 1)",
    ]
    assert entries(audit_page(client, lead, seed, kind="assignment", person=director.pk)) == []


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ({"person": "999999"}, "Choose a person from the list"),
        ({"person": "x' OR 1=1"}, "Choose a person from the list"),
        ({"kind": "nonsense"}, "Choose a kind of change from the list"),
        ({"kind": "<script>"}, "Choose a kind of change from the list"),
    ],
)
def test_a_filter_that_is_not_offered_is_explained_and_ignored(client, lead, seed, query, said):
    html = audit_page(client, lead, seed, **query)
    assert said in html
    assert "<script>" not in html.split("<main")[1]
    assert len(entries(html)) == len(entries(audit_page(client, lead, seed)))


def test_a_person_with_no_entries_is_explained_and_the_kind_still_applies(client, lead, seed):
    html = audit_page(client, lead, seed, person=lead.pk, kind="report")
    assert "Choose a person from the list" in html
    assert {e.split(":")[0] for e in entries(html)} == {"Report sections and details"}


def test_nothing_matching_says_so(client, lead, seed):
    html = audit_page(client, lead, seed, kind="sign_off")
    assert "Nothing matches these filters." in html
    assert "Show everything" in html


def test_the_page_links_keep_the_filters(client, lead, seed):
    for n in range(201):
        AuditEvent.objects.create(response=seed, kind="submitted", actor=lead, summary=f"x{n}")
    html = audit_page(client, lead, seed, kind="sign_off")
    assert "Page 1 of 2" in html
    assert 'href="?kind=sign_off&amp;page=2"' in html


@pytest.mark.parametrize("changes", [1, 25])
def test_the_query_count_is_fixed_whatever_the_history_and_filters(
    client, lead, officer, director, seed, django_assert_num_queries, changes
):
    recommendations = section("Recommendations")
    for n in range(changes):
        edit_answer(lead, seed, "12", f"Words {n}", assignee=officer if n % 2 else None)
        services.move_report_section(
            user=lead, response_id=seed.pk, section_id=recommendations.pk, offset=(-1) ** n
        )
        workflow.submit(user=lead, response_id=seed.pk, confirm_gaps=True)
        workflow.return_for_changes(user=director, response_id=seed.pk, comment=f"{n}")
    client.force_login(lead)
    url = reverse("audit", args=[seed.pk])
    # session, user, the response, the lead's own and group permissions; question
    # numbers; answer history (with who saved and whom they assigned); section history;
    # report history; audit events. Filters and links are worked out from these.
    for query in ({}, {"person": lead.pk, "kind": "assignment"}):
        with django_assert_num_queries(10):
            assert client.get(url, query).status_code == 200


def test_a_change_of_the_councils_position_and_the_summary_are_in_the_audit(
    client, seed, officer, lead
):
    current = Answer.objects.get(response=seed, question__number="12")
    edit_answer(officer, seed, "12", current.text, position="partly_agrees")
    section = ReportSection.objects.get(heading="Recommendations")
    services.insert_positions_summary(user=lead, response_id=seed.pk, section_id=section.pk)
    client.force_login(lead)

    html = client.get(reverse("audit", args=[seed.pk])).content.decode()

    assert "Council&#x27;s position on question 12: Partly agrees" in html
    assert "Summary of the council&#x27;s positions inserted in “Recommendations”" in html
