"""Reading a response's paper in tests, as the views do."""

from django.core.management import call_command

from responses.models import Response
from responses.paper import Paper


def paper_of(response: Response) -> Paper:
    """The paper as a page would build it now, from a fresh read of the response."""
    return Paper.load(Response.objects.for_rules().get(pk=response.pk))


def digest_of(response: Response) -> str:
    return paper_of(response).digest


def make_documents() -> None:
    """What `manage.py db_worker` does, until the queue is empty."""
    call_command("db_worker", "--batch", verbosity=0)
