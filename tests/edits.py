"""Editing an answer in tests as an editor does: from the version as it stands now."""

from responses import services
from responses.models import Answer


def edit_answer(user, response, number: str, text: str, **changes) -> Answer:
    """Save `text` as `user`, keeping the answer's status and assignee unless `changes`
    names others, against the current version (so never a stale edit)."""
    current = Answer.objects.get(response=response, question__number=number)
    fields = {"status": current.status, "assignee": current.assignee, **changes}
    return services.save_answer(
        user=user,
        response_id=response.pk,
        number=number,
        text=text,
        expected_version=current.version,
        **fields,
    )
