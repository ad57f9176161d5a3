"""The team page `/responses/<id>/team/`: who drafts, what each has, adding and removing."""

import pytest
from django.test import Client
from django.urls import reverse

from responses import roles, team
from responses.errors import Invalid, NotAllowed, NotFound, WrongState
from responses.models import Answer, AuditEvent, Response
from tests.edits import edit_answer
from tests.factories import UserFactory, response_with_questions, staff
from tests.html import links, text

pytestmark = pytest.mark.django_db


def team_url(response) -> str:
    return reverse("team", args=[response.pk])


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def add(client, response, user_id, **extra):
    return client.post(reverse("team_add", args=[response.pk]), {"user": user_id, **extra})


def remove(client, response, user_id):
    return client.post(reverse("team_remove", args=[response.pk]), {"user": user_id})


@pytest.fixture
def jane(db):
    return UserFactory(
        username="jsmith", first_name="Jane", last_name="Smith", groups=[roles.OFFICER]
    )


def members_of(response) -> set[str]:
    return set(Response.objects.get(pk=response.pk).team.values_list("username", flat=True))


# Who may open the page -------------------------------------------------------------


def test_the_lead_sees_each_member_their_questions_and_last_activity(lead, officer, seed):
    Answer.objects.filter(response=seed, question__number__in=["3", "12"]).update(assignee=officer)
    edit_answer(officer, seed, "12", "New words.")
    page = signed_in(lead).get(team_url(seed))
    assert page.status_code == 200
    html = page.content.decode()
    shown = text(html)
    assert officer.get_full_name() in shown
    assert lead.get_full_name() in shown
    assert "Lead officer" in shown
    answers = reverse("response", args=[seed.pk])
    assert (f"{answers}#q3", "3") in links(html)
    assert (f"{answers}#q12", "12") in links(html)
    saved = Answer.objects.get(response=seed, question__number="12").changed_at
    assert saved.astimezone().strftime("%Y") in shown
    assert "Last activity on this response: none yet" in shown  # the lead did nothing yet


def test_an_administrator_may_change_the_team(administrator, seed):
    page = signed_in(administrator).get(team_url(seed))
    assert page.status_code == 200
    assert "Add an officer" in page.content.decode()


@pytest.mark.parametrize("persona", ["officer", "director", "portfolio_holder"])
def test_others_who_read_the_response_may_not_open_the_team_page(persona, seed, request):
    assert signed_in(request.getfixturevalue(persona)).get(team_url(seed)).status_code == 403


def test_an_officer_of_another_team_is_told_there_is_no_such_response(seed):
    elsewhere = UserFactory(username="elsewhere", groups=[roles.LEAD_OFFICER])
    assert signed_in(elsewhere).get(team_url(seed)).status_code == 404


def test_the_team_tab_is_shown_to_the_lead_and_not_to_an_officer(lead, officer, seed):
    for url in [reverse("response", args=[seed.pk]), reverse("audit", args=[seed.pk])]:
        assert (team_url(seed), "Team") in links(signed_in(lead).get(url).content.decode())
        assert team_url(seed) not in signed_in(officer).get(url).content.decode()


# Search ----------------------------------------------------------------------------


def test_search_lists_matching_officers_not_yet_on_the_team(lead, seed, jane):
    UserFactory(username="jsmythe", first_name="Janet", last_name="Smythe", groups=[roles.OFFICER])
    UserFactory(
        username="jsinactive",
        first_name="Jane",
        last_name="Gone",
        is_active=False,
        groups=[roles.OFFICER],
    )
    UserFactory(
        username="jdirector", first_name="Jane", last_name="Boss", groups=[roles.EXECUTIVE_DIRECTOR]
    )
    shown = text(signed_in(lead).get(team_url(seed), {"q": "jane"}).content.decode())
    assert "Jane Smith" in shown
    assert "Janet Smythe" in shown
    assert "Jane Gone" not in shown
    assert "Jane Boss" not in shown
    assert "2 officers match “jane”" in shown


def test_search_matches_every_word_against_names_and_usernames(lead, seed, jane):
    client = signed_in(lead)
    assert "Jane Smith" in text(client.get(team_url(seed), {"q": "jane smi"}).content.decode())
    assert "Jane Smith" in text(client.get(team_url(seed), {"q": "JSMITH"}).content.decode())
    assert "Jane Smith" not in text(client.get(team_url(seed), {"q": "jane x"}).content.decode())


def test_search_leaves_out_people_already_on_the_team(lead, officer, seed):
    shown = text(signed_in(lead).get(team_url(seed), {"q": "officer"}).content.decode())
    assert "No officer who is not already on the team matches" in shown


def test_search_lists_at_most_twenty(lead, seed):
    for n in range(25):
        UserFactory(username=f"many{n}", groups=[roles.OFFICER])
    html = signed_in(lead).get(team_url(seed), {"q": "many"}).content.decode()
    assert html.count('name="user"') == 20 + 1  # the lead's own row has no Remove; officer has
    assert "the first 20" in text(html)


def test_the_search_as_you_type_request_gets_the_results_alone(lead, seed, jane):
    html = signed_in(lead).get(team_url(seed), {"q": "jane", "results": "1"}).content.decode()
    assert "Jane Smith" in text(html)
    assert "<html" not in html
    assert "csrfmiddlewaretoken" in html


def test_a_long_or_odd_query_finds_nobody_and_fails_nothing(lead, seed):
    client = signed_in(lead)
    for q in ["x" * 500, "%", "<script>"]:
        page = client.get(team_url(seed), {"q": q})
        assert page.status_code == 200
    for q in ["\x00", "a\x00b"]:  # refused before the page (responses/middleware.py)
        assert client.get(team_url(seed), {"q": q}).status_code == 400
    # posted with an add, a NUL in the search is nobody's name
    assert add(client, seed, "x", q="a\x00b").status_code == 400
    assert "<script>" not in client.get(team_url(seed), {"q": "<script>"}).content.decode()


# Adding ----------------------------------------------------------------------------


def test_the_lead_adds_an_officer_and_it_is_audited(lead, seed, jane):
    client = signed_in(lead)
    result = add(client, seed, jane.pk)
    assert result.status_code == 302
    assert "jsmith" in members_of(seed)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.TEAM_CHANGED)
    assert (event.actor, event.summary) == (lead, "Jane Smith added to the team")
    page = client.get(result["Location"]).content.decode()
    assert "Jane Smith added to the team." in text(page)


def test_an_added_officer_may_then_edit_answers(lead, seed, jane):
    add(signed_in(lead), seed, jane.pk)
    editor = signed_in(jane).get(reverse("answer_edit", args=[seed.pk, "12"]))
    assert editor.status_code == 200


def test_the_audit_lists_the_change_with_the_team_page(lead, seed, jane):
    add(signed_in(lead), seed, jane.pk)
    html = signed_in(lead).get(reverse("audit", args=[seed.pk])).content.decode()
    assert (team_url(seed), "Jane Smith added to the team") in links(html)


@pytest.mark.parametrize(
    "who",
    [
        "inactive",
        "director",
        "no_group",
        "unknown",
        "not_a_number",
        "huge",
        "empty",
        "superscript_digit",
        "arabic_indic_digit",
    ],
)
def test_adding_anyone_but_an_active_officer_is_a_form_error_and_changes_nothing(lead, seed, who):
    ids = {
        "inactive": lambda: UserFactory(is_active=False, groups=[roles.OFFICER]).pk,
        "director": lambda: UserFactory(groups=[roles.EXECUTIVE_DIRECTOR]).pk,
        "no_group": lambda: UserFactory().pk,
        "unknown": lambda: 987654,
        "not_a_number": lambda: "abc",
        "huge": lambda: "9" * 30,
        "empty": lambda: "",
        "superscript_digit": lambda: "\u00b2",
        "arabic_indic_digit": lambda: "\u0663",
    }
    before = members_of(seed)
    result = add(signed_in(lead), seed, ids[who]())
    assert result.status_code == 400
    assert "Nobody was added" in text(result.content.decode())
    assert members_of(seed) == before
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.TEAM_CHANGED).exists()


def test_adding_someone_already_on_the_team_changes_nothing(lead, officer, seed):
    result = add(signed_in(lead), seed, officer.pk)
    assert result.status_code == 400
    assert "already on the team" in text(result.content.decode())


def test_an_officer_on_the_team_may_not_add_anyone(officer, seed, jane):
    assert add(signed_in(officer), seed, jane.pk).status_code == 403
    assert "jsmith" not in members_of(seed)


def another_leads_response():
    other = response_with_questions(2)
    other.report.lead_officer = UserFactory(username="otherlead", groups=[roles.LEAD_OFFICER])
    other.report.save()
    other.team.set([])  # the factory puts every drafter on it
    return other


def test_adding_to_another_response_is_not_found(lead, seed, jane):
    other = another_leads_response()
    assert add(signed_in(lead), other, jane.pk).status_code == 404
    assert "jsmith" not in members_of(other)


def test_the_team_does_not_change_while_the_paper_is_with_its_signatories(lead, seed, jane):
    Response.objects.filter(pk=seed.pk).update(status=Response.Status.AWAITING_DIRECTOR)
    page = signed_in(lead).get(team_url(seed)).content.decode()
    assert "its team cannot change until it is back in drafting" in text(page)
    assert "Add an officer" not in page
    assert "Remove " not in text(page)
    result = add(signed_in(lead), seed, jane.pk)
    assert result.status_code == 400
    assert "jsmith" not in members_of(seed)


# Removing --------------------------------------------------------------------------


def test_removing_an_officer_unassigns_their_questions_and_is_audited(lead, officer, seed):
    Answer.objects.filter(response=seed, question__number__in=["3", "12"]).update(assignee=officer)
    page = text(signed_in(lead).get(team_url(seed)).content.decode())
    assert f"Remove {officer.get_full_name()} and unassign questions 3, 12" in page

    client = signed_in(lead)
    result = remove(client, seed, officer.pk)

    assert result.status_code == 302
    assert "officer" not in members_of(seed)
    unassigned = Answer.objects.filter(response=seed, question__number__in=["3", "12"])
    assert [(a.assignee, a.version, a.changed_by) for a in unassigned] == [(None, 2, lead)] * 2
    assert unassigned[0].history.latest().history_user == lead
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.TEAM_CHANGED)
    assert (
        event.summary
        == f"{officer.get_full_name()} removed from the team; questions 3, 12 unassigned"
    )
    said = text(client.get(result["Location"]).content.decode())
    assert "Questions 3, 12 are now unassigned." in said


def test_a_removed_officer_no_longer_sees_the_response(lead, officer, seed):
    remove(signed_in(lead), seed, officer.pk)
    assert signed_in(officer).get(reverse("response", args=[seed.pk])).status_code == 404


def test_the_lead_officer_cannot_be_removed(lead, seed):
    seed.team.add(lead)
    client = signed_in(lead)
    result = remove(client, seed, lead.pk)
    assert result.status_code == 302
    said = text(client.get(result["Location"]).content.decode())
    assert "The lead officer cannot be removed from the team" in said
    assert "lead" in members_of(seed)
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.TEAM_CHANGED).exists()


def test_removing_someone_not_on_the_team_changes_nothing(lead, seed, jane):
    client = signed_in(lead)
    result = remove(client, seed, jane.pk)
    said = text(client.get(result["Location"]).content.decode())
    assert "not on this response" in said
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.TEAM_CHANGED).exists()


def test_removing_from_another_response_is_not_found_and_changes_nothing(lead, officer, seed):
    other = another_leads_response()
    other.team.set([officer])
    assert remove(signed_in(lead), other, officer.pk).status_code == 404
    assert members_of(other) == {"officer"}


def test_an_officer_may_not_remove_anyone(officer, seed, jane):
    seed.team.add(jane)
    assert remove(signed_in(officer), seed, jane.pk).status_code == 403
    assert "jsmith" in members_of(seed)


# The service, as the admin or a command would call it ------------------------------


def test_the_services_ask_the_rulebook_themselves(officer, lead, seed, jane):
    with pytest.raises(NotAllowed):
        team.add_member(user=officer, response_id=seed.pk, user_id=jane.pk)
    with pytest.raises(NotAllowed):
        team.remove_member(user=officer, response_id=seed.pk, user_id=lead.pk)
    with pytest.raises(NotFound):
        team.add_member(
            user=UserFactory(groups=[roles.OFFICER]), response_id=seed.pk, user_id=jane.pk
        )
    with pytest.raises(WrongState):
        team.remove_member(user=lead, response_id=seed.pk, user_id=lead.pk)
    with pytest.raises(Invalid):
        team.add_member(user=lead, response_id=seed.pk, user_id=lead.pk)


def test_the_members_are_read_in_a_fixed_number_of_queries(
    officer, lead, director, portfolio_holder, django_assert_num_queries
):
    response = staff(
        response_with_questions(20),
        officer=officer,
        lead=lead,
        director=director,
        portfolio_holder=portfolio_holder,
    )
    people = [UserFactory(groups=[roles.OFFICER]) for _ in range(8)]
    response.team.add(*people)
    for n, person in enumerate(people, start=1):
        Answer.objects.filter(response=response, question__number=str(n)).update(assignee=person)
        edit_answer(person, response, str(n), f"Words by {person.username}.")
    response = Response.objects.for_rules().get(pk=response.pk)
    # The people with their latest activity, then their assignments.
    with django_assert_num_queries(2):
        rows = team.members(response)
    assert len(rows) == 10
    assert rows[0].lead
    assert all(row.last_active for row in rows if row.user in people)


# Where else the team is changed or mentioned ----------------------------------------


def test_the_admins_response_rows_say_which_consultation(client, administrator, seed):
    client.force_login(administrator)
    listing = text(client.get(reverse("admin:responses_response_changelist")).content.decode())
    assert f"Draft Response by Walsall Council, to “{seed.consultation.title}”" in listing


def test_the_admin_shows_the_team_by_name_and_sends_changes_to_the_team_page(
    client, administrator, officer, seed
):
    client.force_login(administrator)
    page = client.get(reverse("admin:responses_response_change", args=[seed.pk])).content.decode()
    assert f"{officer.get_full_name()} ({officer.username})" in text(page)
    assert (team_url(seed), "Change the team on its Team page") in links(page)


def test_a_team_posted_to_the_admin_changes_nothing_and_unassigns_nobody(
    client, administrator, officer, seed, jane
):
    Answer.objects.filter(pk=seed.answers.first().pk).update(assignee=officer)
    client.force_login(administrator)
    change = reverse("admin:responses_response_change", args=[seed.pk])
    client.post(
        change,
        {"organisation_name": seed.organisation_name, "title": seed.title, "team": [jane.pk]},
    )
    assert members_of(seed) == {officer.username}
    assert seed.answers.filter(assignee=officer).exists()


def test_the_new_consultation_form_says_where_the_team_is_changed_later(client, lead):
    client.force_login(lead)
    page = text(client.get(reverse("new_consultation")).content.decode())
    assert "You can change this later on the response's Team page" in page


def test_the_audit_files_team_changes_with_the_people(lead, seed, jane):
    add(signed_in(lead), seed, jane.pk)
    filtered = signed_in(lead).get(reverse("audit", args=[seed.pk]), {"kind": "people"})
    assert "Jane Smith added to the team" in text(filtered.content.decode())
    assert "Set-up, team, lead officer and signatories" in filtered.content.decode()


@pytest.mark.parametrize("size", [2, 12])
def test_the_team_pages_queries_do_not_grow_with_the_team(
    client, lead, seed, size, django_assert_num_queries
):
    seed.team.add(*[UserFactory(groups=[roles.OFFICER]) for _ in range(size)])
    client.force_login(lead)
    # session, user, the user's own and group permissions, the response with its
    # consultation and report's people, the members with their last activity, their
    # assignments, and the search's officers.
    with django_assert_num_queries(8):
        assert client.get(team_url(seed), {"q": "user"}).status_code == 200
