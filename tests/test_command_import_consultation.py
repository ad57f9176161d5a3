"""`manage.py import_consultation FILE --title ... --issued-by ... --due ...`."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from responses.models import AuditEvent, Consultation, Question, Response

SEED_QUESTIONS = Path(__file__).parent / "data" / "lsp_2006_questions.txt"


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_consultation", *args, stdout=out)
    return out.getvalue()


def _counts() -> tuple[int, ...]:
    return Consultation.objects.count(), Question.objects.count(), Response.objects.count()


def test_it_creates_the_consultation_its_response_and_report_and_says_so(seed, lead):
    out = _run(
        str(SEED_QUESTIONS),
        "--title=Partnerships again",
        "--issued-by=Department for Communities",
        "--due=2027-03-03",
        "--meeting-date=2027-03-01",
        f"--lead={lead.username}",
    )

    consultation = Consultation.objects.get(title="Partnerships again")
    response = consultation.responses.get()
    assert consultation.questions.count() == 35
    assert response.answers.count() == 35
    assert response.report.lead_officer == lead
    assert response.report.director_user == seed.report.director_user
    assert response.organisation_name == "Walsall Council"
    assert "Read 35 questions under 16 headings" in out
    assert f"response {response.pk} for Walsall Council with 35 empty answers" in out
    assert AuditEvent.objects.get(response=response).actor == lead


def test_without_a_meeting_date_there_is_no_report_yet(seed, administrator):
    out = _run(str(SEED_QUESTIONS), "--title=T", "--issued-by=I", "--due=2027-03-03")

    response = Response.objects.get(consultation__title="T")
    assert response.cabinet_report is None
    assert "no Cabinet report" in out


def test_warnings_are_printed_and_a_dry_run_creates_nothing(seed, tmp_path):
    path = tmp_path / "questions.md"
    path.write_text("# Roles\n\n1. One?\n\n3. Three?\n")
    before = _counts()

    out = _run(str(path), "--title=T", "--issued-by=I", "--due=2027-03-03", "--dry-run")

    assert "Warning: Question 3 follows 1: is 2 missing?" in out
    assert "nothing was created" in out
    assert _counts() == before


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("questions.txt", b"No numbered questions here, only prose.", "No questions were found"),
        ("questions.txt", b"1. One?\n\n1. One again?\n", "appears twice"),
        ("questions.docx", b"%PDF-1.7 not a word document", "PDF"),
        ("questions.pdf", bytes(range(256)) * 8, "PDF"),
        ("questions.txt", b"", "empty"),
    ],
)
def test_a_file_it_cannot_use_stops_it_with_the_reason(seed, tmp_path, name, content, says):
    path = tmp_path / name
    path.write_bytes(content)
    before = _counts()

    with pytest.raises(CommandError) as refused:
        _run(str(path), "--title=T", "--issued-by=I", "--due=2027-03-03")

    assert says in str(refused.value) or says in str(refused.value.__cause__ or "")
    assert _counts() == before


def test_a_title_that_exists_stops_it(seed):
    before = _counts()
    with pytest.raises(CommandError, match="already exists"):
        _run(
            str(SEED_QUESTIONS),
            f"--title={seed.consultation.title.upper()}",
            "--issued-by=I",
            "--due=2027-03-03",
        )
    assert _counts() == before


def test_a_missing_file_and_a_bad_date_are_refused(seed, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        _run(str(tmp_path / "nowhere.txt"), "--title=T", "--issued-by=I", "--due=2027-03-03")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _run(str(SEED_QUESTIONS), "--title=T", "--issued-by=I", "--due=3 March")


def test_a_report_with_nobody_to_take_details_from_names_the_options_to_give(
    tmp_path, administrator
):
    path = tmp_path / "questions.txt"
    path.write_text("1. One?\n")

    with pytest.raises(CommandError, match="--lead, --director, --portfolio-holder"):
        _run(
            str(path),
            "--title=T",
            "--issued-by=I",
            "--due=2027-03-03",
            "--meeting-date=2027-03-01",
            "--organisation=Walsall Council",
        )
    assert _counts() == (0, 0, 0)


def test_with_nobody_to_record_as_setting_it_up_it_says_what_to_do(db, tmp_path):
    path = tmp_path / "questions.txt"
    path.write_text("1. One?\n")

    with pytest.raises(CommandError, match="--by USERNAME"):
        _run(str(path), "--title=T", "--issued-by=I", "--due=2027-03-03", "--organisation=W")
    assert _counts() == (0, 0, 0)


def test_people_named_without_a_meeting_date_are_refused_not_ignored(seed, lead):
    with pytest.raises(CommandError, match="--lead name the Cabinet report's people"):
        _run(str(SEED_QUESTIONS), "--title=T", "--issued-by=I", "--due=2027-03-03", "--lead=lead")
    assert not Consultation.objects.filter(title="T").exists()


def test_the_report_people_must_hold_their_roles(seed, lead, officer, administrator):
    before = _counts()
    with pytest.raises(CommandError, match="cannot sign"):
        _run(
            str(SEED_QUESTIONS),
            "--title=T",
            "--issued-by=I",
            "--due=2027-03-03",
            "--meeting-date=2027-03-01",
            f"--lead={lead.username}",
            f"--director={officer.username}",
            f"--by={administrator.username}",
        )
    with pytest.raises(CommandError, match="not an active lead officer"):
        _run(
            str(SEED_QUESTIONS),
            "--title=T",
            "--issued-by=I",
            "--due=2027-03-03",
            "--meeting-date=2027-03-01",
            f"--lead={officer.username}",
            f"--by={administrator.username}",
        )
    assert _counts() == before


def test_a_lead_officer_cannot_set_up_another_leads_consultation(seed, lead):
    from tests.factories import UserFactory

    other = UserFactory(username="lead2", groups=["Lead officer"])
    with pytest.raises(
        CommandError, match="set up the consultations they lead themselves|lead themselves"
    ):
        _run(
            str(SEED_QUESTIONS),
            "--title=T",
            "--issued-by=I",
            "--due=2027-03-03",
            "--meeting-date=2027-03-01",
            f"--lead={other.username}",
            f"--by={lead.username}",
        )
