"""People leave: an account that has acted is deactivated, never deleted (responses/people.py).

The admin refuses to delete a user who edited, signed, took a workflow step or is
named on a report, says why and offers Deactivate; a deactivated user cannot sign
in, and history and audit keep their name.
"""

import pytest
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.urls import reverse

from responses import people, workflow
from responses.errors import NotAllowed
from responses.models import Answer
from tests.edits import edit_answer
from tests.factories import (
    PASSWORD,
    AuditEventFactory,
    CabinetReportFactory,
    SignOffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

User = get_user_model()
CHANGELIST = "admin:auth_user_changelist"


def edit(user, response, text="Yes, with one reservation", number="4") -> Answer:
    return edit_answer(user, response, number, text)


@pytest.fixture
def editor(seed, officer):
    """The officer, on the seed response's team, having edited one answer twice."""
    seed.team.add(officer)
    edit(officer, seed, "Yes, with one reservation")
    edit(officer, seed, "Yes, with two reservations")
    return officer


def delete_url(user) -> str:
    return reverse("admin:auth_user_delete", args=[user.pk])


def deactivate_url(user) -> str:
    return reverse("admin:auth_user_deactivate", args=[user.pk])


def who(user) -> str:
    return f"{user.get_full_name()} ({user.username})"


def still_there(user) -> bool:
    return User.objects.filter(pk=user.pk).exists()


def is_active(user) -> bool:
    return User.objects.get(pk=user.pk).is_active


# What counts as having acted.


def test_an_edit_is_a_reason_counted_per_answer_not_per_version(editor):
    assert people.acted(editor) == ["edited 1 answer"]


def test_a_user_who_never_acted_has_no_reasons(officer):
    assert people.acted(officer) == []


def test_every_kind_of_trace_is_a_reason(django_assert_num_queries):
    user = UserFactory()
    report = CabinetReportFactory(lead_officer=user, director_user=user)
    CabinetReportFactory(director_user=user)
    SignOffFactory(report=report, user=user)
    AuditEventFactory(actor=user)
    AuditEventFactory(actor=user)
    with django_assert_num_queries(1):
        reasons = people.acted(user)
    assert reasons == [
        "recorded 1 sign-off decision",
        "took 2 workflow steps",
        "is named on a Cabinet report as lead officer",
        "is named on 2 Cabinet reports as Executive Director (signatory)",
    ]


def test_reasons_for_many_users_take_one_query(editor, lead, django_assert_num_queries):
    never = UserFactory(username="never")
    with django_assert_num_queries(1):
        reasons = people.reasons_by_user(User.objects.filter(pk__in=[editor.pk, never.pk]))
    assert reasons == {editor.pk: ["edited 1 answer"], never.pk: []}


# Deleting in the admin.


def test_user_who_edited_an_answer_cannot_be_deleted(client, administrator, editor, seed):
    client.force_login(administrator)
    page = client.get(delete_url(editor))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Cannot delete {who(editor)}" in html
    assert "This account cannot be deleted" in html
    assert '<ul id="acted"><li>edited 1 answer</li></ul>' in html
    assert f'action="{deactivate_url(editor)}"' in html  # Deactivate is offered instead

    refused = client.post(delete_url(editor), {"post": "yes"})
    assert refused.status_code == 200
    assert still_there(editor)
    assert is_active(editor)  # refusing to delete deactivates nobody by itself

    name = editor.get_full_name()
    history = client.get(reverse("answer_history", args=[seed.pk, "4"])).content.decode()
    assert name in history
    audit = client.get(reverse("audit", args=[seed.pk])).content.decode()
    assert name in audit


def test_user_who_took_a_workflow_step_cannot_be_deleted(client, administrator, signing, lead):
    workflow.submit(user=lead, response_id=signing.pk, confirm_gaps=True)
    client.force_login(administrator)
    html = client.get(delete_url(lead)).content.decode()
    assert "took 1 workflow step" in html
    assert "is named on a Cabinet report as lead officer" in html
    client.post(delete_url(lead), {"post": "yes"})
    assert still_there(lead)
    assert lead.get_full_name() in client.get(reverse("audit", args=[signing.pk])).content.decode()


def test_user_who_never_acted_can_be_deleted(client, administrator):
    mistyped = UserFactory(username="olivia.offcier")
    client.force_login(administrator)
    confirm = client.get(delete_url(mistyped))
    assert "Are you sure" in confirm.content.decode()
    deleted = client.post(delete_url(mistyped), {"post": "yes"})
    assert deleted.status_code == 302
    assert not still_there(mistyped)


def test_bulk_delete_refuses_users_who_acted_and_deletes_the_rest(client, administrator, editor):
    never = UserFactory(username="never")
    client.force_login(administrator)
    selected = {"action": "delete_selected", "_selected_action": [editor.pk, never.pk]}

    confirm = client.post(reverse(CHANGELIST), selected)
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert f"Cannot delete {who(editor)}: the account edited 1 answer" in html
    assert f'name="_selected_action" value="{never.pk}"' in html
    assert f'name="_selected_action" value="{editor.pk}"' not in html

    # Even a confirmation naming both (a stale page, a crafted post) deletes only `never`.
    client.post(reverse(CHANGELIST), {**selected, "post": "yes"})
    assert still_there(editor)
    assert not still_there(never)


def test_bulk_delete_of_only_users_who_acted_deletes_nobody(client, administrator, editor):
    client.force_login(administrator)
    selected = {"action": "delete_selected", "_selected_action": [editor.pk], "post": "yes"}
    refused = client.post(reverse(CHANGELIST), selected, follow=True)
    assert f"Cannot delete {who(editor)}" in refused.content.decode()
    assert still_there(editor)


# Deactivating.


def test_deactivate_action_stops_the_user_signing_in_and_keeps_their_name(
    client, administrator, editor, seed
):
    signed_in = type(client)()
    signed_in.force_login(editor)
    assert signed_in.get(reverse("dashboard")).status_code == 200
    assert type(client)().login(request=HttpRequest(), username=editor.username, password=PASSWORD)

    client.force_login(administrator)
    done = client.post(
        reverse(CHANGELIST),
        {"action": "deactivate_selected", "_selected_action": [editor.pk]},
        follow=True,
    )
    assert "Deactivated 1 user" in done.content.decode()
    assert not is_active(editor)
    assert still_there(editor)
    assert not type(client)().login(
        request=HttpRequest(), username=editor.username, password=PASSWORD
    )
    # A session opened before is no longer signed in.
    assert signed_in.get(reverse("dashboard")).status_code == 302

    name = editor.get_full_name()
    assert name in client.get(reverse("answer_history", args=[seed.pk, "4"])).content.decode()
    assert name in client.get(reverse("audit", args=[seed.pk])).content.decode()


def test_change_page_offers_deactivate_and_explains_it(client, administrator, editor):
    client.force_login(administrator)
    html = client.get(reverse("admin:auth_user_change", args=[editor.pk])).content.decode()
    assert f'href="{deactivate_url(editor)}"' in html
    assert "When someone leaves, deactivate their account" in html


def test_deactivating_from_the_change_page(client, administrator, editor):
    client.force_login(administrator)
    confirm = client.get(deactivate_url(editor))
    assert "They will no longer be able to sign in" in confirm.content.decode()
    assert is_active(editor)  # the GET only asks
    done = client.post(deactivate_url(editor), follow=True)
    assert not is_active(editor)
    html = done.content.decode()
    assert f"Deactivated {who(editor)}" in html
    assert "This account is deactivated" in html
    assert f'href="{deactivate_url(editor)}"' not in html


def test_changelist_shows_and_filters_by_active(client, administrator, editor):
    UserFactory(username="leaver", is_active=False)
    client.force_login(administrator)
    html = client.get(reverse(CHANGELIST), {"is_active__exact": "0"}).content.decode()
    assert "leaver" in html
    assert ">officer<" not in html
    assert "column-is_active" in html


def test_an_administrator_cannot_deactivate_themself(client, administrator, officer):
    with pytest.raises(NotAllowed, match="your own account"):
        people.deactivate(by=administrator, users=[administrator, officer])
    assert is_active(officer)  # refused as a whole

    client.force_login(administrator)
    action = client.post(
        reverse(CHANGELIST),
        {"action": "deactivate_selected", "_selected_action": [administrator.pk, officer.pk]},
        follow=True,
    )
    assert "You cannot deactivate your own account" in action.content.decode()
    client.post(deactivate_url(administrator))
    assert is_active(administrator)
    assert is_active(officer)


def test_deactivate_never_deletes_and_counts_only_the_newly_deactivated(administrator):
    leaver, left = UserFactory(), UserFactory(is_active=False)
    assert (
        people.deactivate(by=administrator, users=User.objects.filter(pk__in=[leaver.pk, left.pk]))
        == 1
    )
    assert not is_active(leaver)
    assert still_there(leaver)
    assert still_there(left)


def test_only_someone_who_may_change_accounts_deactivates(officer, lead):
    with pytest.raises(NotAllowed):
        people.deactivate(by=officer, users=[lead])
    assert is_active(lead)


def test_staff_who_are_not_administrators_are_sent_to_sign_in(client, editor):
    staff = UserFactory(username="staff", is_staff=True)
    client.force_login(staff)
    action = {"action": "deactivate_selected", "_selected_action": [editor.pk]}
    for result in [
        client.get(delete_url(editor)),
        client.post(delete_url(editor), {"post": "yes"}),
        client.get(deactivate_url(editor)),
        client.post(deactivate_url(editor)),
        client.post(reverse(CHANGELIST), action),
    ]:
        assert result.status_code == 302
        assert result.url.startswith(reverse("admin:login"))
    assert still_there(editor)
    assert is_active(editor)
