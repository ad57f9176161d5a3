"""The Django admin sets everything up: each model's list, change, add and history pages load."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import reverse
from django.utils.html import escape

from responses import roles, workflow
from responses.models import (
    Answer,
    AuditEvent,
    CabinetReport,
    Consultation,
    CouncilSettings,
    Question,
    ReminderSent,
    ReportSection,
    Response,
    Section,
    SignOff,
    Suggestion,
)
from tests import factories
from tests.edits import edit_answer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# A new report's details as an administrator types them.
REPORT_DETAILS = {
    "meeting_body": "Cabinet",
    "meeting_date": "2026-12-09",
    "portfolio": "Leader",
    "portfolio_holder_name": "Councillor Jo Bloggs",
    "service_area": "All",
    "wards": "All",
    "contact_name": "Sam Smith",
    "contact_job_title": "Policy Officer",
    "director_name": "Alex Jones",
}

FACTORIES = {
    Consultation: factories.ConsultationFactory,
    Section: factories.SectionFactory,
    Question: factories.QuestionFactory,
    Response: factories.ResponseFactory,
    Answer: factories.AnswerFactory,
    CabinetReport: factories.CabinetReportFactory,
    ReportSection: factories.ReportSectionFactory,
    SignOff: factories.SignOffFactory,
    AuditEvent: factories.AuditEventFactory,
    CouncilSettings: CouncilSettings.load,
    ReminderSent: factories.ReminderSentFactory,
    Suggestion: factories.SuggestionFactory,
}
READ_ONLY = {SignOff, AuditEvent, ReminderSent, Suggestion}


def test_every_model_of_the_app_is_in_the_admin():
    registered = {model for model in admin.site._registry if model._meta.app_label == "responses"}
    assert registered == set(FACTORIES)


@pytest.mark.parametrize("model", list(FACTORIES), ids=lambda m: m.__name__)
def test_admin_pages_load_for(model, client, administrator):
    obj = FACTORIES[model]()
    client.force_login(administrator)
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    change_url = reverse(f"{prefix}_change", args=[obj.pk])
    name = escape(str(obj))
    # The list links to the object; its change and history pages name it.
    listing = client.get(reverse(f"{prefix}_changelist"))
    if model is CouncilSettings:  # one row, one page: the list opens it
        assert listing.status_code == 302
        assert listing.url == change_url
    else:
        assert listing.status_code == 200
        assert f'href="{change_url}' in listing.content.decode()
    for url, shows in [
        (change_url, name),
        (reverse(f"{prefix}_history", args=[obj.pk]), name),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert shows in response.content.decode(), url
    add = client.get(reverse(f"{prefix}_add"))
    # Answers are made with their response, one per question, never added by hand;
    # the council has one settings row.
    assert add.status_code == (403 if model in READ_ONLY | {Answer, CouncilSettings} else 200)


def test_seed_consultation_change_page_shows_its_sections_and_questions(
    seed, client, administrator
):
    client.force_login(administrator)
    page = client.get(reverse("admin:responses_consultation_change", args=[seed.consultation.pk]))
    html = page.content.decode()
    assert "Accountability between partners" in html
    assert "What learning or development do you feel is required by LSPs" in html


def test_adding_a_report_in_the_admin_starts_it_with_the_standard_headings(client, administrator):
    response = factories.ResponseFactory()
    client.force_login(administrator)
    form = {
        "response": response.pk,
        **REPORT_DETAILS,
        "agenda_item": "7",
        "title": "Response to the consultation",
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
    }
    page = client.post(reverse("admin:responses_cabinetreport_add"), form)
    assert page.status_code == 302, page.content.decode()[:2000]
    headings = list(response.report.sections.values_list("heading", flat=True))
    assert headings == CouncilSettings.current().headings
    assert headings[0] == "Summary"


@pytest.mark.parametrize(
    "model", sorted(READ_ONLY, key=lambda m: m.__name__), ids=lambda m: m.__name__
)
def test_records_of_what_happened_cannot_be_edited_in_the_admin(model, client, administrator):
    obj = FACTORIES[model]()
    client.force_login(administrator)
    url = reverse(f"admin:responses_{model._meta.model_name}_change", args=[obj.pk])
    page = client.get(url).content.decode()
    assert 'name="_save"' not in page
    delete = reverse(f"admin:responses_{model._meta.model_name}_delete", args=[obj.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


def test_locked_answers_and_sections_are_read_only_in_the_admin(seed, client, administrator):
    Response.objects.filter(pk=seed.pk).update(status=Response.Status.AWAITING_DIRECTOR)
    answer = Answer.objects.get(question__number="12")
    section = ReportSection.objects.get(heading="Recommendations")
    client.force_login(administrator)
    for model, obj, data in [
        ("answer", answer, {"text": "Changed in the admin", "status": "drafting"}),
        ("reportsection", section, {"heading": "x", "body": "Changed", "position": 1}),
    ]:
        url = reverse(f"admin:responses_{model}_change", args=[obj.pk])
        assert 'name="_save"' not in client.get(url).content.decode()
        assert client.post(url, data).status_code == 403
    report_url = reverse("admin:responses_cabinetreport_change", args=[seed.report.pk])
    client.post(report_url, {**_form_data(client, report_url), "title": "Changed"})
    answer.refresh_from_db()
    section.refresh_from_db()
    seed.report.refresh_from_db()
    assert answer.version == 1
    assert section.version == 1
    assert seed.report.title != "Changed"


def test_the_workflow_status_is_not_editable_in_the_admin(seed, client, administrator):
    client.force_login(administrator)
    page = client.get(reverse("admin:responses_response_change", args=[seed.pk]))
    assert 'name="status"' not in page.content.decode()


def _locked_seed(seed) -> None:
    Response.objects.filter(pk=seed.pk).update(status=Response.Status.AWAITING_DIRECTOR)


def test_nothing_printed_in_a_locked_paper_changes_through_the_admin(seed, client, administrator):
    _locked_seed(seed)
    client.force_login(administrator)
    question = Question.objects.get(number="12")
    for name, obj, data in [
        ("question", question, {"text": "Reworded", "number": "12"}),
        ("consultation", seed.consultation, {"title": "Renamed"}),
    ]:
        url = reverse(f"admin:responses_{name}_change", args=[obj.pk])
        assert client.post(url, data).status_code == 403
    # The response's team may still change; what it prints may not.
    url = reverse("admin:responses_response_change", args=[seed.pk])
    client.post(url, {**_form_data(client, url), "title": "Renamed", "organisation_name": "X"})
    question.refresh_from_db()
    seed.refresh_from_db()
    assert question.text.startswith("We believe that it is important")
    assert seed.title == "Draft Response by Walsall Council"


def test_nothing_can_be_added_to_or_moved_into_a_locked_paper(seed, client, administrator):
    other = factories.ReportSectionFactory(heading="Elsewhere")
    _locked_seed(seed)
    client.force_login(administrator)
    add = client.post(
        reverse("admin:responses_reportsection_add"),
        {"report": seed.report.pk, "heading": "Sneaked in", "body": "x", "position": 99},
    )
    assert "cannot be changed" in add.content.decode()
    client.post(
        reverse("admin:responses_reportsection_change", args=[other.pk]),
        {"report": seed.report.pk, "heading": "Elsewhere", "body": "x", "version": 1},
    )
    assert not seed.report.sections.filter(heading__in=["Sneaked in", "Elsewhere"]).exists()


def _form_data(client, url: str) -> dict:
    """The change form's own values, as a browser would post them back."""
    page = client.get(url).context
    form = page["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, list):
            value = [str(v) for v in value]
        data[name] = "" if value is None or value is False else value
    for inline in page["inline_admin_formsets"]:
        management = inline.formset.management_form
        prefix = inline.formset.prefix
        data.update({f"{prefix}-{k}": v for k, v in management.initial.items()})
        for i, inline_form in enumerate(inline.formset.forms):
            data[f"{prefix}-{i}-id"] = inline_form.instance.pk
    return data


def test_a_report_edited_in_the_admin_is_a_new_version_with_history(seed, client, administrator):
    client.force_login(administrator)
    url = reverse("admin:responses_cabinetreport_change", args=[seed.report.pk])
    result = client.post(url, {**_form_data(client, url), "agenda_item": "8"})
    assert result.status_code == 302, result.content.decode()[:2000]
    seed.report.refresh_from_db()
    assert (seed.report.agenda_item, seed.report.version) == ("8", 2)
    assert seed.report.history.first().history_user == administrator


def test_a_section_edited_in_the_admin_is_a_new_version_by_the_administrator(
    seed, client, administrator
):
    client.force_login(administrator)
    summary = ReportSection.objects.get(heading="Summary of report")
    url = reverse("admin:responses_reportsection_change", args=[summary.pk])
    result = client.post(url, {**_form_data(client, url), "body": "Edited in the admin."})
    assert result.status_code == 302, result.content.decode()[:2000]
    summary.refresh_from_db()
    assert (summary.body, summary.version, summary.changed_by) == (
        "Edited in the admin.",
        2,
        administrator,
    )


def test_an_admin_edit_of_a_stale_version_is_refused(seed, client, administrator, officer):
    client.force_login(administrator)
    answer = Answer.objects.get(question__number="12")
    url = reverse("admin:responses_answer_change", args=[answer.pk])
    stale = _form_data(client, url)
    edit_answer(officer, seed, "12", "The officer's words")
    result = client.post(url, {**stale, "text": "The administrator's words"})
    assert "while you were editing" in result.content.decode()
    answer.refresh_from_db()
    assert answer.text == "The officer's words"


def test_a_response_added_in_the_admin_has_an_answer_per_question_and_its_report(
    seed, client, administrator, officer, lead, director
):
    client.force_login(administrator)
    form = {
        "consultation": seed.consultation.pk,
        "organisation_name": "Anytown Council",
        "title": "Draft Response by Anytown Council",
        "team": [officer.pk],
        **REPORT_DETAILS,
        "report_title": "Response to the consultation",
        "lead_officer": lead.pk,
        "director_user": director.pk,
        "portfolio_holder_user": "",
    }
    result = client.post(reverse("admin:responses_response_add"), form)
    assert result.status_code == 302, result.content.decode()[:3000]
    created = Response.objects.get(organisation_name="Anytown Council")
    assert created.answers.count() == seed.consultation.questions.count() == 35
    assert set(created.answers.values_list("text", flat=True)) == {""}
    report = created.report
    assert (report.title, report.lead_officer, report.director_user) == (
        "Response to the consultation",
        lead,
        director,
    )
    assert report.sections.count() == len(CouncilSettings.current().headings) == 11
    assert list(created.team.all()) == [officer]


def test_staff_status_alone_does_not_open_the_admin(seed, client, lead):
    lead.is_staff = True
    lead.save()
    client.force_login(lead)
    answer = Answer.objects.get(question__number="12")
    for url in [
        reverse("admin:index"),
        reverse("admin:responses_answer_changelist"),
        reverse("admin:responses_answer_change", args=[answer.pk]),
    ]:
        result = client.get(url)
        assert result.status_code == 302, url
        assert result.url.startswith(reverse("admin:login"))


def test_a_question_or_section_never_moves_to_another_consultation(seed, client, administrator):
    other = factories.ConsultationFactory()
    question = Question.objects.get(number="12")
    client.force_login(administrator)
    url = reverse("admin:responses_question_change", args=[question.pk])
    client.post(url, {**_form_data(client, url), "consultation": other.pk})
    question.refresh_from_db()
    assert question.consultation_id == seed.consultation_id


def test_admin_history_versions_are_shown_not_reverted(seed, client, administrator):
    answer = Answer.objects.get(question__number="12")
    record = answer.history.first()
    client.force_login(administrator)
    base = reverse("admin:responses_answer_history", args=[answer.pk])
    assert client.get(f"{base}abc/").status_code == 404
    assert client.get(f"{base}{record.history_id}/").status_code == 200
    assert client.post(f"{base}{record.history_id}/", {"text": "Reverted"}).status_code == 403
    answer.refresh_from_db()
    assert answer.version == 1


def test_the_admin_offers_only_signatories_and_refuses_a_bad_choice_on_the_form(
    seed, client, administrator, officer
):
    client.force_login(administrator)
    url = reverse("admin:responses_cabinetreport_change", args=[seed.report.pk])
    form = client.get(url).context["adminform"].form
    offered = set(form.fields["director_user"].queryset)
    assert seed.report.director_user in offered
    assert not offered & {officer, administrator}
    # A crafted choice of an administrator is refused beside the field, nothing changed.
    result = client.post(url, {**_form_data(client, url), "director_user": administrator.pk})
    assert result.status_code == 200
    assert result.context["adminform"].form.errors["director_user"]
    seed.report.refresh_from_db()
    assert seed.report.director_user != administrator


def test_changing_the_director_in_the_admin_says_what_happened(seed, client, administrator, lead):
    workflow.submit(user=lead, response_id=seed.pk, confirm_gaps=True)
    successor = factories.UserFactory(
        username="successor", first_name="Sam", last_name="Patel", groups=["Executive Director"]
    )
    client.force_login(administrator)
    url = reverse("admin:responses_cabinetreport_change", args=[seed.report.pk])
    result = client.post(
        url, {**_form_data(client, url), "director_user": successor.pk}, follow=True
    )
    said = [str(m) for m in result.context["messages"]]
    assert any("Executive Director changed from" in m and "Sam Patel" in m for m in said)
    assert any("Awaiting Executive Director" in m for m in said)


def test_the_answer_form_offers_only_who_may_be_given_the_question(client, seed, administrator):
    """Anyone else would be refused by the save, after the administrator typed their change."""
    outsider = UserFactory(username="elsewhere", groups=[roles.OFFICER])
    answer = seed.answers.get(question__number="12")
    client.force_login(administrator)
    page = client.get(reverse("admin:responses_answer_change", args=[answer.pk]))
    offered = page.context["adminform"].form.fields["assignee"].queryset
    assert outsider not in offered
    assert set(offered) >= {seed.cabinet_report.lead_officer, *seed.team.all()}


@pytest.mark.parametrize(
    "path",
    [
        "/admin/responses/response/?status=%00",
        "/admin/responses/auditevent/?kind=a%00b",
        "/admin/responses/response/?q%00=x",
    ],
)
def test_a_nul_in_the_address_is_a_bad_request_not_a_server_error(client, administrator, path):
    client.force_login(administrator)
    assert client.get(path).status_code == 400


def test_a_nul_in_a_pages_filter_is_a_bad_request(client, officer, seed):
    client.force_login(officer)
    assert client.get(reverse("response", args=[seed.pk]), {"show": "\x00"}).status_code == 400
    assert client.get(reverse("response", args=[seed.pk]), {"show": "mine"}).status_code == 200


def test_an_administrator_who_is_not_a_superuser_cannot_make_one(client):
    chief = UserFactory(username="chief", groups=[roles.ADMINISTRATOR], is_staff=True)
    client.force_login(chief)
    change = reverse("admin:auth_user_change", args=[chief.pk])
    page = client.get(change)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="is_superuser"' not in html
    assert 'name="user_permissions"' not in html
    assert 'name="is_active"' in html  # what they do use is still there


def test_a_superuser_may_still_make_a_superuser(client, administrator):
    client.force_login(administrator)
    html = client.get(reverse("admin:auth_user_change", args=[administrator.pk])).content
    assert b'name="is_superuser"' in html


def _chief():
    """An Administrator who is not a superuser."""
    return UserFactory(username="chief", groups=[roles.ADMINISTRATOR], is_staff=True)


def _user_form(user, **changes) -> dict:
    """The user change form as Django renders it for `user`, with `changes`."""
    form = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "groups": [group.pk for group in user.groups.all()],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
    }
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


def test_an_administrator_who_is_not_a_superuser_cannot_make_staff_or_administrators(client):
    chief = _chief()
    officer = UserFactory(username="olivia", groups=[roles.OFFICER])
    administrators = Group.objects.get(name=roles.ADMINISTRATOR)
    client.force_login(chief)
    change = reverse("admin:auth_user_change", args=[officer.pk])
    html = client.get(change).content.decode()
    assert 'name="is_staff"' not in html
    assert f'value="{administrators.pk}"' not in html
    client.post(
        change,
        _user_form(
            officer,
            is_staff="on",
            is_superuser="on",
            groups=[administrators.pk, Group.objects.get(name=roles.LEAD_OFFICER).pk],
        ),
    )
    officer.refresh_from_db()
    assert not officer.is_staff
    assert not officer.is_superuser
    assert not officer.groups.filter(name=roles.ADMINISTRATOR).exists()


def test_an_administrator_may_still_give_an_officer_a_role(client):
    chief = _chief()
    officer = UserFactory(username="olivia", groups=[roles.OFFICER])
    lead = Group.objects.get(name=roles.LEAD_OFFICER)
    client.force_login(chief)
    change = reverse("admin:auth_user_change", args=[officer.pk])
    reply = client.post(change, _user_form(officer, groups=[lead.pk]))
    assert reply.status_code == 302
    assert list(officer.groups.values_list("name", flat=True)) == [roles.LEAD_OFFICER]


def test_an_administrator_who_is_not_a_superuser_cannot_change_another_administrators_roles(
    client,
):
    chief = _chief()
    other = UserFactory(username="deputy", groups=[roles.ADMINISTRATOR], is_staff=True)
    client.force_login(chief)
    change = reverse("admin:auth_user_change", args=[other.pk])
    client.post(change, _user_form(other, groups=[]))
    assert other.groups.filter(name=roles.ADMINISTRATOR).exists()


def test_an_administrator_who_is_not_a_superuser_cannot_touch_a_superuser(client, administrator):
    chief = _chief()
    client.force_login(chief)
    for name in ("auth_user_change", "auth_user_password_change", "auth_user_deactivate"):
        url = reverse(f"admin:{name}", args=[administrator.pk])
        assert (
            client.post(
                url, {"password1": "x9-Long-enough", "password2": "x9-Long-enough"}
            ).status_code
            == 403
        )
    administrator.refresh_from_db()
    assert administrator.is_active
    assert not administrator.check_password("x9-Long-enough")


def test_an_administrator_who_is_not_a_superuser_cannot_widen_a_roles_permissions(client):
    from django.contrib.auth.models import Permission

    client.force_login(_chief())
    officers = Group.objects.get(name=roles.OFFICER)
    administer = Permission.objects.get(codename="administer")
    change = reverse("admin:auth_group_change", args=[officers.pk])
    assert 'name="permissions"' not in client.get(change).content.decode()
    client.post(change, {"name": officers.name, "permissions": [administer.pk]})
    assert not officers.permissions.filter(pk=administer.pk).exists()
    client.post(
        reverse("admin:auth_group_add"), {"name": "Deputies", "permissions": [administer.pk]}
    )
    assert not Permission.objects.filter(group__name="Deputies").exists()


def test_an_administrator_who_is_not_a_superuser_cannot_rename_or_delete_the_administrators(
    client,
):
    client.force_login(_chief())
    administrators = Group.objects.get(name=roles.ADMINISTRATOR)
    change = reverse("admin:auth_group_change", args=[administrators.pk])
    assert client.post(change, {"name": "Gone"}).status_code == 403
    delete = reverse("admin:auth_group_delete", args=[administrators.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Group.objects.filter(name=roles.ADMINISTRATOR).exists()


@pytest.mark.parametrize(
    "path",
    [
        "/admin/responses/answer/?response__exact=99999999999999999999",
        "/admin/responses/question/?consultation=99999999999999999999",
        "/admin/auth/user/?groups=99999999999999999999",
    ],
)
def test_a_number_too_big_for_the_database_in_a_filter_is_never_a_500(client, administrator, path):
    """PostgreSQL finds no such row (an empty list); SQLite cannot compare so wide a
    number, and the admin's "?e=1" note says the filter was wrong."""
    client.force_login(administrator)
    reply = client.get(path)
    if connection.vendor == "sqlite":
        assert reply.status_code == 302
        assert reply["Location"].endswith("?e=1")
    else:
        assert reply.status_code == 200
        assert "0 " in reply.content.decode()


@pytest.mark.parametrize("role", [roles.OFFICER, roles.LEAD_OFFICER, roles.PORTFOLIO_HOLDER])
def test_an_administrator_who_is_not_a_superuser_cannot_rename_or_delete_a_role(client, role):
    """Consult finds its roles by name: a renamed role would quietly empty the teams."""
    client.force_login(_chief())
    group = Group.objects.get(name=role)
    assert (
        client.post(
            reverse("admin:auth_group_change", args=[group.pk]), {"name": "Renamed"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Group.objects.filter(name=role).exists()


def test_an_administrator_may_still_make_and_rename_a_group_of_their_own(client):
    client.force_login(_chief())
    client.post(reverse("admin:auth_group_add"), {"name": "Housing team"})
    housing = Group.objects.get(name="Housing team")
    client.post(reverse("admin:auth_group_change", args=[housing.pk]), {"name": "Homes team"})
    housing.refresh_from_db()
    assert housing.name == "Homes team"


def test_a_superusers_page_tells_an_administrator_why_it_is_read_only(client, administrator):
    client.force_login(_chief())
    html = client.get(reverse("admin:auth_user_change", args=[administrator.pk])).content.decode()
    assert "Only a superuser can change this account" in html
    assert "Reset password" not in html
    assert "use Deactivate at the top" not in html


def test_the_locked_fields_say_who_may_change_them(client):
    client.force_login(_chief())
    officer = UserFactory(username="olivia", groups=[roles.OFFICER])
    html = client.get(reverse("admin:auth_user_change", args=[officer.pk])).content.decode()
    assert "Only a superuser can change Staff status" in html
    assert "Reset password" in html


def test_an_administrator_who_is_not_a_superuser_cannot_take_over_another(client):
    chief = _chief()
    deputy = UserFactory(username="deputy", groups=[roles.ADMINISTRATOR], is_staff=True)
    client.force_login(chief)
    password = {"password1": "x9-Long-enough", "password2": "x9-Long-enough"}
    assert (
        client.post(
            reverse("admin:auth_user_password_change", args=[deputy.pk]), password
        ).status_code
        == 403
    )
    assert client.post(reverse("admin:auth_user_deactivate", args=[deputy.pk])).status_code == 403
    assert (
        client.post(
            reverse("admin:auth_user_delete", args=[deputy.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "deactivate_selected", "_selected_action": [deputy.pk]},
    )
    deputy.refresh_from_db()
    assert deputy.is_active
    assert not deputy.check_password("x9-Long-enough")


def test_an_administrator_may_still_change_their_own_name_and_password(client):
    chief = _chief()
    client.force_login(chief)
    password = {"password1": "x9-Long-enough", "password2": "x9-Long-enough"}
    client.post(reverse("admin:auth_user_password_change", args=[chief.pk]), password)
    chief.refresh_from_db()
    assert chief.check_password("x9-Long-enough")


def test_an_administrator_who_is_not_a_superuser_may_unlock_a_locked_out_sign_in(client):
    client.force_login(_chief())
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200
