"""The admin's user and role pages: people who leave are deactivated, not deleted,
and only a superuser makes anyone more powerful.

Replaces Django's own `UserAdmin` registration (imported from responses/admin/__init__.py):

- a "Deactivate selected users" action, and a Deactivate button on each user's page;
- deleting a user who has acted (see `responses.people`) is refused with the
  reasons, and Deactivate is offered instead;
- the bulk "Delete selected users" action refuses, with the reasons, the users who
  have acted and deletes only those who never did anything (after Django's usual
  confirmation page).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import format_lazy

from responses import people, roles, rules
from responses.errors import NotAllowed

User = get_user_model()

LEAVERS_NOTE = (
    "When someone leaves, deactivate their account (untick Active, or use Deactivate at "
    "the top of this page): they can no longer sign in, and their name stays on everything "
    "they edited, signed or submitted. Only an account that has never been used, a "
    "mistyped one say, can be deleted."
)


def _with_leavers_note(fieldsets):
    """Django's fieldsets, the one holding `is_active` explaining what it is for."""
    return tuple(
        (name, {**options, "description": LEAVERS_NOTE})
        if "is_active" in options["fields"]
        else (name, options)
        for name, options in fieldsets
    )


SUPERUSERS_ONLY = (
    "Only a superuser can change Staff status, Superuser status and single permissions, "
    "give someone the Administrator role, or change an Administrator's roles."
)
READ_ONLY = "Only a superuser can change this account: it is a superuser's or an Administrator's."


def _described(fieldsets, field: str, description: str, *, append: bool = False):
    """`fieldsets`, the one holding `field` described by `description` (after its own)."""
    described = []
    for name, options in fieldsets:
        if field in options["fields"]:
            before = options.get("description", "")
            text = f"{before} {description}" if append and before else description
            options = {**options, "description": text}
        described.append((name, options))
    return tuple(described)


def _read_only_note(fieldsets):
    """A superuser's account as an Administrator sees it: why it cannot be changed, and
    no password button or Deactivate advice that would lead nowhere."""
    shown = tuple(
        (name, {**options, "fields": tuple(f for f in options["fields"] if f != "password")})
        for name, options in fieldsets
    )
    shown = _described(shown, "is_active", "")
    return _described(shown, "username", READ_ONLY)


def _who(user) -> str:
    """ "Olivia Officer (officer)": the name people know, and the username that is unique."""
    name = user.get_full_name()
    return f"{name} ({user.get_username()})" if name else user.get_username()


def _sentence(reasons: list[str]) -> str:
    if len(reasons) == 1:
        return reasons[0]
    return ", ".join(reasons[:-1]) + " and " + reasons[-1]


class PeopleUserAdmin(UserAdmin):
    change_form_template = "admin/auth/user/change_form.html"
    list_display = ("username", "name", "email", "is_active", "roles")
    list_filter = ("is_active", "groups", "is_staff", "is_superuser")
    fieldsets = _with_leavers_note(UserAdmin.fieldsets)
    actions = ["deactivate_selected", "delete_selected"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("groups")

    # Who may make whom powerful. Only a superuser makes a superuser, a member of staff
    # or an Administrator, hands out single permissions, or changes an Administrator's
    # roles; an Administrator who is not a superuser manages the other roles, and
    # cannot touch a superuser's account at all (its password included).

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return fields
        fields = (*fields, "is_superuser", "is_staff", "user_permissions")
        if obj is not None and rules.is_administrator(obj):
            fields = (*fields, "groups")
        return fields

    def get_fieldsets(self, request: HttpRequest, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or request.user.is_superuser:
            return fieldsets
        if not self.has_change_permission(request, obj):
            return _read_only_note(fieldsets)
        return _described(fieldsets, "is_staff", SUPERUSERS_ONLY, append=True)

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.exclude(name=roles.ADMINISTRATOR)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _out_of_reach(self, request: HttpRequest, user) -> bool:
        """A superuser's account, or another Administrator's, seen by an Administrator
        who is not a superuser: one Administrator may not take over or remove another."""
        if user is None or request.user.is_superuser or user.pk == request.user.pk:
            return False
        return user.is_superuser or rules.is_administrator(user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return not self._out_of_reach(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return not self._out_of_reach(request, obj) and super().has_delete_permission(request, obj)

    def _within_reach(self, request: HttpRequest, users: QuerySet) -> QuerySet:
        """`users` less those out of reach of the one acting, saying so."""
        untouchable = [user for user in users if self._out_of_reach(request, user)]
        for user in untouchable:
            self.message_user(
                request,
                f"Only a superuser can change {_who(user)}'s account.",
                messages.ERROR,
            )
        return users.exclude(pk__in=[user.pk for user in untouchable])

    @admin.display(description="Name", ordering="last_name")
    def name(self, user) -> str:
        return user.get_full_name()

    @admin.display(description="Roles")
    def roles(self, user) -> str:
        return ", ".join(group.name for group in user.groups.all())

    def save_model(self, request: HttpRequest, user, form, change: bool) -> None:
        """Save, and audit a rename on the responses the account signs: what it signed
        already keeps the name it signed with."""
        before = None
        if change and user.pk:
            stored = User.objects.filter(pk=user.pk).first()
            before = people.shown_name(stored) if stored else None
        super().save_model(request, user, form, change)
        if before is not None:
            people.record_rename(by=request.user, user=user, before=before)

    def get_urls(self):
        return [
            path(
                "<id>/deactivate/",
                self.admin_site.admin_view(self.deactivate_view),
                name="auth_user_deactivate",
            ),
            *super().get_urls(),
        ]

    # Deactivating.

    def _deactivate(self, request: HttpRequest, users: QuerySet) -> int | None:
        """Deactivate `users`, log it and say so; None when refused."""
        newly = list(users.filter(is_active=True))
        try:
            count = people.deactivate(by=request.user, users=users)
        except NotAllowed as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return None
        for user in newly:
            self.log_change(request, user, [{"changed": {"fields": ["Active"]}}])
        return count

    @admin.action(permissions=["change"], description="Deactivate selected users")
    def deactivate_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        queryset = self._within_reach(request, queryset)
        count = self._deactivate(request, queryset)
        if count is None:
            return
        already = queryset.count() - count
        message = (
            f"Deactivated {count} user{'s' if count != 1 else ''}: they can no longer sign in, "
            "and their names stay on everything they did."
        )
        if already:
            message += f" {already} already deactivated."
        self.message_user(request, message, messages.SUCCESS)

    def deactivate_view(self, request: HttpRequest, id: str) -> HttpResponse:
        """GET: what deactivating means, with a button; POST: deactivate."""
        user = self.get_object(request, unquote(id))
        if user is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, id)
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        change_url = reverse("admin:auth_user_change", args=[user.pk])
        if request.method == "POST":
            count = self._deactivate(request, User.objects.filter(pk=user.pk))
            if count:
                self.message_user(
                    request,
                    f"Deactivated {_who(user)}: they can no longer sign in, and their name "
                    "stays on everything they did. Tick Active on this page to let them back in.",
                    messages.SUCCESS,
                )
            elif count == 0:
                self.message_user(request, f"Already deactivated: {_who(user)}.", messages.INFO)
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Deactivate {_who(user)}",
            "who": _who(user),
            "subtitle": None,
            "opts": self.opts,
            "object": user,
            "reasons": people.acted(user),
            "is_self": user.pk == request.user.pk,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/auth/user/deactivate_confirmation.html", context)

    # Deleting: only accounts that never did anything.

    def delete_view(self, request: HttpRequest, object_id: str, extra_context=None):
        with transaction.atomic(using=router.db_for_write(self.model)):
            user = self.get_object(request, unquote(object_id))
            if user is not None:
                if not self.has_delete_permission(request, user):
                    raise PermissionDenied
                reasons = people.acted(user)
                if reasons:
                    return self._delete_refused(request, user, reasons)
            return super().delete_view(request, object_id, extra_context)

    def _delete_refused(self, request: HttpRequest, user, reasons: list[str]) -> HttpResponse:
        is_self = user.pk == request.user.pk
        context = {
            **self.admin_site.each_context(request),
            "title": f"Cannot delete {_who(user)}",
            "who": _who(user),
            "subtitle": None,
            "opts": self.opts,
            "object": user,
            "reasons": reasons,
            "is_self": is_self,
            "can_deactivate": (
                user.is_active and not is_self and self.has_change_permission(request, user)
            ),
            "deactivate_url": reverse("admin:auth_user_deactivate", args=[user.pk]),
            "change_url": reverse("admin:auth_user_change", args=[user.pk]),
        }
        return TemplateResponse(request, "admin/auth/user/delete_refused.html", context)

    @admin.action(
        permissions=["delete"],
        description=format_lazy("Delete selected {}", User._meta.verbose_name_plural),
    )
    def delete_selected(self, request: HttpRequest, queryset: QuerySet):
        """Refuse the users who acted, with the reasons; delete the rest as Django does."""
        queryset = self._within_reach(request, queryset)
        reasons = people.reasons_by_user(queryset)
        refused = {pk for pk, said in reasons.items() if said}
        for user in queryset.filter(pk__in=refused):
            self.message_user(
                request,
                f"Cannot delete {_who(user)}: the account {_sentence(reasons[user.pk])}. "
                "Deactivate it instead.",
                messages.ERROR,
            )
        deletable = queryset.exclude(pk__in=refused)
        if not deletable.exists():
            return None
        return django_delete_selected(self, request, deletable)


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, PeopleUserAdmin)


ROLES = {*roles.ROLE_PERMISSIONS, roles.ADMINISTRATOR}


class RoleGroupAdmin(GroupAdmin):
    """Roles' permissions are widened by a superuser only: an Administrator who could
    give the Officer role `administer` would make every officer an Administrator. The
    roles themselves are renamed or deleted by a superuser only: Consult finds them by
    name, and a renamed one would quietly empty every team of that role."""

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else (*fields, "permissions")

    def _is_a_role(self, request: HttpRequest, group) -> bool:
        """One of Consult's roles, which it finds by name, seen by a non-superuser."""
        return group is not None and not request.user.is_superuser and group.name in ROLES

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return not self._is_a_role(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return not self._is_a_role(request, obj) and super().has_delete_permission(request, obj)


if admin.site.is_registered(Group):
    admin.site.unregister(Group)
admin.site.register(Group, RoleGroupAdmin)
