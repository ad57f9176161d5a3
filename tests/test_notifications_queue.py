"""Mail as a task: a step queues its e-mails once it commits, the task worker sends
them, and a mail server that fails is tried again later, a bounded number of times."""

import logging
import socketserver
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from responses import notifications, workflow
from responses.models import Response

# `db_worker` closes connections it finds inside a transaction, as Django does between
# requests: these tests commit, as the app and its worker do.
pytestmark = pytest.mark.django_db(transaction=True)

LOGGER = "responses.notifications"


@pytest.fixture
def queue(settings):
    """The queue as served: mail waits in the database for `db_worker`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def work() -> None:
    """What `manage.py db_worker` does, until nothing is ready to run."""
    call_command("db_worker", "--batch", verbosity=0)


class _HangUp(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        self.server.connections += 1  # then closes: the client reads no greeting


@pytest.fixture
def broken_smtp(settings):
    """A mail server that takes each connection and hangs up at once (SMTP's
    'Connection unexpectedly closed'), counting the connections it was sent."""
    server = socketserver.TCPServer(("127.0.0.1", 0), _HangUp)
    server.connections = 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.server_address
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.shutdown()
    server.server_close()


def submit_on_the_page(client, lead, signing):
    """The lead submits for sign-off as the page does: a request that mails the
    director."""
    client.force_login(lead)
    result = client.post(reverse("submit", args=[signing.pk]), {"confirm_gaps": "yes"})
    assert result.status_code == 302


def test_a_request_queues_its_mail_and_the_worker_sends_it(
    client, signing, lead, director, queue, mailoutbox
):
    submit_on_the_page(client, lead, signing)

    assert mailoutbox == []
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "responses.tasks.send_notification"
    assert queued.args_kwargs["kwargs"]["address"] == director.email

    work()

    [mail] = mailoutbox
    assert mail.to == [director.email]
    assert mail.subject == f"{signing.report.title} is ready for your sign-off"
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_step_that_rolls_back_queues_no_mail(signing, lead, queue, mailoutbox):
    @transaction.atomic
    def submit_then_fail() -> None:
        workflow.submit(user=lead, response_id=signing.pk, confirm_gaps=True)
        raise RuntimeError("something after the step failed")

    with pytest.raises(RuntimeError):
        submit_then_fail()

    assert not DBTaskResult.objects.exists()
    work()
    assert mailoutbox == []
    signing.refresh_from_db()
    assert signing.status == Response.Status.DRAFTING


def test_a_failed_mail_is_queued_again_to_go_later(
    client, signing, lead, director, queue, broken_smtp, caplog
):
    submit_on_the_page(client, lead, signing)
    before = timezone.now()

    with caplog.at_level(logging.WARNING, logger=LOGGER):
        work()  # the retry waits: the batch ends without it

    assert broken_smtp.connections == 1
    first, retry = DBTaskResult.objects.order_by("enqueued_at")
    assert first.status == "SUCCESSFUL"  # it failed to send, and said so
    assert retry.status == "READY"
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after >= before + notifications.RETRY_AFTER[0]
    assert f"Could not e-mail {director.email} about response {signing.pk} (attempt 1 of 5" in (
        caplog.text
    )


def test_a_mail_is_tried_again_until_the_server_takes_it(
    client, signing, lead, director, queue, broken_smtp, settings, mailoutbox
):
    submit_on_the_page(client, lead, signing)
    work()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # back up
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())  # time passes

    work()

    assert [m.to for m in mailoutbox] == [[director.email]]
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_a_mail_server_that_stays_down_is_tried_a_bounded_number_of_times_then_logged(
    signing, lead, director, broken_smtp, caplog
):
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        workflow.submit(user=lead, response_id=signing.pk, confirm_gaps=True)

    assert broken_smtp.connections == notifications.MAIL_ATTEMPTS
    [given_up] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert given_up.getMessage() == (
        f"Could not e-mail {director.email} about response {signing.pk}: "
        f"gave up after {notifications.MAIL_ATTEMPTS} attempts"
    )
    signing.refresh_from_db()
    assert signing.status == Response.Status.AWAITING_DIRECTOR


def test_retries_on_the_queue_wait_longer_each_time(client, signing, lead, queue, broken_smtp):
    submit_on_the_page(client, lead, signing)
    waits = []
    for _ in range(notifications.MAIL_ATTEMPTS):
        queued_at = timezone.now()
        DBTaskResult.objects.filter(status="READY").update(run_after=queued_at)
        work()
        retry = DBTaskResult.objects.filter(status="READY").first()
        if retry is None:
            break
        waits.append(retry.run_after - queued_at)

    assert broken_smtp.connections == notifications.MAIL_ATTEMPTS
    assert len(waits) == notifications.MAIL_ATTEMPTS - 1
    assert all(shorter < longer for shorter, longer in zip(waits, waits[1:], strict=False))
    assert waits[0] >= timedelta(minutes=1)
