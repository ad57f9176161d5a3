"""Work done out of the request, by `manage.py db_worker`."""

from django_tasks import task

from responses import notifications
from responses.documents import rendering


@task()
def render_document(rendering_id: int) -> None:
    """Make one queued document and store it (see `documents.rendering`). Queued at a
    priority by the paper's size, smaller first (`rendering.priority`), from 0 down."""
    rendering.make(rendering_id)


# Before any queued rendering: a mail waits at most for the layout under way.
@task(priority=10)
def send_notification(
    address: str, subject: str, body: str, response_id: int, attempt: int = 1
) -> None:
    """Send one e-mail queued by `notifications.send_after_commit`, trying again later
    if the mail server fails (see `notifications.deliver`)."""
    notifications.deliver(address, subject, body, response_id, attempt)
