"""Downloading the PDFs, and `manage.py export_pdf`."""

from urllib.parse import unquote

import pytest
from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.urls import reverse

from responses import pdf
from responses.models import CabinetReport
from responses.paper import Paper
from tests import pdfs

pytestmark = pytest.mark.django_db


def download_name(result) -> str:
    disposition = result["Content-Disposition"]
    assert disposition.startswith("attachment;")
    return unquote(disposition.split("filename*=utf-8''")[-1].split('filename="')[-1]).strip('"')


@pytest.mark.parametrize("persona", ["officer", "lead", "director", "portfolio_holder"])
def test_every_role_downloads_the_cabinet_paper(client, request, persona, seed):
    client.force_login(request.getfixturevalue(persona))
    result = client.get(reverse("cabinet_paper_pdf", args=[seed.pk]))
    assert result.status_code == 200
    assert result["Content-Type"] == "application/pdf"
    assert download_name(result).startswith("2006-03-01 Cabinet - Consultation response")
    assert result.content.startswith(b"%PDF-")


def test_response_pdf_downloads(client, officer, seed):
    client.force_login(officer)
    result = client.get(reverse("response_pdf", args=[seed.pk]))
    assert result.status_code == 200
    assert download_name(result).startswith("Walsall Council - response to")
    assert "Summary of report" not in pdfs.text(result.content)


def test_a_user_in_no_role_gets_no_pdf(client, outsider, seed):
    client.force_login(outsider)
    for name in ["cabinet_paper_pdf", "response_pdf"]:
        assert client.get(reverse(name, args=[seed.pk])).status_code == 403


def test_no_such_response_is_404(client, officer):
    client.force_login(officer)
    assert client.get(reverse("cabinet_paper_pdf", args=[999])).status_code == 404


def test_a_response_without_a_report_has_no_cabinet_paper_but_has_its_response(
    client, officer, seed
):
    CabinetReport.objects.all().delete()
    client.force_login(officer)
    assert client.get(reverse("cabinet_paper_pdf", args=[seed.pk])).status_code == 404
    assert client.get(reverse("response_pdf", args=[seed.pk])).status_code == 200


def test_export_pdf_writes_both_documents(seed, tmp_path):
    paper, response = tmp_path / "paper.pdf", tmp_path / "response.pdf"
    call_command("export_pdf", seed.pk, str(paper), verbosity=0)
    call_command("export_pdf", seed.pk, str(response), "--response-only", verbosity=0)
    assert "Summary of report" in pdfs.text(paper.read_bytes())
    assert "Summary of report" not in pdfs.text(response.read_bytes())


def test_export_pdf_explains_bad_input(seed, tmp_path):
    with pytest.raises(CommandError, match="no response 999"):
        call_command("export_pdf", 999, str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="No such folder"):
        call_command("export_pdf", seed.pk, str(tmp_path / "missing" / "x.pdf"))
    CabinetReport.objects.all().delete()
    with pytest.raises(CommandError, match="--response-only"):
        call_command("export_pdf", seed.pk, str(tmp_path / "x.pdf"))
    assert not list(tmp_path.iterdir())


def counting(monkeypatch, owner, name: str) -> list:
    """Count calls to `owner.name`, still calling the real thing: returns the calls' list."""
    real = getattr(owner, name)
    calls = []

    def wrapper(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, wrapper)
    return calls


@pytest.mark.parametrize("name", ["response", "sign_off", "cabinet_paper_pdf", "response_pdf"])
def test_each_page_reads_its_paper_once(client, monkeypatch, officer, seed, name):
    loads = counting(monkeypatch, Paper, "load")
    client.force_login(officer)
    assert client.get(reverse(name, args=[seed.pk])).status_code == 200
    assert [response.pk for (response,) in loads] == [seed.pk]


@pytest.mark.parametrize("questions", [35, 350])
def test_pdf_query_count_does_not_grow_with_questions(
    client, monkeypatch, staffed, lead, django_assert_num_queries, questions
):
    response = staffed(questions)
    renders = counting(monkeypatch, pdf, "html_to_pdf")
    url = reverse("cabinet_paper_pdf", args=[response.pk])
    client.force_login(lead)
    caches["pdf"].clear()
    # 1 the session; 2 the user; 3 the response, with its consultation, report and the
    # report's lead officer, director and portfolio holder (`for_rules`); 4, 5 the
    # lead's own and group permissions. The paper: 6 its sections; 7 its answers with
    # their questions and assignees; 8 the report's sections; 9 its sign-offs with their
    # users. Rendering reads nothing more.
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200
    assert len(renders) == 1
    # A cache hit reads the same nine: the key is the digest of everything the paper
    # prints, its status and its signatures, so the whole paper is read to find it.
    # Only WeasyPrint is saved.
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200
    assert len(renders) == 1
