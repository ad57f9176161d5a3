"""The gate's steps: a write trusts the `Access` its caller opened, and nothing else."""

import pytest
from django.db import transaction
from django.urls import reverse

from responses import roles, rules, services, workflow
from responses.errors import NotAllowed
from responses.gate import open_response, writing
from responses.models import AuditEvent, Response
from responses.rules import Action
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_step_refuses_an_access_opened_for_another_action(lead, signing):
    with (
        writing(lead, signing.pk, Action.EDIT_REPORT) as access,
        pytest.raises(RuntimeError, match="writing"),
    ):
        workflow.submit(access, confirm_gaps=True)
    signing.refresh_from_db()
    assert signing.status == Response.Status.DRAFTING


def test_a_step_refuses_an_access_whose_state_was_not_asked(lead, signing):
    with transaction.atomic():
        access = open_response(lead, signing.pk, Action.SUBMIT, lock=True, state=False)
        with pytest.raises(RuntimeError):
            workflow.submit(access, confirm_gaps=True)
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.SUBMITTED).exists()


def test_a_step_refuses_an_access_outside_its_transaction(lead, signing):
    with writing(lead, signing.pk, Action.ADD_REPORT_SECTION) as access:
        pass
    with pytest.raises(RuntimeError):
        services.add_report_section(access, heading="Too late")
    assert not signing.report.sections.filter(heading="Too late").exists()


def test_called_with_a_user_a_step_opens_the_response_itself(lead, officer, signing):
    with pytest.raises(NotAllowed):
        workflow.submit(user=officer, response_id=signing.pk, confirm_gaps=True)
    workflow.submit(user=lead, response_id=signing.pk, confirm_gaps=True)
    signing.refresh_from_db()
    assert signing.status == Response.Status.AWAITING_DIRECTOR


@pytest.fixture
def asks(monkeypatch):
    """Counts the rulebook's answers during a request; each is still the real one."""
    counted = []
    ask = rules.refusal_for

    def counting(*args, **kwargs):
        counted.append(args[1])
        return ask(*args, **kwargs)

    monkeypatch.setattr(rules, "refusal_for", counting)
    return counted


def test_a_submission_from_the_page_asks_the_rulebook_once(client, lead, signing, asks):
    client.force_login(lead)
    posted = client.post(reverse("submit", args=[signing.pk]), {"confirm_gaps": "yes"})
    assert posted.status_code == 302
    assert asks == [Action.SUBMIT]
    signing.refresh_from_db()
    assert signing.status == Response.Status.AWAITING_DIRECTOR


def test_moving_a_section_from_the_page_asks_the_rulebook_once(client, lead, signing, asks):
    first, second = signing.report.sections.order_by("position")[:2]
    client.force_login(lead)
    posted = client.post(
        reverse("section_move", args=[signing.pk, first.pk]), {"direction": "down"}
    )
    assert posted.status_code == 302
    assert asks == [Action.REORDER_REPORT]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.position > second.position


def test_a_signatory_out_of_turn_is_told_whose_turn_it_is(client, lead, portfolio_holder, signing):
    workflow.submit(user=lead, response_id=signing.pk, confirm_gaps=True)
    client.force_login(portfolio_holder)
    posted = client.post(reverse("decide", args=[signing.pk]), {"decision": "approve"})
    assert posted.status_code == 403
    assert "It awaits the Executive Director named on the report" in posted.content.decode()
    signing.refresh_from_db()
    assert signing.status == Response.Status.AWAITING_DIRECTOR
    assert not signing.report.sign_offs.exists()


def test_saving_a_section_from_its_editor_asks_the_rulebook_once(client, lead, signing, asks):
    section = signing.report.sections.order_by("position").first()
    client.force_login(lead)
    posted = client.post(
        reverse("section_edit", args=[signing.pk, section.pk]),
        {"heading": section.heading, "text": "New words.", "version": section.version},
    )
    assert posted.status_code == 302
    assert asks == [Action.EDIT_REPORT_SECTION]
    section.refresh_from_db()
    assert section.body == "New words."


def test_a_section_form_from_outside_the_team_is_refused_before_its_errors(client, signing):
    outsider = UserFactory(username="outsider", groups=[roles.OFFICER])
    section = signing.report.sections.order_by("position").first()
    client.force_login(outsider)
    posted = client.post(
        reverse("section_edit", args=[signing.pk, section.pk]), {"heading": "", "text": "x"}
    )
    assert posted.status_code == 404
    assert not signing.report.sections.filter(body="x").exists()


def test_restoring_a_version_from_its_history_asks_the_rulebook_once(
    client, officer, signing, asks
):
    answer = signing.answers.get(question__number="4")
    first = answer.history.earliest()
    services.save_answer(
        user=officer,
        response_id=signing.pk,
        number="4",
        text="Changed",
        status=answer.status,
        assignee=answer.assignee,
        expected_version=answer.version,
    )
    client.force_login(officer)
    asks.clear()
    posted = client.post(
        reverse("answer_history", args=[signing.pk, "4"]),
        {"history_id": first.history_id, "version": answer.version + 1},
    )
    assert posted.status_code == 302
    assert asks == [Action.EDIT_ANSWER]
    answer.refresh_from_db()
    assert answer.text == first.text


def test_a_signatory_posting_a_bad_restore_is_refused_not_hinted(client, director, signing):
    client.force_login(director)
    posted = client.post(reverse("answer_history", args=[signing.pk, "4"]), {"history_id": "x"})
    assert posted.status_code == 403


def test_assigning_answers_from_the_response_page_asks_the_rulebook_once(
    client, lead, officer, signing, asks
):
    answer = signing.answers.get(question__number="3")
    client.force_login(lead)
    posted = client.post(
        reverse("answers_bulk", args=[signing.pk]),
        {
            "action": "assign",
            "answer": [f"{answer.pk}:{answer.version}"],
            "assignee": str(officer.pk),
        },
    )
    assert posted.status_code == 302
    assert asks == [Action.ASSIGN_ANSWER]
    answer.refresh_from_db()
    assert answer.assignee == officer


def test_a_bulk_step_on_a_response_they_cannot_see_is_not_found(client, signing):
    outsider = UserFactory(username="outsider", groups=[roles.LEAD_OFFICER])
    client.force_login(outsider)
    posted = client.post(
        reverse("answers_bulk", args=[signing.pk]), {"action": "agree", "answer": ["x"]}
    )
    assert posted.status_code == 404
