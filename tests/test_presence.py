"""Who is here: the editor's heartbeat, the line above the editor, the response page's marks."""

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from responses import presence, roles
from responses.gate import open_response
from responses.models import Answer, Presence
from tests.factories import UserFactory, response_with_questions
from tests.html import text

pytestmark = pytest.mark.django_db

WINDOW = "window0001"


def beat_url(response, number="12") -> str:
    return reverse("presence", args=[response.pk, number])


def beat(client, response, number="12", window=WINDOW, **extra):
    return client.post(beat_url(response, number), {"window": window, **extra})


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def named(user, first: str, last: str):
    user.first_name, user.last_name = first, last
    user.save()
    return user


def test_a_first_beat_says_nobody_else_is_here_and_records_the_window(client, officer, seed):
    client.force_login(officer)
    result = beat(client, seed)
    assert result.status_code == 200
    assert result.json() == {"text": "", "people": []}
    row = Presence.objects.get()
    assert (row.user, row.window, row.answer.question.number) == (officer, WINDOW, "12")


def test_a_beat_names_who_else_has_the_answer_open_and_since_when(officer, lead, seed):
    named(lead, "Jane", "Smith")
    beat(signed_in(lead), seed, window="leadwindow")
    result = beat(signed_in(officer), seed)
    since = timezone.localtime(Presence.objects.get(user=lead).since).strftime("%H:%M")
    assert result.json()["text"] == f"Also open by: Jane Smith (since {since})"
    assert result.json()["people"] == [{"name": "Jane Smith", "since": since, "you": False}]


def test_your_own_other_window_is_you_in_another_window(officer, seed):
    beat(signed_in(officer), seed, window="firstwindow")
    result = beat(signed_in(officer), seed, window="secondwindow")
    assert result.json()["text"].startswith("Also open by: you, in another window (since ")
    assert officer.get_full_name() not in result.json()["text"]


def test_someone_on_another_answer_is_not_named(officer, lead, seed):
    beat(signed_in(lead), seed, number="11", window="leadwindow")
    assert beat(signed_in(officer), seed).json()["text"] == ""


def test_a_window_not_seen_for_a_minute_is_gone(officer, lead, seed):
    beat(signed_in(lead), seed, window="leadwindow")
    a_minute_ago = timezone.now() - datetime.timedelta(seconds=61)
    Presence.objects.filter(user=lead).update(last_seen=a_minute_ago)
    assert beat(signed_in(officer), seed).json()["text"] == ""


def test_a_leaving_beat_removes_the_window_at_once(officer, lead, seed):
    lead_client = signed_in(lead)
    beat(lead_client, seed, window="leadwindow")
    assert beat(lead_client, seed, window="leadwindow", leaving="1").status_code == 204
    assert not Presence.objects.filter(user=lead).exists()
    assert beat(signed_in(officer), seed).json()["text"] == ""


def test_a_leaving_beat_removes_only_that_persons_window(officer, lead, seed):
    beat(signed_in(lead), seed, window="samewindow")
    beat(signed_in(officer), seed, window="samewindow", leaving="1")
    assert Presence.objects.filter(user=lead).exists()


def access_for(user, response):
    return open_response(user, response.pk)


def test_a_beat_within_ten_seconds_of_the_last_write_writes_nothing(
    officer, seed, django_assert_num_queries
):
    access = access_for(officer, seed)
    start = timezone.now()
    presence.heartbeat(access, number="12", window=WINDOW, now=start)
    # The answer's rows (which say who else is here, and that this window is): no write.
    with django_assert_num_queries(1):
        presence.heartbeat(
            access, number="12", window=WINDOW, now=start + datetime.timedelta(seconds=5)
        )
    assert Presence.objects.get().last_seen == start


def test_a_later_beat_updates_the_window_with_one_write(officer, seed, django_assert_num_queries):
    access = access_for(officer, seed)
    start = timezone.now()
    presence.heartbeat(access, number="12", window=WINDOW, now=start)
    later = start + datetime.timedelta(seconds=20)
    # The answer's rows, and one UPDATE.
    with django_assert_num_queries(2):
        presence.heartbeat(access, number="12", window=WINDOW, now=later)
    row = Presence.objects.get()
    assert (row.since, row.last_seen) == (start, later)


def test_a_window_hidden_for_minutes_comes_back_as_the_same_row(officer, seed):
    access = access_for(officer, seed)
    start = timezone.now()
    presence.heartbeat(access, number="12", window=WINDOW, now=start)
    back = start + datetime.timedelta(minutes=5)
    presence.heartbeat(access, number="12", window=WINDOW, now=back)
    row = Presence.objects.get()
    assert (row.since, row.last_seen) == (start, back)


def test_a_new_window_prunes_rows_a_day_old(officer, lead, seed):
    answer = Answer.objects.get(response=seed, question__number="11")
    old = timezone.now() - datetime.timedelta(days=1, minutes=1)
    Presence.objects.create(
        response=seed, answer=answer, user=lead, window="oldwindow", since=old, last_seen=old
    )
    beat(signed_in(officer), seed)
    assert list(Presence.objects.values_list("window", flat=True)) == [WINDOW]


def test_a_beat_is_a_post(client, officer, seed):
    client.force_login(officer)
    assert client.get(beat_url(seed)).status_code == 405


def test_a_beat_without_the_csrf_token_is_refused(officer, seed):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    assert beat(client, seed).status_code == 403
    assert not Presence.objects.exists()


def test_a_beat_with_the_csrf_token_in_the_form_body_counts(officer, seed):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    page = client.get(reverse("answer_edit", args=[seed.pk, "12"])).content.decode()
    token = page.split('data-csrf="')[1].split('"')[0]
    result = client.post(beat_url(seed), {"window": WINDOW, "csrfmiddlewaretoken": token})
    assert result.status_code == 200


def test_a_beat_needs_a_sign_in(client, seed):
    result = beat(client, seed)
    assert result.status_code == 302
    assert "/login/" in result["Location"]


def test_an_officer_on_another_team_is_told_there_is_no_such_response(seed):
    elsewhere = UserFactory(username="elsewhere", groups=[roles.OFFICER])
    assert beat(signed_in(elsewhere), seed).status_code == 404
    assert not Presence.objects.exists()


@pytest.mark.parametrize("number", ["999", "12a", "0"])
def test_a_question_the_response_does_not_have_is_not_found(client, officer, seed, number):
    client.force_login(officer)
    assert beat(client, seed, number=number).status_code == 404
    assert not Presence.objects.exists()


@pytest.mark.parametrize("window", ["", "short", "x" * 33, "has space!", "<script>"])
def test_a_window_id_the_script_did_not_make_is_refused(client, officer, seed, window):
    client.force_login(officer)
    result = beat(client, seed, window=window)
    assert result.status_code == 400
    assert "error" in json.loads(result.content)
    assert not Presence.objects.exists()


def test_a_signatory_reading_the_answer_counts_as_here(director, officer, seed):
    beat(signed_in(director), seed, window="directorwin")
    assert director.get_full_name() in beat(signed_in(officer), seed).json()["text"]


def test_the_editor_names_who_is_here_before_anyone_types(officer, lead, seed):
    named(lead, "Jane", "Smith")
    beat(signed_in(lead), seed, window="leadwindow")
    page = signed_in(officer).get(reverse("answer_edit", args=[seed.pk, "12"])).content.decode()
    since = timezone.localtime(Presence.objects.get(user=lead).since).strftime("%H:%M")
    assert f"Also open by: Jane Smith (since {since})" in text(page)
    assert 'id="presence" class="presence" aria-live="polite"' in page


def test_the_editor_says_nothing_when_nobody_else_is_here(client, officer, seed):
    client.force_login(officer)
    page = client.get(reverse("answer_edit", args=[seed.pk, "12"])).content.decode()
    assert "Also open by" not in page


def test_a_name_is_escaped_where_it_is_shown(officer, lead, seed):
    named(lead, "<b>Jane</b>", "Smith")
    beat(signed_in(lead), seed, window="leadwindow")
    page = signed_in(officer).get(reverse("answer_edit", args=[seed.pk, "12"])).content.decode()
    assert "&lt;b&gt;Jane&lt;/b&gt; Smith" in page
    listing = signed_in(officer).get(reverse("response", args=[seed.pk])).content.decode()
    assert "<b>Jane</b>" not in listing


def test_the_response_page_marks_answers_open_elsewhere(officer, lead, seed):
    named(lead, "Jane", "Smith")
    beat(signed_in(lead), seed, number="12", window="leadwindow")
    beat(signed_in(officer), seed, number="3", window="officerwin")
    page = text(signed_in(officer).get(reverse("response", args=[seed.pk])).content.decode())
    # The officer's own editor is not "open elsewhere": they left it for this page.
    assert page.count("Open now by") == 1
    assert "Open now by Jane Smith" in page


def test_the_response_pages_queries_do_not_grow_with_people_here(
    client, officer, lead, django_assert_num_queries
):
    response = response_with_questions(35)
    response.team.add(officer)
    answers = list(Answer.objects.filter(response=response)[:10])
    people = [UserFactory(groups=[roles.OFFICER]) for _ in range(5)]
    Presence.objects.bulk_create(
        Presence(response=response, answer=a, user=p, window=f"window{a.pk}x{p.pk}")
        for a in answers
        for p in people
    )
    client.force_login(officer)
    # As tests/test_views_response.py pins it (10): the last query reads everyone here.
    with django_assert_num_queries(10):
        page = client.get(reverse("response", args=[response.pk])).content.decode()
    assert text(page).count("Open now by") == 10


def test_a_new_windows_beat_looks_up_its_answer_prunes_and_adds_its_row(
    officer, seed, django_assert_num_queries
):
    access = access_for(officer, seed)
    # The answer's rows (none from this window), the answer's id, the prune, the
    # person's windows past the most kept (none here, so nothing deleted), the INSERT.
    with django_assert_num_queries(5):
        presence.heartbeat(access, number="12", window=WINDOW)
    assert Presence.objects.count() == 1


def test_a_question_of_another_response_is_not_found_even_with_rows_there(officer, lead, seed):
    other = response_with_questions(12)
    other.team.add(officer)
    beat(signed_in(officer), other, number="12", window="otherwindow")
    assert beat(signed_in(officer), seed, number="99").status_code == 404


def test_several_people_on_one_answer_are_listed_in_the_order_they_came(
    officer, lead, portfolio_holder, seed
):
    named(lead, "Jane", "Smith")
    beat(signed_in(lead), seed, window="leadwindow")
    beat(signed_in(officer), seed, window="officerwin1")
    reply = beat(signed_in(officer), seed, window="officerwin2").json()["text"]
    assert reply.startswith("Also open by: Jane Smith (since ")
    assert "; you, in another window (since " in reply
    beat(signed_in(portfolio_holder), seed, window="portfoliowin")
    page = text(signed_in(officer).get(reverse("response", args=[seed.pk])).content.decode())
    assert f"Open now by Jane Smith and {portfolio_holder.get_full_name()}" in page


def test_a_beat_does_not_keep_an_idle_session_signed_in(client, officer, seed):
    from consult.sessions import TOUCHED

    client.force_login(officer)
    session = client.session
    session[TOUCHED] = 1  # long ago
    session.save()
    beat(client, seed)
    assert client.session[TOUCHED] == 1
    client.get(reverse("answer_edit", args=[seed.pk, "12"]))  # the reader's own request
    assert client.session[TOUCHED] > 1


def test_a_tab_that_moved_on_is_not_another_window_to_itself(officer, seed):
    beat(signed_in(officer), seed, window="beforesave")
    reply = beat(signed_in(officer), seed, window="aftersave", replaces="beforesave").json()
    assert reply["text"] == ""
    assert list(Presence.objects.values_list("window", flat=True)) == ["aftersave"]


def test_the_editor_is_drawn_naming_only_others_until_its_own_beat(officer, lead, seed):
    named(lead, "Jane", "Smith")
    beat(signed_in(lead), seed, window="leadwindow")
    beat(signed_in(officer), seed, window="beforesave")
    page = text(
        signed_in(officer).get(reverse("answer_edit", args=[seed.pk, "12"])).content.decode()
    )
    assert "Also open by: Jane Smith (since " in page
    assert "another window" not in page


def test_new_window_ids_for_ever_keep_at_most_five_rows_a_person(officer, lead, seed):
    beat(signed_in(lead), seed, window="leadwindow")
    client = signed_in(officer)
    for n in range(12):
        beat(client, seed, window=f"flooding{n:02d}")
    assert Presence.objects.filter(user=officer).count() == presence.MOST_WINDOWS
    assert Presence.objects.filter(user__username="lead").count() == 1
