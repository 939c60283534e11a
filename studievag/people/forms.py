from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from studievag.organisations.models import Programme

from .identity import parse_identity_number
from .languages import LANGUAGES
from .models import Student


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class StudentBackgroundForm(forms.ModelForm):
    other_languages = forms.MultipleChoiceField(
        label=_("Other languages"),
        choices=LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Student
        fields = list(Student.EDITABLE_FIELDS)
        widgets = {
            "arrived_in_sweden": DateInput(),
            "first_school_start_in_sweden": DateInput(),
        }

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        arrived = data.get("arrived_in_sweden")
        school_start = data.get("first_school_start_in_sweden")
        if arrived and arrived > today:
            self.add_error("arrived_in_sweden", _("The date of arrival cannot be in the future."))
        if school_start and school_start > today:
            self.add_error(
                "first_school_start_in_sweden",
                _("The first school start in Sweden cannot be in the future."),
            )
        if arrived and school_start and school_start < arrived:
            self.add_error(
                "first_school_start_in_sweden",
                _("The first school start in Sweden cannot be before the arrival in Sweden."),
            )
        return data


class StudentChangeForm(StudentBackgroundForm):
    reason = forms.CharField(
        label=_("Why the change"),
        max_length=300,
        help_text=_("Kept in the record's history with your name and the time."),
    )


class StudentCreateForm(StudentBackgroundForm):
    personal_identity_number = forms.CharField(
        label=_("Personal identity number"),
        help_text=_(
            "Personnummer or samordningsnummer, YYYYMMDD-NNNN; or an interim number, YYYYMMDD-TNNN. "
            "A student with no number yet: leave it empty and give the date of birth, and a reserve number is assigned."
        ),
        max_length=13,
        required=False,
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth (only without a number)"),
        required=False,
        widget=DateInput(),
        help_text=_("For a reserve number; otherwise the date is read from the number."),
    )
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.filter(is_active=True))
    school_unit = forms.ModelChoiceField(label=_("School unit"), queryset=None)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())

    field_order = ["personal_identity_number", "date_of_birth", "first_name", "last_name"]

    def __init__(self, *args, school_units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_unit"].queryset = school_units
        if school_units.count() == 1:
            self.fields["school_unit"].initial = school_units.first()

    def clean_personal_identity_number(self):
        raw = self.cleaned_data["personal_identity_number"]
        if not raw.strip():
            return ""
        number = parse_identity_number(raw)
        if Student.objects.filter(personal_identity_number=number.value).exists():
            raise forms.ValidationError(_("A student with this number is already registered."))
        self.identity = number
        return number.value

    def clean(self):
        data = super().clean()
        number = getattr(self, "identity", None)
        if "personal_identity_number" in data and not data["personal_identity_number"]:
            born = data.get("date_of_birth")
            if born is None:
                self.add_error(
                    "personal_identity_number",
                    _("Enter the number, or the date of birth to assign a reserve number."),
                )
            elif born >= timezone.localdate():
                self.add_error("date_of_birth", _("The date of birth must be in the past."))
        elif number is not None:
            data["date_of_birth"] = None
        born = number.date_of_birth if number else data.get("date_of_birth")
        school_start = data.get("first_school_start_in_sweden")
        if born and school_start and school_start <= born:
            self.add_error("first_school_start_in_sweden", _("The school start must be after the birth date."))
        return data

    def _post_clean(self):
        # The model instance is built by the service, not here: skip the
        # ModelForm's instance validation (it lacks the derived birth date).
        pass


class GuardianConsentForm(forms.Form):
    """The counsellor or principal records an adult student's consent, or its withdrawal."""

    GIVE = "give"
    WITHDRAW = "withdraw"

    action = forms.ChoiceField(choices=[(GIVE, GIVE), (WITHDRAW, WITHDRAW)])
    date = forms.DateField(label=_("Date"), widget=DateInput())


class IdentityNumberLinkForm(forms.Form):
    """The number from Skatteverket has come: link the record to it."""

    new_number = forms.CharField(
        label=_("Personal identity number from Skatteverket"),
        max_length=13,
        help_text=_("YYYYMMDD-NNNN. The record, its history and read log stay the same."),
    )
    reason = forms.CharField(label=_("Note"), max_length=60, required=False)


class LegalRepresentativeForm(forms.Form):
    """The chief guardian (överförmyndaren) has appointed a god man for an unaccompanied minor."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    appointed_on = forms.DateField(label=_("Appointed on"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("Appointment ends on"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty when it runs until the student turns 18; it ends then at the latest."),
    )
    decision_reference = forms.CharField(label=_("The chief guardian's decision"), max_length=100, required=False)
