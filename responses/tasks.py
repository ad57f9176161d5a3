"""Work done out of the request, by `manage.py db_worker`."""

from django_tasks import task

from responses.documents import rendering


@task()
def render_document(rendering_id: int) -> None:
    """Make one queued document and store it (see `documents.rendering`)."""
    rendering.make(rendering_id)
