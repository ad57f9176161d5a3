"""Old documents pruned with their files; the current, signed and unfinished kept."""

import os
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from responses.documents import rendering, retention
from responses.models import Answer, Rendering
from tests.papers import paper_of
from tests.test_views_documents import sign_off

pytestmark = pytest.mark.django_db

State = Rendering.State
OLD = timedelta(days=2)


def made(response, kind="response") -> Rendering:
    """Its Word file, made (the tests' queue makes it as it is asked for)."""
    return Rendering.objects.get(pk=rendering.ask(paper_of(response), kind, "docx").pk)


def age(document: Rendering, by: timedelta = OLD) -> None:
    Rendering.objects.filter(pk=document.pk).update(finished_at=timezone.now() - by)


def outdate(document: Rendering) -> None:
    """No longer the current paper's, as after a new layout is deployed."""
    Rendering.objects.filter(pk=document.pk).update(key="docx:" + "0" * 64)


def stored(document: Rendering) -> bool:
    return storages["documents"].exists(document.file_name)


def test_an_old_rendering_of_an_earlier_version_goes_with_its_file(seed):
    earlier = made(seed)
    Answer.objects.filter(response=seed, question__number="1").update(text="Changed.")
    current = made(seed)
    age(earlier), age(current)

    pruned = retention.prune()

    assert list(Rendering.objects.all()) == [current]
    assert not stored(earlier)
    assert stored(current)
    assert (pruned.renderings, pruned.files) == (1, 1)
    assert pruned.size == earlier.size


def test_an_earlier_version_made_within_the_day_is_kept(seed):
    earlier = made(seed)
    Answer.objects.filter(response=seed, question__number="1").update(text="Changed.")
    made(seed)
    age(earlier, timedelta(hours=20))

    retention.prune()

    assert Rendering.objects.filter(pk=earlier.pk).exists()


def test_what_is_queued_or_being_made_is_never_pruned(seed, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    queued = rendering.ask(paper_of(seed), "response", "docx")
    being_made = rendering.ask(paper_of(seed), "response", "pdf")
    long_ago = timezone.now() - OLD
    Rendering.objects.filter(pk=queued.pk).update(key="docx:" + "0" * 64, requested_at=long_ago)
    Rendering.objects.filter(pk=being_made.pk).update(
        key="pdf:" + "0" * 64, state=State.RENDERING, requested_at=long_ago, started_at=long_ago
    )

    retention.prune()

    assert Rendering.objects.count() == 2


def test_a_signed_papers_document_is_kept_while_its_signatures_stand(
    seed, lead, director, portfolio_holder
):
    sign_off(seed, lead, director, portfolio_holder)
    signed = made(seed, "paper")
    outdate(signed), age(signed)

    retention.prune()

    assert stored(signed)
    # The paper changed: the signatures no longer stand, and the old document goes.
    Answer.objects.filter(response=seed, question__number="1").update(text="Changed.")
    retention.prune()
    assert not Rendering.objects.filter(pk=signed.pk).exists()
    assert not stored(signed)


def test_failed_and_replaced_renderings_go_after_a_day(seed):
    current = made(seed)
    failed = Rendering.objects.create(
        key="pdf:" + "1" * 64, response=seed, kind="response", format="pdf", state=State.FAILED
    )
    replaced = Rendering.objects.create(
        key="pdf:" + "2" * 64,
        response=seed,
        kind="response",
        format="pdf",
        state=State.SUPERSEDED,
        superseded_by=current,
    )
    for document in (current, failed, replaced):
        age(document)

    retention.prune()

    assert list(Rendering.objects.all()) == [current]


def test_a_file_no_rendering_names_goes_after_a_day_and_other_files_stay(seed):
    storage = storages["documents"]
    orphan = storage.save("pdf-" + "3" * 64 + ".pdf", ContentFile(b"%PDF"))
    recent = storage.save("pdf-" + "4" * 64 + ".pdf", ContentFile(b"%PDF"))
    not_ours = storage.save("backup.json", ContentFile(b"{}"))
    long_ago = (timezone.now() - OLD).timestamp()
    for name in (orphan, not_ours):
        os.utime(storage.path(name), (long_ago, long_ago))

    pruned = retention.prune()

    assert (pruned.files, pruned.size) == (1, 4)
    assert not storage.exists(orphan)
    assert storage.exists(recent)
    assert storage.exists(not_ours)


def test_a_download_of_a_pruned_version_is_made_again(client, officer, seed):
    url = reverse("response_docx", args=[seed.pk])
    before = Answer.objects.get(response=seed, question__number="1").text
    earlier = made(seed)
    Answer.objects.filter(response=seed, question__number="1").update(text="Changed.")
    made(seed)
    age(earlier)
    retention.prune()
    Answer.objects.filter(response=seed, question__number="1").update(text=before)
    client.force_login(officer)

    again = client.get(url)

    assert again.status_code == 200  # asked for again, and made (here, at once)
    assert Rendering.objects.get(key=earlier.key).state == State.READY


def test_the_command_says_what_it_pruned(seed, capsys):
    earlier = made(seed)
    Answer.objects.filter(response=seed, question__number="1").update(text="Changed.")
    made(seed)
    age(earlier)

    call_command("prune_documents")

    assert f"Pruned 1 renderings and 1 stored files ({earlier.size:,} bytes)." in (
        capsys.readouterr().out
    )
