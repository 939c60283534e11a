from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Connection


class ConnectionForm(forms.ModelForm):
    base_url = forms.URLField(label=_("address of the register"), assume_scheme="https", max_length=200)

    class Meta:
        model = Connection
        fields = ["base_url", "credential_name", "enabled", "page_size"]

    def clean_page_size(self) -> int:
        size = self.cleaned_data["page_size"]
        if not 1 <= size <= 1000:
            raise forms.ValidationError(_("Between 1 and 1,000 entities a page."))
        return size


class RunForm(forms.Form):
    dry_run = forms.BooleanField(required=False)
    full = forms.BooleanField(required=False)


class DecideForm(forms.Form):
    choice = forms.ChoiceField(
        choices=[("register", _("Take the register's value")), ("keep", _("Keep Studieväg's value"))]
    )
