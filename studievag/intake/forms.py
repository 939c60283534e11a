from django import forms
from django.utils.translation import gettext_lazy as _

from .models import IntakeMapping

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class IntakeForm(forms.ModelForm):
    """The mapping, plus one starting-level field per subject (``level_<subject id>``)."""

    class Meta:
        model = IntakeMapping
        fields = [
            "mapped_on",
            "compulsory_school_completed",
            "compulsory_grades",
            "merit_value",
            "parents_education",
            "literacy",
            "literacy_languages",
            "numeracy",
            "earlier_work",
            "interests",
            "own_goals",
            "well_being",
            "well_being_note",
        ]
        widgets = {
            "mapped_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "compulsory_school_completed": forms.NullBooleanSelect,
            "compulsory_grades": TEXTAREA,
            "earlier_work": TEXTAREA,
            "interests": TEXTAREA,
            "own_goals": TEXTAREA,
            "well_being_note": TEXTAREA,
        }

    def __init__(self, *args, subjects=(), scales=None, levels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.level_fields = []
        levels = levels or {}
        for subject in subjects:
            scale = scales.get(subject.pk) if scales else None
            if scale is None:
                continue
            name = f"level_{subject.pk}"
            self.fields[name] = forms.TypedChoiceField(
                label=_("Starting level in %(subject)s") % {"subject": subject.name},
                choices=[("", _("Not mapped"))]
                + [(s.pk, f"{s.position}. {s.label}" + (" ★" if s.is_goal else "")) for s in scale.steps.all()],
                coerce=int,
                empty_value=None,
                required=False,
                initial=levels.get(subject.pk),
                help_text=scale.name,
            )
            self.level_fields.append((subject, name))

    def levels(self) -> dict[int, int | None]:
        return {subject.pk: self.cleaned_data.get(name) for subject, name in self.level_fields}
