"""The set-up commands `make run` relies on."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from responses import roles
from responses.models import Answer, Consultation
from tests.factories import ConsultationFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_create_demo_users_refuses_when_debug_is_off(settings, bare_seed):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("create_demo_users")
    assert not User.objects.exists()


def test_demo_users_have_their_roles_and_sign_the_seed_report(settings, bare_seed):
    settings.DEBUG = True
    call_command("create_demo_users", verbosity=0)
    report = bare_seed.report
    report.refresh_from_db()
    assert list(bare_seed.team.values_list("username", flat=True)) == ["officer"]
    assert report.lead_officer.username == "lead"
    assert report.director_user.username == "director"
    assert report.portfolio_holder_user.username == "portfolio"
    expected = {
        "officer": roles.OFFICER,
        "lead": roles.LEAD_OFFICER,
        "director": roles.EXECUTIVE_DIRECTOR,
        "portfolio": roles.PORTFOLIO_HOLDER,
        "admin": roles.ADMINISTRATOR,
    }
    for username, role in expected.items():
        user = User.objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert user.check_password("consult-demo")
    assert User.objects.get(username="admin").is_superuser
    assert not User.objects.get(username="officer").is_staff


def test_demo_users_again_keeps_changes_made_since(settings, bare_seed):
    settings.DEBUG = True
    call_command("create_demo_users", verbosity=0)
    answer = Answer.objects.get(question__number="28")
    assert answer.assignee.username == "officer"
    answer.assignee = None
    answer.save()
    officer = User.objects.get(username="officer")
    officer.set_password("changed-password")
    officer.save()

    call_command("create_demo_users", verbosity=0)

    answer.refresh_from_db()
    officer.refresh_from_db()
    assert answer.assignee is None
    assert officer.check_password("changed-password")


def test_loadtest_setup_refuses_a_database_not_called_a_test_one(settings, bare_seed):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--test-database"):
        call_command("loadtest_setup", "--officers", "2", "--password", "known-password")
    assert not User.objects.exists()
    assert not bare_seed.team.exists()


def test_loadtest_setup_makes_its_accounts_on_a_database_called_a_test_one(settings, bare_seed):
    settings.DEBUG = False
    call_command(
        "loadtest_setup",
        "--officers",
        "2",
        "--password",
        "known-password",
        "--test-database",
        stdout=io.StringIO(),
    )
    made = User.objects.order_by("username")
    assert list(made.values_list("username", flat=True)) == ["loadofficer01", "loadofficer02"]
    assert made.first().check_password("known-password")


def test_loadtest_setup_runs_with_debug_on(settings, bare_seed):
    settings.DEBUG = True
    call_command("loadtest_setup", "--officers", "1", "--password", "pw", stdout=io.StringIO())
    assert User.objects.filter(username="loadofficer01").exists()


def test_load_seed_into_an_empty_database_loads_it():
    call_command("load_seed", verbosity=0)
    assert Consultation.objects.get().title == "Local Strategic Partnerships: Shaping their future"


def test_load_seed_leaves_a_database_with_consultations_alone():
    ConsultationFactory(title="Ours")
    call_command("load_seed", verbosity=0)
    assert list(Consultation.objects.values_list("title", flat=True)) == ["Ours"]
