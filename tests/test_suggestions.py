"""Suggestions (responses/suggestions.py): proposing wording instead of editing, and
accepting (a new version through the editor's save) or rejecting it; races included."""

import pytest
from django.db import IntegrityError, transaction

from responses import roles, rules, services, suggestions
from responses.errors import Invalid, NotAllowed, NotFound, StaleEdit, WrongState
from responses.gate import Access
from responses.models import Answer, AuditEvent, Response, Suggestion
from responses.models.drafting import MAX_TEXT_LENGTH
from responses.rules import Action
from tests.factories import UserFactory, response_with_questions
from tests.test_services import _PATIENCE, Elsewhere, held_back, where_rows_lock

pytestmark = pytest.mark.django_db

NEW_WORDS = "The council strongly agrees, and asks for funding."


@pytest.fixture
def response(staffed):
    return staffed(3)


@pytest.fixture
def colleague(response):
    """A second officer on the team, to whom question 1 is not assigned."""
    user = UserFactory(username="colleague", groups=[roles.OFFICER])
    response.team.add(user)
    return user


@pytest.fixture
def assigned(response, officer):
    Answer.objects.filter(response=response, question__number="1").update(assignee=officer)
    return officer


def answer(response, number="1") -> Answer:
    return Answer.objects.get(response=response, question__number=number)


def make(user, response, text=NEW_WORDS, number="1", version=None) -> Suggestion:
    return suggestions.suggest(
        user=user,
        response_id=response.pk,
        number=number,
        text=text,
        made_on_version=answer(response, number).version if version is None else version,
    )


def accept(user, response, suggestion, seen=None) -> Suggestion:
    seen = answer(response).version if seen is None else seen
    return suggestions.accept(
        user=user, response_id=response.pk, suggestion_id=suggestion.pk, seen_version=seen
    )


def edit(user, response, text, number="1") -> Answer:
    current = answer(response, number)
    return services.save_answer(
        user=user,
        response_id=response.pk,
        number=number,
        text=text,
        status=current.status,
        assignee=current.assignee,
        expected_version=current.version,
    )


def set_status(response, status):
    Response.objects.filter(pk=response.pk).update(status=status, submission_round=1)


def sent(mailoutbox, django_capture_on_commit_callbacks, step):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = step()
    return result, list(mailoutbox)


# Suggesting


def test_an_officer_suggests_and_the_answer_does_not_change(response, colleague):
    before = answer(response)

    made = make(colleague, response)

    after = answer(response)
    assert (after.text, after.version) == (before.text, before.version)
    assert made.status == Suggestion.Status.OPEN
    assert (made.text, made.base_text, made.made_on_version) == (NEW_WORDS, before.text, 1)
    assert made.author == colleague
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SUGGESTED)
    assert event.actor == colleague
    assert "question 1" in event.summary


def test_a_new_suggestion_is_mailed_to_the_assignee_and_the_lead_not_its_author(
    response, colleague, assigned, lead, mailoutbox, django_capture_on_commit_callbacks
):
    _, mails = sent(
        mailoutbox, django_capture_on_commit_callbacks, lambda: make(colleague, response)
    )
    assert sorted(m.to[0] for m in mails) == sorted([assigned.email, lead.email])
    assert "Changes suggested to question 1" in mails[0].subject


def test_a_suggestion_made_on_an_older_version_keeps_that_versions_words(response, lead, officer):
    first = answer(response).text
    edit(lead, response, "Version two.")
    edit(lead, response, "Version three.")
    # The history's first record is the first save's; the bulk-made answer had none.
    made = make(officer, response, text="My words.", version=2)
    assert (made.base_text, made.made_on_version) == ("Version two.", 2)
    assert first != made.base_text


def test_a_suggestion_on_an_unknown_version_is_refused(response, officer):
    with pytest.raises(Invalid, match="not known"):
        make(officer, response, version=9)
    assert not Suggestion.objects.exists()


def test_a_proposal_identical_to_the_answer_is_refused(response, officer):
    with pytest.raises(Invalid, match="This is the answer as it stands"):
        make(officer, response, text=answer(response).text)
    assert not Suggestion.objects.exists()


def test_a_proposal_with_windows_line_breaks_of_the_same_words_is_the_same(response, officer):
    with pytest.raises(Invalid, match="as it stands"):
        make(officer, response, text=answer(response).text.replace("\n", "\r\n"))


def test_an_oversized_proposal_is_refused(response, officer):
    with pytest.raises(Invalid) as refused:
        make(officer, response, text="a" * (MAX_TEXT_LENGTH + 1))
    assert refused.value.field == "text"
    assert not Suggestion.objects.exists()


def test_the_director_suggests_while_the_paper_awaits_them(response, director):
    set_status(response, Response.Status.AWAITING_DIRECTOR)
    made = make(director, response)
    assert made.author == director
    assert answer(response).text != NEW_WORDS


@pytest.mark.parametrize(
    "status",
    [Response.Status.AWAITING_PORTFOLIO_HOLDER, Response.Status.SIGNED_OFF],
)
def test_the_director_may_not_suggest_once_it_is_not_with_them(response, director, status):
    set_status(response, status)
    with pytest.raises(WrongState):
        make(director, response)


def test_a_signatory_does_not_suggest_while_the_team_is_drafting(response, portfolio_holder):
    with pytest.raises(NotAllowed, match="while the paper is with them"):
        make(portfolio_holder, response)


def test_the_team_does_not_suggest_while_the_paper_is_with_its_signatories(response, officer, lead):
    set_status(response, Response.Status.AWAITING_DIRECTOR)
    for user in (officer, lead):
        with pytest.raises(WrongState, match="only the signatory whose turn it is"):
            make(user, response)


def test_an_outsider_cannot_suggest(response, outsider):
    outside_officer = UserFactory(username="elsewhere", groups=[roles.OFFICER])
    with pytest.raises(NotAllowed):
        make(outsider, response)
    with pytest.raises(NotFound):
        make(outside_officer, response)


# Accepting


def test_accepting_saves_the_proposal_as_a_new_version_by_the_decider(response, colleague, lead):
    made = make(colleague, response)

    accepted = accept(lead, response, made)

    now = answer(response)
    assert (now.text, now.version, now.changed_by) == (NEW_WORDS, 2, lead)
    record = now.history.order_by("-history_id").first()
    assert record.history_user == lead
    assert "Suggestion by" in record.history_change_reason
    accepted.refresh_from_db()
    assert accepted.status == Suggestion.Status.ACCEPTED
    assert (accepted.decided_by, accepted.produced_version) == (lead, 2)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SUGGESTION_ACCEPTED)
    assert "version 2" in event.summary


def test_the_assignee_accepts_a_suggestion_on_their_answer(response, colleague, assigned):
    accept(assigned, response, make(colleague, response))
    assert answer(response).text == NEW_WORDS


def test_an_officer_not_assigned_the_answer_cannot_accept_or_reject(
    response, colleague, assigned, lead
):
    made = make(lead, response)
    with pytest.raises(NotAllowed, match="assignee or the report's lead officer"):
        accept(colleague, response, made)
    with pytest.raises(NotAllowed):
        suggestions.reject(
            user=colleague, response_id=response.pk, suggestion_id=made.pk, reason="No."
        )
    made.refresh_from_db()
    assert made.is_open
    assert answer(response).version == 1


def test_an_administrator_accepts_any_suggestion(response, colleague, administrator):
    accept(administrator, response, make(colleague, response))
    assert answer(response).text == NEW_WORDS


def test_the_author_is_told_their_suggestion_was_accepted(
    response, colleague, lead, mailoutbox, django_capture_on_commit_callbacks
):
    made = make(colleague, response)
    _, mails = sent(
        mailoutbox, django_capture_on_commit_callbacks, lambda: accept(lead, response, made)
    )
    assert [m.to[0] for m in mails] == [colleague.email]
    assert "accepted" in mails[0].subject
    assert "version 2" in mails[0].body


def test_accepting_while_the_paper_is_with_its_signatories_waits_for_drafting(
    response, director, lead
):
    set_status(response, Response.Status.AWAITING_DIRECTOR)
    made = make(director, response)
    with pytest.raises(WrongState, match="waits until it is back in drafting"):
        accept(lead, response, made)
    made.refresh_from_db()
    assert made.is_open
    assert answer(response).version == 1

    set_status(response, Response.Status.DRAFTING)
    accept(lead, response, made)
    assert answer(response).text == NEW_WORDS


def test_two_suggestions_on_one_version_the_second_accept_sees_the_first(
    response, officer, colleague, lead
):
    """Both are made on version 1. Accepting the first makes version 2; accepting the
    second as the lead saw it (against version 1) is refused and it stays open: the
    page then shows it against version 2, and accepting it then is a knowing choice."""
    first = make(officer, response, text="First wording.")
    second = make(colleague, response, text="Second wording.")
    seen = answer(response).version

    accept(lead, response, first, seen=seen)
    with pytest.raises(StaleEdit):
        accept(lead, response, second, seen=seen)

    second.refresh_from_db()
    assert second.is_open
    assert answer(response).text == "First wording."
    accept(lead, response, second, seen=2)
    assert (answer(response).text, answer(response).version) == ("Second wording.", 3)


def test_an_accept_after_an_edit_is_refused_and_loses_neither(response, officer, colleague, lead):
    made = make(colleague, response)
    seen = answer(response).version
    edit(officer, response, "Edited while the lead was reading.")

    with pytest.raises(StaleEdit):
        accept(lead, response, made, seen=seen)

    assert answer(response).text == "Edited while the lead was reading."
    made.refresh_from_db()
    assert made.is_open
    assert made.text == NEW_WORDS


def test_an_officer_accepting_on_an_agreed_answer_is_refused_as_an_edit_would_be(
    response, colleague, assigned, lead
):
    Answer.objects.filter(response=response, question__number="1").update(
        status=Answer.Status.AGREED
    )
    made = make(colleague, response)
    with pytest.raises(NotAllowed, match="lead officer"):
        accept(assigned, response, made)
    accept(lead, response, made)
    assert answer(response).status == Answer.Status.AGREED


def test_accepting_an_already_decided_suggestion_says_so(response, colleague, lead):
    made = make(colleague, response)
    accept(lead, response, made)
    with pytest.raises(WrongState, match="already accepted by"):
        accept(lead, response, made)
    assert answer(response).version == 2


def test_a_suggestion_of_another_response_is_not_found_and_nothing_changes(
    response, colleague, lead
):
    made = make(colleague, response)
    other = response_with_questions(2)
    other.report.lead_officer = lead
    other.report.save()
    with pytest.raises(NotFound):
        suggestions.accept(user=lead, response_id=other.pk, suggestion_id=made.pk, seen_version=1)
    made.refresh_from_db()
    assert made.is_open
    assert answer(response).version == 1


# Rejecting and withdrawing


def test_rejecting_needs_a_reason(response, colleague, lead):
    made = make(colleague, response)
    for reason in ("", "   \n "):
        with pytest.raises(Invalid, match="Say why") as refused:
            suggestions.reject(
                user=lead, response_id=response.pk, suggestion_id=made.pk, reason=reason
            )
        assert refused.value.field == "reason"
    made.refresh_from_db()
    assert made.is_open


def test_a_reason_over_two_thousand_characters_is_refused(response, colleague, lead):
    made = make(colleague, response)
    with pytest.raises(Invalid, match="2000"):
        suggestions.reject(
            user=lead, response_id=response.pk, suggestion_id=made.pk, reason="x" * 2001
        )
    made.refresh_from_db()
    assert made.is_open


def test_rejecting_keeps_the_answer_and_tells_the_author_why(
    response, colleague, lead, mailoutbox, django_capture_on_commit_callbacks
):
    made = make(colleague, response)
    rejected, mails = sent(
        mailoutbox,
        django_capture_on_commit_callbacks,
        lambda: suggestions.reject(
            user=lead, response_id=response.pk, suggestion_id=made.pk, reason="Too strong."
        ),
    )
    assert answer(response).version == 1
    rejected.refresh_from_db()
    assert (rejected.status, rejected.reason, rejected.decided_by) == (
        "rejected",
        "Too strong.",
        lead,
    )
    assert AuditEvent.objects.get(kind=AuditEvent.Kind.SUGGESTION_REJECTED).comment == "Too strong."
    assert [m.to[0] for m in mails] == [colleague.email]
    assert "Too strong." in mails[0].body


def test_rejecting_while_with_the_signatories_waits_for_drafting(response, director, lead):
    set_status(response, Response.Status.AWAITING_DIRECTOR)
    made = make(director, response)
    with pytest.raises(WrongState, match="back in drafting"):
        suggestions.reject(user=lead, response_id=response.pk, suggestion_id=made.pk, reason="No")


def test_the_author_withdraws_their_suggestion_in_any_state(response, director):
    set_status(response, Response.Status.AWAITING_DIRECTOR)
    made = make(director, response)
    set_status(response, Response.Status.SIGNED_OFF)
    suggestions.withdraw(user=director, response_id=response.pk, suggestion_id=made.pk)
    made.refresh_from_db()
    assert made.status == Suggestion.Status.WITHDRAWN
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SUGGESTION_WITHDRAWN).exists()


def test_only_the_author_withdraws_a_suggestion(response, colleague, lead):
    made = make(colleague, response)
    with pytest.raises(NotAllowed, match="person who made"):
        suggestions.withdraw(user=lead, response_id=response.pk, suggestion_id=made.pk)
    made.refresh_from_db()
    assert made.is_open


# The model's own guarantees


def test_a_rejection_without_a_reason_cannot_be_stored(response, colleague, lead):
    made = make(colleague, response)
    made.status, made.decided_by = Suggestion.Status.REJECTED, lead
    made.decided_at = made.created_at
    with pytest.raises(IntegrityError), transaction.atomic():
        made.save()


def test_an_acceptance_without_the_version_it_made_cannot_be_stored(response, colleague, lead):
    made = make(colleague, response)
    made.status, made.decided_by, made.decided_at = "accepted", lead, made.created_at
    with pytest.raises(IntegrityError), transaction.atomic():
        made.save()


# The rulebook's answer per answer


def test_deciding_is_for_the_assignee_the_lead_and_administrators(
    response, officer, colleague, assigned, lead, administrator, director
):
    fresh = Response.objects.for_rules().get(pk=response.pk)
    target = answer(response)

    def may_decide(user):
        held = rules.standing(user, fresh)
        return (
            rules.decide_refusal(
                held,
                Action.ACCEPT_SUGGESTION,
                fresh,
                user_id=user.pk,
                assignee_id=target.assignee_id,
            )
            is None
        )

    assert {
        u.username for u in (officer, colleague, lead, administrator, director) if may_decide(u)
    } == {
        officer.username,
        lead.username,
        administrator.username,
    }


def test_the_diff_shown_is_against_the_answer_as_it_stands(response, colleague, lead):
    made = make(colleague, response, text="Old start. Proposal.")
    edit(lead, response, "Current words.")
    fresh = Response.objects.for_rules().get(pk=response.pk)
    item = suggestions.shown(Access.of(lead, fresh), answer(response), made)
    assert item.out_of_date
    assert "<del>Current words" in item.diff
    assert "Proposal" in item.diff


def test_a_suggestion_is_not_out_of_date_when_only_the_assignee_changed(
    response, colleague, lead, officer
):
    made = make(colleague, response)
    current = answer(response)
    services.save_answer(
        user=lead,
        response_id=response.pk,
        number="1",
        text=current.text,
        status=current.status,
        assignee=officer,
        expected_version=current.version,
    )
    assert answer(response).version == made.made_on_version + 1
    fresh = Response.objects.for_rules().get(pk=response.pk)
    assert not suggestions.shown(Access.of(lead, fresh), answer(response), made).out_of_date


# Races on PostgreSQL, as two requests run them (see test_services: only PostgreSQL
# locks rows; on SQLite these are not collected).


@where_rows_lock
def test_two_accepts_at_once_of_suggestions_on_one_version_lose_nothing(
    response, officer, colleague, lead, administrator
):
    first = make(officer, response, text="First wording.")
    second = make(colleague, response, text="Second wording.")
    other = Elsewhere(lambda: accept(administrator, response, second, seen=1))

    with transaction.atomic():
        accept(lead, response, first, seen=1)
        waited = held_back(other)
    other.join(_PATIENCE)

    assert waited
    assert isinstance(other.error, StaleEdit)
    assert answer(response).text == "First wording."
    assert Suggestion.objects.get(pk=second.pk).is_open


@where_rows_lock
def test_an_accept_while_an_edit_is_saved_waits_and_is_refused_as_stale(
    response, officer, colleague, lead
):
    made = make(colleague, response)
    other = Elsewhere(lambda: accept(lead, response, made, seen=1))

    with transaction.atomic():
        edit(officer, response, "Saved as the lead pressed Accept.")
        waited = held_back(other)
    other.join(_PATIENCE)

    assert waited
    assert isinstance(other.error, StaleEdit)
    assert answer(response).text == "Saved as the lead pressed Accept."
    assert Suggestion.objects.get(pk=made.pk).is_open


def test_an_answer_keeps_at_most_twenty_suggestions_waiting(response, colleague):
    for n in range(suggestions.MOST_OPEN):
        make(colleague, response, text=f"Words, take {n}.")
    with pytest.raises(Invalid, match="has 20 suggestions waiting"):
        make(colleague, response, text="One more take.")
    assert Suggestion.objects.count() == suggestions.MOST_OPEN
    make(colleague, response, text="On another answer.", number="2")
