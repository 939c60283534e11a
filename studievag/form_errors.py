"""One way to show a service's refusal on the form that asked for it."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _


def errors_to_form(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form: each message on its field where
    the form has that field, the rest (and messages without a field) at the top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


# --- The error summary at the top of a page -----------------------------------------
# Every page that shows a form with errors lists them at the top, each a link to its
# field (GOV.UK's error summary pattern): ``{% error_summary %}`` in the page frame finds
# the forms and formsets in the page's context, so no view has to pass them on.


@dataclass(frozen=True)
class SummaryError:
    message: str
    href: str = ""  # "#<field id>", or "" for an error that belongs to the whole form


def _target(bound: forms.BoundField) -> str:
    """The id of the element a link to this field should put the cursor in."""
    widget = bound.field.widget
    if isinstance(widget, forms.widgets.ChoiceWidget) and widget.input_type in ("radio", "checkbox"):
        return f"{bound.auto_id}_0"  # a group of radio buttons or boxes: the first
    return bound.id_for_label or bound.auto_id


def _field_errors(form: forms.BaseForm, where: str = "") -> list[SummaryError]:
    found = []
    for message in form.non_field_errors():
        found.append(SummaryError(f"{where}{message}" if where else str(message)))
    for name in form.fields:
        if name not in form.errors or name == NON_FIELD_ERRORS:
            continue
        bound = form[name]
        href = "" if bound.is_hidden else f"#{_target(bound)}"
        label = str(bound.label or name)
        for message in form.errors[name]:
            found.append(SummaryError(f"{where}{label}: {message}", href if bound.auto_id else ""))
    return found


def _formset_errors(formset: forms.BaseFormSet) -> list[SummaryError]:
    section = str(getattr(formset, "summary_name", "") or "")
    found = [SummaryError(f"{section}: {m}" if section else str(m)) for m in formset.non_form_errors()]
    for number, form in enumerate(formset.forms, start=1):
        if form.is_bound and form._errors:
            where = (
                _("%(section)s, row %(n)s – ") % {"section": section, "n": number}
                if section
                else _("Row %(n)s – ") % {"n": number}
            )
            found.extend(_field_errors(form, str(where)))
    return found


def _checked(thing: Any) -> bool:
    """A form or formset that was bound and validated (never validate one here)."""
    return getattr(thing, "is_bound", False) and getattr(thing, "_errors", None) is not None


def _forms_in(values: Iterable[Any]) -> Iterator[Any]:
    """Forms and formsets among ``values``, inside dicts, lists and tuples, and as attributes
    of the objects in them (a row that carries its own small form), one level deep."""
    for value in values:
        if isinstance(value, (forms.BaseForm, forms.BaseFormSet)):
            yield value
        elif isinstance(value, dict):
            yield from (v for v in value.values() if isinstance(v, (forms.BaseForm, forms.BaseFormSet)))
        elif isinstance(value, (list, tuple)):
            for item in value:
                if isinstance(item, (forms.BaseForm, forms.BaseFormSet)):
                    yield item
                elif hasattr(item, "__dict__") and not isinstance(item, type):
                    yield from (v for v in vars(item).values() if isinstance(v, (forms.BaseForm, forms.BaseFormSet)))


def summary_errors(values: Iterable[Any]) -> list[SummaryError]:
    """Every error of the validated forms and formsets among ``values``, in order, once."""
    seen: set[int] = set()
    found: list[SummaryError] = []
    for thing in _forms_in(values):
        if id(thing) in seen or not _checked(thing):
            continue
        seen.add(id(thing))
        if isinstance(thing, forms.BaseFormSet):
            # The formset's own forms are listed with their row, never again alone.
            seen.update(id(f) for f in thing.forms)
            found.extend(_formset_errors(thing))
        else:
            found.extend(_field_errors(thing))
    return found
