"""The roles of SPEC §1 as Django groups, each with the permissions it needs.

Kept in code and applied after every migration, so a fresh database and an old
one have the same groups; an administrator may add to them in the admin.
"""

from __future__ import annotations

from typing import Any

OFFICER = "Officer"
LEAD_OFFICER = "Lead officer"
EXECUTIVE_DIRECTOR = "Executive Director"
PORTFOLIO_HOLDER = "Portfolio Holder"
ADMINISTRATOR = "Administrator"

_READ = [
    "responses.view_consultation",
    "responses.view_section",
    "responses.view_question",
    "responses.view_response",
    "responses.view_answer",
    "responses.view_cabinetreport",
    "responses.view_reportsection",
    "responses.view_signoff",
]
_DRAFT = ["responses.change_answer", "responses.change_reportsection"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    OFFICER: _READ + _DRAFT,
    LEAD_OFFICER: _READ
    + _DRAFT
    + [
        "responses.assign_answer",
        "responses.agree_answer",
        "responses.change_cabinetreport",
        "responses.add_reportsection",
        "responses.delete_reportsection",
        "responses.submit_response",
    ],
    EXECUTIVE_DIRECTOR: _READ + ["responses.sign_off_response"],
    PORTFOLIO_HOLDER: _READ + ["responses.sign_off_response"],
}


def ensure_role_groups(**kwargs: Any) -> None:
    """Create the role groups and grant each its permissions (idempotent)."""
    from django.contrib.auth.models import Group, Permission

    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*_permissions(codes))

    administrators, _ = Group.objects.get_or_create(name=ADMINISTRATOR)
    administrators.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["responses", "auth", "axes"])
    )


def _permissions(codes: list[str]) -> list:
    from django.contrib.auth.models import Permission

    wanted = {tuple(code.split(".", 1)) for code in codes}
    found = [
        permission
        for permission in Permission.objects.select_related("content_type").filter(
            codename__in=[codename for _, codename in wanted]
        )
        if (permission.content_type.app_label, permission.codename) in wanted
    ]
    missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
    if missing:
        raise LookupError(f"Permissions not found: {sorted(missing)}")
    return found
