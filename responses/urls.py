from django.urls import path

from responses.views import answers, audit, dashboard, documents, report, response_page, sign_off

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("responses/<int:response_id>/", response_page.response_detail, name="response"),
    path("responses/<int:response_id>/preview/", answers.preview, name="preview"),
    path(
        "responses/<int:response_id>/cabinet-paper.pdf",
        documents.cabinet_paper_pdf,
        name="cabinet_paper_pdf",
    ),
    path("responses/<int:response_id>/response.pdf", documents.response_pdf, name="response_pdf"),
    path(
        "responses/<int:response_id>/answers/<str:number>/edit/",
        answers.answer_edit,
        name="answer_edit",
    ),
    path(
        "responses/<int:response_id>/answers/<str:number>/history/",
        answers.answer_history,
        name="answer_history",
    ),
    path("responses/<int:response_id>/report/", report.report_detail, name="report"),
    path("responses/<int:response_id>/sign-off/", sign_off.sign_off, name="sign_off"),
    path("responses/<int:response_id>/sign-off/submit/", sign_off.submit, name="submit"),
    path("responses/<int:response_id>/sign-off/decide/", sign_off.decide, name="decide"),
    path("responses/<int:response_id>/sign-off/record/", sign_off.record, name="record"),
    path("responses/<int:response_id>/audit/", audit.audit, name="audit"),
    path(
        "responses/<int:response_id>/report/details/",
        report.report_details_edit,
        name="report_details",
    ),
    path(
        "responses/<int:response_id>/report/sections/add/",
        report.section_add,
        name="section_add",
    ),
    path(
        "responses/<int:response_id>/report/sections/<int:section_id>/edit/",
        report.section_edit,
        name="section_edit",
    ),
    path(
        "responses/<int:response_id>/report/sections/<int:section_id>/history/",
        report.section_history,
        name="section_history",
    ),
    path(
        "responses/<int:response_id>/report/sections/<int:section_id>/delete/",
        report.section_delete,
        name="section_delete",
    ),
    path(
        "responses/<int:response_id>/report/sections/<int:section_id>/move/",
        report.section_move,
        name="section_move",
    ),
]
