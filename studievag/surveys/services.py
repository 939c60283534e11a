"""Writes: setting up a wave, answering it, releasing answers from the pool.

Answering (:func:`response_submit`) writes two rows that are never joined:
the student's :class:`~.models.Participation` (that they answered) and a
:class:`~.models.PendingResponse` (what, with coarse attributes only). With
``ATOMIC_REQUESTS`` both come from the same transaction, and a database keeps
the order and the transaction of every row it writes (PostgreSQL's ``xmin``,
SQLite's ``rowid``), so an answer written straight to :class:`Response` could
be matched to its participation. That is why answers wait in a pool: when a
wave's pool holds twice its minimum, a random half of it is released in one
statement, in random order, with attributes coarsened so that each released
answer matches at least the minimum number of students who have answered at
its unit; a closed wave's pool is released whole (:func:`wave_release`). A
released row's position and transaction therefore point at a batch of at
least ``min_respondents`` students, never at one.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from studievag.enrolments.models import Enrolment
from studievag.organisations.models import Organiser, SchoolUnit
from studievag.people.models import Student

from . import bank, rules
from .models import Participation, PendingResponse, Response, Wave, WaveItem

_random = random.SystemRandom()


def _validate_items(refs: Sequence[str]) -> list[bank.Item]:
    chosen = bank.items(refs)
    if len(chosen) != len(refs) or len(set(refs)) != len(refs):
        raise ValidationError({"items": _("Choose questions from the item bank, each once.")})
    keys = [i.key for i in chosen]
    if len(set(keys)) != len(keys):
        raise ValidationError({"items": _("A wave can ask only one version of a question.")})
    if not any(i.kind == bank.Kind.SCALE for i in chosen):
        raise ValidationError({"items": _("Choose at least one rating-scale question.")})
    if sum(i.kind == bank.Kind.TEXT for i in chosen) > bank.MAX_FREE_TEXT_ITEMS:
        raise ValidationError(
            {"items": _("A wave can have at most %(n)s free-text questions.") % {"n": bank.MAX_FREE_TEXT_ITEMS}}
        )
    return chosen


def _set_items(wave: Wave, chosen: list[bank.Item]) -> None:
    wave.items.all().delete()
    WaveItem.objects.bulk_create(
        [WaveItem(wave=wave, key=i.key, version=i.version, position=n) for n, i in enumerate(chosen)]
    )


@transaction.atomic
def wave_create(
    *,
    acting_user,
    organiser: Organiser,
    term: str,
    title: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    refs: Sequence[str],
    min_respondents: int = rules.MIN_RESPONDENTS,
    min_free_text: int = rules.MIN_FREE_TEXT,
) -> Wave:
    chosen = _validate_items(refs)
    wave = Wave(
        organiser=organiser,
        term=term,
        title=title,
        opens_on=opens_on,
        closes_on=closes_on,
        min_respondents=min_respondents,
        min_free_text=min_free_text,
        created_by=acting_user,
    )
    wave._history_user = acting_user
    wave.full_clean()
    wave.save()
    _set_items(wave, chosen)
    return wave


@transaction.atomic
def wave_update(
    *,
    acting_user,
    wave: Wave,
    title: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    refs: Sequence[str],
    min_respondents: int,
    min_free_text: int,
) -> Wave:
    """Change a wave. Its questions are fixed once a student has answered; its thresholds only rise."""
    wave = Wave.objects.select_for_update().get(pk=wave.pk)
    answered = wave.participations.exists()
    if answered and list(refs) != wave.refs():
        raise ValidationError({"items": _("Students have answered this wave, so its questions can no longer change.")})
    if min_respondents < wave.min_respondents or min_free_text < wave.min_free_text:
        raise ValidationError({"min_respondents": _("A minimum number of respondents can be raised, never lowered.")})
    chosen = _validate_items(refs)
    wave.title, wave.opens_on, wave.closes_on = title, opens_on, closes_on
    wave.min_respondents, wave.min_free_text = min_respondents, min_free_text
    wave._history_user = acting_user
    wave.full_clean()
    wave.save()
    if not answered:
        _set_items(wave, chosen)
    return wave


def current_enrolment(student: Student, organiser_id: int, day: datetime.date) -> Enrolment | None:
    """The student's enrolment today at an upper-secondary unit of the wave's organiser."""
    return (
        Enrolment.objects.active_on(day)
        .filter(
            student=student,
            school_unit__organiser_id=organiser_id,
            school_unit__school_type=SchoolUnit.SchoolType.UPPER_SECONDARY,
        )
        .select_related("programme", "school_unit")
        .order_by("-start_date", "-pk")
        .first()
    )


def attributes_of(student: Student, enrolment: Enrolment, wave: Wave) -> dict[str, str]:
    """The coarse attributes copied onto an answer: nothing finer than the report breakdowns."""
    start = rules.term_start(wave.term)
    known = (Student.Gender.FEMALE, Student.Gender.MALE, Student.Gender.OTHER)
    gender = student.gender if student.gender in known else rules.UNKNOWN
    return {
        "programme": enrolment.programme.code,
        "gender": gender,
        "time_in_sweden": rules.time_in_sweden_band(student.country_of_birth, student.arrived_in_sweden, start),
        "age_band": rules.age_band(student.date_of_birth, start.year),
    }


def clean_answers(wave: Wave, raw: Mapping[str, object]) -> dict[str, object]:
    """Only the wave's items; scale answers as one of the scale's values, free text trimmed."""
    answers: dict[str, object] = {}
    for wave_item in wave.items.all():
        item = wave_item.item
        if item is None or item.ref not in raw:
            continue
        value = raw[item.ref]
        if item.kind == bank.Kind.SCALE:
            if value in ("", None):
                continue
            try:
                number = int(str(value))
            except (TypeError, ValueError):
                number = -1
            if number not in bank.SCALE_VALUES:
                raise ValidationError({item.ref: _("Choose one of the answers.")})
            answers[item.ref] = number
        else:
            text = str(value).strip()
            if len(text) > bank.FREE_TEXT_MAX_CHARS:
                raise ValidationError(
                    {item.ref: _("Write at most %(n)s characters.") % {"n": bank.FREE_TEXT_MAX_CHARS}}
                )
            if text:
                answers[item.ref] = text
    return answers


@transaction.atomic
def response_submit(
    *, acting_user, wave: Wave, raw_answers: Mapping[str, object], today: datetime.date | None = None
) -> None:
    """The signed-in student's answers into the wave's pool, and the mark that they have answered.

    Neither row holds the other's key, the user, or a time; see the module docstring.
    """
    student = Student.objects.filter(user=acting_user).first()
    if student is None:
        raise ValidationError(_("This survey is not open to you."))
    response_record(wave=wave, student=student, raw_answers=raw_answers, today=today)


@transaction.atomic
def response_record(
    *, wave: Wave, student: Student, raw_answers: Mapping[str, object], today: datetime.date | None = None
) -> None:
    """Record one student's answers (the student's own door is :func:`response_submit`;
    the demo data set uses this for students without a log-in)."""
    today = today or timezone.localdate()
    if not wave.is_open(today):
        raise ValidationError(_("This survey is not open to you."))
    enrolment = current_enrolment(student, wave.organiser_id, today)
    if enrolment is None:
        raise ValidationError(_("This survey is not open to you."))
    answers = clean_answers(wave, raw_answers)
    if not answers:
        raise ValidationError(_("Answer at least one question before you send."))
    try:
        with transaction.atomic():
            Participation.objects.create(wave=wave, student=student)
    except IntegrityError:
        raise ValidationError(_("You have already answered this survey.")) from None
    PendingResponse.objects.create(
        wave=wave, school_unit=enrolment.school_unit, answers=answers, **attributes_of(student, enrolment, wave)
    )
    _release(wave, final=False, today=today)


def _participant_attributes(wave: Wave, unit_id: int, today: datetime.date) -> list[dict[str, str]]:
    """The attributes of the students at ``unit_id`` who have answered ``wave``."""
    day = min(today, wave.closes_on)
    enrolments = (
        Enrolment.objects.active_on(day)
        .filter(school_unit_id=unit_id, student__survey_participations__wave=wave)
        .select_related("student", "programme")
        .order_by("student_id", "-start_date")
    )
    seen: set[int] = set()
    out = []
    for e in enrolments:
        if e.student_id in seen:
            continue
        seen.add(e.student_id)
        out.append(attributes_of(e.student, e, wave))
    return out


def _release(wave: Wave, *, final: bool, today: datetime.date) -> int:
    wave = Wave.objects.select_for_update().get(pk=wave.pk)
    k = wave.min_respondents
    pool = list(PendingResponse.objects.filter(wave=wave))
    if final:
        chosen = pool
    elif len(pool) >= 2 * k:
        chosen = _random.sample(pool, len(pool) - k)  # release all but a random k
    else:
        return 0
    _random.shuffle(chosen)
    others: dict[int, list[dict[str, str]]] = {}
    rows = []
    for p in chosen:
        if p.school_unit_id not in others:
            others[p.school_unit_id] = _participant_attributes(wave, p.school_unit_id, today)
        attrs = rules.generalise({a: getattr(p, a) for a in rules.ATTRIBUTES}, others[p.school_unit_id], k)
        row = Response(wave=wave, school_unit_id=p.school_unit_id, answers=p.answers, **attrs)
        row.count_themes()
        rows.append(row)
    Response.objects.bulk_create(rows)
    PendingResponse.objects.filter(pk__in=[p.pk for p in chosen]).delete()
    return len(rows)


@transaction.atomic
def wave_release(*, wave: Wave, today: datetime.date | None = None) -> int:
    """Release a closed wave's whole pool (a wave still open keeps its pool)."""
    today = today or timezone.localdate()
    if today <= wave.closes_on:
        return 0
    return _release(wave, final=True, today=today)


def waves_release_closed(*, today: datetime.date | None = None) -> int:
    """Release the pools of every closed wave (run nightly, and before results are read)."""
    today = today or timezone.localdate()
    released = 0
    for wave in Wave.objects.filter(closes_on__lt=today, pending__isnull=False).distinct():
        released += wave_release(wave=wave, today=today)
    return released
