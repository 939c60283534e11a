"""The demo's student survey: last term's wave (closed) and this term's (open), answered by most students.

The students answered in Swedish, English and Arabic (the language of the
page is never stored); a few wrote free text in their own language. One
small school unit has too few respondents in each wave, so its figures are
pooled over both. The demo student has not answered this term's wave yet,
so it can be tried.
"""

from __future__ import annotations

import datetime
import random

from studievag.enrolments.models import Enrolment
from studievag.organisations.models import Organiser, SchoolUnit

from . import bank, rules
from .services import response_record, wave_create, waves_release_closed

FREE_TEXTS = {
    "open_best_v1": [
        "Lärarna tar sig tid att förklara.",
        "Att jag får läsa svenska varje dag.",
        "Praktiken på verkstaden.",
        "My mentor helps me with everything.",
        "The teachers are kind and patient.",
        "المعلمون يساعدونني كثيراً.",
        "أحب دروس الرياضيات.",
        "Studiehandledningen på arabiska.",
        "Vi lagar lunch tillsammans på fredagar.",
        "Jag har fått nya kompisar.",
        "I can learn at my own speed.",
    ],
    "open_change_v1": [
        "Mer tid med studiehandledare.",
        "Det är för stökigt på lektionerna ibland.",
        "Fler praktikplatser.",
        "More Swedish lessons, please.",
        "أريد المزيد من الوقت مع المرشد الدراسي.",
        "Bättre skolmat.",
        "Längre raster.",
        "Schemat ändras för ofta.",
        "I want to know earlier which courses I need.",
    ],
}

CURRENT_REFS = [i.ref for i in bank.current()]
# Last term the support question was still asked in its first wording.
PREVIOUS_REFS = [("support_help_v1" if r == "support_help_v2" else r) for r in CURRENT_REFS]


def _answers(rng: random.Random, refs: list[str], mood: float) -> dict[str, object]:
    answers: dict[str, object] = {}
    for item in bank.items(refs):
        if item.kind == bank.Kind.TEXT:
            if rng.random() < 0.3:
                answers[item.ref] = rng.choice(FREE_TEXTS[item.ref])
            continue
        if rng.random() < 0.04:
            continue  # skipped
        if rng.random() < 0.06:
            answers[item.ref] = bank.DONT_KNOW
            continue
        lean = mood + {"safety": 0.3, "engagement": 0.1, "influence": -0.4}.get(item.theme, 0)
        answers[item.ref] = max(1, min(4, round(rng.gauss(2.9 + lean, 0.8))))
    return answers


def seed(*, today: datetime.date, analyst, demo_student, rng: random.Random) -> None:
    term = rules.term_of(today)
    previous_term = rules.terms_around(today, before=1, after=0)[0]
    prev_close = rules.term_start(term) - datetime.timedelta(days=40)
    organisers = Organiser.objects.filter(
        school_units__school_type=SchoolUnit.SchoolType.UPPER_SECONDARY,
        school_units__enrolments__isnull=False,
    ).distinct()
    for organiser in organisers:
        previous = wave_create(
            acting_user=analyst,
            organiser=organiser,
            term=previous_term,
            title="Elevenkät",
            opens_on=prev_close - datetime.timedelta(days=21),
            closes_on=prev_close,
            refs=PREVIOUS_REFS,
        )
        current = wave_create(
            acting_user=analyst,
            organiser=organiser,
            term=term,
            title="Elevenkät",
            opens_on=today - datetime.timedelta(days=21),
            closes_on=today + datetime.timedelta(days=14),
            refs=CURRENT_REFS,
        )
        units = list(
            SchoolUnit.objects.filter(organiser=organiser, school_type=SchoolUnit.SchoolType.UPPER_SECONDARY)
            .order_by("name")
            .values_list("pk", flat=True)
        )
        # At an organiser with several units, one that is not the demo student's has only a
        # handful of respondents in each wave: its figures are pooled over both waves.
        own_unit = (
            Enrolment.objects.active_on(today)
            .filter(student=demo_student)
            .values_list("school_unit_id", flat=True)
            .first()
            if demo_student is not None
            else None
        )
        others = [u for u in units if u != own_unit]
        small_unit = others[0] if len(units) > 1 and others else None
        unit_mood = {u: rng.uniform(-0.35, 0.35) for u in units}
        for wave, day, share in ((previous, prev_close - datetime.timedelta(days=5), 0.78), (current, today, 0.84)):
            enrolments = list(
                Enrolment.objects.active_on(day)
                .filter(school_unit_id__in=units)
                .select_related("student")
                .order_by("student_id", "-start_date")
            )
            seen: set[int] = set()
            small_count = 0
            for e in enrolments:
                if e.student_id in seen or (demo_student is not None and e.student_id == demo_student.pk):
                    continue
                seen.add(e.student_id)
                if e.school_unit_id == small_unit:
                    if small_count >= (4 if wave is previous else 3):
                        continue
                    small_count += 1
                elif rng.random() > share:
                    continue
                mood = unit_mood[e.school_unit_id] + rng.gauss(0, 0.35)
                response_record(wave=wave, student=e.student, raw_answers=_answers(rng, wave.refs(), mood), today=day)
    waves_release_closed(today=today)
