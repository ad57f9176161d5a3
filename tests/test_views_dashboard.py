"""The dashboard at `/`: the consultations in hand, and what is assigned to me."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from responses import roles
from responses.models import Answer
from tests.factories import (
    AnswerFactory,
    CabinetReportFactory,
    ConsultationFactory,
    ResponseFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("dashboard")


def test_officer_sees_the_seed_consultation_with_its_progress(client, officer, seed):
    client.force_login(officer)
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Local Strategic Partnerships: Shaping their future" in html
    assert "30 of 35 answered, 0 agreed" in html
    assert "3 March 2006" in html  # response deadline
    assert "1 March 2006" in html  # Cabinet meeting
    assert "Drafting" in html


@pytest.mark.parametrize(
    ("persona", "starts_consultations"),
    [("officer", False), ("lead", True), ("director", False), ("portfolio_holder", False)],
)
def test_every_role_sees_the_response_and_only_the_lead_may_start_a_consultation(
    client, request, persona, starts_consultations, seed
):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Local Strategic Partnerships: Shaping their future" in html
    assert "30 of 35 answered, 0 agreed" in html
    assert f'href="{reverse("response", args=[seed.pk])}"' in html
    assert (reverse("new_consultation") in html) == starts_consultations


def test_user_in_no_role_is_refused(client, outsider, seed):
    client.force_login(outsider)
    page = client.get(URL)
    assert page.status_code == 403
    assert b"Local Strategic Partnerships" not in page.content


def test_days_left_to_the_deadline_and_the_meeting(client, officer):
    today = timezone.localdate()
    consultation = ConsultationFactory(responses_due_by=today + datetime.timedelta(days=12))
    CabinetReportFactory(
        response__consultation=consultation, meeting_date=today + datetime.timedelta(days=5)
    )
    client.force_login(officer)
    html = client.get(URL).content.decode()
    assert "(12 days left)" in html
    assert "(5 days left)" in html


@pytest.mark.parametrize(
    ("days", "said"),
    [
        (1500, '<span class="days-left">(1,500 days left)</span>'),
        (8, '<span class="days-left">(8 days left)</span>'),
        (7, '<span class="days-left days-left-soon">(7 days left)</span>'),
        (1, '<span class="days-left days-left-soon">(tomorrow)</span>'),
        (0, '<span class="days-left days-left-soon">(today)</span>'),
        (-1, '<span class="days-left days-left-past">(yesterday)</span>'),
        (-1500, '<span class="days-left days-left-past">(1,500 days ago)</span>'),
    ],
)
def test_days_left_are_said_in_words_and_marked_soon_within_a_week(client, officer, days, said):
    due = timezone.localdate() + datetime.timedelta(days=days)
    ResponseFactory(consultation__responses_due_by=due)
    client.force_login(officer)
    html = client.get(URL).content.decode()
    assert f"{due:%-d %B %Y}\n{said}" in html


def test_a_cached_card_counts_the_days_from_the_day_it_is_kept_for():
    from responses.fragments import ResponseCard, render_response_card

    card = ResponseCard(
        pk=1,
        consultation_title="Local Strategic Partnerships",
        title="Draft Response",
        issued_by="ODPM",
        due=datetime.date(2006, 3, 3),
        status="drafting",
        meeting_body="Cabinet",
        meeting_date=datetime.date(2006, 3, 1),
        total=35,
        answered=30,
        agreed=0,
        publication="",
        exempt_paragraph=None,
        working_days=7,
        today=datetime.date(2006, 3, 2),
    )
    html = render_response_card(card)
    assert '3 March 2006\n<span class="days-left days-left-soon">(tomorrow)</span>' in html
    assert '1 March 2006\n<span class="days-left days-left-past">(yesterday)</span>' in html
    assert "The report deadline for Cabinet on 1 March 2006 was 20 February 2006." in html


def test_a_card_shown_before_follows_what_changed_since(client, officer, seed):
    client.force_login(officer)
    assert "30 of 35 answered, 0 agreed" in client.get(URL).content.decode()
    Answer.objects.filter(response=seed, question__number="1").update(status=Answer.Status.AGREED)
    seed.consultation.title = "Shaping their future, again"
    seed.consultation.save()
    html = client.get(URL).content.decode()
    assert "30 of 35 answered, 1 agreed" in html
    assert "Shaping their future, again" in html


def test_a_passed_deadline_says_how_long_ago(client, officer):
    ResponseFactory(
        consultation__responses_due_by=timezone.localdate() - datetime.timedelta(days=3)
    )
    client.force_login(officer)
    assert "(3 days ago)" in client.get(URL).content.decode()


def test_a_consultation_without_a_response_is_not_in_hand(client, officer):
    ConsultationFactory(title="Not yet taken up")
    client.force_login(officer)
    assert "Not yet taken up" not in client.get(URL).content.decode()


def test_progress_counts_answered_and_agreed(client, officer):
    response = ResponseFactory()
    AnswerFactory(response=response, text="Done", status=Answer.Status.AGREED)
    AnswerFactory(response=response, text="Nearly", status=Answer.Status.READY_FOR_REVIEW)
    AnswerFactory(response=response, text="", status=Answer.Status.NOT_STARTED)
    client.force_login(officer)
    assert "2 of 3 answered, 1 agreed" in client.get(URL).content.decode()


def test_my_assigned_questions_are_listed_and_only_mine(client, officer, lead):
    mine = AnswerFactory(assignee=officer, question__number="7")
    AnswerFactory(assignee=lead, response=mine.response, question__number="8")
    client.force_login(officer)
    html = client.get(URL).content.decode()
    assert "Question 7" in html
    assert "Question 8" not in html


def _consultations_in_hand(count: int, officer) -> None:
    for _ in range(count):
        report = CabinetReportFactory()
        for _ in range(3):
            AnswerFactory(response=report.response, assignee=officer)


@pytest.mark.parametrize("consultations", [1, 20])
def test_dashboard_query_count_does_not_grow_with_consultations(
    client, officer, django_assert_num_queries, consultations
):
    _consultations_in_hand(consultations, officer)
    client.force_login(officer)
    # session, user, the user's permissions (own and through groups), the council's
    # settings (the report deadline's working days, once for every card), responses with
    # consultation, report and answer counts, those sent to government, those awaiting
    # my signature, my assigned answers. No answer is counted: each response keeps its
    # counts (responses/models/counts.py).
    with django_assert_num_queries(9):
        assert client.get(URL).status_code == 200


@pytest.mark.parametrize("consultations", [1, 20])
def test_the_administrators_dashboard_query_count_does_not_grow_with_consultations(
    client, officer, administrator, django_assert_num_queries, consultations
):
    _consultations_in_hand(consultations, officer)
    client.force_login(administrator)
    # session, user, the council's settings, the responses in hand with their counts,
    # those sent, those awaiting my signature, my assigned answers (an administrator has
    # every permission without asking the database).
    with django_assert_num_queries(7):
        html = client.get(URL).content.decode()
    assert html.count("3 of 3 answered, 0 agreed") == consultations


def test_the_card_follows_a_save_in_the_editor_and_a_step_over_a_selection(
    client, seed, lead, administrator
):
    client.force_login(administrator)
    assert "30 of 35 answered, 0 agreed" in client.get(URL).content.decode()
    empty = Answer.objects.filter(response=seed, text="").order_by("question__position").first()
    client.force_login(lead)
    edited = client.post(
        reverse("answer_edit", args=[seed.pk, empty.question.number]),
        {"text": "Words at last.", "status": "drafting", "assignee": "", "version": 1},
    )
    assert edited.status_code == 302
    chosen = Answer.objects.filter(response=seed).exclude(text="").order_by("pk")[:2]
    agreed = client.post(
        reverse("answers_bulk", args=[seed.pk]),
        {"answer": [f"{a.pk}:{a.version}" for a in chosen], "action": "agree"},
    )
    assert agreed.status_code == 302
    client.force_login(administrator)
    assert "31 of 35 answered, 2 agreed" in client.get(URL).content.decode()


def test_a_signatory_sees_what_awaits_their_signature(client, signing, lead, director):
    from responses import workflow

    workflow.submit(user=lead, response_id=signing.pk, confirm_gaps=True)
    client.force_login(director)
    html = client.get(URL).content.decode()
    assert "Awaiting your sign-off" in html
    assert reverse("sign_off", args=[signing.pk]) in html
    client.force_login(lead)
    assert "Awaiting your sign-off" not in client.get(URL).content.decode()


def test_an_officer_on_no_team_is_told_how_to_join_one(client, seed):
    stranger = UserFactory(username="stranger", groups=[roles.OFFICER])
    client.force_login(stranger)
    html = client.get(URL).content.decode()
    assert "not on the team of any response" in html
    assert seed.consultation.title not in html


def _meet_after_closing(seed) -> None:
    """The seed's Cabinet moved to Monday 6 March 2006, after the consultation closes."""
    seed.report.meeting_date = datetime.date(2006, 3, 6)
    seed.report.save()


def test_the_card_shows_the_report_deadline_in_working_days(client, officer, seed):
    client.force_login(officer)
    html = client.get(URL).content.decode()
    assert "Report deadline" in html
    assert "20 February 2006" in html  # 7 working days before Wednesday 1 March
    assert "7 working days before Cabinet" in html


def test_the_councils_setting_moves_the_report_deadline_on_the_dashboard(client, officer, seed):
    from responses.models import CouncilSettings

    settings = CouncilSettings.load()
    settings.report_deadline_working_days = 10
    settings.save()
    client.force_login(officer)
    html = client.get(URL).content.decode()
    assert "15 February 2006" in html
    assert "10 working days before Cabinet" in html


def test_the_seed_warns_that_its_report_deadline_has_passed(client, officer, seed):
    client.force_login(officer)
    html = client.get(URL).content.decode()
    assert "Check the dates" in html
    assert "The report deadline for Cabinet on 1 March 2006 was 20 February 2006." in html
    assert "after the consultation closes" not in html  # 1 March is before 3 March


def test_a_meeting_after_the_closing_date_is_warned_on_the_card(client, officer, seed):
    _meet_after_closing(seed)
    client.force_login(officer)
    html = client.get(URL).content.decode()
    assert (
        "Cabinet meets on 6 March 2006, after the consultation closes on 3 March 2006: "
        "the response cannot be agreed in time." in html
    )
    assert "The report deadline for Cabinet on 6 March 2006 was 23 February 2006." in html


def test_a_chain_in_good_time_has_no_warning(client, officer):
    CabinetReportFactory()  # meets in 20 days, closes in 30
    client.force_login(officer)
    html = client.get(URL).content.decode()
    assert "Report deadline" in html
    assert "Check the dates" not in html


def test_a_signed_off_response_is_not_warned(client, officer, seed):
    _meet_after_closing(seed)
    seed.status = seed.Status.SIGNED_OFF
    seed.save()
    client.force_login(officer)
    html = client.get(URL).content.decode()
    assert "Report deadline" in html
    assert "Check the dates" not in html


def test_a_response_without_a_report_has_no_report_deadline(client, officer):
    response = ResponseFactory()
    client.force_login(officer)
    html = client.get(URL).content.decode()
    assert response.consultation.title in html
    assert "Report deadline" not in html


def _lead_desk(count: int, lead, director) -> None:
    """`count` papers led by `lead`: one answer ready for review in each drafting one,
    one paper returned by the director, the rest awaiting the director."""
    from responses import workflow
    from responses.models import Response

    for index in range(count):
        report = CabinetReportFactory(lead_officer=lead, director_user=director)
        response = report.response
        AnswerFactory(response=response, status=Answer.Status.READY_FOR_REVIEW, text="Words")
        if index == 0:
            continue
        Response.objects.filter(pk=response.pk).update(
            status=Response.Status.AWAITING_DIRECTOR, submission_round=1
        )
        if index == 1:
            workflow.return_for_changes(
                user=director, response_id=response.pk, comment="Say more about money."
            )


def test_the_leads_desk_shows_reviews_returns_and_waits(client, lead, director):
    _lead_desk(3, lead, director)
    client.force_login(lead)

    html = client.get(URL).content.decode()

    desk = html[html.index("Your desk") : html.index("Assigned to me")]
    assert "Returned to you" in desk
    assert "Say more about money." in desk
    assert "Ready for your review (2)" in desk  # the two drafting papers; not the one awaiting
    assert "With the signatories" in desk
    assert "awaiting the Executive Director" in desk


def test_officers_have_no_desk(client, officer, seed):
    client.force_login(officer)
    assert "Your desk" not in client.get(URL).content.decode()


@pytest.mark.parametrize("papers", [2, 12])
def test_the_leads_dashboard_query_count_does_not_grow_with_papers(
    client, lead, director, django_assert_num_queries, papers
):
    _lead_desk(papers, lead, director)
    client.force_login(lead)
    # As an officer's (9), and the desk: the first answers ready for review and how many,
    # returns and the open comments they pointed at answers, papers with the signatories.
    with django_assert_num_queries(14):
        assert client.get(URL).status_code == 200


def test_a_response_sent_to_government_is_listed_as_sent_not_in_hand(client, officer, seed):
    Answer.objects.filter(response=seed, question__number="28").update(assignee=officer)
    seed.sent_to_government_on = datetime.date(2006, 3, 2)
    seed.save()
    client.force_login(officer)
    html = client.get(URL).content.decode()
    assert f'id="response-{seed.pk}-title"' not in html
    assert "No consultation is in hand" in html
    assert "Sent to government" in html
    assert f'href="/responses/{seed.pk}/"' in html
    assert "sent on 2 March 2006" in html
    assert "No questions are assigned to you." in html


def test_an_empty_dashboard_shows_an_administrator_where_to_set_up_a_consultation(
    client, administrator
):
    client.force_login(administrator)
    html = client.get(reverse("dashboard")).content.decode()
    assert "No consultations yet" in html
    assert f'href="{reverse("new_consultation")}">Set one up' in html


@pytest.mark.parametrize("who", ["administrator", "director", "portfolio_holder"])
def test_people_who_are_never_given_questions_see_no_assigned_to_me(client, request, who):
    client.force_login(request.getfixturevalue(who))

    html = client.get(reverse("dashboard")).content.decode()

    assert "Assigned to me" not in html
    assert "No questions are assigned to you." not in html


@pytest.mark.parametrize("who", ["officer", "lead"])
def test_people_who_draft_see_what_is_assigned_to_them_even_when_nothing_is(client, request, who):
    client.force_login(request.getfixturevalue(who))

    html = client.get(reverse("dashboard")).content.decode()

    assert "No questions are assigned to you." in html
