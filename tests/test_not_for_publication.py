"""A Cabinet report marked exempt (a paragraph of Schedule 12A to the Local Government
Act 1972) or confidential: every page says so, the pages show it, no version for
publication is made, and the marking is part of what is signed."""

import re

import pytest
from django.urls import reverse

from responses import services, workflow
from responses.documents import pdf, word
from responses.errors import Invalid, Locked, WrongState
from responses.models import AuditEvent, CabinetReport, Response
from tests import pdfs, words
from tests.papers import digest_of, paper_of

pytestmark = pytest.mark.django_db

EXEMPT_3 = (
    "NOT FOR PUBLICATION: exempt information under paragraph 3 of Part 1 of Schedule 12A "
    "to the Local Government Act 1972"
)


def mark(response, user, publication="exempt", paragraph=3):
    return services.mark_publication(
        user=user, response_id=response.pk, publication=publication, exempt_paragraph=paragraph
    )


def marking(response) -> tuple:
    report = CabinetReport.objects.get(response=response)
    return report.publication, report.exempt_paragraph, report.version


def audited() -> list[str]:
    return list(
        AuditEvent.objects.filter(kind=AuditEvent.Kind.PUBLICATION)
        .order_by("pk")
        .values_list("summary", flat=True)
    )


def sign_off(response, lead, director, portfolio_holder):
    workflow.submit(user=lead, response_id=response.pk, confirm_gaps=True)
    for signatory in (director, portfolio_holder):
        workflow.approve(user=signatory, response_id=response.pk, seen_digest=digest_of(response))


def test_marking_and_unmarking_are_audited(signing, lead):
    version = marking(signing)[2]

    mark(signing, lead)
    mark(signing, lead)  # the same again: nothing to record
    mark(signing, lead, "confidential", None)
    mark(signing, lead, "", None)

    assert marking(signing) == ("", None, version + 3)
    assert audited() == [
        f"Marked {EXEMPT_3}",
        "Marked NOT FOR PUBLICATION: confidential information "
        "(section 100A(3) of the Local Government Act 1972)",
        "Marked for publication again",
    ]


@pytest.mark.parametrize("paragraph", [0, 8, -1, None])
def test_an_exempt_paragraph_outside_1_to_7_is_refused(signing, lead, paragraph):
    before = marking(signing)

    with pytest.raises(Invalid, match="paragraph from 1 to 7"):
        mark(signing, lead, "exempt", paragraph)

    assert marking(signing) == before
    assert audited() == []


def test_the_database_refuses_an_exempt_report_without_a_paragraph(signing):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        CabinetReport.objects.filter(response=signing).update(
            publication="exempt", exempt_paragraph=None
        )


def test_marking_a_paper_with_its_signatories_is_locked_like_any_change(signing, lead):
    workflow.submit(user=lead, response_id=signing.pk, confirm_gaps=True)
    before = marking(signing)

    with pytest.raises(Locked):
        mark(signing, lead)

    assert marking(signing) == before
    assert audited() == []


def test_the_marking_is_part_of_what_is_signed(signing, lead):
    unmarked = digest_of(signing)
    mark(signing, lead)
    exempt = digest_of(signing)
    mark(signing, lead, "exempt", 4)
    other = digest_of(signing)
    mark(signing, lead, "", None)

    assert len({unmarked, exempt, other}) == 3
    assert digest_of(signing) == unmarked  # unmarked again: the digest it had


def test_every_page_of_the_pdf_says_not_for_publication(signing, lead):
    mark(signing, lead)
    paper = paper_of(signing)

    pages = pdfs.page_texts(pdf.cabinet_paper(paper).content)
    alone = pdfs.page_texts(pdf.response_only(paper).content)

    assert len(pages) > 2
    for page in pages + alone:
        assert "NOT FOR PUBLICATION" in page
        assert "paragraph 3 of Part 1 of Schedule 12A" in " ".join(page.split())


def test_every_page_of_the_word_document_says_not_for_publication(signing, lead):
    mark(signing, lead, "exempt", 7)
    paper = paper_of(signing)

    for made in (word.cabinet_paper(paper), word.response_only(paper)):
        document = words.document(made.content)
        assert len(document.sections) == 1  # one section: its header is on every page
        header = words.header_text(made.content)
        assert "NOT FOR PUBLICATION" in header
        assert "paragraph 7 of Part 1 of Schedule 12A" in header


def test_the_version_for_publication_is_refused_while_marked(
    client, signing, lead, director, portfolio_holder
):
    mark(signing, lead, "confidential", None)
    sign_off(signing, lead, director, portfolio_holder)
    paper = paper_of(signing)
    assert paper.signatures.valid

    with pytest.raises(WrongState, match="not for publication"):
        pdf.cabinet_paper(paper, published=True)
    with pytest.raises(WrongState, match="not for publication"):
        word.cabinet_paper(paper, published=True)
    client.force_login(lead)
    refused = client.get(reverse("cabinet_paper_pdf", args=[signing.pk]), {"version": "published"})
    assert refused.status_code == 409
    assert "not for publication" in refused.content.decode()


def test_the_dashboard_response_and_sign_off_pages_show_the_marking(client, signing, lead):
    mark(signing, lead)
    client.force_login(lead)

    for url in (
        reverse("dashboard"),
        reverse("response", args=[signing.pk]),
        reverse("sign_off", args=[signing.pk]),
    ):
        html = client.get(url).content.decode()
        assert EXEMPT_3 in html, url


def test_the_lead_marks_it_on_the_sign_off_page(client, signing, lead):
    client.force_login(lead)
    url = reverse("publication", args=[signing.pk])

    done = client.post(url, {"publication": "exempt", "exempt_paragraph": "2"})

    assert done.status_code == 302
    assert marking(signing)[:2] == ("exempt", 2)
    page = client.get(reverse("sign_off", args=[signing.pk])).content.decode()
    checked = re.findall(r'<input[^>]*name="publication"[^>]*>', page)
    assert [tag for tag in checked if "checked" in tag] == [
        tag for tag in checked if 'value="exempt"' in tag
    ]

    again = client.post(url, {"publication": "public"})

    assert again.status_code == 302
    assert marking(signing)[:2] == ("", None)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"publication": "exempt", "exempt_paragraph": "8"}, "Choose a paragraph from 1 to 7"),
        ({"publication": "exempt", "exempt_paragraph": "0"}, "Choose a paragraph from 1 to 7"),
        ({"publication": "exempt"}, "Choose the paragraph of Schedule 12A"),
        ({"publication": "secret"}, "Select a valid choice"),
        # Found by an attack: an empty post used to unmark the report.
        ({}, "Choose whether the report is for publication"),
        ({"publication": ""}, "Choose whether the report is for publication"),
    ],
)
def test_a_bad_marking_is_a_form_error_and_changes_nothing(client, signing, lead, data, error):
    client.force_login(lead)
    before = marking(signing)

    page = client.post(reverse("publication", args=[signing.pk]), data)

    assert page.status_code == 400
    assert error in page.content.decode()
    assert marking(signing) == before
    assert audited() == []


def test_an_officer_may_not_mark_it(client, signing, officer):
    client.force_login(officer)

    page = client.post(
        reverse("publication", args=[signing.pk]),
        {"publication": "exempt", "exempt_paragraph": "3"},
    )

    assert page.status_code == 403
    assert marking(signing)[:2] == ("", None)


def test_marking_it_while_with_signatories_says_it_is_locked(client, signing, lead):
    workflow.submit(user=lead, response_id=signing.pk, confirm_gaps=True)
    client.force_login(lead)

    page = client.post(
        reverse("publication", args=[signing.pk]),
        {"publication": "exempt", "exempt_paragraph": "3"},
        follow=True,
    )

    assert "its answers and report cannot be changed" in page.content.decode()
    assert marking(signing)[:2] == ("", None)
    assert Response.objects.get(pk=signing.pk).status == Response.Status.AWAITING_DIRECTOR
