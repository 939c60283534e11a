from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from studievag.enrolments.models import StudentGroup
from studievag.organisations.models import SchoolUnit

from .models import Role
from .services import PRINCIPAL_GRANTS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StaffRoleForm(forms.Form):
    """A principal gives a colleague a role at one of their own units, or in one of its groups."""

    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"))
    school_unit = forms.ModelChoiceField(label=_("School unit"), queryset=SchoolUnit.objects.none(), required=False)
    group = forms.ModelChoiceField(label=_("Group"), queryset=StudentGroup.objects.none(), required=False)
    valid_from = forms.DateField(label=_("From"), widget=DATE)
    valid_to = forms.DateField(label=_("To (optional)"), widget=DATE, required=False)
    reason = forms.CharField(label=_("Why"), max_length=500)

    def __init__(self, *args, unit_ids, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = [
            (r.value, r.label) for r in Role if r in PRINCIPAL_GRANTS
        ]
        cast(forms.ModelChoiceField, self.fields["school_unit"]).queryset = SchoolUnit.objects.filter(
            pk__in=unit_ids
        ).order_by("name")
        cast(forms.ModelChoiceField, self.fields["group"]).queryset = (
            StudentGroup.objects.filter(school_unit_id__in=unit_ids).select_related("school_unit").order_by("name")
        )
        self.fields["valid_from"].initial = timezone.localdate()

    def clean(self):
        data = super().clean() or {}
        user = get_user_model().objects.filter(username=data.get("username", ""), is_active=True).first()
        if data.get("username") and user is None:
            self.add_error("username", _("No active account has this username."))
        data["user"] = user
        if bool(data.get("school_unit")) == bool(data.get("group")):
            raise ValidationError(_("Choose either a school unit or a group."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=500)


class MembershipStartForm(forms.Form):
    """A principal adds a student enrolled at the group's school unit to the group."""

    student = forms.TypedChoiceField(label=_("Student"), coerce=int)
    start_date = forms.DateField(label=_("From"), widget=DATE)
    reason = forms.CharField(label=_("Why"), max_length=500)

    def __init__(self, *args, students, **kwargs):
        """``students``: the unit's current students, labelled by ``policy.label_students``."""
        super().__init__(*args, **kwargs)
        self.students = {s.pk: s for s in students}
        cast(forms.TypedChoiceField, self.fields["student"]).choices = [("", "–")] + [
            (s.pk, s.display_name) for s in students
        ]
        self.fields["start_date"].initial = timezone.localdate()

    def clean_student(self):
        return self.students[self.cleaned_data["student"]]


class MembershipEndForm(forms.Form):
    """A principal takes a student out of a group."""

    end_date = forms.DateField(label=_("Last day"), widget=DATE)
    reason = forms.CharField(label=_("Why"), max_length=500, widget=forms.TextInput(attrs={"placeholder": _("Why")}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end_date"].initial = timezone.localdate()
