from django.urls import path, register_converter

from responses.models.consultation import QUESTION_NUMBER
from responses.views import (
    answers,
    audit,
    comments,
    consultations,
    copy,
    dashboard,
    documents,
    presence,
    report,
    response_page,
    sign_off,
    suggestions,
    team,
)


class IdConverter:
    """A database id: digits, at most nine, so no URL can ask for a number the
    database cannot hold (which would be a server error, not a 404)."""

    regex = "[0-9]{1,9}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


class QuestionNumberConverter:
    """A question's number as printed (12, 3a, 4.1), as the model allows it; anything
    else (a NUL, a slash, a control character) is no number, so it is a 404."""

    regex = QUESTION_NUMBER.removeprefix("^").removesuffix("\\Z")

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(IdConverter, "id")
register_converter(QuestionNumberConverter, "number")

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("consultations/new/", consultations.new_consultation, name="new_consultation"),
    path("responses/<id:response_id>/", response_page.response_detail, name="response"),
    path("responses/<id:response_id>/preview/", answers.preview, name="preview"),
    path(
        "responses/<id:response_id>/answers/bulk/",
        response_page.answers_bulk,
        name="answers_bulk",
    ),
    path(
        "responses/<id:response_id>/cabinet-paper.pdf",
        documents.cabinet_paper_pdf,
        name="cabinet_paper_pdf",
    ),
    path("responses/<id:response_id>/response.pdf", documents.response_pdf, name="response_pdf"),
    path(
        "responses/<id:response_id>/cabinet-paper.docx",
        documents.cabinet_paper_docx,
        name="cabinet_paper_docx",
    ),
    path("responses/<id:response_id>/response.docx", documents.response_docx, name="response_docx"),
    path("responses/<id:response_id>/response.csv", documents.response_csv, name="response_csv"),
    path("responses/<id:response_id>/response.json", documents.response_json, name="response_json"),
    path("responses/<id:response_id>/copy/", copy.copy_answers, name="copy_answers"),
    path(
        "responses/<id:response_id>/answers/<number:number>/edit/",
        answers.answer_edit,
        name="answer_edit",
    ),
    path(
        "responses/<id:response_id>/answers/<number:number>/history/",
        answers.answer_history,
        name="answer_history",
    ),
    path(
        "responses/<id:response_id>/answers/<number:number>/suggest/",
        suggestions.suggest,
        name="suggest",
    ),
    path(
        "responses/<id:response_id>/suggestions/<id:suggestion_id>/",
        suggestions.suggestion_detail,
        name="suggestion",
    ),
    path(
        "responses/<id:response_id>/suggestions/<id:suggestion_id>/accept/",
        suggestions.suggestion_accept,
        name="suggestion_accept",
    ),
    path(
        "responses/<id:response_id>/suggestions/<id:suggestion_id>/reject/",
        suggestions.suggestion_reject,
        name="suggestion_reject",
    ),
    path(
        "responses/<id:response_id>/suggestions/<id:suggestion_id>/withdraw/",
        suggestions.suggestion_withdraw,
        name="suggestion_withdraw",
    ),
    path(
        "responses/<id:response_id>/answers/<number:number>/presence/",
        presence.heartbeat,
        name="presence",
    ),
    path("responses/<id:response_id>/team/", team.team_page, name="team"),
    path("responses/<id:response_id>/team/add/", team.team_add, name="team_add"),
    path("responses/<id:response_id>/team/remove/", team.team_remove, name="team_remove"),
    path("responses/<id:response_id>/report/", report.report_detail, name="report"),
    path("responses/<id:response_id>/sign-off/", sign_off.sign_off, name="sign_off"),
    path("responses/<id:response_id>/sign-off/submit/", sign_off.submit, name="submit"),
    path("responses/<id:response_id>/sign-off/decide/", sign_off.decide, name="decide"),
    path("responses/<id:response_id>/sign-off/record/", sign_off.record, name="record"),
    path("responses/<id:response_id>/sign-off/withdraw/", sign_off.withdraw, name="withdraw"),
    path("responses/<id:response_id>/sign-off/reopen/", sign_off.reopen, name="reopen"),
    path(
        "responses/<id:response_id>/sign-off/publication/",
        sign_off.publication,
        name="publication",
    ),
    path("responses/<id:response_id>/audit/", audit.audit, name="audit"),
    # Review in place: comment threads (responses/views/comments.py).
    path("responses/<id:response_id>/comments/", comments.all_comments, name="comments"),
    path(
        "responses/<id:response_id>/answers/<number:number>/comments/",
        comments.answer_comments,
        name="answer_comments",
    ),
    path(
        "responses/<id:response_id>/report/sections/<id:section_id>/comments/",
        comments.section_comments,
        name="section_comments",
    ),
    path(
        "responses/<id:response_id>/comments/<id:comment_id>/reply/",
        comments.reply,
        name="comment_reply",
    ),
    path(
        "responses/<id:response_id>/comments/<id:comment_id>/resolve/",
        comments.resolve,
        name="comment_resolve",
    ),
    path(
        "responses/<id:response_id>/comments/<id:comment_id>/reopen/",
        comments.reopen,
        name="comment_reopen",
    ),
    path(
        "responses/<id:response_id>/report/details/",
        report.report_details_edit,
        name="report_details",
    ),
    path(
        "responses/<id:response_id>/report/sections/add/",
        report.section_add,
        name="section_add",
    ),
    path(
        "responses/<id:response_id>/report/sections/<id:section_id>/edit/",
        report.section_edit,
        name="section_edit",
    ),
    path(
        "responses/<id:response_id>/report/sections/<id:section_id>/history/",
        report.section_history,
        name="section_history",
    ),
    path(
        "responses/<id:response_id>/report/sections/<id:section_id>/delete/",
        report.section_delete,
        name="section_delete",
    ),
    path(
        "responses/<id:response_id>/report/sections/<id:section_id>/move/",
        report.section_move,
        name="section_move",
    ),
    path(
        "responses/<id:response_id>/report/sections/<id:section_id>/positions-summary/",
        report.section_positions_summary,
        name="section_positions_summary",
    ),
]
