import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from studievag.access.policy import may
from studievag.limits import SEARCH_MAX_CHARS, search_words
from studievag.once import SubmissionKeyField
from studievag.organisations.models import CURRENT_PROGRAMMES

from . import periods
from .dimensions import available_dimensions
from .indicators import available
from .models import Reflection
from .selectors import level_choices


class ReportForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"))
    programme = forms.ChoiceField(label=_("Programme"), required=False)
    period = forms.ChoiceField(label=_("Period"))
    dim1 = forms.ChoiceField(label=_("Break down by"), required=False)
    dim2 = forms.ChoiceField(label=_("and by"), required=False)
    indicator = forms.ChoiceField(label=_("Indicator for chart and trend"), required=False)
    unsuppressed = forms.BooleanField(label=_("Show small numbers (own school unit only)"), required=False)

    def __init__(self, data=None, *, user, today=None):
        today = today or timezone.localdate()
        self.levels = {lv.code: lv for lv in level_choices(user)}
        defaults = {
            "level": next(iter(self.levels), ""),
            "period": periods.term_of(today).code,
            "indicator": "students",
        }
        merged = {**defaults, **{k: v for k, v in (data or {}).items() if v not in ("", None)}}
        super().__init__(merged)
        self.user = user
        self.fields["level"].choices = [(code, lv.label) for code, lv in self.levels.items()]
        self.fields["programme"].choices = [("", _("All programmes"))] + [
            (code, f"{code} {name}") for code, name in CURRENT_PROGRAMMES.items()
        ]
        self.fields["period"].choices = periods.choices(today)
        dims = [("", _("No breakdown"))] + [(k, d.label) for k, d in available_dimensions().items()]
        self.fields["dim1"].choices = dims
        self.fields["dim2"].choices = dims
        self.fields["indicator"].choices = [(k, i.name) for k, i in available().items() if i.missing is None]
        if not may(user, "quality.unsuppressed"):
            del self.fields["unsuppressed"]

    def clean(self):
        data = super().clean()
        if data.get("dim2") and not data.get("dim1"):
            data["dim1"], data["dim2"] = data["dim2"], ""
        if data.get("dim1") and data.get("dim1") == data.get("dim2"):
            self.add_error("dim2", _("Choose two different breakdowns."))
        level = self.levels.get(data.get("level", ""))
        data["level_obj"] = level
        data["period_obj"] = periods.parse(data.get("period", ""))
        if data.get("unsuppressed") and level is not None and level.kind != "unit":
            self.add_error("unsuppressed", _("Small numbers can be shown only for a single school unit."))
        return data


class ReflectionForm(forms.ModelForm):
    submission_key = SubmissionKeyField()
    indicators = forms.MultipleChoiceField(
        label=_("Indicators it concerns"), required=False, widget=forms.CheckboxSelectMultiple
    )
    themes = forms.CharField(
        label=_("Themes"),
        required=False,
        max_length=200,
        help_text=_("Words separated by commas, e.g. attendance, language development."),
    )

    class Meta:
        model = Reflection
        fields = ["school_unit", "written_on", "source", "text"]
        widgets = {
            "written_on": forms.DateInput(attrs={"type": "date"}),
            "text": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_unit"].queryset = units
        if len(units) == 1:
            self.fields["school_unit"].initial = units[0].pk
        self.fields["indicators"].choices = [(k, i.name) for k, i in available().items()]
        self.fields["text"].help_text = _("Write about groups, never about individual students: no names.")

    def tags(self) -> list[str]:
        tags = [f"indicator:{k}" for k in self.cleaned_data.get("indicators", [])]
        for word in re.split(r"[,،]", self.cleaned_data.get("themes") or ""):  # the Arabic comma too
            word = " ".join(word.split()).lower()
            if word:
                tags.append(f"theme:{word[:50]}")
        return tags


class ReflectionSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=SEARCH_MAX_CHARS)
    tag = forms.ChoiceField(label=_("Indicator"), required=False)

    def clean_q(self) -> str:
        words = search_words(self.cleaned_data.get("q", ""))
        return " ".join(words)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", _("Any"))] + [(f"indicator:{k}", i.name) for k, i in available().items()]
