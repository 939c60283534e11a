from django import forms
from django.utils.translation import gettext_lazy as _

from studievag.once import SubmissionKeyField

from .models import FollowUpSettings, TeamDecision


class TeamDecisionForm(forms.ModelForm):
    submission_key = SubmissionKeyField()

    class Meta:
        model = TeamDecision
        fields = ["kind", "text", "follow_up_on"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "follow_up_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class FollowUpSettingsForm(forms.ModelForm):
    class Meta:
        model = FollowUpSettings
        fields = [
            "behind_steps",
            "far_behind_steps",
            "default_course_weeks",
            "attendance_percent",
            "attendance_weeks",
            "no_progress_weeks",
        ]

    def clean(self):
        data = super().clean()
        behind, far = data.get("behind_steps"), data.get("far_behind_steps")
        if behind is not None and far is not None and far < behind:
            self.add_error("far_behind_steps", _("Far behind must be at least as far as behind."))
        return data


class AttendanceImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or Excel)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,text/csv"}),
    )
    # The week the page shows: rows of a file without a week column are this week's.
    week = forms.DateField(required=False, widget=forms.HiddenInput)


class ScaleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    subject_codes = forms.CharField(
        label=_("Subject codes"),
        max_length=300,
        help_text=_("Skolverket subject codes this scale is used for, separated by commas, e.g. GRGRMAT01, MAT."),
    )

    def clean_subject_codes(self) -> list[str]:
        return [c.strip().upper() for c in self.cleaned_data["subject_codes"].split(",") if c.strip()]


class StepForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    label = forms.CharField(label=_("Label"), max_length=60)
    colour = forms.RegexField(
        label=_("Colour"),
        regex=r"^#[0-9a-fA-F]{6}$",
        initial="#e6eef5",
        error_messages={"invalid": _("Write the colour as #rrggbb.")},
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    is_goal = forms.BooleanField(label=_("Course goal"), required=False)


class _StepFormSet(forms.BaseFormSet):
    def steps(self) -> list[dict]:
        """The steps in their order (the order field, else as listed): filled, not removed."""
        rows = [
            (
                f.cleaned_data.get("ORDER") or 10_000 + n,
                {k: v for k, v in f.cleaned_data.items() if k not in ("DELETE", "ORDER")},
            )
            for n, f in enumerate(self.forms)
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        return [data for _order, data in sorted(rows, key=lambda r: r[0])]


StepFormSet = forms.formset_factory(StepForm, formset=_StepFormSet, extra=2, can_delete=True, can_order=True)
