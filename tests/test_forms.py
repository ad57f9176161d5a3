"""The Markdown text boxes' field: counted as stored, no silent cut, links checked."""

import pytest
from django import forms

from responses.forms import ReportSectionForm, markdown_field
from responses.importing.forms import ConsultationForm


def test_a_line_break_sent_as_crlf_counts_once_as_it_is_stored():
    field = markdown_field("Answer")
    text = "\r\n".join(["A line."] * 2_500)
    stored = text.replace("\r\n", "\n")
    assert len(text) > 20_000 >= len(stored)
    assert field.clean(text) == stored


def test_over_the_limit_the_message_counts_as_the_counter_does():
    field = markdown_field("Answer")
    with pytest.raises(forms.ValidationError) as refused:
        field.clean("\r\n".join(["x"] * 10_001))  # 10,001 letters and 10,000 breaks
    assert refused.value.messages == [
        "The answer must be 20,000 characters or fewer; it has 20001. Nothing was saved."
    ]


def test_the_box_has_no_maxlength_and_tells_the_counter_the_limit():
    html = str(ReportSectionForm()["text"])
    assert "maxlength" not in html
    assert 'data-max-length="20000"' in html
    assert "data-markdown" in html


def test_a_relative_link_is_refused_by_the_markdown_field():
    with pytest.raises(forms.ValidationError, match="“/plans/x” is not a full web address"):
        markdown_field("Text").clean("See [the plan](/plans/x).")


@pytest.mark.django_db
def test_the_executive_summary_is_a_markdown_box_with_links_checked(lead):
    form = ConsultationForm({"executive_summary": "See [the plan](/plans/x)."}, user=lead)
    form.is_valid()
    assert form.errors["executive_summary"] == [
        "The link to “/plans/x” is not a full web address, so it would lead nowhere once "
        "printed or sent. Write the whole address, starting https://."
    ]
    html = str(form["executive_summary"])
    assert "maxlength" not in html
    assert 'data-max-length="100000"' in html
    assert "data-markdown" in html
