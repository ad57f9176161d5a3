from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from responses import positions, services
from responses.access import get_report, get_response
from responses.errors import Invalid, Locked, NotFound, StaleEdit, WrongState
from responses.forms import (
    NewReportSectionForm,
    ReportDetailsForm,
    ReportSectionForm,
)
from responses.gate import Access, open_response, writing
from responses.limits import limited
from responses.models import ReportSection, Response
from responses.paper import REPORT_FIELDS
from responses.rules import Action
from responses.text import markdown_to_html
from responses.text.diff import word_diff
from responses.views.editing import (
    comparison,
    draft_key,
    locked_page,
    restore,
    typed_text,
    versions,
    wire_editor,
)


def _section(response: Response, section_id: int) -> ReportSection:
    section = (
        ReportSection.objects.select_related("changed_by")
        .filter(pk=section_id, report__response=response)
        .first()
    )
    if section is None:
        raise NotFound("This report has no such section.")
    return section


def _section_url(response: Response | int, section_id: int) -> str:
    response_id = response if isinstance(response, int) else response.pk
    return f"{reverse('report', args=[response_id])}#section-{section_id}"


def report_detail(request: HttpRequest, response_id: int) -> HttpResponse:
    return _report_page(request, response_id, NewReportSectionForm())


def _report_page(
    request: HttpRequest, response_id: int, add_form: NewReportSectionForm, status: int = 200
) -> HttpResponse:
    access = open_response(request.user, response_id)
    response = access.response
    report = get_report(response)
    sections = list(report.sections.select_related("changed_by").order_by("position"))
    carrier = next((s for s in sections if s.summarises_positions), None)
    return render(
        request,
        "responses/report_detail.html",
        {
            "response": response,
            "report": report,
            "sections": sections,
            "add_form": add_form,
            "access": access,
            # Counted only where a section prints it (one query).
            "positions_summary": (
                positions.summary_for(carrier, response, positions.counts_of(response))
                if carrier
                else ""
            ),
            "positions_summary_placed": carrier is not None,
        },
        status=status,
    )


def _opened(request: HttpRequest, response_id: int, action: Action) -> tuple[Access, bool]:
    """An editor's page: the response if their role may edit it, and whether its state
    has locked it (the page then shows what was saved instead of a form)."""
    access = open_response(request.user, response_id, action, state=False)
    return access, isinstance(access.refusal(action), Locked)


@limited("save")
def report_details_edit(request: HttpRequest, response_id: int) -> HttpResponse:
    if request.method == "POST":
        posted = ReportDetailsForm(request.POST)
        if posted.is_valid():
            return _save_details(request, response_id, posted)
    access, locked = _opened(request, response_id, Action.EDIT_REPORT)
    response = access.response
    report = get_report(response)
    if locked:
        return locked_page(request, response, "The report's details", "")
    form = ReportDetailsForm(instance=report, initial={"version": report.version})
    if request.method == "POST":
        form = ReportDetailsForm(request.POST, instance=report)
        form.is_valid()
    return _details_page(request, response, form)


def _details_page(request, response, form, conflicts=()) -> HttpResponse:
    return render(
        request,
        "responses/report_details_edit.html",
        {
            "response": response,
            "report": response.report,
            "form": form,
            "conflicts": list(conflicts),
        },
        status=409 if conflicts else 400 if form.is_bound and form.errors else 200,
    )


def _save_details(request: HttpRequest, response_id: int, form) -> HttpResponse:
    """Save the report's details under one lock and one question to the rulebook."""
    details = {name: form.cleaned_data[name] for name in REPORT_FIELDS}
    try:
        with writing(request.user, response_id, Action.EDIT_REPORT) as access:
            services.save_report_details(
                access, details=details, expected_version=form.cleaned_data["version"]
            )
    except StaleEdit as stale:
        current = stale.current
        conflicts = [
            (form.fields[name].label, getattr(current, name), details[name])
            for name in REPORT_FIELDS
            if getattr(current, name) != details[name]
        ]
        data = request.POST.copy()
        data["version"] = current.version
        again = ReportDetailsForm(data, instance=current)
        again.is_valid()
        return _details_page(request, access.response, again, conflicts)
    except Locked:
        response = get_response(request.user, response_id, Action.EDIT_REPORT)
        return locked_page(request, response, "The report's details", "")
    except Invalid as refused:
        form.add_error(None, str(refused))
        response = get_response(request.user, response_id, Action.EDIT_REPORT)
        return _details_page(request, response, form)
    messages.success(request, "The report's details are saved.")
    return redirect("report", response_id=response_id)


@limited("save")
def section_edit(request: HttpRequest, response_id: int, section_id: int) -> HttpResponse:
    if request.method == "POST" and "preview" not in request.POST:
        posted = ReportSectionForm(request.POST)
        if posted.is_valid():
            return _save_section(request, response_id, section_id, posted)
    access, locked = _opened(request, response_id, Action.EDIT_REPORT_SECTION)
    response = access.response
    section = _section(response, section_id)
    if locked:
        return locked_page(
            request,
            response,
            section.heading,
            section.body,
            reverse("section_comments", args=[response.pk, section.pk]),
        )
    form = ReportSectionForm(initial=ReportSectionForm.initial_for(section))
    if request.method == "POST":
        form = ReportSectionForm(request.POST)
        form.is_valid()
    return _section_page(request, response, section, form)


def _section_page(request, response, section, form) -> HttpResponse:
    return render(
        request,
        "responses/section_edit.html",
        {
            "response": response,
            "section": section,
            "form": wire_editor(
                form,
                preview_url=reverse("preview", args=[response.pk]),
                key=draft_key("section", section.pk),
                cross_references=False,
            ),
            "preview": markdown_to_html(typed_text(form)),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _save_section(request: HttpRequest, response_id: int, section_id: int, form) -> HttpResponse:
    """Save a section under one lock and one question to the rulebook."""
    data = form.cleaned_data
    try:
        with writing(request.user, response_id, Action.EDIT_REPORT_SECTION) as access:
            saved = services.save_report_section(
                access,
                section_id=section_id,
                heading=data["heading"],
                body=data["text"],
                expected_version=data["version"],
            )
    except StaleEdit as stale:
        current = stale.current
        merge = ReportSectionForm(
            initial={**data, "version": current.version, "heading": data["heading"]}
        )
        return render(
            request,
            "responses/section_conflict.html",
            {
                "response": access.response,
                "section": current,
                "theirs": data["text"],
                "diff": word_diff(current.body, data["text"]),
                "form": wire_editor(
                    merge,
                    preview_url=reverse("preview", args=[response_id]),
                    key=draft_key("section", section_id),
                    cross_references=False,
                ),
            },
            status=409,
        )
    except (Locked, Invalid) as refused:
        response = get_response(request.user, response_id, Action.EDIT_REPORT_SECTION)
        section = _section(response, section_id)
        if isinstance(refused, Locked):
            return locked_page(
                request,
                response,
                section.heading,
                section.body,
                reverse("section_comments", args=[response.pk, section.pk]),
            )
        form.add_error(None, str(refused))
        return _section_page(request, response, section, form)
    said = (
        f"“{data['heading']}” saved."
        if saved.version != data["version"]
        else f"Nothing changed: “{data['heading']}” was already this."
    )
    messages.success(request, said, extra_tags=draft_key("section", section_id))
    return redirect(_section_url(response_id, section_id))


def section_history(request: HttpRequest, response_id: int, section_id: int) -> HttpResponse:
    if request.method == "POST":
        restore(
            request,
            response_id,
            Action.EDIT_REPORT_SECTION,
            services.restore_section,
            section_id=section_id,
        )
        return redirect("section_history", response_id=response_id, section_id=section_id)
    access = open_response(request.user, response_id)
    response = access.response
    section = _section(response, section_id)
    history = versions(section.history.select_related("history_user"), "body", _heading_change)
    return render(
        request,
        "responses/history.html",
        {
            "response": response,
            "subject": section.heading,
            "intro": "",
            "history": history,
            "current_version": section.version,
            "can_restore": access.refusal(Action.EDIT_REPORT_SECTION) is None,
            "back_url": _section_url(response, section.pk),
            "edit_url": reverse("section_edit", args=[response.pk, section.pk]),
            **comparison(request, history),
        },
    )


def _heading_change(before, after) -> list[str]:
    """A version that renamed the section says so: its words alone would not show it."""
    if before is None or before.heading == after.heading:
        return []
    return [f"Heading: “{before.heading}” → “{after.heading}”"]


@require_POST
def section_add(request: HttpRequest, response_id: int) -> HttpResponse:
    form = NewReportSectionForm(request.POST)
    if not form.is_valid():
        get_report(get_response(request.user, response_id, Action.ADD_REPORT_SECTION))
        return _report_page(request, response_id, form, status=400)
    try:
        with writing(request.user, response_id, Action.ADD_REPORT_SECTION) as access:
            section = services.add_report_section(access, heading=form.cleaned_data["heading"])
    except (Locked, Invalid) as refused:
        messages.error(request, str(refused))
        return redirect("report", response_id=response_id)
    messages.success(request, f"Section “{section.heading}” added.")
    return redirect("section_edit", response_id=response_id, section_id=section.pk)


def section_delete(request: HttpRequest, response_id: int, section_id: int) -> HttpResponse:
    if request.method == "POST":
        try:
            with writing(request.user, response_id, Action.REMOVE_REPORT_SECTION) as access:
                heading = services.delete_report_section(access, section_id=section_id)
        except Locked as locked:
            messages.error(request, str(locked))
        else:
            messages.success(request, f"Section “{heading}” removed. Its history is kept.")
        return redirect("report", response_id=response_id)
    response = get_response(request.user, response_id, Action.REMOVE_REPORT_SECTION)
    section = _section(response, section_id)
    return render(
        request, "responses/section_delete.html", {"response": response, "section": section}
    )


@require_POST
def section_move(request: HttpRequest, response_id: int, section_id: int) -> HttpResponse:
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if offset is None:
        _section(get_response(request.user, response_id, Action.REORDER_REPORT), section_id)
        messages.error(request, "Move a section up or down.")
        return redirect("report", response_id=response_id)
    try:
        with writing(request.user, response_id, Action.REORDER_REPORT) as access:
            services.move_report_section(access, section_id=section_id, offset=offset)
    except Locked as locked:
        messages.error(request, str(locked))
    return redirect(_section_url(response_id, section_id))


@require_POST
def section_positions_summary(
    request: HttpRequest, response_id: int, section_id: int
) -> HttpResponse:
    """The lead officer inserts the summary of the council's positions at the end of a
    section, or takes it out again."""
    insert = request.POST.get("summary") != "remove"
    step = services.insert_positions_summary if insert else services.remove_positions_summary
    try:
        with writing(request.user, response_id, Action.EDIT_REPORT) as access:
            section = step(access, section_id=section_id)
    except WrongState as refused:  # locked, or already in another section
        messages.error(request, str(refused))
        return redirect("report", response_id=response_id)
    messages.success(
        request,
        f"The summary of the council's positions is at the end of “{section.heading}”: it "
        "follows the answers until the paper is submitted."
        if insert
        else f"The summary of the council's positions is no longer in “{section.heading}”.",
    )
    return redirect(_section_url(response_id, section_id))
