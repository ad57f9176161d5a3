"""Numbered paragraphs: each section of the Cabinet report numbered 1., 2., and its
paragraphs 1.1, 1.2, in the PDF and in Word alike. A report takes the council's setting
when it is made and keeps it: it is part of what the signatories sign."""

from __future__ import annotations

import pytest

from responses.documents import pdf, word
from responses.models import CabinetReport
from tests import pdfs, words
from tests.factories import council_settings, standard_report
from tests.papers import digest_of, paper_of

pytestmark = pytest.mark.django_db


def numbered(response) -> None:
    CabinetReport.objects.filter(response=response).update(number_paragraphs=True)


def test_the_pdf_numbers_each_section_and_its_paragraphs(seed):
    numbered(seed)

    content = pdf.cabinet_paper(paper_of(seed)).content
    lines = [" ".join(line.split()) for line in pdfs.layout_lines(content)]

    assert "1. Summary of report" in lines
    assert any(line.startswith("1.1 This was launched by the Government") for line in lines)
    assert any(line.startswith("1.2 The consultation document examines") for line in lines)
    assert "2. Recommendations" in lines
    assert any(line.startswith("2.1 That the Cabinet agrees") for line in lines)


def test_word_numbers_them_as_the_pdf_does(seed):
    numbered(seed)

    texts = [p.text for p in words.document(word.cabinet_paper(paper_of(seed)).content).paragraphs]

    assert "1.  Summary of report" in texts
    assert any(text.startswith("1.1\tThis was launched by the Government") for text in texts)
    assert any(text.startswith("2.1\tThat the Cabinet agrees") for text in texts)


def test_without_it_nothing_is_numbered(seed):
    texts = [p.text for p in words.document(word.cabinet_paper(paper_of(seed)).content).paragraphs]

    assert "Summary of report" in texts
    assert not any(text.startswith("1.1") for text in texts)


def test_a_new_report_takes_the_councils_setting():
    council_settings(number_paragraphs=True)
    assert standard_report().number_paragraphs is True
    council_settings(number_paragraphs=False)
    assert standard_report().number_paragraphs is False


def test_changing_the_setting_changes_no_report_already_made(seed):
    before = digest_of(seed)

    council_settings(number_paragraphs=True)

    assert digest_of(seed) == before
    texts = [p.text for p in words.document(word.cabinet_paper(paper_of(seed)).content).paragraphs]
    assert not any(text.startswith("1.1") for text in texts)


def test_numbering_is_part_of_what_is_signed(seed):
    before = digest_of(seed)
    numbered(seed)
    assert digest_of(seed) != before
