from responses.models.audit import AuditEvent
from responses.models.consultation import Consultation, Question, Section
from responses.models.council import CouncilSettings
from responses.models.drafting import Answer, Response
from responses.models.presence import Presence
from responses.models.reminders import ReminderSent
from responses.models.rendering import Rendering
from responses.models.report import (
    CabinetReport,
    PaperSnapshot,
    ReportSection,
    Shown,
    SignOff,
)
from responses.models.review import Comment
from responses.models.suggestions import Suggestion
from responses.models.worker import TaskWorker

__all__ = [
    "Answer",
    "AuditEvent",
    "CabinetReport",
    "Comment",
    "Consultation",
    "CouncilSettings",
    "PaperSnapshot",
    "Presence",
    "Question",
    "ReminderSent",
    "Rendering",
    "ReportSection",
    "Response",
    "Section",
    "Shown",
    "SignOff",
    "Suggestion",
    "TaskWorker",
]
