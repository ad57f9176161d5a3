"""Downloading the PDFs, and `manage.py export_pdf`."""

from urllib.parse import unquote

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from responses import workflow
from responses.models import CabinetReport, Rendering
from responses.paper import Paper
from tests import pdfs, words
from tests.factories import UserFactory
from tests.papers import digest_of

# What recording Cabinet's decision takes besides the decision: its date and minute.
DECIDED = {"decided_on": timezone.localdate(), "minute": "Minute 12/26"}

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
    missing = client.get(reverse("cabinet_paper_pdf", args=[999]))
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("text/html")
    assert "There is nothing here" in missing.content.decode()


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
def test_each_page_reads_its_paper_once(client, monkeypatch, officer, seed, name, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    loads = counting(monkeypatch, Paper, "load")
    client.force_login(officer)
    assert client.get(reverse(name, args=[seed.pk])).status_code in (200, 202)
    assert [response.pk for (response,) in loads] == [seed.pk]


@pytest.mark.django_db(transaction=True)  # the rendering is queued as served: on commit
@pytest.mark.parametrize("questions", [35, 350])
def test_a_document_request_takes_the_same_queries_whatever_the_number_of_questions(
    client, monkeypatch, staffed, lead, django_assert_num_queries, questions, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = staffed(questions)
    url = reverse("cabinet_paper_pdf", args=[response.pk])
    client.force_login(lead)
    # 1 the session; 2 the user; 3 the response, with its consultation, report and the
    # report's lead officer, director and portfolio holder (`for_rules`); 4, 5 the
    # lead's own and group permissions. The paper: 6 its sections; 7 its answers with
    # their questions and assignees; 8 the report's sections; 9 its sign-offs with their
    # users; 10 the council's settings it is printed with (logo, numbered paragraphs).
    # Then the rendering: 11 looked for, 12-14 recorded (in a savepoint) and 15 queued;
    # 16, 17 its queued time set and read back.
    with django_assert_num_queries(17):
        assert client.get(url).status_code == 202
    stored = made_without_layout(Rendering.objects.get(response=response))
    # Ready: the paper's ten, then the rendering found. The file comes from storage.
    with django_assert_num_queries(11):
        result = client.get(url)
    assert result.status_code == 200
    assert result.content == stored


def made_without_layout(rendering: Rendering) -> bytes:
    """The rendering left ready as the worker leaves one, its file stored, but holding
    stand-in bytes: a test that counts a download's queries need not lay out 350
    questions (minutes) to have one (the worker's own tests lay papers out)."""
    content = b"%PDF- stand-in for " + rendering.key.encode()
    name = storages["documents"].save(f"stand-in-{rendering.pk}.pdf", ContentFile(content))
    Rendering.objects.filter(pk=rendering.pk).update(
        state=Rendering.State.READY, file_name=name, size=len(content), finished_at=timezone.now()
    )
    return content


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def sign_off(response, lead, director, portfolio_holder):
    workflow.submit(user=lead, response_id=response.pk, confirm_gaps=True)
    for signatory in (director, portfolio_holder):
        workflow.approve(user=signatory, response_id=response.pk, seen_digest=digest_of(response))


@pytest.mark.parametrize("persona", ["officer", "lead", "director", "portfolio_holder"])
def test_every_role_downloads_both_word_documents(client, request, persona, seed):
    client.force_login(request.getfixturevalue(persona))
    paper = client.get(reverse("cabinet_paper_docx", args=[seed.pk]))
    response = client.get(reverse("response_docx", args=[seed.pk]))
    assert paper.status_code == response.status_code == 200
    assert paper["Content-Type"] == response["Content-Type"] == DOCX
    assert download_name(paper) == download_name(
        client.get(reverse("cabinet_paper_pdf", args=[seed.pk]))
    ).replace(".pdf", ".docx")
    assert download_name(response).startswith("Walsall Council - response to")
    assert words.headings(paper.content)[0] == (1, seed.report.title)
    assert words.headings(response.content)[0] == (1, seed.title)


@pytest.mark.parametrize(
    "url_name", ["cabinet_paper_pdf", "response_pdf", "cabinet_paper_docx", "response_docx"]
)
def test_someone_off_the_team_gets_not_found_for_every_document(client, outsider, seed, url_name):
    url = reverse(url_name, args=[seed.pk])
    client.force_login(UserFactory(username="other-officer", groups=["Officer"]))
    hidden = client.get(url)
    assert hidden.status_code == 404
    assert "There is nothing here" in hidden.content.decode()
    assert seed.consultation.title not in hidden.content.decode()
    client.force_login(outsider)
    refused = client.get(url)
    assert refused.status_code == 403
    assert "Your account has no role in Consult" in refused.content.decode()
    assert seed.consultation.title not in refused.content.decode()
    assert not Rendering.objects.exists()


def test_a_response_without_a_report_has_no_word_paper_but_has_its_response(client, officer, seed):
    CabinetReport.objects.all().delete()
    client.force_login(officer)
    assert client.get(reverse("cabinet_paper_docx", args=[seed.pk])).status_code == 404
    assert client.get(reverse("response_docx", args=[seed.pk])).status_code == 200


@pytest.mark.parametrize("url_name", ["cabinet_paper_pdf", "cabinet_paper_docx"])
def test_the_version_for_publication_waits_for_sign_off(client, lead, seed, url_name):
    client.force_login(lead)
    url = reverse(url_name, args=[seed.pk])
    refused = client.get(url + "?version=published")
    assert refused.status_code == 409
    assert "once both signatories have signed the paper off" in refused.content.decode()
    assert client.get(url + "?version=final").status_code == 404


def test_the_signed_paper_comes_for_publication_without_the_sign_off_block(
    client, lead, director, portfolio_holder, seed
):
    sign_off(seed, lead, director, portfolio_holder)
    client.force_login(lead)
    url = reverse("cabinet_paper_pdf", args=[seed.pk])

    internal = pdfs.text(client.get(url).content)
    published = client.get(url + "?version=published")

    assert f"{director.get_full_name()} (approved in Consult)" in internal
    assert "approved in Consult" not in pdfs.text(published.content)
    assert "Signed:" not in pdfs.text(published.content)
    assert "Contact officer" in pdfs.text(published.content)
    assert download_name(published).endswith("(for publication).pdf")
    page = client.get(reverse("sign_off", args=[seed.pk])).content.decode()
    assert f"{url}?version=published" in page


def test_after_cabinet_agrees_the_response_pdf_is_the_councils_response_as_sent(
    client, lead, director, portfolio_holder, seed
):
    sign_off(seed, lead, director, portfolio_holder)
    workflow.record_cabinet_decision(
        user=lead, response_id=seed.pk, decision="agreed_with_changes", **DECIDED
    )
    workflow.record_sent_to_government(user=lead, response_id=seed.pk, sent_on=timezone.localdate())
    client.force_login(lead)

    text = pdfs.text(client.get(reverse("response_pdf", args=[seed.pk])).content)
    paper = pdfs.text(client.get(reverse("cabinet_paper_pdf", args=[seed.pk])).content)

    report = seed.report
    assert text.startswith(f"{seed.organisation_name} Consultation: {seed.consultation.title}")
    assert f"Date: {timezone.localdate():%-d %B %Y}" in text
    assert f"Contact officer: {report.contact_name}, {report.contact_job_title}" in text
    assert "Response by Walsall Council" in text
    assert text.count(seed.consultation.title) == 1  # in the head, not again under the title
    assert "Draft Response" not in text
    assert "DRAFT" not in text
    assert "Draft Response by Walsall Council" in paper
    page = client.get(reverse("response", args=[seed.pk])).content.decode()
    assert "Response as sent to government:" in page


def test_export_pdf_writes_word_documents_too(seed, tmp_path, lead, director, portfolio_holder):
    paper, response = tmp_path / "paper.docx", tmp_path / "response.docx"
    call_command("export_pdf", seed.pk, str(paper), "--format", "docx", verbosity=0)
    call_command(
        "export_pdf", seed.pk, str(response), "--response-only", "--format=docx", verbosity=0
    )
    assert "Summary of report" in words.text(paper.read_bytes())
    assert "Summary of report" not in words.text(response.read_bytes())
    with pytest.raises(CommandError, match="once both signatories"):
        call_command("export_pdf", seed.pk, str(tmp_path / "p.docx"), "--published")
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("export_pdf", seed.pk, str(tmp_path / "p.odt"), "--format", "odt")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["paper.docx", "response.docx"]
    sign_off(seed, lead, director, portfolio_holder)
    call_command("export_pdf", seed.pk, str(tmp_path / "p.pdf"), "--published", verbosity=0)
    assert "Signed:" not in pdfs.text((tmp_path / "p.pdf").read_bytes())
