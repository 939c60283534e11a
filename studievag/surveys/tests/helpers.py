"""Factories for survey tests: a wave, and students answering it."""

import datetime

from django.utils import timezone

from studievag.surveys import bank, rules
from studievag.surveys.models import Wave
from studievag.surveys.services import response_record, wave_create

SCALE_REFS = [i.ref for i in bank.current() if i.kind == bank.Kind.SCALE]
TEXT_REFS = [i.ref for i in bank.current() if i.kind == bank.Kind.TEXT]


def make_wave(organiser, by, *, refs=None, term=None, days_open=(7, 7), **fields) -> Wave:
    today = timezone.localdate()
    return wave_create(
        acting_user=by,
        organiser=organiser,
        term=term or rules.term_of(today),
        title=fields.pop("title", "Elevenkät"),
        opens_on=fields.pop("opens_on", today - datetime.timedelta(days=days_open[0])),
        closes_on=fields.pop("closes_on", today + datetime.timedelta(days=days_open[1])),
        refs=refs or SCALE_REFS + TEXT_REFS,
        **fields,
    )


def cast_wave(c) -> Wave:
    """The open wave of the cast's organiser A (made once per test)."""
    wave = Wave.objects.filter(organiser=c.organiser_a).first()
    return wave or make_wave(c.organiser_a, c.analyst)


def answer(wave, student, value=4, *, today=None, text=None, **extra):
    raw = {ref: value for ref in wave.refs() if ref in SCALE_REFS}
    if text is not None:
        raw[TEXT_REFS[0]] = text
    raw.update(extra)
    response_record(wave=wave, student=student, raw_answers=raw, today=today)
