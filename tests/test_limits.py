"""Per-person limits (responses/limits.py): past one, a request does nothing and is
answered 429 saying how long to wait; another person is unaffected; the count
starts again when its window ends."""

import time

import django_ratelimit.core
import pytest
from django.urls import reverse

from responses.models import Answer, Comment, Presence
from tests.factories import ReportSectionFactory

pytestmark = pytest.mark.django_db

LIMIT = 3


class Clock:
    """django-ratelimit's clock, moved on by hand: a count's window ends."""

    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(django_ratelimit.core, "time", clock)
    return clock


@pytest.fixture(autouse=True)
def _low_limits(settings):
    settings.PREVIEWS_PER_MINUTE = LIMIT
    settings.SAVES_PER_MINUTE = LIMIT
    settings.COMMENTS_PER_MINUTE = LIMIT
    settings.HEARTBEATS_PER_MINUTE = LIMIT


@pytest.fixture
def paper(staffed):
    return staffed(3)


def preview(client, paper, text="Some *words*."):
    return client.post(reverse("preview", args=[paper.pk]), {"text": text}, HTTP_HX_REQUEST="true")


def save(client, paper, text, number="1"):
    current = Answer.objects.get(response=paper, question__number=number)
    return client.post(
        reverse("answer_edit", args=[paper.pk, number]),
        {"text": text, "status": "drafting", "assignee": "", "version": current.version},
        HTTP_REFERER=f"http://testserver{reverse('answer_edit', args=[paper.pk, number])}",
    )


def test_a_preview_past_the_limit_is_a_calm_429_fragment(client, officer, paper, clock):
    client.force_login(officer)
    assert [preview(client, paper).status_code for _ in range(LIMIT)] == [200] * LIMIT
    refused = preview(client, paper)
    assert refused.status_code == 429
    html = refused.content.decode()
    wait = int(refused["Retry-After"])
    assert 1 <= wait <= 60
    said = (
        "You are previewing faster than Consult can keep up: "
        f"the preview comes back in {wait} second"
    )
    assert html.count(said) == 2  # shown, and said in the editor's live region
    assert 'id="preview-note" aria-live="polite" hx-swap-oob="true"' in html
    assert "<em>words</em>" not in html  # nothing was rendered
    assert "<html" not in html  # a fragment for the editor, not a page


def test_the_next_preview_empties_the_editors_live_region(client, officer, paper, clock):
    client.force_login(officer)
    page = client.get(reverse("answer_edit", args=[paper.pk, "1"])).content.decode()
    assert page.count('id="preview-note"') == 1
    html = preview(client, paper).content.decode()
    emptied = (
        '<p id="preview-note" aria-live="polite" hx-swap-oob="true" class="visually-hidden"></p>'
    )
    assert emptied in html


def test_another_person_previews_while_one_is_refused(client, officer, lead, paper, clock):
    client.force_login(officer)
    for _ in range(LIMIT + 1):
        preview(client, paper)
    client.force_login(lead)
    assert preview(client, paper).status_code == 200


def test_the_preview_limit_starts_again_after_its_minute(client, officer, paper, clock):
    client.force_login(officer)
    for _ in range(LIMIT + 1):
        preview(client, paper)
    assert preview(client, paper).status_code == 429
    clock.now += 61
    assert preview(client, paper).status_code == 200


def test_a_save_past_the_limit_saves_nothing_and_shows_the_words(client, officer, paper, clock):
    client.force_login(officer)
    for n in range(LIMIT):
        assert save(client, paper, f"Version {n}.").status_code == 302
    before = Answer.objects.get(response=paper, question__number="1")
    refused = save(client, paper, "My <careful> words, typed at length.")
    assert refused.status_code == 429
    after = Answer.objects.get(response=paper, question__number="1")
    assert (after.text, after.version) == (before.text, before.version)
    html = refused.content.decode()
    assert "nothing was saved or sent" in html
    assert "My &lt;careful&gt; words, typed at length.</textarea>" in html
    assert f'href="http://testserver{reverse("answer_edit", args=[paper.pk, "1"])}"' in html


def test_a_comment_past_the_limit_is_not_made(client, officer, paper, clock):
    client.force_login(officer)
    url = reverse("answer_comments", args=[paper.pk, "1"])
    for n in range(LIMIT):
        assert client.post(url, {"comment-body": f"Point {n}"}).status_code == 302
    refused = client.post(url, {"comment-body": "One point too many"})
    assert refused.status_code == 429
    assert Comment.objects.count() == LIMIT
    assert "One point too many</textarea>" in refused.content.decode()


def test_a_heartbeat_past_the_limit_is_json_and_records_nothing(client, officer, paper, clock):
    client.force_login(officer)
    url = reverse("presence", args=[paper.pk, "1"])
    for n in range(LIMIT):
        assert client.post(url, {"window": f"window000{n}"}).status_code == 200
    refused = client.post(url, {"window": "window0009"})
    assert refused.status_code == 429
    assert refused.json() == {"error": "Too many heartbeats: wait a moment."}
    assert not Presence.objects.filter(window="window0009").exists()


def test_a_section_save_past_the_limit_saves_nothing(client, lead, paper, clock):
    section = ReportSectionFactory(report=paper.report)
    client.force_login(lead)
    url = reverse("section_edit", args=[paper.pk, section.pk])

    def post(body):
        section.refresh_from_db()
        data = {"heading": section.heading, "text": body, "version": section.version}
        return client.post(url, data)

    for n in range(LIMIT):
        assert post(f"Body {n}").status_code == 302
    refused = post("A body too many")
    assert refused.status_code == 429
    section.refresh_from_db()
    assert section.body == f"Body {LIMIT - 1}"


def test_mentions_past_the_hourly_limit_mail_nobody_but_the_comment_is_made(
    client, officer, lead, paper, settings, mailoutbox, django_capture_on_commit_callbacks, clock
):
    settings.COMMENTS_PER_MINUTE = 100
    settings.MENTION_MAILS_PER_HOUR = 2
    lead.email = "lena@example.org"
    lead.save()
    client.force_login(officer)
    url = reverse("answer_comments", args=[paper.pk, "1"])
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(4):
            client.post(url, {"comment-body": f"@lead point {n}"})
    assert Comment.objects.count() == 4
    assert len(mailoutbox) == 2
    clock.now += 60 * 60 + 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"comment-body": "@lead a new hour"})
    assert len(mailoutbox) == 3


def test_a_sign_in_checked_outside_a_web_request_is_not_counted_and_does_not_fail(officer):
    """`authenticate` called with a request that came from no address (a command, a
    test's HttpRequest()) has no address to count against."""
    from django.contrib.auth import authenticate
    from django.http import HttpRequest

    assert authenticate(HttpRequest(), username=officer.username, password="wrong") is None


def test_a_refused_comment_is_not_said_to_be_kept_by_the_editor(client, officer, paper, clock):
    client.force_login(officer)
    url = reverse("answer_comments", args=[paper.pk, "1"])
    for n in range(LIMIT):
        client.post(url, {"comment-body": f"Point {n}"})
    html = client.post(url, {"comment-body": "One point too many"}).content.decode()
    assert "keeps them in this browser" not in html
    assert "not kept anywhere else: copy them now" in html


def test_a_refused_answer_save_names_the_question_and_says_the_editor_keeps_the_words(
    client, officer, paper, clock
):
    client.force_login(officer)
    for n in range(LIMIT):
        save(client, paper, f"Version {n}.")
    html = save(client, paper, "Too many.").content.decode()
    assert "keeps them in this browser" in html
    assert "Question 1" in html
