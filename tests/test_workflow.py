"""Sign-off: the state machine, who may act at each step, the proof of what was signed."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from responses import roles, services, workflow
from responses.documents import pdf
from responses.errors import DomainError, Invalid, Locked, NotAllowed, NotFound, WrongState
from responses.models import Answer, AuditEvent, CabinetReport, Response, SignOff
from tests import pdfs
from tests.edits import edit_answer
from tests.factories import ResponseFactory, UserFactory
from tests.papers import digest_of, paper_of

# What recording Cabinet's decision takes besides the decision: its date and minute.
DECIDED = {"decided_on": timezone.localdate(), "minute": "Minute 12/26"}

pytestmark = pytest.mark.django_db


def approve(user, response):
    """Approve as a signatory does: having read the paper as it is now."""
    return workflow.approve(user=user, response_id=response.pk, seen_digest=digest_of(response))


Status = Response.Status


def name_signatory(administrator, response, role, signatory, **kwargs):
    return workflow.change_signatory(
        user=administrator, response_id=response.pk, role=role, signatory=signatory, **kwargs
    )


def submit(response, user, **kwargs):
    return workflow.submit(user=user, response_id=response.pk, **kwargs)


def state(response) -> tuple:
    response.refresh_from_db()
    return (
        response.status,
        response.submission_round,
        SignOff.objects.count(),
        AuditEvent.objects.count(),
    )


def put_in(response, status: str) -> None:
    Response.objects.filter(pk=response.pk).update(status=status, submission_round=1)
    response.refresh_from_db()


def test_submitting_with_gaps_needs_confirmation(signing, lead):
    with pytest.raises(workflow.NeedsConfirmation) as unconfirmed:
        submit(signing, lead)
    assert unconfirmed.value.gaps.unanswered == ["28", "32", "33", "34", "35"]
    assert len(unconfirmed.value.gaps.not_agreed) == 30
    assert state(signing) == (Status.DRAFTING, 0, 0, 0)
    submit(signing, lead, confirm_gaps=True)
    assert state(signing) == (Status.AWAITING_DIRECTOR, 1, 0, 1)
    assert AuditEvent.objects.get().comment == (
        "Submitted with 5 questions unanswered; 30 answers not agreed."
    )


def test_an_empty_report_section_is_a_gap_to_confirm(signing, lead):
    Answer.objects.update(text="Done", status=Answer.Status.AGREED)
    section = signing.report.sections.order_by("position").first()
    section.body = "  "
    section.save()

    with pytest.raises(workflow.NeedsConfirmation) as unconfirmed:
        submit(signing, lead)

    assert [s.heading for s in unconfirmed.value.gaps.empty_sections] == [section.heading]
    assert "1 report section with no text" in str(unconfirmed.value)


def test_a_finished_response_submits_without_confirmation(signing, lead):
    Answer.objects.update(text="Done", status=Answer.Status.AGREED)
    submit(signing, lead)
    assert state(signing)[0] == Status.AWAITING_DIRECTOR


def test_the_whole_journey_ends_with_a_signed_paper(
    signing, lead, director, portfolio_holder, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(signing, lead, confirm_gaps=True)
    assert mailoutbox[-1].to == [director.email]
    assert mailoutbox[-1].subject == f"{signing.report.title} is ready for your sign-off"
    assert f"/responses/{signing.pk}/sign-off/" in mailoutbox[-1].body

    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_for_changes(
            user=director, response_id=signing.pk, comment="Answer question 28, please."
        )
    assert state(signing)[0] == Status.DRAFTING
    assert mailoutbox[-1].to == [lead.email]
    assert mailoutbox[-1].subject == f"{signing.report.title} was returned for changes"
    assert "Answer question 28, please." in mailoutbox[-1].body

    edit_answer(lead, signing, "28", "Through the Community Involvement strategy.")
    submit(signing, lead, confirm_gaps=True)
    with django_capture_on_commit_callbacks(execute=True):
        approve(director, signing)
    assert state(signing)[0] == Status.AWAITING_PORTFOLIO_HOLDER
    assert mailoutbox[-1].to == [portfolio_holder.email]
    assert mailoutbox[-1].subject.endswith("is ready for your sign-off")
    with django_capture_on_commit_callbacks(execute=True):
        approve(portfolio_holder, signing)
    assert state(signing)[:2] == (Status.SIGNED_OFF, 2)
    assert mailoutbox[-1].to == [lead.email]
    assert mailoutbox[-1].subject.endswith("has been signed off")

    paper = pdf.cabinet_paper(paper_of(signing)).content
    text = pdfs.text(paper)
    today = timezone.localdate().strftime("%-d %B %Y")
    assert "DRAFT" not in text
    assert f"{director.get_full_name()} (approved in Consult)" in text
    assert f"{portfolio_holder.get_full_name()} (approved in Consult)" in text
    assert text.count(f"Date: {today}") == 2

    # Someone changes the signed words behind the application's back.
    Answer.objects.filter(question__number="28").update(text="Quietly changed.")
    text = pdfs.text(pdf.cabinet_paper(paper_of(signing)).content)
    assert "DRAFT" in text
    assert "The content changed after it was signed" in text
    assert "(approved in Consult)" not in text


def test_each_approval_stores_the_digest_of_the_content_it_saw(signing, lead, director):
    submit(signing, lead, confirm_gaps=True)
    sign_off = approve(director, signing)
    assert sign_off.content_digest == digest_of(signing)
    assert len(sign_off.content_digest) == 64


PERSONAS = ["officer", "lead", "director", "portfolio_holder", "outsider", "other_director"]
ALLOWED = {
    ("submit", Status.DRAFTING, "lead"),
    ("approve", Status.AWAITING_DIRECTOR, "director"),
    ("return", Status.AWAITING_DIRECTOR, "director"),
    ("approve", Status.AWAITING_PORTFOLIO_HOLDER, "portfolio_holder"),
    ("return", Status.AWAITING_PORTFOLIO_HOLDER, "portfolio_holder"),
}
NEXT = {
    "submit": Status.AWAITING_DIRECTOR,
    "return": Status.DRAFTING,
}


def act(action: str, user, response):
    if action == "submit":
        return submit(response, user, confirm_gaps=True)
    if action == "approve":
        return approve(user, response)
    return workflow.return_for_changes(user=user, response_id=response.pk, comment="Redo it")


@pytest.mark.parametrize("action", ["submit", "approve", "return"])
@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("persona", PERSONAS)
def test_role_and_action_matrix(request, signing, action, status, persona):
    if persona == "other_director":
        from responses import roles

        user = UserFactory(username="another-director", groups=[roles.EXECUTIVE_DIRECTOR])
    else:
        user = request.getfixturevalue(persona)
    put_in(signing, status)
    before = state(signing)
    if (action, status, persona) in ALLOWED:
        act(action, user, signing)
        after = state(signing)
        expected = NEXT.get(action) or (
            Status.AWAITING_PORTFOLIO_HOLDER
            if status == Status.AWAITING_DIRECTOR
            else Status.SIGNED_OFF
        )
        assert after[0] == expected
        assert after[3] == before[3] + 1  # one audit record
    else:
        with pytest.raises(DomainError):
            act(action, user, signing)
        assert state(signing) == before


def test_an_administrator_may_submit(signing, administrator):
    submit(signing, administrator, confirm_gaps=True)
    assert state(signing)[0] == Status.AWAITING_DIRECTOR


def test_an_administrator_may_not_sign_for_a_signatory(signing, administrator):
    put_in(signing, Status.AWAITING_DIRECTOR)
    with pytest.raises(DomainError, match="Tim Johnson|named on the report"):
        approve(administrator, signing)


@pytest.mark.parametrize("comment", ["", "   \n "])
def test_return_without_a_comment_is_refused(signing, lead, director, comment):
    submit(signing, lead, confirm_gaps=True)
    before = state(signing)
    with pytest.raises(DomainError, match="comment is required"):
        workflow.return_for_changes(user=director, response_id=signing.pk, comment=comment)
    assert state(signing) == before


def test_approving_twice_is_refused_and_leaves_one_sign_off(signing, lead, director):
    submit(signing, lead, confirm_gaps=True)
    approve(director, signing)
    with pytest.raises(DomainError, match="Portfolio Holder"):
        approve(director, signing)
    assert SignOff.objects.filter(role=SignOff.Role.EXECUTIVE_DIRECTOR).count() == 1


def test_submitting_twice_is_refused(signing, lead):
    submit(signing, lead, confirm_gaps=True)
    with pytest.raises(DomainError, match="already"):
        submit(signing, lead, confirm_gaps=True)
    assert state(signing)[1] == 1


def test_the_database_holds_one_decision_per_role_per_round(signing, lead, director):
    submit(signing, lead, confirm_gaps=True)
    first = approve(director, signing)
    with pytest.raises(IntegrityError), transaction.atomic():
        SignOff.objects.create(
            report=first.report,
            round=first.round,
            role=first.role,
            user=director,
            decision=SignOff.Decision.APPROVED,
            content_digest=first.content_digest,
        )


def test_a_new_round_may_decide_again(signing, lead, director):
    submit(signing, lead, confirm_gaps=True)
    workflow.return_for_changes(user=director, response_id=signing.pk, comment="Again")
    submit(signing, lead, confirm_gaps=True)
    approve(director, signing)
    assert list(SignOff.objects.values_list("round", "decision")) == [
        (1, "returned"),
        (2, "approved"),
    ]


def test_submission_needs_both_signatory_accounts(signing, lead):
    signing.report.portfolio_holder_user = None
    signing.report.save()
    with pytest.raises(DomainError, match="no account"):
        submit(signing, lead, confirm_gaps=True)
    assert state(signing)[0] == Status.DRAFTING


def test_everything_is_locked_while_with_the_signatories(signing, lead, officer):
    submit(signing, lead, confirm_gaps=True)
    answer = Answer.objects.get(question__number="4")
    with pytest.raises(Locked):
        services.save_answer(
            user=officer,
            response_id=signing.pk,
            number="4",
            text="Changed",
            status=answer.status,
            assignee=None,
            expected_version=answer.version,
        )
    with pytest.raises(Locked):
        services.add_report_section(user=lead, response_id=signing.pk, heading="New")


def signed_off(signing, lead, director, portfolio_holder):
    submit(signing, lead, confirm_gaps=True)
    approve(director, signing)
    approve(portfolio_holder, signing)


def test_cabinet_decision_and_sending_complete_the_record(
    signing, lead, director, portfolio_holder
):
    with pytest.raises(DomainError, match="not signed off"):
        workflow.record_cabinet_decision(
            user=lead, response_id=signing.pk, decision="agreed", **DECIDED
        )
    signed_off(signing, lead, director, portfolio_holder)
    with pytest.raises(DomainError, match="Record Cabinet"):
        workflow.record_sent_to_government(
            user=lead, response_id=signing.pk, sent_on=datetime.date(2006, 3, 2)
        )
    with pytest.raises(DomainError, match="lead officer"):
        workflow.record_cabinet_decision(
            user=director, response_id=signing.pk, decision="agreed", **DECIDED
        )
    with pytest.raises(DomainError, match="Choose"):
        workflow.record_cabinet_decision(
            user=lead, response_id=signing.pk, decision="maybe", **DECIDED
        )
    workflow.record_cabinet_decision(
        user=lead, response_id=signing.pk, decision="agreed", **DECIDED
    )
    with pytest.raises(DomainError, match="future"):
        workflow.record_sent_to_government(
            user=lead, response_id=signing.pk, sent_on=timezone.localdate() + datetime.timedelta(1)
        )
    with pytest.raises(DomainError, match="the date it was sent cannot be before that"):
        workflow.record_sent_to_government(
            user=lead, response_id=signing.pk, sent_on=datetime.date(2006, 3, 2)
        )
    today = timezone.localdate()
    workflow.record_sent_to_government(user=lead, response_id=signing.pk, sent_on=today)
    signing.refresh_from_db()
    assert (signing.cabinet_decision, signing.sent_to_government_on) == ("agreed", today)
    kinds = list(AuditEvent.objects.order_by("at", "pk").values_list("kind", flat=True))
    assert kinds == [
        "submitted",
        "approved",
        "approved",
        "cabinet_decision",
        "sent_to_government",
    ]


def test_a_deferred_paper_is_not_sent(signing, lead, director, portfolio_holder):
    signed_off(signing, lead, director, portfolio_holder)
    workflow.record_cabinet_decision(
        user=lead, response_id=signing.pk, decision="deferred", **DECIDED
    )
    with pytest.raises(DomainError):
        workflow.record_sent_to_government(
            user=lead, response_id=signing.pk, sent_on=datetime.date(2006, 3, 2)
        )


def test_a_mail_server_that_is_down_does_not_undo_a_step(
    signing, lead, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        submit(signing, lead, confirm_gaps=True)
    assert state(signing)[0] == Status.AWAITING_DIRECTOR
    assert "Could not e-mail" in caplog.text


def test_approval_of_a_paper_that_changed_while_being_read_is_refused(signing, lead, director):
    submit(signing, lead, confirm_gaps=True)
    read = digest_of(signing)
    Answer.objects.filter(question__number="4").update(text="Changed behind the page")
    with pytest.raises(DomainError, match="changed while you were reading"):
        workflow.approve(user=director, response_id=signing.pk, seen_digest=read)
    assert not SignOff.objects.exists()


def test_a_cabinet_decision_once_recorded_stays(signing, lead, director, portfolio_holder):
    signed_off(signing, lead, director, portfolio_holder)
    workflow.record_cabinet_decision(
        user=lead, response_id=signing.pk, decision="agreed", **DECIDED
    )
    with pytest.raises(DomainError, match="already recorded"):
        workflow.record_cabinet_decision(
            user=lead, response_id=signing.pk, decision="deferred", **DECIDED
        )
    signing.refresh_from_db()
    assert signing.cabinet_decision == "agreed"


def test_a_director_who_left_mid_sign_off_is_replaced_and_the_paper_is_signed(
    signing,
    lead,
    director,
    portfolio_holder,
    administrator,
    client,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    workflow.submit(user=lead, response_id=signing.pk, confirm_gaps=True)
    director.is_active = False
    director.save()
    successor = UserFactory(
        username="successor", first_name="Sam", last_name="Patel", groups=[roles.EXECUTIVE_DIRECTOR]
    )
    mailoutbox.clear()
    client.force_login(administrator)
    url = reverse("admin:responses_cabinetreport_change", args=[signing.report.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update({"director_user": successor.pk, "sections-TOTAL_FORMS": 0})
    data.update({"sections-INITIAL_FORMS": 0})
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    signing.refresh_from_db()
    assert signing.status == Response.Status.AWAITING_DIRECTOR
    assert signing.report.director_name == "Sam Patel"
    assert [m.to for m in mailoutbox] == [[successor.email]]
    event = signing.audit_events.get(kind=AuditEvent.Kind.ROLE_CHANGED)
    assert (event.actor, "Sam Patel" in event.summary) == (administrator, True)

    approve(successor, signing)
    approve(portfolio_holder, signing)
    paper = paper_of(signing)
    assert paper.signatures.valid
    assert "Sam Patel" in pdfs.text(pdf.cabinet_paper(paper).content)


def test_renaming_the_printed_director_before_anyone_approved_keeps_the_round(
    signing, lead, administrator
):
    workflow.submit(user=lead, response_id=signing.pk, confirm_gaps=True)
    successor = UserFactory(
        username="successor", first_name="Sam", last_name="Patel", groups=[roles.EXECUTIVE_DIRECTOR]
    )

    name_signatory(administrator, signing, SignOff.Role.EXECUTIVE_DIRECTOR, successor)

    signing.refresh_from_db()
    assert (signing.status, signing.submission_round) == (Response.Status.AWAITING_DIRECTOR, 1)


def test_replacing_the_portfolio_holder_after_the_director_approved_restarts_sign_off(
    signing, lead, director, portfolio_holder, administrator
):
    workflow.submit(user=lead, response_id=signing.pk, confirm_gaps=True)
    approve(director, signing)
    deputy = UserFactory(
        username="deputy", first_name="Jo", last_name="Deputy", groups=[roles.PORTFOLIO_HOLDER]
    )
    name_signatory(administrator, signing, SignOff.Role.PORTFOLIO_HOLDER, deputy)
    signing.refresh_from_db()
    # The printed name changed, so the director's approval no longer covers the paper.
    assert (signing.status, signing.submission_round) == (Response.Status.AWAITING_DIRECTOR, 2)
    approve(director, signing)
    approve(deputy, signing)
    assert paper_of(signing).signatures.valid


def test_only_an_administrator_changes_a_signatory(signing, lead):
    other = UserFactory(username="other", groups=[roles.EXECUTIVE_DIRECTOR])
    with pytest.raises(NotAllowed):
        name_signatory(lead, signing, SignOff.Role.EXECUTIVE_DIRECTOR, other)
    signing.report.refresh_from_db()
    assert signing.report.director_user != other


def test_an_inactive_account_cannot_be_named_to_sign(signing, administrator):
    gone = UserFactory(username="gone", groups=[roles.EXECUTIVE_DIRECTOR], is_active=False)
    with pytest.raises(Invalid, match="inactive"):
        name_signatory(administrator, signing, SignOff.Role.EXECUTIVE_DIRECTOR, gone)


def test_a_lead_officer_who_left_is_replaced_and_the_new_lead_records_the_decision(
    signing, lead, director, portfolio_holder, administrator
):
    workflow.submit(user=lead, response_id=signing.pk, confirm_gaps=True)
    approve(director, signing)
    approve(portfolio_holder, signing)
    new_lead = UserFactory(username="newlead", groups=[roles.LEAD_OFFICER])
    workflow.change_lead_officer(user=administrator, response_id=signing.pk, lead=new_lead)
    handed_over = AuditEvent.objects.filter(kind=AuditEvent.Kind.ROLE_CHANGED).get()
    assert handed_over.actor == administrator
    assert handed_over.summary == (
        f"Lead officer changed from {lead.get_full_name()} to {new_lead.get_full_name()}"
    )
    with pytest.raises(NotFound):  # the former lead is no longer on the response
        workflow.record_cabinet_decision(
            user=lead, response_id=signing.pk, decision="agreed", **DECIDED
        )
    workflow.record_cabinet_decision(
        user=new_lead, response_id=signing.pk, decision="agreed", **DECIDED
    )
    signing.refresh_from_db()
    assert signing.cabinet_decision == "agreed"


def test_an_administrator_cannot_be_named_to_sign_nor_sign_if_named(signing, lead, administrator):
    with pytest.raises(Invalid, match="administrators never sign"):
        name_signatory(administrator, signing, SignOff.Role.EXECUTIVE_DIRECTOR, administrator)
    # Named by some other route (an old database), they still cannot sign or be submitted to.
    CabinetReport.objects.filter(pk=signing.report.pk).update(director_user=administrator)
    with pytest.raises(Invalid, match="administrators never sign"):
        submit(signing, lead, confirm_gaps=True)
    Response.objects.filter(pk=signing.pk).update(
        status=Status.AWAITING_DIRECTOR, submission_round=1
    )
    with pytest.raises(NotAllowed):
        approve(administrator, signing)


def test_one_person_cannot_sign_twice_or_sign_what_they_lead(
    signing, lead, director, administrator
):
    lead.groups.add(Group.objects.get(name=roles.PORTFOLIO_HOLDER))  # a lead who also signs
    lead = type(lead).objects.get(pk=lead.pk)  # without the cached permissions
    for signatory in (director, lead):
        with pytest.raises(Invalid, match="each signatory is someone else"):
            name_signatory(administrator, signing, SignOff.Role.PORTFOLIO_HOLDER, signatory)
    director.groups.add(Group.objects.get(name=roles.LEAD_OFFICER))  # a director who also leads
    director = type(director).objects.get(pk=director.pk)
    with pytest.raises(Invalid, match="cannot also lead"):
        workflow.change_lead_officer(user=administrator, response_id=signing.pk, lead=director)


def test_a_return_comment_of_invisible_characters_is_refused(signing, lead, director):
    submit(signing, lead, confirm_gaps=True)
    with pytest.raises(Invalid, match="comment is required"):
        workflow.return_for_changes(user=director, response_id=signing.pk, comment="\u200b \ufeff")
    assert state(signing)[0] == Status.AWAITING_DIRECTOR


def test_a_line_break_in_the_title_does_not_stop_the_e_mail(
    signing, lead, director, mailoutbox, django_capture_on_commit_callbacks
):
    CabinetReport.objects.filter(pk=signing.report.pk).update(title="Consultation\nresponse")
    with django_capture_on_commit_callbacks(execute=True):
        submit(signing, lead, confirm_gaps=True)
    assert mailoutbox[-1].subject == "Consultation response is ready for your sign-off"


def test_changing_a_signatory_is_a_new_version_of_the_report(signing, administrator):
    before = CabinetReport.objects.get(pk=signing.report.pk).version
    other = UserFactory(username="other-ph", first_name="Jo", groups=[roles.PORTFOLIO_HOLDER])
    name_signatory(administrator, signing, SignOff.Role.PORTFOLIO_HOLDER, other)
    # So an editor open on the report's details meets a conflict, not a silent overwrite.
    assert CabinetReport.objects.get(pk=signing.report.pk).version == before + 1
    name_signatory(administrator, signing, SignOff.Role.PORTFOLIO_HOLDER, other)
    assert CabinetReport.objects.get(pk=signing.report.pk).version == before + 1


def test_a_new_account_under_the_same_printed_name_does_not_restart_sign_off(
    signing, lead, director, portfolio_holder, administrator
):
    submit(signing, lead, confirm_gaps=True)
    approve(director, signing)
    second_account = UserFactory(username="ph2", groups=[roles.PORTFOLIO_HOLDER])
    name_signatory(
        administrator,
        signing,
        SignOff.Role.PORTFOLIO_HOLDER,
        second_account,
        name=signing.report.portfolio_holder_name,
    )
    assert state(signing)[:2] == (Status.AWAITING_PORTFOLIO_HOLDER, 1)
    approve(second_account, signing)
    assert paper_of(signing).signatures.valid


def test_a_restart_asks_the_director_again_and_a_new_lead_is_told(
    signing,
    lead,
    director,
    administrator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    submit(signing, lead, confirm_gaps=True)
    approve(director, signing)
    deputy = UserFactory(username="deputy", first_name="Jo", groups=[roles.PORTFOLIO_HOLDER])
    with django_capture_on_commit_callbacks(execute=True):
        name_signatory(administrator, signing, SignOff.Role.PORTFOLIO_HOLDER, deputy)
    assert mailoutbox[-1].to == [director.email]
    assert mailoutbox[-1].subject.endswith("is ready for your sign-off")
    new_lead = UserFactory(username="newlead", groups=[roles.LEAD_OFFICER])
    with django_capture_on_commit_callbacks(execute=True):
        workflow.change_lead_officer(user=administrator, response_id=signing.pk, lead=new_lead)
    assert mailoutbox[-1].to == [new_lead.email]
    assert mailoutbox[-1].subject.endswith("is now yours to lead")
    assert f"/responses/{signing.pk}/sign-off/" in mailoutbox[-1].body


def test_a_signatory_without_an_e_mail_address_is_not_mailed_and_nothing_fails(
    signing, lead, director, mailoutbox, django_capture_on_commit_callbacks
):
    director.email = ""
    director.save()
    with django_capture_on_commit_callbacks(execute=True):
        submit(signing, lead, confirm_gaps=True)
    assert mailoutbox == []
    assert state(signing)[0] == Status.AWAITING_DIRECTOR


def test_the_sending_is_recorded_once(signing, lead, director, portfolio_holder):
    signed_off(signing, lead, director, portfolio_holder)
    workflow.record_cabinet_decision(
        user=lead, response_id=signing.pk, decision="agreed", **DECIDED
    )
    today = timezone.localdate()
    workflow.record_sent_to_government(user=lead, response_id=signing.pk, sent_on=today)
    with pytest.raises(WrongState, match="already recorded"):
        workflow.record_sent_to_government(user=lead, response_id=signing.pk, sent_on=today)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SENT_TO_GOVERNMENT).count() == 1


def test_an_inactive_lead_officer_cannot_be_named(signing, administrator):
    gone = UserFactory(username="gone-lead", groups=[roles.LEAD_OFFICER], is_active=False)
    with pytest.raises(Invalid, match="inactive or not a lead officer"):
        workflow.change_lead_officer(user=administrator, response_id=signing.pk, lead=gone)
    signing.report.refresh_from_db()
    assert signing.report.lead_officer != gone


def test_a_signatory_role_must_be_one_of_the_two(signing, administrator):
    other = UserFactory(username="someone", groups=[roles.EXECUTIVE_DIRECTOR])
    with pytest.raises(Invalid, match="Executive Director or the Portfolio Holder"):
        name_signatory(administrator, signing, "chief_executive", other)


def test_submitting_gives_back_the_response_as_it_now_stands(signing, lead):
    submitted = submit(signing, lead, confirm_gaps=True)
    assert (submitted.pk, submitted.status, submitted.submission_round) == (
        signing.pk,
        Status.AWAITING_DIRECTOR,
        1,
    )


def test_naming_the_same_signatory_again_changes_and_records_nothing(signing, administrator):
    report = signing.report
    same = name_signatory(
        administrator,
        signing,
        SignOff.Role.EXECUTIVE_DIRECTOR,
        report.director_user,
        name=report.director_name,
    )
    assert same.pk == signing.pk
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.ROLE_CHANGED).exists()
    assert CabinetReport.objects.get(pk=report.pk).version == report.version


def test_a_response_without_a_report_cannot_be_submitted(lead):
    response = ResponseFactory()
    with pytest.raises(WrongState, match="no Cabinet report"):
        submit(response, lead, confirm_gaps=True)


def withdraw(response, user, reason="Question 12 needs the new figures."):
    return workflow.withdraw(user=user, response_id=response.pk, reason=reason)


def reopen(response, user, reason="Cabinet agreed it with changes to question 3."):
    return workflow.reopen(user=user, response_id=response.pk, reason=reason)


def test_the_lead_withdraws_a_paper_from_its_director_who_is_told(
    signing, lead, director, mailoutbox, django_capture_on_commit_callbacks
):
    submit(signing, lead, confirm_gaps=True)

    with django_capture_on_commit_callbacks(execute=True):
        withdraw(signing, lead)

    assert state(signing) == (Status.DRAFTING, 1, 0, 2)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.WITHDRAWN)
    assert event.actor == lead
    assert event.comment == "Question 12 needs the new figures."
    assert "awaited the Executive Director" in event.summary
    assert mailoutbox[-1].to == [director.email]
    assert "withdrawn from sign-off" in mailoutbox[-1].subject
    assert "Question 12 needs the new figures." in mailoutbox[-1].body
    edit_answer(lead, signing, "12", "New figures.")  # drafting again: it can change
    submit(signing, lead, confirm_gaps=True)
    assert state(signing)[:2] == (Status.AWAITING_DIRECTOR, 2)


def test_a_paper_withdrawn_from_the_portfolio_holder_tells_the_portfolio_holder(
    signing, lead, director, portfolio_holder, mailoutbox, django_capture_on_commit_callbacks
):
    submit(signing, lead, confirm_gaps=True)
    approve(director, signing)

    with django_capture_on_commit_callbacks(execute=True):
        withdraw(signing, lead)

    assert state(signing)[0] == Status.DRAFTING
    assert mailoutbox[-1].to == [portfolio_holder.email]
    assert not paper_of(signing).signatures.valid


@pytest.mark.parametrize("reason", ["", "   ", "\u200b\n"])
def test_withdrawing_or_reopening_needs_a_reason(signing, lead, director, portfolio_holder, reason):
    submit(signing, lead, confirm_gaps=True)
    before = state(signing)
    with pytest.raises(Invalid, match="reason is required"):
        withdraw(signing, lead, reason)
    assert state(signing) == before
    approve(director, signing)
    approve(portfolio_holder, signing)
    before = state(signing)
    with pytest.raises(Invalid, match="reason is required"):
        reopen(signing, lead, reason)
    assert state(signing) == before


@pytest.mark.parametrize("persona", ["administrator", "director", "officer", "portfolio_holder"])
def test_only_the_lead_withdraws(request, signing, lead, persona):
    submit(signing, lead, confirm_gaps=True)
    before = state(signing)
    with pytest.raises(NotAllowed, match="lead officer"):
        withdraw(signing, request.getfixturevalue(persona))
    assert state(signing) == before


def test_there_is_nothing_to_withdraw_while_drafting_or_once_signed_off(
    signing, lead, director, portfolio_holder
):
    with pytest.raises(WrongState, match="nothing to withdraw"):
        withdraw(signing, lead)
    signed_off(signing, lead, director, portfolio_holder)
    with pytest.raises(WrongState, match="nothing to withdraw"):
        withdraw(signing, lead)
    assert state(signing)[0] == Status.SIGNED_OFF


def test_reopening_voids_the_signatures_and_starts_a_new_round_for_both(
    signing, lead, director, portfolio_holder, mailoutbox, django_capture_on_commit_callbacks
):
    signed_off(signing, lead, director, portfolio_holder)
    assert paper_of(signing).signatures.valid

    with django_capture_on_commit_callbacks(execute=True):
        reopen(signing, lead)

    assert state(signing)[:2] == (Status.DRAFTING, 1)
    assert not paper_of(signing).signatures.valid
    assert "DRAFT" in pdfs.text(pdf.cabinet_paper(paper_of(signing)).content)
    assert {m.to[0] for m in mailoutbox[-2:]} == {director.email, portfolio_holder.email}
    for told in mailoutbox[-2:]:
        assert told.subject.endswith("was reopened for changes: it will come back to you to sign")
        assert "Cabinet agreed it with changes to question 3." in told.body
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.REOPENED)
    assert event.comment == "Cabinet agreed it with changes to question 3."
    edit_answer(lead, signing, "3", "Changed as Cabinet asked.")
    submit(signing, lead, confirm_gaps=True)
    assert state(signing)[:2] == (Status.AWAITING_DIRECTOR, 2)
    approve(director, signing)
    approve(portfolio_holder, signing)
    assert paper_of(signing).signatures.valid


def test_a_paper_sent_to_government_cannot_be_reopened(signing, lead, director, portfolio_holder):
    signed_off(signing, lead, director, portfolio_holder)
    workflow.record_cabinet_decision(
        user=lead, response_id=signing.pk, decision="agreed", **DECIDED
    )
    workflow.record_sent_to_government(
        user=lead, response_id=signing.pk, sent_on=timezone.localdate()
    )
    with pytest.raises(WrongState, match="sent to government"):
        reopen(signing, lead)
    assert state(signing)[0] == Status.SIGNED_OFF


@pytest.mark.parametrize("persona", ["administrator", "director", "portfolio_holder", "officer"])
def test_only_the_lead_reopens(request, signing, lead, director, portfolio_holder, persona):
    signed_off(signing, lead, director, portfolio_holder)
    with pytest.raises(NotAllowed, match="lead officer"):
        reopen(signing, request.getfixturevalue(persona))
    assert state(signing)[0] == Status.SIGNED_OFF


def test_only_a_signed_off_paper_is_reopened(signing, lead):
    with pytest.raises(WrongState, match="not signed off"):
        reopen(signing, lead)


def test_reopening_clears_cabinets_decision_on_the_old_paper(
    signing, lead, director, portfolio_holder, mailoutbox, django_capture_on_commit_callbacks
):
    signed_off(signing, lead, director, portfolio_holder)
    workflow.record_cabinet_decision(
        user=lead,
        response_id=signing.pk,
        decision="agreed_with_changes",
        **DECIDED,
    )

    with django_capture_on_commit_callbacks(execute=True):
        reopen(signing, lead)

    signing.refresh_from_db()
    assert signing.cabinet_decision == ""
    assert "\nReason:\nCabinet agreed it with changes to question 3." in mailoutbox[-1].body


def test_a_reason_or_comment_is_kept_without_the_spaces_around_it(signing, lead, director):
    submit(signing, lead, confirm_gaps=True)
    withdraw(signing, lead, "  New figures.\n ")
    assert AuditEvent.objects.get(kind=AuditEvent.Kind.WITHDRAWN).comment == "New figures."
    submit(signing, lead, confirm_gaps=True)

    returned = workflow.return_for_changes(
        user=director, response_id=signing.pk, comment="\n Fix question 28.  "
    )

    assert returned.comment == "Fix question 28."


@pytest.mark.parametrize("text", ["\u00ad", "\u2800", "\u3164", "\u202a\u202c", "\u034f", " - . "])
def test_a_reason_or_comment_without_a_letter_or_digit_says_nothing(signing, lead, director, text):
    submit(signing, lead, confirm_gaps=True)
    with pytest.raises(Invalid):
        withdraw(signing, lead, text)
    with pytest.raises(Invalid):
        workflow.return_for_changes(user=director, response_id=signing.pk, comment=text)
    assert state(signing)[0] == Status.AWAITING_DIRECTOR
