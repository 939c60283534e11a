import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from studievag.organisations.models import Organiser

from .models import Scope


class IntegrationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("E.g. the learning platform's name."))
    organiser = forms.ModelChoiceField(label=_("Organiser"), queryset=Organiser.objects.order_by("name"))
    description = forms.CharField(
        label=_("What it is for"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class TokenForm(forms.Form):
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    expires_on = forms.DateField(label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"expires_on": timezone.localdate() + datetime.timedelta(days=365)})
        super().__init__(*args, **kwargs)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=500)
