from django import forms
from django.utils.translation import gettext_lazy as _


class SupportNeedsForm(forms.Form):
    text = forms.CharField(
        label=_("Support needs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Only student health, the principal and the mentor see this. Leave empty to remove."),
    )
    reason = forms.CharField(label=_("Why is this changed?"), max_length=300)
