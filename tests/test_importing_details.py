"""The consultation's own details, found in its text and its first page: offered on
the New consultation page as suggestions to check, never guessed wildly."""

from dataclasses import replace
from datetime import date

import pytest
from django.core.validators import URLValidator
from hypothesis import example, given, settings
from hypothesis import strategies as st

from responses.importing.details import FoundDetails, find_details, parse_date, states_a_detail
from responses.importing.facts import Facts, Line
from responses.importing.readers import read_document
from tests import consultation_documents as documents
from tests.strategies import PROPERTIES, examples, unicode_text

COVER = """\
Department for Levelling Up, Housing and Communities

# Planning reform: a new approach to local plans

Published 3 March 2025

This consultation closes on 14 April 2025.

https://www.gov.uk/government/consultations/planning-reform-local-plans
"""


def test_a_cover_page_gives_every_detail():
    found = find_details(COVER)

    assert found == FoundDetails(
        title="Planning reform: a new approach to local plans",
        issued_by="Department for Levelling Up, Housing and Communities",
        published_on=date(2025, 3, 3),
        responses_due_by=date(2025, 4, 14),
        reference_url="https://www.gov.uk/government/consultations/planning-reform-local-plans",
    )


@pytest.mark.parametrize(
    ("sentence", "closes"),
    [
        ("This consultation closes on 14 March 2025.", date(2025, 3, 14)),
        ("The consultation closes at 11:45pm on 14 March 2025.", date(2025, 3, 14)),
        ("The consultation closes at 11.59pm on Friday 14th March 2025.", date(2025, 3, 14)),
        ("Closing date: 14/03/2025", date(2025, 3, 14)),
        ("Closing date for responses: 14 Mar 2025", date(2025, 3, 14)),
        ("The deadline for responses is 2 June 2025.", date(2025, 6, 2)),
        ("Please send your response by 30 September 2024.", date(2024, 9, 30)),
        ("Responses should be received by 1 October 2024.", date(2024, 10, 1)),
        ("This consultation will close on\n9 January 2026 at midday.", date(2026, 1, 9)),
    ],
)
def test_closing_sentences_give_the_date_responses_are_due(sentence, closes):
    assert find_details(f"Some prose.\n\n{sentence}\n").responses_due_by == closes


@pytest.mark.parametrize(
    ("line", "published"),
    [
        ("Published 3 March 2025", date(2025, 3, 3)),
        ("Published on 3 March 2025", date(2025, 3, 3)),
        ("Published: 3rd March 2025", date(2025, 3, 3)),
        ("Date published: 03/03/2025", date(2025, 3, 3)),
        ("First published 3 March 2025", date(2025, 3, 3)),
        ("Publication date: 2025-03-03", date(2025, 3, 3)),
    ],
)
def test_publication_lines_give_the_date_it_was_published(line, published):
    assert find_details(f"{line}\n\nSome prose.\n").published_on == published


@pytest.mark.parametrize(
    "text",
    [
        "This consultation closes on 31 February 2025.",
        "Closing date: 31/02/2025",
        "This consultation closes on 14 Smarch 2025.",
        "This consultation closes on 14 March 1066.",
        "The consultation closes 12 weeks after it opens.",
    ],
)
def test_a_date_that_does_not_exist_or_is_not_there_is_not_suggested(text):
    assert find_details(text).responses_due_by is None


def test_a_later_sentence_with_a_real_date_is_used_when_the_first_is_wrong():
    text = "It closes on 31 February 2025.\n\nThis consultation closes on 28 February 2025.\n"

    assert find_details(text).responses_due_by == date(2025, 2, 28)


@pytest.mark.parametrize(
    "written",
    ["14 March 2025", "14th March 2025", "Friday 14 March 2025", "14 Mar 2025",
     "March 14, 2025", "14/03/2025", "14.03.2025", "14/03/25", "2025-03-14", "14 of March 2025"],
)  # fmt: skip
def test_uk_dates_are_read_day_first(written):
    assert parse_date(written) == date(2025, 3, 14)


@pytest.mark.parametrize("written", ["31 February 2025", "29/02/2025", "13/13/2025", "soon"])
def test_impossible_dates_are_none(written):
    assert parse_date(written) is None


@pytest.mark.parametrize(
    "department",
    [
        "Department for Levelling Up, Housing and Communities",
        "Department for Environment, Food & Rural Affairs",
        "Department of Health and Social Care",
        "Ministry of Housing, Communities and Local Government",
        "HM Treasury",
        "Cabinet Office",
        "Welsh Government",
        "Office of the Deputy Prime Minister",
        "Equality and Social Justice Committee",
        "Senedd Cymru Finance Committee",
    ],
)
def test_a_line_naming_a_department_or_committee_is_who_issued_it(department):
    text = f"Consultation on something\n\n{department}\n\nSome prose about it.\n"

    assert find_details(text).issued_by == department


def test_a_department_named_in_prose_is_not_taken_for_the_issuer():
    text = "The Department for Education is consulting on changes to school funding.\n"

    assert find_details(text).issued_by == ""


def test_a_web_pages_from_line_names_the_issuer():
    text = (
        "Consultation\n\nBus services: the next steps\n\nFrom:\nNatural England\n\n"
        "Published 3 March 2025\n"
    )

    found = find_details(text)

    assert found.issued_by == "Natural England"
    assert found.title == "Bus services: the next steps"


@pytest.mark.parametrize(
    ("text", "url"),
    [
        (
            "Read more at www.gov.uk/government/consultations/bus-services.",
            "https://www.gov.uk/government/consultations/bus-services",
        ),
        (
            "See https://www.legislation.gov.uk/ukpga/2023/55 and respond at "
            "https://consult.dft.gov.uk/bus-services/ (the survey).",
            "https://consult.dft.gov.uk/bus-services/",
        ),
        (
            "The page is https://www.gov.uk/government/\nconsultations/bus-services-2025",
            "https://www.gov.uk/government/consultations/bus-services-2025",
        ),
        (
            "Respond online: https://senedd.wales/committee/123/ or by email.",
            "https://senedd.wales/committee/123/",
        ),
    ],
)
def test_the_consultations_web_address_is_the_first_government_one(text, url):
    assert find_details(text).reference_url == url


@pytest.mark.parametrize(
    "address",
    [
        "https://consult.evil.example/bus-services/",
        "https://www.gov.uk.evil.example/consultations/bus",
        "https://evilgov.uk/consultations/bus",
        "https://www.gov.uk@evil.example/consultations/bus",
        "https://www.gov.u\u212a/consultations/bus",  # a Kelvin sign, not a K
    ],
)
def test_an_address_off_government_sites_is_never_suggested_whatever_it_says(address):
    assert find_details(f"Respond to the consultation at {address} by March.").reference_url == ""


def test_an_email_address_or_a_bare_home_page_is_no_web_address():
    text = "Write to consultation@levellingup.gov.uk, or see https://www.gov.uk for more.\n"

    assert find_details(text).reference_url == ""


def test_a_document_without_details_suggests_nothing():
    assert find_details("1. Should every area have a partnership?\n\n2. Who pays?\n") == (
        FoundDetails()
    )


def test_the_first_pages_largest_text_is_the_title():
    facts = Facts(
        first_page=(
            Line("Department for Transport", 14),
            Line("Bus services:", 26),
            Line("the next steps", 26),
            Line("Consultation", 16),
            Line("Published 3 March 2025", 11),
            Line("Some words of the introduction, in the body's type.", 11),
        )
    )

    found = find_details("Anything\n", facts)

    assert found.title == "Bus services: the next steps"
    assert found.issued_by == "Department for Transport"


def test_the_files_own_title_is_used_when_the_first_page_has_none():
    facts = Facts(title="Bus services: the next steps", first_page=(Line("All one size", 11),))

    assert find_details("Anything\n", facts).title == "Bus services: the next steps"


@pytest.mark.parametrize(
    "junk", ["Microsoft Word - bus_services_v3.docx", "bus_services_v3.pdf", "Untitled", "Title"]
)
def test_a_file_title_that_is_a_file_name_or_a_placeholder_is_not_used(junk):
    facts = Facts(title=junk, first_page=(Line("All one size", 11),))

    assert find_details("Anything\n", facts).title == ""


def test_the_files_author_is_the_issuer_only_when_it_names_a_department():
    assert find_details("x\n", Facts(authors=("jsmith", "HM Treasury"))).issued_by == (
        "HM Treasury"
    )
    assert find_details("x\n", Facts(authors=("jsmith",))).issued_by == ""


GOV_UK_PAGE = """Skip to main content
GOV.UK
Home
Housing, local and community
Consultation
Reforming the right to buy
From:
Ministry of Housing, Communities and Local Government
Published
20 November 2024
Last updated
21 November 2024 — See all updates
Contents
Summary
This consultation closes at
11:59pm on 15 January 2025
"""

SENEDD_PAGE = """Senedd Cymru
Welsh Parliament
Local Government and Housing Committee
Consultation on the Senedd's capacity
The Committee invites views on the matters below.
- Does the Senedd have the capacity it needs to scrutinise legislation?
The deadline for responses is Friday 5 September 2025.
"""


def test_a_govuk_page_pasted_whole_gives_its_title_not_its_navigation():
    found = find_details(GOV_UK_PAGE)

    assert found == FoundDetails(
        title="Reforming the right to buy",
        issued_by="Ministry of Housing, Communities and Local Government",
        published_on=date(2024, 11, 20),
        responses_due_by=date(2025, 1, 15),
    )


def test_a_committees_page_gives_the_committee_and_the_title_after_it():
    found = find_details(SENEDD_PAGE)

    assert found.title == "Consultation on the Senedd's capacity"
    assert found.issued_by == "Local Government and Housing Committee"
    assert found.responses_due_by == date(2025, 9, 5)


def test_a_letter_with_a_date_but_no_issuer_gives_no_title():
    letter = (
        "Dear colleague,\nWe are writing to ask your views on the attached paper. Please "
        "respond by 3 May 2025.\nYours faithfully,\nJo Smith\n"
    )

    found = find_details(letter)

    assert found.title == ""
    assert found.responses_due_by == date(2025, 5, 3)


def test_a_parliaments_name_in_large_type_is_not_the_title():
    facts = Facts(
        first_page=(
            Line("Senedd Cymru", 28),
            Line("Welsh Parliament", 28),
            Line("Finance Committee", 14),
            Line("The cost of new legislation", 20),
            Line("Some words of the introduction, in the body's type.", 11),
        )
    )

    assert find_details("x\n", facts).title == "The cost of new legislation"


def test_labels_on_a_cover_are_not_the_title():
    text = "Open consultation\n\nContents\n\nBus services: the next steps\n\nFrom: HM Treasury\n"

    assert find_details(text).title == "Bus services: the next steps"


# ---------------------------------------------------------------------------
# Whole documents, as councils receive them


def _expected() -> FoundDetails:
    return FoundDetails(
        title=documents.TITLE,
        issued_by=documents.DEPARTMENT,
        published_on=documents.PUBLISHED,
        responses_due_by=documents.CLOSES,
        reference_url=documents.ADDRESS,
    )


def test_a_whole_pdf_gives_its_details():
    pdf = documents.consultation_pdf()

    found = find_details(*_read("consultation.pdf", pdf))

    assert found == _expected()


def test_a_whole_word_file_gives_its_details():
    docx = documents.consultation_docx()

    found = find_details(*_read("consultation.docx", docx))

    assert found == _expected()


def test_a_consultations_web_page_pasted_gives_its_details():
    found = find_details(documents.consultation_web_page())

    assert found == replace(_expected(), reference_url=documents.RESPOND_ONLINE)


# ---------------------------------------------------------------------------
# Whatever the text, what is suggested fits the fields


FRAGMENTS = [
    "Published ",
    "This consultation closes on ",
    "Closing date: ",
    "From: ",
    "Department for ",
    "HM Treasury",
    " Committee",
    "14 March 2025",
    "31/02/2025",
    "29 February 2024",
    "https://www.gov.uk/",
    "www.gov.uk/consultations/a",
    "consultation",
    "http://consult.",
    "\n",
    "\n\n",
    "# ",
    ". ",
    "-",
    "/",
]


@settings(PROPERTIES, max_examples=examples(300))
@example(["http://consult."])
@example(["http://consult.", "http://consult."])
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), unicode_text(12)), max_size=40))
def test_whatever_the_text_the_details_found_are_ones_the_form_could_hold(pieces):
    found = find_details("".join(pieces))

    assert len(found.title) <= 300
    assert len(found.issued_by) <= 200
    for day in (found.published_on, found.responses_due_by):
        assert day is None or date(1990, 1, 1) <= day <= date(2100, 12, 31)
    if found.reference_url:
        URLValidator(schemes=["http", "https"])(found.reference_url)
        assert len(found.reference_url) <= 200


@pytest.mark.parametrize(
    "line",
    [
        "Skip to main content",
        "Home",
        "Committees",
        "Open consultation",
        "From:",
        "Published",
        "Published 10 March 2025",
        "3 March 2025",
        "This consultation closes at",
        "11:59pm on 14 April 2025",
        "Closing date: 14 April 2025",
        "Department for Environment, Food & Rural Affairs",
        "Local Government and Housing Committee",
        "https://www.gov.uk/government/consultations/local-audit",
        "Rt Hon Jane Minister MP",
        "Date published: 12 January 2027",
        "© Crown copyright 2027",
        "The Rt. Hon. Jane Minister",
        "Jane Minister MS",
        "Minister for Local Government",
        "Secretary of State for Housing, Communities and Local Government",
    ],
)
def test_a_line_stating_only_a_detail_or_navigation_is_recognised(line):
    assert states_a_detail(line)


@pytest.mark.parametrize(
    "line",
    [
        "Consultation description",
        "Changes to the fee scale from 1 April 2026",
        "Closing the audit backlog",
        "1. Introduction",
        "Do you agree with the deadline of 30 November 2025?",
        "Ministerial foreword",
        "The Minister's powers to intervene",
    ],
)
def test_a_heading_that_mentions_a_date_or_closing_is_not_a_detail(line):
    assert not states_a_detail(line)


def _read(name: str, data: bytes) -> tuple[str, Facts]:
    reading = read_document(name, data)
    return reading.text, reading.facts


@pytest.mark.parametrize(
    "cover",
    ["Llywodraeth Cymru\nWelsh Government", "Llywodraeth Cymru"],
)
def test_a_welsh_government_cover_in_both_languages_is_issued_by_the_welsh_government(cover):
    """The bilingual logo puts the Welsh name first; the response is written in English."""
    text = f"{cover}\n\nConsultation Document\n\nSufficient childcare\n\nSome prose.\n"

    assert find_details(text).issued_by == "Welsh Government"
