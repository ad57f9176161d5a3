"""The rulebook, as a table: every action, every role, every state.

The table below is the product's rule written out by hand (SPEC §1 and §5), not
computed from the code: a rule lost or loosened in `responses/rules.py` shows up
here as a cell that disagrees.
"""

import datetime

import pytest
from django.contrib.auth.models import Group

from responses import roles, rules
from responses.errors import Locked, NotAllowed, NotFound, WrongState
from responses.models import Response
from responses.rules import Action
from tests.world import ROLES, STATES, World

A = Action
DRAFTING, AWAITING_DIRECTOR, AWAITING_PORTFOLIO_HOLDER, SIGNED_OFF = STATES
EVERY_STATE = set(STATES)
READERS = {"officer", "lead", "director", "portfolio_holder", "administrator"}

# action -> {state: the roles allowed in that state}; a state not named allows nobody.
ALLOWED: dict[Action, dict[str, set[str]]] = {
    A.VIEW: dict.fromkeys(STATES, READERS),
    A.EDIT_ANSWER: {DRAFTING: {"officer", "lead", "administrator"}},
    A.EDIT_REPORT_SECTION: {DRAFTING: {"officer", "lead", "administrator"}},
    A.AGREE_ANSWER: {DRAFTING: {"lead", "administrator"}},
    A.ASSIGN_ANSWER: {DRAFTING: {"lead", "administrator"}},
    A.EDIT_REPORT: {DRAFTING: {"lead", "administrator"}},
    A.ADD_REPORT_SECTION: {DRAFTING: {"lead", "administrator"}},
    A.REMOVE_REPORT_SECTION: {DRAFTING: {"lead", "administrator"}},
    A.REORDER_REPORT: {DRAFTING: {"lead", "administrator"}},
    A.SUBMIT: {DRAFTING: {"lead", "administrator"}},
    A.DECIDE: {AWAITING_DIRECTOR: {"director"}, AWAITING_PORTFOLIO_HOLDER: {"portfolio_holder"}},
    A.RECORD: {SIGNED_OFF: {"lead", "administrator"}},
    A.CHANGE_SIGNATORY: dict.fromkeys(
        [DRAFTING, AWAITING_DIRECTOR, AWAITING_PORTFOLIO_HOLDER], {"administrator"}
    ),
    A.SET_UP: dict.fromkeys(STATES, {"administrator"}),
    A.WITHDRAW: dict.fromkeys([AWAITING_DIRECTOR, AWAITING_PORTFOLIO_HOLDER], {"lead"}),
    A.REOPEN: {SIGNED_OFF: {"lead"}},
    # Comments never change the paper: everyone on it, in every state (until it is sent).
    A.COMMENT: dict.fromkeys(STATES, READERS),
    A.RESOLVE_COMMENT: dict.fromkeys(STATES, READERS),
    # The team suggests while drafting; a signatory only while the paper awaits them.
    A.SUGGEST: {
        DRAFTING: {"officer", "lead", "administrator"},
        AWAITING_DIRECTOR: {"director"},
        AWAITING_PORTFOLIO_HOLDER: {"portfolio_holder"},
    },
    # An officer decides only on the answers assigned to them (see test_suggestions.py).
    A.ACCEPT_SUGGESTION: {DRAFTING: {"officer", "lead", "administrator"}},
    A.REJECT_SUGGESTION: {DRAFTING: {"officer", "lead", "administrator"}},
    # Removing someone unassigns their questions: a change to answers, so only while drafting.
    A.CHANGE_TEAM: {DRAFTING: {"lead", "administrator"}},
}


def test_the_table_names_every_action():
    assert set(ALLOWED) == set(Action)


@pytest.fixture
def world(db):
    return World.build()


@pytest.mark.parametrize("state", STATES)
def test_every_role_may_do_exactly_what_the_table_allows(world, state):
    world.set_state(state)
    response = world.fresh_response()
    wrong = []
    for action in Action:
        for role in ROLES:
            expected = role in ALLOWED[action].get(state, set())
            if rules.may(world.users[role], action, response) != expected:
                wrong.append(f"{role} {'may not' if expected else 'may'} {action} ({state})")
    assert wrong == []


@pytest.mark.parametrize("role", ["outside_officer", "other_lead"])
def test_someone_off_the_team_is_told_there_is_no_such_response(world, role):
    refusal = rules.refusal(world.users[role], Action.VIEW, world.fresh_response())
    assert isinstance(refusal, NotFound)


def test_someone_with_no_role_is_told_so(world):
    refusal = rules.refusal(world.users["no_role"], Action.VIEW, world.fresh_response())
    assert isinstance(refusal, NotAllowed)
    assert "no role" in str(refusal)


def test_a_team_member_saving_after_submission_hears_it_is_locked(world):
    world.set_state(AWAITING_DIRECTOR)
    refusal = rules.refusal(world.users["officer"], Action.EDIT_ANSWER, world.fresh_response())
    assert isinstance(refusal, Locked)


def test_a_signatory_out_of_turn_hears_whose_turn_it_is(world):
    world.set_state(AWAITING_DIRECTOR)
    refusal = rules.refusal(world.users["portfolio_holder"], Action.DECIDE, world.fresh_response())
    assert isinstance(refusal, NotAllowed)
    assert world.users["director"].get_full_name() in str(refusal)


def test_submitting_twice_is_the_wrong_state(world):
    world.set_state(AWAITING_DIRECTOR)
    refusal = rules.refusal(world.users["lead"], Action.SUBMIT, world.fresh_response())
    assert isinstance(refusal, WrongState)


def test_a_deactivated_lead_can_do_nothing(world):
    lead = world.users["lead"]
    lead.is_active = False
    lead.save()
    response = world.fresh_response()
    assert [a for a in Action if rules.may(lead, a, response)] == []
    assert not rules.standing(lead, response).sees


def test_a_lead_officer_moved_out_of_the_lead_officer_group_keeps_only_an_officers_part(world):
    """Being named on the report is not enough: the account must still be a lead
    officer. Moved to the Officer group and on the team, it drafts and no more."""
    named = world.users["lead"]
    named.groups.set([Group.objects.get(name=roles.OFFICER)])
    world.response.team.add(named)
    named = type(named).objects.get(pk=named.pk)  # without the cached permissions
    response = world.fresh_response()

    allowed = {action for action in Action if rules.may(named, action, response)}

    assert allowed == {a for a in Action if "officer" in ALLOWED[a].get(DRAFTING, set())}
    assert isinstance(rules.refusal(named, Action.SUBMIT, response), NotAllowed)


def test_a_signatory_moved_out_of_the_signatories_group_neither_signs_nor_sees(world):
    named = world.users["director"]
    named.groups.set([Group.objects.get(name=roles.OFFICER)])
    named = type(named).objects.get(pk=named.pk)  # without the cached permissions
    world.set_state(AWAITING_DIRECTOR)

    refusal = rules.refusal(named, Action.DECIDE, world.fresh_response())

    assert isinstance(refusal, NotFound)


# Who may start a new consultation (SPEC §1): written out, as the table above.
SETS_UP_CONSULTATIONS = {"lead", "other_lead", "administrator"}


def test_only_lead_officers_and_administrators_set_up_consultations(world):
    for role, user in world.users.items():
        if role in SETS_UP_CONSULTATIONS:
            rules.require_may_set_up_consultations(user)
        else:
            with pytest.raises(NotAllowed, match="Only lead officers and administrators"):
                rules.require_may_set_up_consultations(user)


def test_an_administrator_named_as_signatory_still_signs_only_as_named(world, administrator):
    world.set_state(AWAITING_DIRECTOR)
    assert not rules.may(administrator, Action.DECIDE, world.fresh_response())


def test_the_dashboard_lists_only_the_responses_a_user_may_see(world):
    other = World.build(prefix="b")
    for role in ROLES:
        visible = set(rules.visible_to(world.users[role]))
        expected = {world.response} if role in READERS else set()
        if role == "administrator":
            expected = {world.response, other.response}
        assert visible == expected, role


def test_a_team_member_who_changed_role_neither_sees_it_nor_finds_it_listed(world):
    moved = world.users["officer"]
    moved.groups.set([Group.objects.get(name=roles.EXECUTIVE_DIRECTOR)])
    moved = type(moved).objects.get(pk=moved.pk)  # without the cached permissions
    assert not rules.may(moved, Action.VIEW, world.fresh_response())
    assert list(rules.visible_to(moved)) == []


# Who a refusal names as the one who may: written out, so a message lost or blanked shows.
WHO_MAY = {
    A.EDIT_ANSWER: "team",
    A.EDIT_REPORT_SECTION: "team",
    A.AGREE_ANSWER: "lead officer",
    A.ASSIGN_ANSWER: "lead officer",
    A.EDIT_REPORT: "lead officer",
    A.ADD_REPORT_SECTION: "lead officer",
    A.REMOVE_REPORT_SECTION: "lead officer",
    A.REORDER_REPORT: "lead officer",
    A.SUBMIT: "lead officer",
    A.DECIDE: "signatories",
    A.RECORD: "lead officer",
    A.CHANGE_SIGNATORY: "administrator",
    A.SET_UP: "administrator",
    A.WITHDRAW: "lead officer",
    A.REOPEN: "lead officer",
    A.ACCEPT_SUGGESTION: "lead officer",
    A.REJECT_SUGGESTION: "lead officer",
    A.CHANGE_TEAM: "lead officer",
}


@pytest.mark.parametrize("action", list(WHO_MAY), ids=str)
def test_a_refusal_says_who_may_do_it(world, action):
    # The director reads the response but may do none of these; the officer may not sign.
    persona = "officer" if action == A.DECIDE else "director"
    refusal = rules.refusal(world.users[persona], action, world.fresh_response())
    assert isinstance(refusal, NotAllowed)
    assert WHO_MAY[action] in str(refusal)


def test_a_refusal_to_sign_names_the_awaited_signatory_or_says_there_is_none(world):
    world.set_state(AWAITING_PORTFOLIO_HOLDER)
    response = world.fresh_response()
    refusal = rules.refusal(world.users["director"], Action.DECIDE, response)
    assert "Portfolio Holder" in str(refusal)
    assert world.users["portfolio_holder"].get_full_name() in str(refusal)
    response.report.portfolio_holder_user = None
    refusal = rules.refusal(world.users["director"], Action.DECIDE, response)
    assert "nobody yet" in str(refusal)


@pytest.mark.parametrize("action", [A.COMMENT, A.RESOLVE_COMMENT], ids=str)
def test_nobody_comments_once_the_paper_is_sent_to_government(world, action):
    world.set_state(SIGNED_OFF)
    Response.objects.filter(pk=world.response.pk).update(
        sent_to_government_on=datetime.date(2026, 3, 1)
    )
    response = world.fresh_response()
    for role in READERS:
        refusal = rules.refusal(world.users[role], action, response)
        assert isinstance(refusal, WrongState), role
        assert "sent to government on 1 March 2026" in str(refusal)
