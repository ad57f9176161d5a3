"""Recording Cabinet's decision takes the date it decided and the minute reference; both
are in the audit, on the response and sign-off pages and in the response as sent."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from responses import workflow
from responses.documents import pdf, word
from responses.errors import Invalid
from responses.models import AuditEvent, Response
from tests import pdfs, words
from tests.papers import digest_of, paper_of

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def signed_off(response, lead, director, portfolio_holder):
    workflow.submit(user=lead, response_id=response.pk, confirm_gaps=True)
    for signatory in (director, portfolio_holder):
        workflow.approve(user=signatory, response_id=response.pk, seen_digest=digest_of(response))


def record(client, response, **fields):
    data = {
        "decision": "agreed",
        "decided_on": TODAY().isoformat(),
        "minute": "Minute 123/06",
        **fields,
    }
    return client.post(reverse("record", args=[response.pk]), data)


def kept(response) -> tuple:
    response.refresh_from_db()
    return (
        response.cabinet_decision,
        response.cabinet_decided_on,
        response.cabinet_minute,
        AuditEvent.objects.filter(kind=AuditEvent.Kind.CABINET_DECISION).count(),
    )


def test_the_decision_is_recorded_with_its_date_and_minute_in_the_audit(
    signing, lead, director, portfolio_holder
):
    signed_off(signing, lead, director, portfolio_holder)
    today = TODAY()

    workflow.record_cabinet_decision(
        user=lead, response_id=signing.pk, decision="agreed", decided_on=today, minute=" 123/06 "
    )

    assert kept(signing) == ("agreed", today, "123/06", 1)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.CABINET_DECISION)
    assert event.summary == f"Cabinet decision: Agreed on {today:%-d %B %Y} (minute 123/06)"


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"decided_on": "3000-01-01"}, "cannot be in the future"),
        ({"decided_on": "2006-03-01"}, "cannot be before that"),
        ({"decided_on": "not a date"}, "Enter the date Cabinet decided as a real date"),
        ({"decided_on": ""}, "Enter the date Cabinet decided."),
        ({"minute": ""}, "Enter the minute reference"),
        ({"minute": "   "}, "Enter the minute reference"),
        ({"minute": "9" * 51}, "at most 50 characters"),
    ],
)
def test_a_bad_date_or_minute_is_a_form_error_and_saves_nothing(
    client, signing, lead, director, portfolio_holder, fields, error
):
    signed_off(signing, lead, director, portfolio_holder)
    client.force_login(lead)

    page = record(client, signing, **fields)

    assert page.status_code == 400
    html = page.content.decode()
    assert error in html
    assert 'class="govuk-error-summary' in html or "error-summary" in html
    assert kept(signing) == ("", None, "", 0)


def test_the_step_refuses_a_minute_too_long_whoever_calls_it(
    signing, lead, director, portfolio_holder
):
    signed_off(signing, lead, director, portfolio_holder)

    with pytest.raises(Invalid, match="at most 50 characters") as refused:
        workflow.record_cabinet_decision(
            user=lead,
            response_id=signing.pk,
            decision="agreed",
            decided_on=TODAY(),
            minute="9" * 51,
        )

    assert refused.value.field == "minute"
    assert kept(signing) == ("", None, "", 0)


def test_the_step_gives_back_the_response_as_decided(signing, lead, director, portfolio_holder):
    signed_off(signing, lead, director, portfolio_holder)

    decided = workflow.record_cabinet_decision(
        user=lead, response_id=signing.pk, decision="agreed", decided_on=TODAY(), minute="12/06"
    )

    assert (decided.pk, decided.cabinet_decision, decided.cabinet_minute) == (
        signing.pk,
        "agreed",
        "12/06",
    )


def test_the_step_refuses_a_date_before_sign_off_whoever_calls_it(
    signing, lead, director, portfolio_holder
):
    signed_off(signing, lead, director, portfolio_holder)

    with pytest.raises(Invalid, match="cannot be before that") as refused:
        workflow.record_cabinet_decision(
            user=lead,
            response_id=signing.pk,
            decision="agreed",
            decided_on=TODAY() - datetime.timedelta(days=1),
            minute="123/06",
        )

    assert refused.value.field == "decided_on"
    assert kept(signing) == ("", None, "", 0)


def test_the_pages_and_the_response_as_sent_show_the_date_and_minute(
    client, signing, lead, director, portfolio_holder
):
    signed_off(signing, lead, director, portfolio_holder)
    client.force_login(lead)
    today = TODAY()
    said = f"on {today:%-d %B %Y} (minute 123/06)"

    assert record(client, signing, minute="123/06").status_code == 302

    for name in ("response", "sign_off"):
        html = client.get(reverse(name, args=[signing.pk])).content.decode()
        assert f"Cabinet's decision: Agreed {said}." in html, name
    audit = client.get(reverse("audit", args=[signing.pk])).content.decode()
    assert f"Cabinet decision: Agreed {said}" in audit
    paper = paper_of(Response.objects.get(pk=signing.pk))
    as_sent = f"Agreed by Cabinet on {today:%-d %B %Y}, minute 123/06"
    assert as_sent in pdfs.text(pdf.response_only(paper).content)
    assert as_sent in words.text(word.response_only(paper).content)


def test_reopening_clears_the_date_and_minute_with_the_decision(
    signing, lead, director, portfolio_holder
):
    signed_off(signing, lead, director, portfolio_holder)
    workflow.record_cabinet_decision(
        user=lead,
        response_id=signing.pk,
        decision="agreed_with_changes",
        decided_on=TODAY(),
        minute="123/06",
    )

    workflow.reopen(user=lead, response_id=signing.pk, reason="Cabinet asked for changes.")

    assert kept(signing) == ("", None, "", 1)
