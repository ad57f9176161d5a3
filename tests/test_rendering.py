"""Documents made out of the request by the task worker, stored by what they show."""

import gc
import os
import re
import time
from datetime import datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from responses import workflow
from responses.documents import bounded, rendering
from responses.documents.context import LONDON, RESPONSE
from responses.models import Answer, Rendering
from tests import pdfs, words
from tests.edits import edit_answer
from tests.papers import paper_of
from tests.test_views_documents import download_name, sign_off

# The worker (`db_worker`) closes connections it finds inside a transaction, as Django
# does between requests: these tests commit, as the app and its worker do.
pytestmark = pytest.mark.django_db(transaction=True)

State = Rendering.State
PATHOLOGICAL = "*a" * 10000  # 5,000 emphases in one paragraph: minutes of layout


@pytest.fixture
def queue(settings):
    """The real queue: documents wait in the database for `db_worker`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def work() -> None:
    """What `manage.py db_worker` does, until the queue is empty."""
    call_command("db_worker", "--batch", verbosity=0)


def poll_url(page) -> str:
    """The address the preparing page polls, saying what it shows."""
    return re.search(r'hx-get="([^"]+)"', page.content.decode())[1].replace("&amp;", "&")


def awaited_url(page) -> str:
    """The address of the rendering the preparing page waits for."""
    return re.sub(r"&shown=[^&]*", "", poll_url(page))


def test_a_download_queues_the_paper_and_the_worker_makes_it(client, officer, seed, queue):
    client.force_login(officer)
    url = reverse("cabinet_paper_pdf", args=[seed.pk])

    waiting = client.get(url)

    assert waiting.status_code == 202
    assert "The Cabinet paper (PDF) is being prepared" in waiting.content.decode()
    assert Rendering.objects.get().state == State.QUEUED
    work()
    ready = client.get(url)
    assert ready.status_code == 200
    assert ready["Content-Type"] == "application/pdf"
    assert "Summary of report" in pdfs.text(ready.content)
    rendering = Rendering.objects.get()
    assert rendering.state == State.READY
    assert storages["documents"].exists(rendering.file_name)


def test_the_page_polls_until_ready_then_starts_the_download(client, officer, seed, queue):
    client.force_login(officer)
    url = reverse("response_docx", args=[seed.pk])
    waiting = client.get(url)
    awaited, polls = awaited_url(waiting), poll_url(waiting)

    assert 'hx-trigger="every 2s"' in waiting.content.decode()
    # Nothing new: an empty answer, so htmx leaves the page (and screen readers) be.
    assert client.get(polls, headers={"HX-Request": "true"}).status_code == 204
    work()
    done = client.get(polls, headers={"HX-Request": "true"}).content.decode()

    assert f'data-ready="{awaited}"' in done
    assert "hx-trigger" not in done
    assert words.headings(client.get(awaited).content)[0] == (1, seed.title)


def test_a_stored_document_says_when_the_worker_made_it_however_often_it_is_downloaded(
    client, officer, seed, queue
):
    client.force_login(officer)
    url = reverse("response_docx", args=[seed.pk])
    client.get(url)
    work()
    made = Rendering.objects.get()

    first, second = client.get(url).content, client.get(url).content

    assert first == second  # the stored file, not made again per download
    found = re.search(pdfs.STAMP, words.footer_text(first))
    made_at = datetime.strptime(found[1], "%d %B %Y %H:%M").replace(tzinfo=LONDON)
    assert made.started_at.replace(second=0, microsecond=0) <= made_at <= made.finished_at
    assert found[2] == paper_of(seed).digest[:8]
    # The key names what the document shows, not when it was made: asked for again, it
    # is the same rendering.
    assert rendering.key_for(paper_of(seed), RESPONSE, "docx") == made.key
    assert Rendering.objects.count() == 1


def test_a_second_download_of_unchanged_content_comes_from_storage(client, officer, seed, queue):
    client.force_login(officer)
    url = reverse("cabinet_paper_pdf", args=[seed.pk])
    client.get(url)
    work()
    stored = Rendering.objects.get().file_name
    marker = b"%PDF-1.7 a stand-in only the storage could return"
    storages["documents"].delete(stored)
    storages["documents"].save(stored, ContentFile(marker))

    assert client.get(url).content == marker


def test_everyone_asking_for_the_same_content_shares_one_rendering(
    client, officer, lead, seed, queue
):
    for user in (officer, lead, officer):
        client.force_login(user)
        client.get(reverse("cabinet_paper_pdf", args=[seed.pk]))
    assert Rendering.objects.count() == 1
    work()
    assert Rendering.objects.get().attempts == 1


def test_an_edit_asks_for_a_new_document(client, officer, seed, queue):
    client.force_login(officer)
    url = reverse("response_pdf", args=[seed.pk])
    client.get(url)
    work()
    edit_answer(officer, seed, "1", "A new answer, with words never printed before.")

    assert client.get(url).status_code == 202
    work()

    assert "words never printed before" in pdfs.text(client.get(url).content)
    assert Rendering.objects.filter(state=State.READY).count() == 2


def test_a_paper_changed_while_it_waited_is_made_as_the_worker_finds_it(
    client, officer, seed, queue
):
    client.force_login(officer)
    url = reverse("response_pdf", args=[seed.pk])
    awaited = awaited_url(client.get(url))
    edit_answer(officer, seed, "1", "Changed while the download waited.")

    work()

    ready = client.get(awaited, headers={"HX-Request": "true"}).content.decode()
    download = re.search(r'data-ready="([^"]+)"', ready)[1].replace("&amp;", "&")
    assert "Changed while the download waited." in pdfs.text(client.get(download).content)
    first, current = Rendering.objects.order_by("pk")
    assert first.state == State.SUPERSEDED
    assert first.superseded_by == current
    assert current.state == State.READY


def test_a_page_drawn_for_a_rendering_replaced_meanwhile_polls_on_to_its_replacement(
    client, officer, seed, queue
):
    """A worker can replace the rendering a download has just found (the paper changed
    under it) before the download's page is drawn: that page must poll too, or it says
    "being prepared" for ever. (make cluster found it: 2 downloads in 90 never ended.)"""
    client.force_login(officer)
    url = reverse("response_pdf", args=[seed.pk])
    awaited = awaited_url(client.get(url))
    edit_answer(officer, seed, "1", "Changed while the download waited.")
    work()
    replaced = Rendering.objects.order_by("pk").first()
    assert replaced.state == State.SUPERSEDED

    page = render_to_string(
        "includes/preparing_status.html",
        {
            "rendering": replaced,
            "what": "response (PDF)",
            "url": awaited,
            "poll_url": f"{awaited}&shown={replaced.pk}-superseded",
        },
    )

    polls = re.search(r'hx-get="([^"]+)"', page)
    assert polls, page
    ready = client.get(polls[1].replace("&amp;", "&"), headers={"HX-Request": "true"})
    assert "data-ready=" in ready.content.decode()


def test_a_ready_paper_says_when_answers_have_changed_since_it_was_made(
    client, officer, seed, queue
):
    client.force_login(officer)
    url = reverse("cabinet_paper_docx", args=[seed.pk])
    polls = poll_url(client.get(url))
    work()
    edit_answer(officer, seed, "9", "Saved just after the paper was made.")

    ready = client.get(polls, headers={"HX-Request": "true"}).content.decode()

    assert "is ready and downloading" in ready
    assert "The paper has changed since it was made" in ready
    assert f'href="{url}"' in ready


def test_a_download_asked_for_completes_however_often_the_paper_changes(
    client, officer, seed, queue
):
    client.force_login(officer)
    url = reverse("cabinet_paper_pdf", args=[seed.pk])
    awaited = awaited_url(client.get(url))
    for change in range(3):
        edit_answer(officer, seed, "2", f"Change {change} made while the paper was made.")
        client.get(url)  # colleagues asking for the newest paper meanwhile
        work()
        edit_answer(officer, seed, "2", f"Change {change}, saved after it was made.")

    download = client.get(awaited)

    assert download.status_code == 200
    # The paper as the worker first found it, though three more changes came after.
    assert "Change 0 made while the paper was made." in pdfs.text(download.content)


def test_downloads_waiting_for_older_versions_share_one_layout(client, officer, seed, queue):
    client.force_login(officer)
    url = reverse("response_docx", args=[seed.pk])
    first = awaited_url(client.get(url))
    edit_answer(officer, seed, "4", "Saved after the first download was asked for.")
    second = awaited_url(client.get(url))
    edit_answer(officer, seed, "4", "Saved after the second download was asked for.")

    call_command("db_worker", "--batch", "--max-tasks", "1", verbosity=0)
    edit_answer(officer, seed, "4", "Saved once the paper was being made.")
    work()

    assert Rendering.objects.filter(state=State.READY).count() == 1
    files = {client.get(address).content for address in (first, second)}
    assert len(files) == 1
    assert "Saved after the second download was asked for." in words.text(files.pop())


def downloaded(client, address: str) -> str:
    """Follow the preparing page as the browser does, and read the PDF's words."""
    page = client.get(address)
    if page.status_code == 202:
        page = client.get(awaited_url(page))
    assert page.status_code == 200, page.content.decode()[:300]
    return pdfs.text(page.content)


def test_a_paper_changed_back_to_an_earlier_version_is_made_again(client, officer, seed, queue):
    client.force_login(officer)
    url = reverse("response_pdf", args=[seed.pk])
    before = Answer.objects.get(response=seed, question__number="5").text
    client.get(url)
    edit_answer(officer, seed, "5", "An edit undone a moment later.")
    work()
    edit_answer(officer, seed, "5", before)

    asked = client.get(url)

    assert 'hx-trigger="every 2s"' in asked.content.decode()
    work()
    printed = downloaded(client, awaited_url(asked))
    assert "An edit undone a moment later." not in printed
    assert before.split()[0] in printed


def test_a_download_never_gives_a_paper_older_than_the_one_asked_for(
    client, officer, lead, seed, queue
):
    client.force_login(officer)
    url = reverse("cabinet_paper_pdf", args=[seed.pk])
    original = Answer.objects.get(response=seed, question__number="6").text
    client.get(url)
    edit_answer(officer, seed, "6", "Version B of the answer.")
    work()
    edit_answer(officer, seed, "6", "Version C, saved before asking.")
    awaited = awaited_url(client.get(url))
    edit_answer(lead, seed, "6", original)  # a colleague undoes it, back to the first

    work()

    printed = downloaded(client, awaited)
    assert "Version B of the answer." not in printed
    assert original.split()[0] in printed


def test_trying_again_after_simplifying_back_makes_the_paper_without_looping(
    client, officer, seed, queue, settings
):
    client.force_login(officer)
    url = reverse("response_pdf", args=[seed.pk])
    before = Answer.objects.get(response=seed, question__number="7").text
    first = awaited_url(client.get(url))
    Answer.objects.filter(response=seed, question__number="7").update(text=PATHOLOGICAL)
    settings.RENDER_TIMEOUT = 1
    work()
    assert "took longer than 1 seconds" in client.get(first).content.decode()
    Answer.objects.filter(response=seed, question__number="7").update(text=before)
    settings.RENDER_TIMEOUT = 120

    retried = client.post(first)
    work()

    assert retried.status_code == 302
    assert before.split()[0] in downloaded(client, retried["Location"])
    assert before.split()[0] in downloaded(client, url)
    for replaced in Rendering.objects.filter(state=State.SUPERSEDED):
        assert replaced.superseded_by.state != State.SUPERSEDED


def test_an_earlier_publication_version_is_refused_once_its_signatures_no_longer_stand(
    client, lead, director, portfolio_holder, seed, queue
):
    sign_off(seed, lead, director, portfolio_holder)
    client.force_login(lead)
    published = reverse("cabinet_paper_pdf", args=[seed.pk]) + "?version=published"
    awaited = awaited_url(client.get(published))
    work()
    assert client.get(awaited).status_code == 200
    workflow.reopen(user=lead, response_id=seed.pk, reason="Cabinet asked for a change.")

    assert client.get(awaited).status_code == 409
    assert client.get(published).status_code == 409
    # The waiting page's poll is told to load the page again, which says why.
    polled = client.get(awaited, headers={"HX-Request": "true"})
    assert polled["HX-Refresh"] == "true"


def test_the_awaited_rendering_must_be_this_documents(client, officer, seed, queue):
    client.force_login(officer)
    pdf = reverse("response_pdf", args=[seed.pk])
    docx = reverse("response_docx", args=[seed.pk])
    awaited = Rendering.objects.get(pk=awaited_url(client.get(pdf)).rsplit("=", 1)[1])

    for wrong in (
        f"{docx}?rendering={awaited.pk}",
        f"{pdf}?rendering=x",
        f"{pdf}?rendering=99999",
        f"{pdf}?rendering=+{awaited.pk}",
        f"{pdf}?rendering=%EF%BC%91",  # a full-width digit one
    ):
        assert client.get(wrong).status_code == 404, wrong
    assert client.get(f"{pdf}?version=published&rendering={awaited.pk}").status_code in (404, 409)


def test_a_pathological_answer_is_stopped_at_the_time_bound_and_named(
    client, officer, seed, queue, settings
):
    settings.RENDER_TIMEOUT = 2
    # Stored before the editor refused such text (the editor's own refusal is tested
    # with the answer editor): the time bound is the last wall.
    Answer.objects.filter(response=seed, question__number="7").update(text=PATHOLOGICAL)
    client.force_login(officer)
    url = reverse("response_pdf", args=[seed.pk])
    client.get(url)

    work()

    failed = client.get(url)
    page = failed.content.decode()
    assert failed.status_code == 200
    assert "could not be made" in page
    assert "took longer than 2 seconds" in page
    assert "question 7 has the most formatting" in page
    assert "Try again" in page
    # Remembered, not retried in a loop: asking again shows the failure, queues nothing.
    assert client.get(url).status_code == 200
    work()
    assert Rendering.objects.get().attempts == 1


def test_a_reopened_paper_is_served_as_a_draft_not_as_the_one_signed(
    client, lead, director, portfolio_holder, seed
):
    """Reopening changes no word and keeps this round's approvals: only the status
    tells the signed paper from the draft, so it must be in the document's key."""
    sign_off(seed, lead, director, portfolio_holder)
    client.force_login(lead)
    url = reverse("cabinet_paper_docx", args=[seed.pk])
    signed = client.get(url)
    assert "DRAFT" not in words.header_text(signed.content)

    workflow.reopen(user=lead, response_id=seed.pk, reason="Cabinet's changes.")
    reopened = client.get(url)

    assert reopened.status_code == 200
    assert "DRAFT" in words.header_text(reopened.content)
    assert "approved in Consult" not in words.text(reopened.content)


def signed_lines(result, url_name: str) -> int:
    text = words.text(result.content) if url_name.endswith("docx") else pdfs.text(result.content)
    return text.count("(approved in Consult)")


@pytest.mark.parametrize(
    "url_name", ["cabinet_paper_pdf", "cabinet_paper_docx", "response_pdf", "response_docx"]
)
def test_a_rendering_made_while_signed_is_not_served_by_its_id_once_reopened(
    client, lead, director, portfolio_holder, seed, url_name
):
    sign_off(seed, lead, director, portfolio_holder)
    client.force_login(lead)
    url = reverse(url_name, args=[seed.pk])
    signed = client.get(url)
    assert "(draft)" not in download_name(signed)
    made_signed = Rendering.objects.get()
    workflow.reopen(user=lead, response_id=seed.pk, reason="Cabinet's changes.")
    workflow.submit(user=lead, response_id=seed.pk, confirm_gaps=True)

    again = client.get(f"{url}?rendering={made_signed.pk}")

    assert again.status_code == 200
    assert "(draft)" in download_name(again)
    assert again.content != signed.content
    assert signed_lines(again, url_name) == 0


def test_a_publication_version_of_an_earlier_round_is_not_served_by_its_id(
    client, lead, director, portfolio_holder, seed
):
    """Reopened, changed and signed again: the paper for publication is the one signed
    now, however old the address asked for."""
    sign_off(seed, lead, director, portfolio_holder)
    client.force_login(lead)
    url = reverse("cabinet_paper_pdf", args=[seed.pk]) + "?version=published"
    assert client.get(url).status_code == 200
    first_round = Rendering.objects.get()
    workflow.reopen(user=lead, response_id=seed.pk, reason="Cabinet's changes.")
    edit_answer(lead, seed, "1", "An answer changed after Cabinet asked, never printed before.")
    sign_off(seed, lead, director, portfolio_holder)

    again = client.get(f"{url}&rendering={first_round.pk}")

    assert again.status_code == 200
    assert "never printed before" in pdfs.text(again.content)


def test_a_draft_waited_for_is_still_served_as_it_was_made(client, officer, seed, queue):
    """Only a signed document is held to its signatures: a draft asked for is the
    draft as it was when the worker made it, whatever was saved since."""
    client.force_login(officer)
    url = reverse("response_pdf", args=[seed.pk])
    awaited = awaited_url(client.get(url))
    work()
    edit_answer(officer, seed, "1", "Saved after the draft was made, never printed before.")

    draft = client.get(awaited)

    assert draft.status_code == 200
    assert "never printed before" not in pdfs.text(draft.content)


def test_the_migration_knows_the_documents_made_signed_before_it_by_their_names(seed):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("responses", "0029_presence_and_team")]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps.get_model("responses", "Rendering")
        draft, signed = (
            old.objects.create(key=name, response_id=seed.pk, download_name=name)
            for name in ("Paper (draft).pdf", "Paper.pdf")
        )
    finally:
        MigrationExecutor(connection).migrate(latest)

    assert not Rendering.objects.get(pk=draft.pk).signed
    assert Rendering.objects.get(pk=signed.pk).signed


def test_try_again_queues_a_failed_rendering_once(client, officer, seed, queue, settings):
    failed = rendering.ask(paper_of(seed), "response", "pdf")
    Rendering.objects.filter(pk=failed.pk).update(state=State.FAILED, error="Broken.")
    client.force_login(officer)
    url = reverse("response_pdf", args=[seed.pk])

    again = client.post(url)

    assert again.status_code == 302
    assert Rendering.objects.get().state == State.QUEUED
    work()
    assert client.get(url).status_code == 200


def test_a_rendering_whose_worker_died_is_queued_again(officer, seed, queue):
    waiting = rendering.ask(paper_of(seed), "response", "docx")
    long_ago = timezone.now() - timedelta(seconds=rendering.time_bound() + 60)
    Rendering.objects.filter(pk=waiting.pk).update(
        state=State.RENDERING, started_at=long_ago, attempts=1
    )

    again = rendering.ask(paper_of(seed), "response", "docx")

    assert again.pk == waiting.pk
    assert again.state == State.QUEUED
    work()
    again.refresh_from_db()
    assert again.state == State.READY
    assert again.attempts == 2


def test_a_worker_leaves_alone_a_rendering_another_worker_is_making(officer, seed, queue):
    waiting = rendering.ask(paper_of(seed), "response", "docx")
    now = timezone.now()
    Rendering.objects.filter(pk=waiting.pk).update(
        state=State.RENDERING, started_at=now, alive_at=now, attempts=1
    )

    work()  # the task queued when it was asked for: another worker has it in hand

    waiting.refresh_from_db()
    assert (waiting.state, waiting.attempts) == (State.RENDERING, 1)


def test_a_rendering_interrupted_three_times_fails_with_a_reason(officer, seed, queue):
    waiting = rendering.ask(paper_of(seed), "response", "docx")
    long_ago = timezone.now() - timedelta(seconds=rendering.time_bound() + 60)
    Rendering.objects.filter(pk=waiting.pk).update(
        state=State.RENDERING, started_at=long_ago, attempts=3
    )
    rendering.ask(paper_of(seed), "response", "docx")

    work()

    waiting.refresh_from_db()
    assert waiting.state == State.FAILED
    assert "interrupted 3 times" in waiting.error


def test_a_stored_file_lost_from_storage_is_made_again(client, officer, seed, queue):
    client.force_login(officer)
    url = reverse("response_pdf", args=[seed.pk])
    client.get(url)
    work()
    storages["documents"].delete(Rendering.objects.get().file_name)

    assert client.get(url).status_code == 202
    work()

    assert client.get(url).status_code == 200


def test_a_render_past_its_bound_is_killed():
    with pytest.raises(bounded.TooSlow):
        bounded.run(_sleep, "600", seconds=0.5)


def test_an_error_in_the_child_is_reported_with_its_reason():
    with pytest.raises(bounded.Failed, match="ValueError: not a number"):
        bounded.run(_fail, "not a number", seconds=10)


def test_a_worker_says_it_is_alive_while_the_layout_runs():
    beats = []

    bounded.run(_sleep, "2.5", seconds=30, beat=lambda: beats.append(1), every=0.5)

    assert beats


def test_a_rendering_whose_worker_fell_silent_is_queued_again_before_the_time_bound(
    officer, seed, queue
):
    waiting = rendering.ask(paper_of(seed), "response", "pdf")
    now = timezone.now()
    Rendering.objects.filter(pk=waiting.pk).update(
        state=State.RENDERING,
        started_at=now - timedelta(seconds=70),
        alive_at=now - rendering.SILENT_TOO_LONG - timedelta(seconds=5),
        attempts=1,
    )
    beating = rendering.ask(paper_of(seed), "response", "docx")
    Rendering.objects.filter(pk=beating.pk).update(
        state=State.RENDERING, started_at=now - timedelta(seconds=70), alive_at=now, attempts=1
    )

    assert rendering.ask(paper_of(seed), "response", "pdf").state == State.QUEUED
    assert rendering.ask(paper_of(seed), "response", "docx").state == State.RENDERING


def test_two_requests_finding_a_rendering_stalled_queue_it_once(officer, seed, queue):
    waiting = rendering.ask(paper_of(seed), "response", "pdf")
    long_ago = timezone.now() - timedelta(seconds=rendering.time_bound() + 60)
    Rendering.objects.filter(pk=waiting.pk).update(
        state=State.RENDERING, started_at=long_ago, alive_at=long_ago, attempts=1
    )
    first, second = Rendering.objects.get(pk=waiting.pk), Rendering.objects.get(pk=waiting.pk)

    rendering._queue(first)
    Rendering.objects.filter(pk=waiting.pk).update(state=State.RENDERING, attempts=2)
    rendering._queue(second)  # read before the worker took it again: left alone

    assert Rendering.objects.get(pk=waiting.pk).state == State.RENDERING


def test_a_layout_taking_longer_than_usual_is_said_to(client, officer, seed, queue):
    client.force_login(officer)
    page = client.get(reverse("response_pdf", args=[seed.pk]))
    now = timezone.now()
    Rendering.objects.update(
        state=State.RENDERING, started_at=now - timedelta(seconds=90), alive_at=now, attempts=1
    )

    later = client.get(awaited_url(page)).content.decode()

    assert "It is taking longer than usual" in later
    assert "check that the document worker" in later
    assert "check again</a>" in later  # for a browser without JavaScript


def test_a_render_is_laid_out_at_a_lower_priority_than_pages():
    niceness = bounded.run(_niceness, "", seconds=30)

    assert int(niceness) == min(19, os.nice(0) + 10)


def _niceness(_: str) -> bytes:
    return str(os.nice(0)).encode()


def test_a_layout_builds_without_full_garbage_collections_and_leaves_the_worker_as_it_was():
    thresholds = gc.get_threshold()

    full_collections = bounded.run(_full_collections_while_building, "1000000", seconds=60)

    assert int(full_collections) == 0
    assert gc.get_threshold() == thresholds
    assert gc.get_freeze_count() == 0


def _full_collections_while_building(count: str) -> bytes:
    """Build `count` small objects that live until the end, as a layout's boxes do,
    counting the collections that walked every one of them."""
    full = []
    gc.callbacks.append(lambda phase, info: info["generation"] == 2 and full.append(phase))
    kept = [[n] for n in range(int(count))]
    assert len(kept) == int(count)
    return str(len(full) // 2).encode()  # each collection calls back twice: start, stop


def _sleep(seconds: str) -> bytes:
    time.sleep(float(seconds))
    return b""


def _fail(text: str) -> bytes:
    raise ValueError(text)


def test_a_word_file_past_the_time_bound_is_stopped_too(client, officer, seed, queue, settings):
    settings.RENDER_TIMEOUT = 0.001  # no build is that quick: it must be stopped
    client.force_login(officer)
    url = reverse("response_docx", args=[seed.pk])
    client.get(url)

    work()

    assert Rendering.objects.get().state == State.FAILED
    assert "took longer than" in client.get(url).content.decode()


def test_a_paper_stopped_at_its_bound_with_no_answer_standing_out_is_said_to_be_too_large(
    officer, seed, queue, settings
):
    settings.RENDER_TIMEOUT = 0.001
    settings.RENDER_SECONDS_PER_QUESTION = 0
    waiting = rendering.ask(paper_of(seed), "paper", "pdf")

    work()

    waiting.refresh_from_db()
    assert waiting.state == State.FAILED
    assert "35 questions" in waiting.error
    assert "the size of the paper" in waiting.error
    # The seed's answers have a few pieces of emphasis each: none is to blame.
    assert "most formatting" not in waiting.error


def test_a_renderings_time_bound_grows_with_the_questions_it_shows(officer, staffed, settings):
    settings.RENDER_TIMEOUT = 120
    settings.RENDER_SECONDS_PER_QUESTION = 0.05
    small = rendering.ask(paper_of(staffed(3)), "paper", "pdf")
    large = rendering.ask(paper_of(staffed(200)), "paper", "pdf")

    assert (small.questions, large.questions) == (3, 200)
    assert rendering.time_bound(small) == 120 + 0.15
    assert rendering.time_bound(large) == 120 + 10


def test_a_rendering_records_whether_it_shows_signatures(lead, director, portfolio_holder, seed):
    draft = rendering.ask(paper_of(seed), "paper", "pdf")
    sign_off(seed, lead, director, portfolio_holder)
    signed = rendering.ask(paper_of(seed), "paper", "pdf")

    assert (draft.signed, signed.signed) == (False, True)


def test_a_small_paper_asked_for_behind_a_large_one_is_made_first(staffed, queue):
    large = rendering.ask(paper_of(staffed(200)), "paper", "docx")
    small = rendering.ask(paper_of(staffed(3)), "paper", "docx")

    call_command("db_worker", "--batch", "--max-tasks", "1", verbosity=0)

    large.refresh_from_db(), small.refresh_from_db()
    assert (small.state, large.state) == (State.READY, State.QUEUED)
    assert rendering.priority(large) < rendering.priority(small) <= 0  # mail's is 10


def test_a_render_stopped_at_its_bound_says_how_far_it_had_got():
    with pytest.raises(bounded.TooSlow) as stopped:
        bounded.run(_laid_out_then_slow, "252", seconds=1)

    assert stopped.value.progress == {"pages": 252}


def _laid_out_then_slow(pages: str) -> bytes:
    bounded.progress(pages=int(pages))
    time.sleep(600)
    return b""


def test_a_paper_stopped_once_laid_out_gives_its_pages_with_its_questions(officer, seed):
    made = rendering.ask(paper_of(seed), "paper", "docx")

    said = rendering.too_slow_message(paper_of(seed), made, pages=252)

    assert "the size of the paper (35 questions, 252 pages)" in said
