"""The roles of SPEC §1 as groups: what each may and may not do."""

import pytest

pytestmark = pytest.mark.django_db


def test_officer_drafts_but_does_not_submit_or_sign(officer):
    assert officer.has_perm("responses.change_answer")
    assert officer.has_perm("responses.change_reportsection")
    assert not officer.has_perm("responses.submit_response")
    assert not officer.has_perm("responses.agree_answer")
    assert not officer.has_perm("responses.sign_off_response")


def test_lead_officer_assigns_agrees_and_submits(lead):
    for perm in ["assign_answer", "agree_answer", "submit_response", "change_cabinetreport"]:
        assert lead.has_perm(f"responses.{perm}")
    assert not lead.has_perm("responses.sign_off_response")


@pytest.mark.parametrize("signatory", ["director", "portfolio_holder"])
def test_signatories_read_and_sign_but_do_not_edit(request, signatory):
    user = request.getfixturevalue(signatory)
    assert user.has_perm("responses.view_answer")
    assert user.has_perm("responses.sign_off_response")
    assert not user.has_perm("responses.change_answer")


def test_a_user_in_no_role_can_do_nothing(outsider):
    assert not outsider.has_perm("responses.view_response")
    assert not outsider.get_all_permissions()


def test_administrator_manages_consultations_and_users(administrator):
    administrator.is_superuser = False
    administrator.save()
    assert administrator.has_perm("responses.add_consultation")
    assert administrator.has_perm("auth.add_user")
