"""Saving a submitted form once, however often it is sent.

A double click, a browser's "send again?" after Back, or a slow network that
makes a person press Save twice used to record a plan talk, a team decision
or a reflection twice. Each such form carries a one-time key, made when the
form is shown (:class:`SubmissionKeyField`); the model keeps the key under a
unique constraint, and :func:`save_once` returns the row already saved under
that key instead of saving a second one, also when two requests race.
Infrastructure only: no area is imported here.
"""

import uuid

from django import forms
from django.db import IntegrityError, models, transaction


class SubmissionKeyField(forms.UUIDField):
    """A hidden one-time key, new each time the form is shown."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", uuid.uuid4)
        super().__init__(**kwargs)


def submission_key_field() -> models.UUIDField:
    """The model field that holds the key (unique; empty for rows made without a form)."""
    return models.UUIDField(null=True, blank=True, unique=True, editable=False)


def already_saved(model: type[models.Model], key: uuid.UUID | None):
    return model.objects.filter(submission_key=key).first() if key else None


def save_once(instance: models.Model, key: uuid.UUID | None):
    """Save ``instance`` under ``key``; if that key was saved already, return that row instead."""
    if key is None:
        instance.save()
        return instance
    if existing := already_saved(type(instance), key):
        return existing
    instance.submission_key = key
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        # The same form, sent twice at the same moment: the other request saved it.
        return type(instance).objects.get(submission_key=key)
    return instance
