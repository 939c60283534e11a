from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from studievag.organisations.models import Organiser, Programme, SchoolUnit
from studievag.people.identity import parse_identity_number

from .models import OTHER_FIELDS, PEDAGOGICAL_FIELDS, PLACEMENT_FIELDS, STUDENT_FIELDS, Handover


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class HandoverForm(forms.ModelForm):
    sending_unit = forms.ModelChoiceField(label=_("Sending school"), queryset=SchoolUnit.objects.none())

    class Meta:
        model = Handover
        fields = STUDENT_FIELDS + PLACEMENT_FIELDS + PEDAGOGICAL_FIELDS + OTHER_FIELDS
        widgets = {
            "date_of_birth": DateInput(),
            "starts_on": DateInput(),
            "consent_given_on": DateInput(),
            "grades": forms.Textarea(attrs={"rows": 2}),
            "subjects_levels": forms.Textarea(attrs={"rows": 3}),
            "schooling_in_sweden": forms.Textarea(attrs={"rows": 2}),
            "schooling_abroad": forms.Textarea(attrs={"rows": 2}),
            "what_worked": forms.Textarea(attrs={"rows": 3}),
            "support_measures": forms.Textarea(attrs={"rows": 3}),
            "support_effect": forms.Textarea(attrs={"rows": 2}),
            "student_voice": forms.Textarea(attrs={"rows": 3}),
            "other_information": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, sending_units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(is_active=True)
        self.fields["date_of_birth"].required = False
        self.fields["date_of_birth"].help_text = _("Only when the student has no identity number; else read from it.")
        if sending_units is None:
            del self.fields["sending_unit"]
        else:
            self.fields["sending_unit"].queryset = sending_units
            if sending_units.count() == 1:
                self.fields["sending_unit"].initial = sending_units.first()

    def clean_identity_number(self):
        raw = self.cleaned_data.get("identity_number", "")
        if not raw.strip():
            return ""
        self.identity = parse_identity_number(raw)
        return self.identity.value

    def clean(self):
        data = super().clean()
        identity = getattr(self, "identity", None)
        if identity is not None:
            data["date_of_birth"] = identity.date_of_birth
        elif not data.get("date_of_birth") and "date_of_birth" not in self.errors:
            self.add_error("date_of_birth", _("Give the date of birth when the student has no identity number."))
        return data

    def _post_clean(self):
        # The service validates the instance (consent and protected identity rules included).
        pass

    def content(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "sending_unit"}

    def sections(self):
        """The fields grouped as the page shows them: who, where, the pedagogical part, the rest."""
        return [
            (_("The student"), [self[f] for f in STUDENT_FIELDS]),
            (_("Placement"), [self[f] for f in PLACEMENT_FIELDS]),
            (_("The pedagogical part"), [self[f] for f in PEDAGOGICAL_FIELDS]),
            (_("Other information, only with consent"), [self[f] for f in OTHER_FIELDS]),
        ]


class SendForm(forms.Form):
    destination = forms.ChoiceField(
        label=_("Send to"), choices=Handover.Destination.choices, widget=forms.RadioSelect, initial="unit"
    )
    receiving_unit = forms.ModelChoiceField(label=_("School unit"), queryset=SchoolUnit.objects.none(), required=False)
    receiving_organiser = forms.ModelChoiceField(
        label=_("Organiser"), queryset=Organiser.objects.none(), required=False
    )
    contact_person = forms.ModelChoiceField(
        label=_("Contact person at the receiving school"),
        queryset=None,
        required=False,
        help_text=_("Required for a student with protected identity: only this person will see the name."),
    )

    def __init__(self, *args, region_id, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiving_unit"].queryset = SchoolUnit.objects.filter(
            organiser__region_id=region_id, school_type=SchoolUnit.SchoolType.UPPER_SECONDARY
        ).select_related("organiser")
        self.fields["receiving_unit"].label_from_instance = lambda u: f"{u.name} ({u.organiser.name})"
        self.fields["receiving_organiser"].queryset = Organiser.objects.filter(region_id=region_id)
        self.fields["contact_person"].queryset = contacts
        self.fields["contact_person"].label_from_instance = lambda u: u.get_full_name() or u.username


class ReceiveForm(forms.Form):
    contact_person = forms.ModelChoiceField(label=_("Contact person at your school"), queryset=None)
    contact_phone = forms.CharField(label=_("Phone"), max_length=30, required=False)

    def __init__(self, *args, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_person"].queryset = contacts
        self.fields["contact_person"].label_from_instance = lambda u: u.get_full_name() or u.username


class BookMeetingForm(forms.Form):
    meeting_on = forms.DateField(label=_("Meeting on"), widget=DateInput())


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput(), initial=timezone.localdate)
    participants = forms.CharField(
        label=_("Who took part"),
        max_length=300,
        help_text=_("E.g. the student, the guardian, the mentor at the sending school, our counsellor."),
    )
    student_voice = forms.CharField(label=_("The student's voice"), widget=forms.Textarea(attrs={"rows": 3}))
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class StartRecordForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.filter(is_active=True))
    start_date = forms.DateField(label=_("Enrolment starts on"), widget=DateInput())


class SettingsForm(forms.Form):
    organiser = forms.ModelChoiceField(label=_("Organiser"), queryset=Organiser.objects.none())
    deadline_weeks = forms.IntegerField(
        label=_("Handovers received at the latest (weeks before the start)"), min_value=0, max_value=26
    )
    term_starts_on = forms.DateField(label=_("Next term starts on"), widget=DateInput(), required=False)

    def __init__(self, *args, organisers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisers
        if organisers.count() == 1:
            self.fields["organiser"].initial = organisers.first()


class PlaceForm(forms.Form):
    receiving_unit = forms.ModelChoiceField(label=_("Place at"), queryset=SchoolUnit.objects.none())

    def __init__(self, *args, region_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiving_unit"].queryset = SchoolUnit.objects.filter(
            organiser__region_id__in=region_ids, school_type=SchoolUnit.SchoolType.UPPER_SECONDARY
        ).select_related("organiser")
