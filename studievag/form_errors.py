"""One way to show a service's refusal on the form that asked for it."""

from django import forms
from django.core.exceptions import ValidationError


def errors_to_form(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form: each message on its field where
    the form has that field, the rest (and messages without a field) at the top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
