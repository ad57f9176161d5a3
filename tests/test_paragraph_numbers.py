"""Numbered paragraphs, the council's setting: each section of the Cabinet report
numbered 1., 2., and its paragraphs 1.1, 1.2, in the PDF and in Word alike."""

from __future__ import annotations

import pytest

from responses.documents import pdf, word
from tests import pdfs, words
from tests.factories import council_settings
from tests.papers import paper_of

pytestmark = pytest.mark.django_db


def test_the_pdf_numbers_each_section_and_its_paragraphs(seed):
    council_settings(name="Walsall Council", number_paragraphs=True)

    lines = [
        " ".join(line.split())
        for line in pdfs.layout_lines(pdf.cabinet_paper(paper_of(seed)).content)
    ]

    assert "1. Summary of report" in lines
    assert any(line.startswith("1.1 This was launched by the Government") for line in lines)
    assert any(line.startswith("1.2 The consultation document examines") for line in lines)
    assert "2. Recommendations" in lines
    assert any(line.startswith("2.1 That the Cabinet agrees") for line in lines)


def test_word_numbers_them_as_the_pdf_does(seed):
    council_settings(name="Walsall Council", number_paragraphs=True)

    texts = [p.text for p in words.document(word.cabinet_paper(paper_of(seed)).content).paragraphs]

    assert "1.  Summary of report" in texts
    assert any(text.startswith("1.1\tThis was launched by the Government") for text in texts)
    assert any(text.startswith("2.1\tThat the Cabinet agrees") for text in texts)


def test_without_the_setting_nothing_is_numbered(seed):
    council_settings(name="Walsall Council")

    texts = [p.text for p in words.document(word.cabinet_paper(paper_of(seed)).content).paragraphs]

    assert "Summary of report" in texts
    assert not any(text.startswith("1.1") for text in texts)
