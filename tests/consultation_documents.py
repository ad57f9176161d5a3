"""Whole consultation documents, as councils receive them, built in code.

One consultation three ways: a PDF (WeasyPrint) and a Word file (python-docx), each
with a cover page, a contents page with dot leaders and page numbers, numbered
paragraphs (1.1, 1.2), its questions in boxes in the body and again in a summary
annex; and its web page's text as pasted, the questions as bullets. What each should
give back is below them: the details, the questions and the headings.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from datetime import date

import weasyprint
from docx import Document
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt

TITLE = "Local nature recovery: strengthening the role of councils"
DEPARTMENT = "Department for Environment, Food & Rural Affairs"
PUBLISHED = date(2025, 3, 3)
CLOSES = date(2025, 4, 14)
ADDRESS = "https://www.gov.uk/government/consultations/local-nature-recovery-strengthening-the-role"
RESPOND_ONLINE = "https://consult.defra.gov.uk/nature/local-nature-recovery"

QUESTIONS = [
    (
        "1",
        "Do you agree that councils should lead the preparation of local nature recovery "
        "strategies in their area?",
    ),
    ("2", "Which other bodies should a council be required to work with, and how?"),
    (
        "3",
        "What data and mapping support would help your council to identify areas that "
        "could become of particular importance for biodiversity?",
    ),
    ("4", "How much officer time would preparing a strategy take in your council?"),
    ("5", "Should new burdens funding be provided for the first review of each strategy?"),
    (
        "6",
        "Do you agree that councils should report on progress every five years?",
    ),
]

# (level, title, [paragraphs and questions]); a question is its number, as in QUESTIONS.
CHAPTERS: list[tuple[int, str, list[str]]] = [
    (
        1,
        "1. Introduction",
        [
            "1.1 The Environment Act 2021 requires a system of local nature recovery "
            "strategies covering the whole of England.",
            "1.2 This consultation seeks views on the part councils should play in "
            "preparing and delivering them.",
            "1.3 We welcome responses from councils, partnerships and anyone with an "
            "interest in nature recovery.",
        ],
    ),
    (1, "2. Local nature recovery strategies", []),
    (
        2,
        "Roles and responsibilities",
        [
            "2.1 Each strategy is prepared by a responsible authority appointed by the "
            "Secretary of State.",
            "2.2 We propose that, in most areas, this should be the upper-tier council.",
            "Q1",
            "Q2",
        ],
    ),
    (
        2,
        "Data and mapping",
        [
            "2.3 Good data underpins every strategy: habitat maps, species records and "
            "the opportunities for recovery they reveal.",
            "Q3",
        ],
    ),
    (
        1,
        "3. Funding and capacity",
        [
            "3.1 Councils have told us that preparing a strategy draws on ecologists, "
            "planners and data officers.",
            "3.2 We want to understand the cost of this work before settling the funding.",
            "Q4",
            "3.3 The first review of each strategy is expected within ten years.",
            "Q5",
        ],
    ),
    (1, "4. Reporting", ["4.1 We propose a light-touch report on progress.", "Q6"]),
    (
        1,
        "5. The consultation process",
        [
            "5.1 This consultation closes on 14 April 2025. Responses should be sent by "
            "11:59pm on that day.",
            f"5.2 You can respond online at {RESPOND_ONLINE} or by email to "
            "nature.recovery@defra.gov.uk.",
            "5.3 Your response will be handled in line with the Data Protection Act 2018.",
        ],
    ),
]
ANNEX = "Annex A: Summary of consultation questions"

# What a reading of the whole document should give.
EXPECTED_QUESTIONS = QUESTIONS
EXPECTED_HEADINGS = [
    ("2. Local nature recovery strategies", 1),
    ("Roles and responsibilities", 2),
    ("Data and mapping", 2),
    ("3. Funding and capacity", 1),
    ("4. Reporting", 1),
]
CONTENTS = [
    "1. Introduction",
    "2. Local nature recovery strategies",
    "3. Funding and capacity",
    "4. Reporting",
    "5. The consultation process",
    ANNEX,
]


def _question(number: str) -> str:
    return dict(QUESTIONS)[number]


def _evidence(page: int) -> list[str]:
    """A page of an evidence annex, to make a document as long as a real one."""
    return [
        f"B.{page}.{n} In pilot area {page}, the council brought together habitat maps, "
        "species records and the knowledge of local groups to agree where recovery "
        "would do most good. Officers found that early work with landowners, farmers "
        "and parish councils saved time later, and that a shared map helped each "
        "partner see where its own land fitted into the wider network."
        for n in range(1, 5)
    ]


# ---------------------------------------------------------------------------
# PDF


_PDF_STYLE = """
@page { size: A4; margin: 25mm 20mm;
        @top-center { content: "Local nature recovery: consultation"; font-size: 9pt }
        @bottom-center { content: "Page " counter(page) " of " counter(pages); font-size: 9pt } }
@page :first { @top-center { content: none } @bottom-center { content: none } }
body { font-family: sans-serif; font-size: 11pt; line-height: 1.4 }
.department { font-size: 14pt; margin-bottom: 30mm }
.title { font-size: 26pt; font-weight: bold; margin-bottom: 12mm }
.kind { font-size: 16pt; margin-bottom: 20mm }
.contents-title, h1 { font-size: 18pt; break-before: page }
h2 { font-size: 14pt }
.contents a { color: black; text-decoration: none }
.contents a::after { content: leader('.') target-counter(attr(href), page) }
.question { border: 1px solid #1d70b8; background: #eef4fb; padding: 3mm 4mm; margin: 4mm 0 }
.evidence { break-before: page }
"""


def consultation_pdf(evidence_pages: int = 0) -> bytes:
    """The consultation as its department printed it, with as many pages of evidence
    annex after the summary of questions as asked for."""
    head = (
        f"<title>{html.escape(TITLE)}</title><meta name=author content='Defra'>"
        f"<style>{_PDF_STYLE}</style>"
    )
    cover = (
        f"<div class=department>{html.escape(DEPARTMENT)}</div>"
        f"<div class=title>{html.escape(TITLE)}</div><div class=kind>Consultation</div>"
        f"<p>Published {PUBLISHED:%-d %B %Y}</p>"
        f"<p>This consultation closes on {CLOSES:%-d %B %Y}</p>"
        f"<p>{ADDRESS}</p>"
    )
    entries = [(f"#chapter-{i}", title) for i, title in enumerate(CONTENTS)]
    contents = "<div class=contents-title>Contents</div><div class=contents>" + "".join(
        f"<p><a href='{href}'>{html.escape(title)}</a></p>" for href, title in entries
    )
    contents += "</div>"
    body, chapter = [], 0
    for level, title, parts in CHAPTERS:
        if level == 1:
            body.append(f"<h1 id=chapter-{chapter}>{html.escape(title)}</h1>")
            chapter += 1
        else:
            body.append(f"<h2>{html.escape(title)}</h2>")
        for part in parts:
            if re.fullmatch(r"Q\d+", part):
                number = part[1:]
                body.append(
                    f"<div class=question>Question {number}: {html.escape(_question(number))}</div>"
                )
            else:
                body.append(f"<p>{html.escape(part)}</p>")
    body.append(f"<h1 id=chapter-{chapter}>{html.escape(ANNEX)}</h1>")
    body += [f"<p>Question {n}: {html.escape(text)}</p>" for n, text in QUESTIONS]
    for page in range(1, evidence_pages + 1):
        heading = "<h2>Annex B: Evidence from the pilot areas</h2>" if page == 1 else ""
        paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in _evidence(page))
        body.append(f"<div class=evidence>{heading}{paragraphs}</div>")
    document = f"<html lang=en><head>{head}</head><body>{cover}{contents}{''.join(body)}</body>"
    return weasyprint.HTML(string=document).write_pdf()


# ---------------------------------------------------------------------------
# Word


def consultation_docx(*, counted_pages: int | None = 9) -> bytes:
    """The consultation as a Word file; `counted_pages` is the page count Word would
    have stored on saving it (None: as python-docx leaves it, never counted)."""
    document = Document()
    document.core_properties.title = TITLE
    document.core_properties.author = "Smith, Jo (Defra)"
    document.add_paragraph(DEPARTMENT).runs[0].font.size = Pt(14)
    document.add_paragraph(TITLE, style="Title")
    document.add_paragraph("Consultation", style="Subtitle")
    document.add_paragraph(f"Published {PUBLISHED:%-d %B %Y}")
    document.add_paragraph(f"This consultation closes on {CLOSES:%-d %B %Y}")
    document.add_paragraph(ADDRESS)
    document.add_page_break()

    document.add_paragraph("Contents", style="TOC Heading")
    pages = [3, 4, 5, 6, 7, 8]
    for title, page in zip(CONTENTS, pages, strict=True):
        entry = document.add_paragraph(f"{title}\t{page}")
        entry.paragraph_format.tab_stops.add_tab_stop(
            Cm(16), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )
    for level, title, parts in CHAPTERS:
        if level == 1:
            document.add_page_break()
        document.add_heading(title, level=level)
        for part in parts:
            if part == "Q5":
                _boxed_in_a_table(document, f"Question 5: {_question('5')}")
            elif re.fullmatch(r"Q\d+", part):
                _boxed(document, f"Question {part[1:]}: {_question(part[1:])}")
            else:
                document.add_paragraph(part)
    document.add_page_break()
    document.add_heading(ANNEX, level=1)
    for number, text in QUESTIONS:
        document.add_paragraph(f"Question {number}: {text}")
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    return data if counted_pages is None else _as_word_saved_it(data, counted_pages)


def _boxed(document, text: str) -> None:
    """A paragraph with a border all round and shading, as departments box questions."""
    paragraph = document.add_paragraph(text)
    sides = "".join(
        f'<w:{side} w:val="single" w:sz="8" w:space="4" w:color="1D70B8"/>'
        for side in ("top", "left", "bottom", "right")
    )
    properties = paragraph._p.get_or_add_pPr()
    properties.append(parse_xml(f"<w:pBdr {nsdecls('w')}>{sides}</w:pBdr>"))
    properties.append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:fill="EEF4FB"/>'))


def _boxed_in_a_table(document, text: str) -> None:
    table = document.add_table(rows=1, cols=1)
    table.style = "Table Grid"
    table.cell(0, 0).text = text


def _as_word_saved_it(data: bytes, pages: int) -> bytes:
    """The file with the page and word counts Word stores in docProps/app.xml."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "docProps/app.xml":
                text = content.decode()
                text = re.sub(r"<Pages>\d+</Pages>", f"<Pages>{pages}</Pages>", text)
                text = re.sub(r"<Words>\d+</Words>", "<Words>1187</Words>", text)
                text = re.sub(r"<Company/>", "<Company>Defra</Company>", text)
                content = text.encode()
            target.writestr(item, content)
    return out.getvalue()


# ---------------------------------------------------------------------------
# The web page, as its text is pasted


def consultation_web_page() -> str:
    bullets = "\n".join(f"• {text}" for _, text in QUESTIONS)
    return f"""Open consultation
{TITLE}
From:
{DEPARTMENT}
Published
{PUBLISHED:%-d %B %Y}
Summary
We are seeking views on how councils should lead local nature recovery.
This consultation closes at
11:59pm on {CLOSES:%-d %B %Y}
Consultation description
Local nature recovery strategies are a new system of spatial strategies for nature.
We would like your views on the following questions.
{bullets}
Ways to respond
Respond online at {RESPOND_ONLINE}
or email nature.recovery@defra.gov.uk
"""


GOVUK_QUESTIONS = [
    ("What is changing?", "Do you agree that every local transport authority should be able to "
     "franchise without consent?"),
    ("What is changing?", "What guidance would your authority need to carry out a franchising "
     "assessment?"),
    ("What is changing?", "How long would it take to move from a decision to the first "
     "franchised services?"),
    ("Who is affected?", "Should enhanced partnership plans be reviewed at least every two "
     "years?"),
    ("Who is affected?", "What stops your authority from varying an enhanced partnership "
     "scheme?"),
    ("How will funding work?", "Do you agree with the proposed funding formula?"),
    ("How will funding work?", "What would a single multi-year settlement mean for your "
     "authority?"),
]  # fmt: skip
# What GOV.UK prints round a consultation's own words: none of it is a heading or question.
GOVUK_CHROME = [
    "Cookies on GOV.UK",
    "Accept additional cookies",
    "Reject additional cookies",
    "View cookies",
    "Search GOV.UK",
    "Transport",
    "Buses and coaches",
    "Get emails about this page",
    "Applies to England",
    "Documents",
    "Details",
    "Related content",
    "Is this page useful?",
    "Maybe",
    "Yes this page is useful",
    "No this page is not useful",
    "Report a problem with this page",
    "Services and information",
]


def govuk_web_page() -> str:
    """A GOV.UK consultation page as a browser copies it, one line a paragraph and no
    blank lines: cookie banner, breadcrumbs, the details, headings that ask over
    groups of bulleted questions, the ways to respond and the page's footer."""
    groups: dict[str, list[str]] = {}
    for heading, question in GOVUK_QUESTIONS:
        groups.setdefault(heading, []).append(f"• {question}")
    prose = {
        "What is changing?": "We propose to remove the need for authorities outside mayoral "
        "areas to seek the Secretary of State's consent before franchising.\n"
        "We would like to know:",
        "Who is affected?": "Local transport authorities, bus operators and passengers in "
        "England outside London.",
        "How will funding work?": "",
    }
    body = "\n".join(
        "\n".join(filter(None, [heading, prose[heading], *bullets]))
        for heading, bullets in groups.items()
    )
    return f"""Skip to main content
Cookies on GOV.UK
We use some essential cookies to make this website work.
Accept additional cookies
Reject additional cookies
View cookies
GOV.UK
Menu
Search GOV.UK
Home
Transport
Buses and coaches
Open consultation
Local bus services: a new framework for franchising and partnerships
We're seeking views on proposals to give all local transport authorities the power to \
franchise bus services and to reform enhanced partnerships.
From:
Department for Transport
Published
12 January 2027
Get emails about this page
Print this page
Applies to England
Documents
Local bus services: consultation document
PDF, 1.2 MB, 34 pages
This file may not be suitable for users of assistive technology.
Request an accessible format.
Details
This consultation closes at
11:59pm on 6 April 2027
{body}
Ways to respond
Respond online at https://www.smartsurvey.co.uk/s/dft-bus-framework/
or
Email to:
buses.consultation@dft.gov.uk
Write to:
Local Buses Consultation
Department for Transport
Great Minster House
33 Horseferry Road
London
SW1P 4DR
Related content
Bus Services Act 2017: franchising scheme guidance
Is this page useful?
Maybe
Yes this page is useful
No this page is not useful
Report a problem with this page
Services and information
Benefits
All content is available under the Open Government Licence v3.0, except where otherwise stated
© Crown copyright
"""


# ---------------------------------------------------------------------------
# A second department's style: each question printed three times (its chapter, a
# summary annex and a response form with boxed answers), one of them wrapped alike
# each time, and numbered paragraphs that end in a footnote's mark.

AUDIT_DEPARTMENT = "Ministry of Housing, Communities and Local Government"
AUDIT_TITLE = "Strengthening local audit: proposals for a new local audit system"
AUDIT_QUESTIONS = [
    ("1", "Overseeing the system", "Which functions, if any, should remain with the regulator?"),
    (
        "2",
        "Overseeing the system",
        "What would be the impact on your authority of the proposed fee scale? If not, why not?",
    ),
    (
        "3",
        "Capacity and skills",
        "Do you agree that audit committees should include at least one independent "
        "member? Please give reasons.",
    ),
]
_AUDIT_STYLE = """
@page { size: A4; margin: 25mm 22mm;
  @top-right { content: "Strengthening local audit"; font-size: 8pt }
  @bottom-center { content: counter(page); font-size: 9pt } }
@page :first { @top-right { content: none } @bottom-center { content: none } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10.5pt; line-height: 1.45 }
.dept { font-size: 13pt; font-weight: bold; margin-bottom: 40mm }
.title { font-size: 28pt; font-weight: bold; margin-bottom: 8mm }
.sub { font-size: 16pt; margin-bottom: 40mm }
h1 { font-size: 20pt; break-before: page }
.q { background: #dde8f3; padding: 4mm 5mm; margin: 5mm 0 }
.fn { font-size: 8pt; border-top: 1px solid #999; margin-top: 8mm; padding-top: 2mm }
"""


def audit_pdf() -> bytes:
    asked = [(n, html.escape(text)) for n, _, text in AUDIT_QUESTIONS]
    parts = [
        f"<style>{_AUDIT_STYLE}</style><div class=dept>{AUDIT_DEPARTMENT}</div>",
        f"<div class=title>{AUDIT_TITLE}</div><div class=sub>Consultation</div>",
        "<p>Published 3 February 2025</p>",
        "<p>This consultation closes at 11:59pm on 14 April 2025</p>",
        "<h1>1. Introduction</h1><p>1.1 Local authorities in England spend over £100 billion "
        "each year on services for residents.</p><p>1.2 The Government has already "
        "legislated for backstop dates.<sup>1</sup></p>"
        "<div class=fn>1 See the Accounts and Audit (Amendment) Regulations 2024.</div>",
    ]
    chapters = ["1. Introduction"]
    for (number, text), (_, title, _) in zip(asked, AUDIT_QUESTIONS, strict=True):
        if not chapters[-1].endswith(title):
            chapters.append(f"{len(chapters) + 1}. {title}")
            parts.append(f"<h1>{chapters[-1]}</h1><p>{len(chapters)}.1 The proposals follow.</p>")
        parts.append(f"<div class=q><b>Question {number}:</b> {text}</div>")
    parts.append("<h1>Annex A: Summary of questions</h1>")
    parts += [f"<p>Question {number}: {text}</p>" for number, text in asked]
    parts.append(
        "<h1>Annex B: Response form</h1><p>Name:</p><p>Email address: ____________</p>"
        "<p>Are you responding on behalf of an organisation? Yes / No</p>"
    )
    parts += [
        f"<p>Question {number}: {text}</p><p>\u2610 Yes \u2610 No \u2610 Don't know</p>"
        "<p>Comments: ______________________________</p>"
        for number, text in asked
    ]
    return weasyprint.HTML(string="".join(parts)).write_pdf()


def committee_web_page() -> str:
    """A Senedd committee's call for evidence as its page's text is pasted: navigation,
    the committee's name and a date above three bulleted questions."""
    return """Skip to main content
Senedd Cymru
Welsh Parliament
Home
Committees
Local Government and Housing Committee
Call for evidence: The capacity of local planning authorities
The Committee is holding an inquiry into the capacity of local planning authorities in Wales.
Published 10 March 2025
The Committee would welcome your views on the following:
- Do local planning authorities have the capacity and skills they need?
- What are the main barriers to recruiting and retaining planning officers in Wales?
How to respond
Please send your response by email. The deadline for responses is Friday 25 April 2025.
"""
