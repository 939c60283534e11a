from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import bank, rules


def _bank_choices(in_use=()):
    """The newest version of every item, plus any older version the wave already asks."""
    offered = {i.ref: i for i in bank.current()}
    for item in bank.items(in_use):
        offered.setdefault(item.ref, item)
    position = {ref: n for n, ref in enumerate(bank.BANK)}
    return sorted(
        offered.values(), key=lambda i: (i.kind != bank.Kind.SCALE, bank.Theme.ORDER.index(i.theme), position[i.ref])
    )


class WaveForm(forms.Form):
    organiser = forms.ModelChoiceField(label=_("Organiser"), queryset=None)
    term = forms.ChoiceField(label=_("School term"))
    title = forms.CharField(label=_("Title"), max_length=120)
    opens_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"}))
    min_respondents = forms.IntegerField(
        label=_("Minimum number of respondents for results"),
        min_value=rules.MIN_RESPONDENTS,
        max_value=100,
        initial=rules.MIN_RESPONDENTS,
        help_text=_("At least %(n)s. It can be raised, never lowered.") % {"n": rules.MIN_RESPONDENTS},
    )
    min_free_text = forms.IntegerField(
        label=_("Minimum number of respondents for free-text answers"),
        min_value=rules.MIN_FREE_TEXT,
        max_value=200,
        initial=rules.MIN_FREE_TEXT,
        help_text=_("At least %(n)s, and not under the minimum for results.") % {"n": rules.MIN_FREE_TEXT},
    )
    items = forms.MultipleChoiceField(label=_("Questions"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, organisers, wave=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.wave = wave
        self.fields["organiser"].queryset = organisers
        if wave is not None:
            del self.fields["organiser"]
            del self.fields["term"]
        else:
            self.fields["term"].choices = [(t, rules.term_label(t)) for t in rules.terms_around(timezone.localdate())]
            self.fields["term"].initial = rules.term_of(timezone.localdate())
            if organisers.count() == 1:
                self.fields["organiser"].initial = organisers.first()
        self.bank_items = _bank_choices(wave.refs() if wave else ())
        self.fields["items"].choices = [(i.ref, i.text) for i in self.bank_items]
        if wave is not None and wave.participations.exists():
            self.fields["items"].disabled = True

    def themes(self):
        """The item checkboxes grouped by theme for the template: (label, [(ref, text, kind)])."""
        chosen = set(self["items"].value() or [])
        out = []
        for theme in bank.Theme.ORDER:
            rows = [
                (i.ref, i.text, i.kind, i.version, i.ref in chosen)
                for i in self.bank_items
                if i.theme == theme and i.kind == bank.Kind.SCALE
            ]
            out.append((bank.Theme.LABELS[theme], rows))
        out.append(
            (
                _("Free text (at most two)"),
                [
                    (i.ref, i.text, i.kind, i.version, i.ref in chosen)
                    for i in self.bank_items
                    if i.kind == bank.Kind.TEXT
                ],
            )
        )
        return out

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("The wave must close after it opens."))
        if (data.get("min_free_text") or 0) < (data.get("min_respondents") or 0):
            self.add_error("min_free_text", _("Free text needs at least as many respondents as the other results."))
        return data


class AnswerForm(forms.Form):
    """The questionnaire: one radio group per scale item, a text box per free-text item."""

    def __init__(self, *args, wave, **kwargs):
        super().__init__(*args, **kwargs)
        self.wave = wave
        choices = [(str(v), label) for v, label in bank.SCALE] + [(str(bank.DONT_KNOW), bank.SCALE_DONT_KNOW[1])]
        for wave_item in wave.items.all():
            item = wave_item.item
            if item is None:
                continue
            if item.kind == bank.Kind.SCALE:
                self.fields[item.ref] = forms.ChoiceField(
                    label=item.text, choices=choices, required=False, widget=forms.RadioSelect
                )
            else:
                self.fields[item.ref] = forms.CharField(
                    label=item.text,
                    required=False,
                    max_length=bank.FREE_TEXT_MAX_CHARS,
                    widget=forms.Textarea(attrs={"rows": 4, "maxlength": bank.FREE_TEXT_MAX_CHARS}),
                )
            self.fields[item.ref].theme = item.theme

    def by_theme(self):
        out = []
        for theme in bank.Theme.ORDER:
            fields = [
                self[name] for name, f in self.fields.items() if f.theme == theme and isinstance(f, forms.ChoiceField)
            ]
            if fields:
                out.append((bank.Theme.LABELS[theme], fields))
        texts = [self[name] for name, f in self.fields.items() if isinstance(f, forms.CharField)]
        return out, texts

    def clean(self):
        data = super().clean()
        if not any(v not in ("", None) for v in data.values()):
            raise ValidationError(_("Answer at least one question before you send."))
        return data


class ResultsForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), required=False)
    breakdown = forms.ChoiceField(label=_("Break down by"), required=False)

    def __init__(self, *args, levels, breakdowns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = levels
        self.fields["breakdown"].choices = [("", _("No breakdown"))] + breakdowns
