"""The conflict pages name who saved first, and say so when it was the reader's own other window."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from responses.models import Answer, ReportSection
from tests.html import text as text_of

pytestmark = pytest.mark.django_db


def answer_post(client, response, text, version, number="12"):
    current = Answer.objects.get(response=response, question__number=number)
    return client.post(
        reverse("answer_edit", args=[response.pk, number]),
        {"text": text, "status": current.status, "assignee": "", "version": version},
    )


def section_post(client, response, section, text, version):
    return client.post(
        reverse("section_edit", args=[response.pk, section.pk]),
        {"heading": section.heading, "text": text, "version": version},
    )


def saved_at(answer_or_section) -> str:
    return timezone.localtime(answer_or_section.changed_at).strftime("%H:%M")


def test_an_answers_conflict_names_who_saved_the_version_and_when(officer, lead, seed):
    lead.first_name, lead.last_name = "Jane", "Smith"
    lead.save()
    first, second = Client(), Client()
    first.force_login(lead)
    second.force_login(officer)
    answer_post(first, seed, "The lead's words.", 1)

    result = answer_post(second, seed, "The officer's words.", 1)

    assert result.status_code == 409
    page = text_of(result.content.decode())
    saved = Answer.objects.get(response=seed, question__number="12")
    assert f"Jane Smith saved version 2 at {saved_at(saved)}" in page
    assert "Jane Smith saved this while you were editing" in page
    assert "another window" not in page


def test_an_answers_conflict_with_your_own_other_window_says_so(officer, seed):
    one_tab, other_tab = Client(), Client()
    one_tab.force_login(officer)
    other_tab.force_login(officer)
    answer_post(one_tab, seed, "Words from the first tab.", 1)

    result = answer_post(other_tab, seed, "Words from the second tab.", 1)

    assert result.status_code == 409
    page = text_of(result.content.decode())
    saved = Answer.objects.get(response=seed, question__number="12")
    assert f"You saved version 2 at {saved_at(saved)}, in another window" in page
    assert "Someone else" not in page


def test_a_sections_conflict_names_who_saved_it(officer, lead, seed):
    target = ReportSection.objects.get(heading="Recommendations")
    first, second = Client(), Client()
    first.force_login(lead)
    second.force_login(officer)
    section_post(first, seed, target, "Lead's version", 1)

    result = section_post(second, seed, target, "Mine", 1)

    assert result.status_code == 409
    target.refresh_from_db()
    page = text_of(result.content.decode())
    assert f"{lead.get_full_name()} saved version 2 at {saved_at(target)}" in page


def test_a_sections_conflict_with_your_own_other_window_says_so(officer, seed):
    target = ReportSection.objects.get(heading="Recommendations")
    one_tab, other_tab = Client(), Client()
    one_tab.force_login(officer)
    other_tab.force_login(officer)
    section_post(one_tab, seed, target, "First tab", 1)

    result = section_post(other_tab, seed, target, "Second tab", 1)

    assert result.status_code == 409
    target.refresh_from_db()
    page = text_of(result.content.decode())
    assert f"You saved version 2 at {saved_at(target)}, in another window" in page
    assert "Someone else" not in page
