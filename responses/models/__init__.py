from responses.models.audit import AuditEvent
from responses.models.consultation import Consultation, Question, Section
from responses.models.drafting import Answer, Response
from responses.models.report import CabinetReport, ReportSection, SignOff, StandardHeading

__all__ = [
    "Answer",
    "AuditEvent",
    "CabinetReport",
    "Consultation",
    "Question",
    "ReportSection",
    "Response",
    "Section",
    "SignOff",
    "StandardHeading",
]
