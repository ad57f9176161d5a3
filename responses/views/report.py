from functools import partial

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from responses import services
from responses.access import get_report, get_response
from responses.content import REPORT_FIELDS
from responses.diff import word_diff
from responses.forms import (
    NewReportSectionForm,
    ReportDetailsForm,
    ReportSectionForm,
)
from responses.models import ReportSection, Response
from responses.text import markdown_to_html
from responses.views.editing import (
    comparison,
    draft_key,
    locked_page,
    restore,
    versions,
    wire_editor,
)


def _section(response: Response, section_id: int) -> ReportSection:
    return get_object_or_404(
        ReportSection.objects.select_related("changed_by"),
        pk=section_id,
        report__response=response,
    )


def _section_url(response: Response, section_id: int) -> str:
    return f"{reverse('report', args=[response.pk])}#section-{section_id}"


def report_detail(request: HttpRequest, response_id: int) -> HttpResponse:
    response = get_response(request.user, response_id)
    report = get_report(response)
    user = request.user
    editable = not response.is_locked
    return render(
        request,
        "responses/report_detail.html",
        {
            "response": response,
            "report": report,
            "sections": list(report.sections.select_related("changed_by").order_by("position")),
            "add_form": NewReportSectionForm(),
            "can_edit_sections": editable and user.has_perm("responses.change_reportsection"),
            "can_edit_report": editable and user.has_perm("responses.change_cabinetreport"),
            "can_add": editable and user.has_perm("responses.add_reportsection"),
            "can_delete": editable and user.has_perm("responses.delete_reportsection"),
        },
    )


def report_details_edit(request: HttpRequest, response_id: int) -> HttpResponse:
    response = get_response(request.user, response_id, write="responses.change_cabinetreport")
    report = get_report(response)
    if response.is_locked:
        return locked_page(request, response, "The report's details", "")
    changed_fields: list[tuple[str, object, object]] = []
    form = ReportDetailsForm(instance=report, initial={"version": report.version})
    if request.method == "POST":
        form = ReportDetailsForm(request.POST, instance=report)
        if form.is_valid():
            details = {name: form.cleaned_data[name] for name in REPORT_FIELDS}
            try:
                services.save_report_details(
                    user=request.user,
                    response_id=response.pk,
                    details=details,
                    expected_version=form.cleaned_data["version"],
                )
            except services.StaleEdit as stale:
                current = stale.current
                changed_fields = [
                    (form.fields[name].label, getattr(current, name), details[name])
                    for name in REPORT_FIELDS
                    if getattr(current, name) != details[name]
                ]
                data = request.POST.copy()
                data["version"] = current.version
                form = ReportDetailsForm(data, instance=current)
                form.is_valid()
            else:
                messages.success(request, "The report's details are saved.")
                return redirect("report", response_id=response.pk)
    return render(
        request,
        "responses/report_details_edit.html",
        {"response": response, "report": report, "form": form, "conflicts": changed_fields},
        status=409 if changed_fields else (400 if form.is_bound and form.errors else 200),
    )


def section_edit(request: HttpRequest, response_id: int, section_id: int) -> HttpResponse:
    response = get_response(request.user, response_id, write="responses.change_reportsection")
    section = _section(response, section_id)
    if response.is_locked:
        return locked_page(request, response, section.heading, section.body)
    key = draft_key("section", section.pk)
    preview_url = reverse("preview", args=[response.pk])
    form = ReportSectionForm(initial=ReportSectionForm.initial_for(section))
    if request.method == "POST":
        form = ReportSectionForm(request.POST)
        if form.is_valid() and "preview" not in request.POST:
            data = form.cleaned_data
            try:
                services.save_report_section(
                    user=request.user,
                    response_id=response.pk,
                    section_id=section.pk,
                    heading=data["heading"],
                    body=data["text"],
                    expected_version=data["version"],
                )
            except services.StaleEdit as stale:
                current = stale.current
                merge = ReportSectionForm(
                    initial={**data, "version": current.version, "heading": data["heading"]}
                )
                return render(
                    request,
                    "responses/section_conflict.html",
                    {
                        "response": response,
                        "section": current,
                        "theirs": data["text"],
                        "diff": word_diff(current.body, data["text"]),
                        "form": wire_editor(
                            merge, preview_url=preview_url, key=key, cross_references=False
                        ),
                    },
                    status=409,
                )
            except services.Locked as locked:
                messages.error(request, str(locked))
                return redirect("report", response_id=response.pk)
            messages.success(request, f"“{data['heading']}” saved.", extra_tags=key)
            return redirect(_section_url(response, section.pk))
    return render(
        request,
        "responses/section_edit.html",
        {
            "response": response,
            "section": section,
            "form": wire_editor(form, preview_url=preview_url, key=key, cross_references=False),
            "preview": markdown_to_html(form["text"].value() or ""),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def section_history(request: HttpRequest, response_id: int, section_id: int) -> HttpResponse:
    response = get_response(request.user, response_id)
    section = _section(response, section_id)
    if request.method == "POST":
        get_response(request.user, response_id, write="responses.change_reportsection")
        restore(
            request,
            partial(
                services.restore_report_section,
                user=request.user,
                response_id=response.pk,
                section_id=section.pk,
            ),
        )
        return redirect("section_history", response_id=response.pk, section_id=section.pk)
    history = versions(section.history.select_related("history_user"), "body")
    return render(
        request,
        "responses/history.html",
        {
            "response": response,
            "subject": section.heading,
            "intro": "",
            "history": history,
            "current_version": section.version,
            "can_restore": request.user.has_perm("responses.change_reportsection")
            and not response.is_locked,
            "back_url": _section_url(response, section.pk),
            "edit_url": reverse("section_edit", args=[response.pk, section.pk]),
            **comparison(request, history),
        },
    )


@require_POST
def section_add(request: HttpRequest, response_id: int) -> HttpResponse:
    response = get_response(request.user, response_id, write="responses.add_reportsection")
    get_report(response)
    form = NewReportSectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the new section a heading (200 characters at most).")
        return redirect("report", response_id=response.pk)
    try:
        section = services.add_report_section(
            user=request.user, response_id=response.pk, heading=form.cleaned_data["heading"]
        )
    except services.Locked as locked:
        messages.error(request, str(locked))
        return redirect("report", response_id=response.pk)
    messages.success(request, f"Section “{section.heading}” added.")
    return redirect("section_edit", response_id=response.pk, section_id=section.pk)


def section_delete(request: HttpRequest, response_id: int, section_id: int) -> HttpResponse:
    response = get_response(request.user, response_id, write="responses.delete_reportsection")
    section = _section(response, section_id)
    if request.method == "POST":
        try:
            heading = services.delete_report_section(
                user=request.user, response_id=response.pk, section_id=section.pk
            )
        except services.Locked as locked:
            messages.error(request, str(locked))
        else:
            messages.success(request, f"Section “{heading}” removed. Its history is kept.")
        return redirect("report", response_id=response.pk)
    return render(
        request, "responses/section_delete.html", {"response": response, "section": section}
    )


@require_POST
def section_move(request: HttpRequest, response_id: int, section_id: int) -> HttpResponse:
    response = get_response(request.user, response_id, write="responses.change_cabinetreport")
    section = _section(response, section_id)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if offset is None:
        messages.error(request, "Move a section up or down.")
        return redirect("report", response_id=response.pk)
    try:
        services.move_report_section(
            user=request.user, response_id=response.pk, section_id=section.pk, offset=offset
        )
    except services.Locked as locked:
        messages.error(request, str(locked))
    return redirect(_section_url(response, section.pk))
