"""A sign-off keeps the signer's name and role as they signed: a later rename of the
account changes nothing printed, and is audited."""

import importlib
import re

import pytest
from django.apps import apps as installed_apps
from django.urls import reverse

from responses import workflow
from responses.documents import pdf, word
from responses.models import AuditEvent, SignOff
from tests import pdfs, words
from tests.papers import digest_of, paper_of

pytestmark = pytest.mark.django_db


def sign_off(response, lead, director, portfolio_holder):
    workflow.submit(user=lead, response_id=response.pk, confirm_gaps=True)
    for signatory in (director, portfolio_holder):
        workflow.approve(user=signatory, response_id=response.pk, seen_digest=digest_of(response))


def rename(client, administrator, user, first_name: str, last_name: str):
    """Rename the account as an administrator does, on its page in the admin."""
    client.force_login(administrator)
    page = client.post(
        reverse("admin:auth_user_change", args=[user.pk]),
        {
            "username": user.username,
            "first_name": first_name,
            "last_name": last_name,
            "email": user.email,
            "is_active": "on",
            "groups": [group.pk for group in user.groups.all()],
            "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        },
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    user.refresh_from_db()
    assert user.get_full_name() == f"{first_name} {last_name}"


def test_a_sign_off_keeps_the_name_and_role_its_signer_had(
    signing, lead, director, portfolio_holder
):
    sign_off(signing, lead, director, portfolio_holder)

    stored = {s.role: (s.signer_name, s.signer_title) for s in SignOff.objects.all()}

    assert stored == {
        SignOff.Role.EXECUTIVE_DIRECTOR: (director.get_full_name(), "Executive Director"),
        SignOff.Role.PORTFOLIO_HOLDER: (portfolio_holder.get_full_name(), "Portfolio Holder"),
    }


def unstamped(text: str) -> str:
    return re.sub(r"Made \d{1,2} \w+ \d{4} \d\d:\d\d", "Made", text)


def test_renaming_a_signatory_after_sign_off_changes_nothing_printed_and_is_audited(
    client, administrator, signing, lead, director, portfolio_holder
):
    sign_off(signing, lead, director, portfolio_holder)
    as_signed = director.get_full_name()
    pdf_before = pdfs.text(pdf.cabinet_paper(paper_of(signing)).content)

    rename(client, administrator, director, "Renamed", "Afterwards")

    paper = paper_of(signing)
    assert paper.signatures.valid
    printed = pdfs.text(pdf.cabinet_paper(paper).content)
    assert f"Signed: {as_signed} (approved in Consult)" in printed
    assert "Renamed" not in printed
    # The same paper, but for when each copy was made (its footer's "Made … 12:55").
    assert unstamped(printed) == unstamped(pdf_before)
    in_word = words.text(word.cabinet_paper(paper).content)
    assert f"Signed: {as_signed} (approved in Consult)" in in_word
    assert "Renamed" not in in_word
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.ACCOUNT_RENAMED)
    assert event.response == signing
    assert event.actor == administrator
    assert f"renamed from {as_signed} to Renamed Afterwards" in event.summary


def test_saving_an_account_without_renaming_it_audits_nothing(
    client, administrator, signing, lead, director, portfolio_holder
):
    sign_off(signing, lead, director, portfolio_holder)

    rename(client, administrator, director, director.first_name, director.last_name)

    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCOUNT_RENAMED).exists()


def test_the_migration_fills_existing_sign_offs_from_their_signers(
    signing, lead, director, portfolio_holder
):
    sign_off(signing, lead, director, portfolio_holder)
    SignOff.objects.update(signer_name="", signer_title="")
    migration = importlib.import_module("responses.migrations.0021_signatures_decisions_marking")

    migration.names_as_signed(installed_apps, None)

    assert sorted(SignOff.objects.values_list("signer_name", "signer_title")) == sorted(
        [
            (director.get_full_name(), "Executive Director"),
            (portfolio_holder.get_full_name(), "Portfolio Holder"),
        ]
    )
