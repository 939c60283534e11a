from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from studievag.organisations.models import Organiser, Region, StaffTraining
from studievag.plans.models import EducationPlan
from studievag.quality.indicators import Category, available

from .models import ChainNode, DevelopmentNote, Direction, EffectChain, Level, Theme, level_above

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ChainForm(forms.Form):
    owner = forms.ChoiceField(label=_("Whose chain"))
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    education_plan = forms.ModelChoiceField(
        label=_("Plan for education (version)"),
        queryset=EducationPlan.objects.none(),
        required=False,
        help_text=_("Organisers' chains: the version of the plan for education the chain belongs to."),
    )
    regional_chain = forms.ModelChoiceField(
        label=_("Regional chain"),
        queryset=EffectChain.objects.none(),
        required=False,
        help_text=_("Organisers' chains: the region's chain this one contributes to."),
    )

    def __init__(self, *args, scope, chain: EffectChain | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        owners = [(f"organiser:{o.pk}", o.name) for o in Organiser.objects.filter(pk__in=scope.edit_organisers)]
        owners += [(f"region:{r.pk}", r.name) for r in Region.objects.filter(pk__in=scope.edit_regions)]
        self.fields["owner"].choices = owners
        organisers = scope.edit_organisers if chain is None else {chain.organiser_id}
        self.fields["education_plan"].queryset = EducationPlan.objects.filter(
            organiser_id__in=organisers
        ).select_related("programme", "organiser")
        self.fields["education_plan"].label_from_instance = lambda d: (
            f"{d.title} – {_('version')} {d.version} ({d.valid_from:%Y-%m-%d})"
        )
        self.fields["regional_chain"].queryset = EffectChain.objects.filter(
            region__organisers__in=organisers
        ).distinct()
        if chain is not None:
            del self.fields["owner"]
            if chain.is_regional:
                del self.fields["education_plan"]
                del self.fields["regional_chain"]

    def owner_objects(self) -> dict:
        kind, _sep, pk = self.cleaned_data["owner"].partition(":")
        if kind == "region":
            return {"region": Region.objects.get(pk=pk)}
        return {"organiser": Organiser.objects.get(pk=pk)}


class NodeForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.CharField(label=_("Owner"), max_length=200, help_text=_("Who answers for it, e.g. “Rektor IMS”."))
    start_date = forms.DateField(label=_("From"), widget=DATE)
    end_date = forms.DateField(label=_("Until"), required=False, widget=DATE)
    leads_to = forms.ModelMultipleChoiceField(
        label=_("Leads to"),
        queryset=ChainNode.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Nodes on the level just above that this one is meant to bring about."),
    )
    regional_node = forms.ModelChoiceField(
        label=_("Contributes to (regional chain)"), queryset=ChainNode.objects.none(), required=False
    )

    def __init__(self, *args, chain: EffectChain, fixed_level: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        nodes = chain.nodes.exclude(level=Level.ACTIVITY).order_by("level", "pk")
        if fixed_level is not None:
            # The level stays; only the nodes just above can be led to.
            self.fields["level"].disabled = True
            self.fields["level"].required = False
            above = level_above(fixed_level)
            nodes = nodes.filter(level=above) if above else nodes.none()
        self.fields["leads_to"].queryset = nodes
        self.fields["leads_to"].label_from_instance = lambda n: f"{n.get_level_display()}: {n.title}"
        if chain.regional_chain_id:
            self.fields["regional_node"].queryset = chain.regional_chain.nodes.order_by("pk")
            self.fields["regional_node"].label_from_instance = lambda n: f"{n.get_level_display()}: {n.title}"
        else:
            del self.fields["regional_node"]

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("The end is before the start."))
        return data


class LinkForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"))
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices, initial=Direction.HIGHER)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        groups = []
        for category in Category.ORDER:
            items = [(k, i.name) for k, i in available().items() if i.category == category and i.missing is None]
            if items:
                groups.append((Category.LABELS[category], items))
        self.fields["indicator"].choices = groups


class TargetForm(forms.Form):
    checkpoint = forms.DateField(label=_("Checkpoint"), widget=DATE)
    value = forms.DecimalField(
        label=_("Target"),
        max_digits=7,
        decimal_places=1,
        localize=True,
        help_text=_("Per cent for shares, students for counts."),
    )


class NoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DevelopmentNote.Kind.choices)
    theme = forms.ChoiceField(label=_("Theme"), choices=Theme.choices)
    written_on = forms.DateField(label=_("Date"), widget=DATE)
    text = forms.CharField(label=_("Text"), max_length=6000, widget=forms.Textarea(attrs={"rows": 5}))


class NoteSearchForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    theme = forms.ChoiceField(label=_("Theme"), required=False, choices=[("", _("Any"))] + list(Theme.choices))
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any"))] + list(DevelopmentNote.Kind.choices)
    )


class StaffTrainingForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Member of staff"), queryset=None)
    organiser = forms.ModelChoiceField(label=_("Organiser"), queryset=None)
    topic = forms.ChoiceField(label=_("Topic"), choices=StaffTraining.Topic.choices)
    title = forms.CharField(label=_("Training"), max_length=200, help_text=_("E.g. the name of the course."))
    provider = forms.CharField(label=_("Given by"), max_length=200, required=False)
    completed_on = forms.DateField(label=_("Completed on"), widget=DATE)

    def __init__(self, *args, people, organisers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["organiser"].queryset = organisers
        if len(organisers) == 1:
            self.fields["organiser"].initial = organisers.first().pk
        self.fields["completed_on"].initial = timezone.localdate()
