"""Set-up for administrators. Every change goes through the same services as the pages.

So the admin asks the same rulebook, locks the same rows, raises versions and keeps
history exactly as an editor does: nothing a signatory reads changes here while it
is with them, and an editor open on a record sees the admin's save as a conflict.
The forms ask first, to show a refusal beside the field; the services ask again
under the row lock, and a refusal that slips between the two reaches the user
through the one page for domain errors.
"""

from responses.admin import (  # noqa: F401  (each registers its models)
    consultations,
    drafting,
    records,
    reports,
    suggestions,
    users,
)
