from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FollowUpSettings, TeamDecision


class TeamDecisionForm(forms.ModelForm):
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
        fields = ["behind_steps", "far_behind_steps", "default_course_weeks",
                  "attendance_percent", "attendance_weeks", "no_progress_weeks"]

    def clean(self):
        data = super().clean()
        behind, far = data.get("behind_steps"), data.get("far_behind_steps")
        if behind is not None and far is not None and far < behind:
            self.add_error("far_behind_steps", _("Far behind must be at least as far as behind."))
        return data


class AttendanceImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))
