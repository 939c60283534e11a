from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from studievag.organisations.models import Organiser, SchoolUnit

from . import rules
from .models import Channel, Exit, KaaStatus, Occupation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ExitForm(forms.Form):
    exit_date = forms.DateField(label=_("Last day"), widget=DATE)
    reason = forms.ChoiceField(label=_("Reason for leaving"))
    national_programme = forms.ChoiceField(
        label=_("Which national programme"),
        required=False,
        choices=[("", "—")] + sorted(rules.NATIONAL_PROGRAMMES.items(), key=lambda kv: kv[1]),
    )
    destination = forms.CharField(
        label=_("Destination"),
        required=False,
        max_length=200,
        help_text=_("The school, employer or education the student goes to. Leave empty when there is none."),
    )
    receiving_unit = forms.ModelChoiceField(
        label=_("Receiving school unit in Studieväg"),
        required=False,
        queryset=SchoolUnit.objects.none(),
        help_text=_("Choose it when the student goes on to a school unit in Studieväg."),
    )
    home_municipality = forms.ModelChoiceField(
        label=_("Home municipality"), required=False, queryset=Organiser.objects.none()
    )
    consent_to_contact = forms.BooleanField(
        label=_("The student consents to be contacted 6 and 12 months from now about what they do"),
        required=False,
    )
    contact_phone = forms.CharField(label=_("Phone for the follow-up"), required=False, max_length=30)
    contact_email = forms.EmailField(label=_("E-mail for the follow-up"), required=False)
    hand_to_kaa = forms.BooleanField(
        label=_("Hand over to the activity responsibility even though there is a destination"),
        required=False,
        help_text=_("Young people under 20 without a destination are always handed over."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, default_municipality=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [("", "—")] + [(r.value, r.label) for r in Exit.REASONS]
        self.fields["receiving_unit"].queryset = SchoolUnit.objects.filter(
            school_type=SchoolUnit.SchoolType.UPPER_SECONDARY
        ).order_by("name")
        self.fields["home_municipality"].queryset = Organiser.objects.filter(kind=Organiser.Kind.MUNICIPAL).order_by(
            "name"
        )
        if default_municipality is not None:
            self.fields["home_municipality"].initial = default_municipality.pk
        self.fields["exit_date"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        if data.get("reason") == Exit.Reason.NATIONAL_PROGRAMME and not data.get("national_programme"):
            self.add_error("national_programme", _("Choose which national programme."))
        return data


class AttemptForm(forms.Form):
    attempted_on = forms.DateField(label=_("Date"), widget=DATE)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    reached = forms.BooleanField(label=_("Reached"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attempted_on"].initial = timezone.localdate()


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("What the young person does"), choices=[("", "—")] + list(Occupation.choices))
    outcome_on = forms.DateField(label=_("As of"), widget=DATE)
    channel = forms.ChoiceField(
        label=_("How you talked"),
        required=False,
        choices=[("", "—")] + list(Channel.choices),
        help_text=_("Needed unless a reached contact is already recorded."),
    )
    study_what = forms.CharField(label=_("Studies what"), required=False, max_length=200)
    study_where = forms.CharField(label=_("Studies where"), required=False, max_length=200)
    work_what = forms.CharField(label=_("Works as / where"), required=False, max_length=200)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome_on"].initial = timezone.localdate()


class KaaStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[(s.value, s.label) for s in KaaStatus if s != KaaStatus.SENT]
    )
    on = forms.DateField(label=_("Date"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
