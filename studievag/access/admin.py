"""The administrator's set-up of staff roles and accounts, through the audited services.

An administrator grants roles here, but never to itself, and a role that reaches
individual records waits for the unit's principal or a second administrator
(see ``access/services.py``). Roles are ended, not deleted, so the history
stays. Accounts: only a superuser makes superusers or hands out single
permissions, and nobody raises their own account. The lists name no student.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from studievag.people.models import AccessChange

from . import services
from .models import SCOPE_FIELDS, RoleAssignment

User = get_user_model()


class RoleGrantForm(forms.ModelForm):
    reason = forms.CharField(label=_("Why is the role given?"), max_length=500)

    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "region", "organiser", "school_unit", "group", "valid_from", "valid_to", "reason"]

    def __init__(self, *args, acting_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.acting_user = acting_user

    def clean(self):
        data = super().clean() or {}
        user = data.get("user")
        if user is not None and self.acting_user is not None and user.pk == self.acting_user.pk:
            raise ValidationError(_("Nobody can give a role to themselves."))
        return data


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    """Staff roles by scope. The per-student mentor scope is set from the student's
    school, not here: the admin sees no student data."""

    list_display = ["user", "role", "region", "organiser", "school_unit", "group", "valid_from", "valid_to", "pending"]
    list_filter = ["role", "pending"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "region", "organiser", "school_unit", "group"]
    actions = ["confirm_selected", "end_selected"]
    form = RoleGrantForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class WithActingUser(form):  # type: ignore[valid-type, misc]  # a form class made at run time
            def __init__(self, *args, **inner):
                super().__init__(*args, acting_user=request.user, **inner)

        return WithActingUser

    def get_readonly_fields(self, request, obj=None):
        # An existing role is changed only by ending it (an action), so every change is recorded.
        if obj is not None:
            return [f for f in RoleGrantForm.Meta.fields if f != "reason"] + ["pending", "granted_by", "confirmed_by"]
        return []

    def get_exclude(self, request, obj=None):
        return ["student"] + (["reason"] if obj is not None else [])

    def has_change_permission(self, request, obj=None):
        # Shown read-only: the history of a role is its access-change rows.
        return super().has_change_permission(request, obj) and obj is None

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            raise PermissionDenied
        scope = {f: form.cleaned_data.get(f) for f in SCOPE_FIELDS if f != "student"}
        created = services.role_assignment_grant(
            acting_user=request.user,
            user=form.cleaned_data["user"],
            role=form.cleaned_data["role"],
            valid_from=form.cleaned_data["valid_from"],
            valid_to=form.cleaned_data.get("valid_to"),
            reason=form.cleaned_data["reason"],
            **scope,
        )
        obj.pk, obj.pending = created.pk, created.pending
        if created.pending:
            messages.info(
                request, _("The role waits for the school unit's principal or another administrator to confirm it.")
            )

    @admin.action(description=_("Confirm the selected roles (awaiting confirmation)"))
    def confirm_selected(self, request, queryset):
        done = 0
        for assignment in queryset.filter(pending=True):
            if services.may_confirm(request.user, assignment):
                services.role_assignment_confirm(acting_user=request.user, assignment=assignment)
                done += 1
        self.message_user(request, ngettext("%(n)s role confirmed.", "%(n)s roles confirmed.", done) % {"n": done})

    @admin.action(description=_("End the selected roles today"))
    def end_selected(self, request, queryset):
        done = 0
        for assignment in queryset:
            try:
                services.role_assignment_revoke(
                    acting_user=request.user, assignment=assignment, reason=str(_("Ended in the administration"))
                )
                done += 1
            except (PermissionDenied, ValidationError):
                continue
        self.message_user(request, ngettext("%(n)s role ended.", "%(n)s roles ended.", done) % {"n": done})


admin.site.unregister(User)


@admin.register(User)
class StudievagUserAdmin(UserAdmin):
    """Accounts. Superuser status and single permissions are a superuser's to give;
    nobody changes their own status, groups or permissions here."""

    def get_readonly_fields(self, request, obj=None):
        # The log-in and joining times are the system's record, not something to edit.
        readonly = [*super().get_readonly_fields(request, obj), "last_login", "date_joined"]
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
        if obj is not None and obj.pk == request.user.pk:
            readonly += ["is_staff", "is_superuser", "groups", "user_permissions", "is_active"]
        return list(dict.fromkeys(readonly))


@admin.register(AccessChange)
class AccessChangeAdmin(admin.ModelAdmin):
    """Every change to who may see a student, read-only. Students are shown by number only."""

    list_display = ["at", "acting_username", "kind", "subject_username", "student_ref", "school_unit", "what"]
    list_filter = ["kind", "school_unit"]
    search_fields = ["acting_username", "subject_username"]
    date_hierarchy = "at"
    list_select_related = ["school_unit"]
    fields = (
        "at",
        "acting_username",
        "kind",
        "subject_username",
        "student_ref",
        "school_unit",
        "what",
        "reason",
    )
    readonly_fields = fields

    @admin.display(description=_("student"))
    def student_ref(self, obj):
        return f"#{obj.student_id}" if obj.student_id else "–"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return True

    def has_module_permission(self, request):
        return True
