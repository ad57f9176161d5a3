"""What a printed document shows, worked out once from a Paper for every format.

The PDF and the Word documents take this one context, and the sign-off page shows
the same, so a paper reads alike however it is opened. Three versions exist:

- the internal Cabinet paper, with its sign-off block (DRAFT until signed off);
- the Cabinet paper for publication, without the sign-off block, once signed off;
- the response alone: Appendix 1 as drafted, or, once Cabinet has agreed it, the
  council's response to government, headed with the council, the consultation,
  the date and the contact officer, and titled without "Draft".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from responses import appendix, logos
from responses.errors import WrongState
from responses.fragments import AppendixItem
from responses.models import CouncilSettings, ReportSection, Response, SignOff
from responses.models.council import SINGLETON_PK
from responses.paper import Paper, Signatures
from responses.text import Parsed, parse

PAPER, RESPONSE = "paper", "response"
AGREED = (Response.CabinetDecision.AGREED, Response.CabinetDecision.AGREED_WITH_CHANGES)
NOT_YET_PUBLISHABLE = (
    "The version for publication is made once both signatories have signed the paper off."
)
# A document says when it was made in the council's time, whatever the server's.
LONDON = ZoneInfo("Europe/London")
NOT_FOR_PUBLICATION = (
    "The report is marked not for publication ({marking}): no version for publication is "
    "made while it is. The lead officer can unmark it on the sign-off page while drafting."
)


@dataclass(frozen=True)
class Document:
    content: bytes
    filename: str


@dataclass(frozen=True)
class Heading:
    """The head of the response as sent to government: who sends it, on what, when,
    and whom to ask."""

    council: str
    consultation: str
    issued_by: str
    sent_on: date
    contact_name: str
    contact_job_title: str
    contact_phone: str
    contact_email: str
    decided_on: date | None = None  # Cabinet's decision, as its minutes record it
    minute: str = ""


def agreed_by_cabinet(response: Response) -> bool:
    return response.cabinet_decision in AGREED


def without_draft(title: str) -> str:
    """ "Draft Response by Walsall Council" → "Response by Walsall Council"."""
    cleaned = re.sub(r"\s*\bdraft\b[\s:–-]*", " ", title, count=1, flags=re.IGNORECASE)
    cleaned = " ".join(cleaned.split())
    return cleaned[:1].upper() + cleaned[1:] if cleaned else title


def document_context(
    kind: str, paper: Paper, *, published: bool = False, made: datetime | None = None
) -> dict:
    """What the document prints. `published` leaves out the sign-off block, and is
    refused (WrongState) until the paper is validly signed off. `made` (now, unless
    given) is when the document is made: every page says so, with the paper's version."""
    response, report, consultation = paper.response, paper.report, paper.consultation
    signed = paper.signatures
    if published:
        check_publishable(kind, paper)
    printed_on = timezone.localdate()
    entries = paper.entries()
    sent = _as_sent(kind, paper)
    response_title = without_draft(response.title) if sent else response.title
    if kind == PAPER and report:
        title = report.title
        subject = (
            f"{report.meeting_body} – {report.meeting_date:%-d %B %Y}: {report.title}, with "
            f"Appendix 1 ({response.title}) and Appendix 2 (executive summary of the consultation)"
        )
    else:
        title = response_title
        subject = f"{response.organisation_name}'s response to {consultation.title}"
    return {
        "kind": kind,
        "title": title,
        "subject": subject,
        "author": response.organisation_name,
        "response": response,
        "response_title": response_title,
        "consultation": consultation,
        "report": report,
        "report_sections": paper.report_sections_html,
        "appendix": appendix_rows(paper, entries),
        "parses": PrintParses(paper, entries),
        "executive_summary": paper.executive_summary_html,
        "draft": not signed.valid,
        "content_changed": signed.content_changed,
        "published": published,
        "signatories": [] if published else signatories(report, signed),
        "sent": _heading(paper, printed_on) if sent else None,
        "printed_on": printed_on,
        "stamp": stamp(made or timezone.now(), paper.digest if paper.whole else ""),
        # On every page while the report is marked exempt or confidential.
        "not_for_publication": report.not_for_publication if report else "",
        **_council_print(CouncilSettings.current()),
        # 1., 1.1 in the paper, as the report was made: part of what was signed.
        "number_paragraphs": kind == PAPER and bool(report and report.number_paragraphs),
    }


def _council_print(council: CouncilSettings) -> dict:
    """What the council's settings add to a document: its logo at the head (as a data
    URL for the PDF, a PNG for Word)."""
    return {
        "logo": logos.data_url(bytes(council.logo), council.logo_type) if council.logo else "",
        "logo_png": bytes(council.logo_png),
        "council_name": council.name,
    }


def _council_version() -> dict:
    """The settings a stored document was made with, without reading the logo itself."""
    council = CouncilSettings.objects.filter(pk=SINGLETON_PK).only("logo_digest", "name").first()
    if council is None or not council.logo_digest:
        return {}
    return {"logo": council.logo_digest, "named": council.name}  # the logo's description


def stamp(made: datetime, digest: str = "") -> str:
    """ "Made 7 December 2026 14:05 · version 1a2b3c4d", at the foot of every page: when
    the document was made (London time) and the first 8 characters of the paper's
    digest, which the sign-off page and the audit show too. A paper read without its
    digest (Appendix 1 alone) says only when."""
    made_at = f"Made {made.astimezone(LONDON):%-d %B %Y %H:%M}"
    return f"{made_at} · version {version(digest)}" if digest else made_at


def version(digest: str) -> str:
    """A paper's version as people read it: the first 8 characters of its digest."""
    return digest[:8]


def check_publishable(kind: str, paper: Paper) -> None:
    if kind != PAPER or not paper.signatures.valid:
        raise WrongState(NOT_YET_PUBLISHABLE)
    if paper.report is not None and paper.report.not_for_publication:
        marking = paper.report.not_for_publication.removeprefix("NOT FOR PUBLICATION: ")
        raise WrongState(NOT_FOR_PUBLICATION.format(marking=marking))


def version_key(kind: str, paper: Paper, *, published: bool = False) -> dict:
    """What, beyond the paper's content and signatures, sets this version apart from
    another: for a cache key."""
    sent_on = None
    if _as_sent(kind, paper):
        sent_on = paper.response.sent_to_government_on or timezone.localdate()
    decided = None
    if _as_sent(kind, paper):
        response = paper.response
        decided_on = response.cabinet_decided_on
        decided = [decided_on and decided_on.isoformat(), response.cabinet_minute]
    return {
        "kind": kind,
        "published": published,
        "sent_on": sent_on and sent_on.isoformat(),
        **_council_version(),
        **({"decided": decided} if decided and any(decided) else {}),
    }


def filename_stem(kind: str, paper: Paper, *, published: bool = False) -> str:
    """A download's name; a paper not signed off says "draft", so that nobody sends it
    by mistake."""
    report, response = paper.report, paper.response
    if kind == PAPER and report:
        stem = f"{report.meeting_date:%Y-%m-%d} {report.meeting_body} - {report.title}"
        if published:
            stem += " (for publication)"
    elif kind == PAPER:
        stem = response.title
    else:
        stem = f"{response.organisation_name} - response to {response.consultation.title}"
    signed = (
        paper.signatures.valid
        if paper.whole
        else paper.response.status == Response.Status.SIGNED_OFF
    )
    return stem if signed else f"{stem} (draft)"


def safe_filename(stem: str, extension: str = ".pdf") -> str:
    """A download's name any system accepts: no path or reserved characters, nothing
    invisible or direction-changing (which could disguise its extension), and at most
    200 bytes in UTF-8 with its extension (file systems allow 255)."""
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f“”]+', "", stem)
    safe = "".join(c for c in safe if unicodedata.category(c) not in ("Cf", "Co", "Cn"))
    safe = re.sub(r"\s+", " ", safe).strip()[:150]
    while len((safe + extension).encode()) > 200:
        safe = safe[:-1]
    return safe.rstrip() + extension


def appendix_rows(paper: Paper, entries: list[appendix.Entry] | None = None) -> list:
    """Appendix 1's headings and questions as the printed documents take them."""
    rows = []
    for entry in paper.entries() if entries is None else entries:
        if isinstance(entry, appendix.Heading):
            rows.append((entry, None))
            continue
        rows.append(
            (
                None,
                AppendixItem(
                    anchor=entry.anchor,
                    number=entry.question.number,
                    question_text=entry.question.text,
                    answer_html=paper.answer_html(entry, for_print=True),
                    status="",
                    status_label="",
                    assignee="",
                    edit_url="",
                    history_url="",
                ),
            )
        )
    return rows


class PrintParses:
    """Each text a document prints, as its print parse: the Word document reads these
    tokens where the PDF reads the HTML rendered from the same parses. A text is parsed
    when Word asks for it, in the child process that builds the file; everything it
    needs is read before, here."""

    def __init__(self, paper: Paper, entries: list[appendix.Entry]) -> None:
        self._paper = paper
        self._items = {e.question.number: e for e in entries if isinstance(e, appendix.Item)}

    def answer(self, item: AppendixItem) -> Parsed:
        return self._paper.answer_parse(self._items[item.number])

    def report_section(self, section: ReportSection) -> Parsed:
        return parse(self._paper.printed_body(section), for_print=True)

    def executive_summary(self) -> Parsed:
        return parse(self._paper.consultation.executive_summary, for_print=True)


def signatories(report, signed: Signatures) -> list[dict]:
    """Names always; who signed and when only for a complete sign-off of this content."""
    if report is None:
        return []
    rows = []
    for role, name in [
        (SignOff.Role.EXECUTIVE_DIRECTOR, report.director_name),
        (SignOff.Role.PORTFOLIO_HOLDER, report.portfolio_holder_name),
    ]:
        approval = signed.approvals.get(role) if signed.valid else None
        rows.append(
            {
                "role": (approval and approval.signer_title) or SignOff.Role(role).label,
                "name": name,
                "date": timezone.localtime(approval.signed_at).date() if approval else None,
                # As they signed: renaming the account later changes nothing printed.
                "signed_by": approval.signer_name if approval else "",
            }
        )
    return rows


def _as_sent(kind: str, paper: Paper) -> bool:
    return kind == RESPONSE and agreed_by_cabinet(paper.response) and paper.report is not None


def _heading(paper: Paper, printed_on: date) -> Heading:
    response, report, consultation = paper.response, paper.report, paper.consultation
    return Heading(
        council=response.organisation_name,
        consultation=consultation.title,
        issued_by=consultation.issued_by,
        sent_on=response.sent_to_government_on or printed_on,
        contact_name=report.contact_name,
        contact_job_title=report.contact_job_title,
        contact_phone=report.contact_phone,
        contact_email=report.contact_email,
        decided_on=response.cabinet_decided_on,
        minute=response.cabinet_minute,
    )
