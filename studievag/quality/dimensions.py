"""Student-group dimensions a report can be broken down by, one or two at a time.

Each dimension maps every row of the report's population (one enrolment per
student) to exactly one group key, with an ``unknown`` group where the data
is missing: so groups add up to the total and complementary suppression over
row and column totals is sound.

The expressions are plain SQL expressions (``CASE … WHEN``), so a breakdown
is a ``GROUP BY`` in the one query that computes a report.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import (
    Case,
    CharField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.functions import ExtractYear
from django.db.models.lookups import LessThanOrEqual
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from studievag.intake.models import IntakeMapping
from studievag.organisations.models import CURRENT_PROGRAMMES, LEGACY_PROGRAMMES
from studievag.people.models import Student, add_years

from .periods import Period

UNKNOWN = "unknown"
UNKNOWN_LABEL = _("Not known")


@dataclass(frozen=True)
class Dimension:
    id: str
    label: Promise
    description: Promise
    groups: Callable[[], list[tuple[str, str]]]
    expression: Callable[[Period], object]
    requires: str = ""  # a Django app label the data comes from

    def group_labels(self) -> dict[str, str]:
        return {key: str(label) for key, label in self.groups()}


def _gender_groups():
    return [(c.value, c.label) for c in Student.Gender if c != Student.Gender.UNKNOWN] + [(UNKNOWN, UNKNOWN_LABEL)]


def _gender(period: Period):
    return Case(
        *[When(student__gender=c.value, then=Value(c.value)) for c in Student.Gender if c != Student.Gender.UNKNOWN],
        default=Value(UNKNOWN),
        output_field=CharField(),
    )


def _background(period: Period):
    return Case(
        When(student__country_of_birth="SE", then=Value("sweden")),
        When(~Q(student__country_of_birth=""), then=Value("abroad")),
        default=Value(UNKNOWN),
        output_field=CharField(),
    )


TIME_IN_SWEDEN = [
    ("born_in_sweden", _("Born in Sweden")),
    ("lt1", _("Under 1 year")),
    ("1to2", _("1–2 years")),
    ("2to4", _("2–4 years")),
    ("4plus", _("4 years or more")),
    (UNKNOWN, UNKNOWN_LABEL),
]


def _time_in_sweden(period: Period):
    """Years since arrival, counted at the start of the period."""
    day = period.start

    def before(years: int) -> datetime.date:
        return add_years(day, -years)

    return Case(
        When(student__country_of_birth="SE", then=Value("born_in_sweden")),
        When(student__arrived_in_sweden__isnull=True, then=Value(UNKNOWN)),
        When(student__arrived_in_sweden__gt=before(1), then=Value("lt1")),
        When(student__arrived_in_sweden__gt=before(2), then=Value("1to2")),
        When(student__arrived_in_sweden__gt=before(4), then=Value("2to4")),
        default=Value("4plus"),
        output_field=CharField(),
    )


AGE_GROUPS = [
    ("le16", _("16 or younger")),
    ("17", _("17")),
    ("18", _("18")),
    ("19plus", _("19 or older")),
]


def _age_at_start(period: Period):
    """Age in the calendar year the student started (as official statistics count it)."""
    age = ExpressionWrapper(
        ExtractYear("start_date") - ExtractYear("student__date_of_birth"),
        output_field=IntegerField(),
    )
    return Case(
        When(LessThanOrEqual(age, 16), then=Value("le16")),
        When(LessThanOrEqual(age, 17), then=Value("17")),
        When(LessThanOrEqual(age, 18), then=Value("18")),
        default=Value("19plus"),
        output_field=CharField(),
    )


def _programme_groups():
    return [(code, f"{code} {name}") for code, name in CURRENT_PROGRAMMES.items()] + [
        (code, f"{code} {name}") for code, (name, _successor) in LEGACY_PROGRAMMES.items()
    ]


def _programme(period: Period):
    return F("programme__code")


DIMENSIONS: dict[str, Dimension] = {}


def register(dimension: Dimension) -> Dimension:
    assert dimension.id not in DIMENSIONS, dimension.id
    DIMENSIONS[dimension.id] = dimension
    return dimension


register(
    Dimension(
        "gender",
        _("Gender"),
        _("The gender recorded on the student."),
        _gender_groups,
        _gender,
    )
)
register(
    Dimension(
        "background",
        _("Background"),
        _("Born in Sweden or abroad, from the country of birth recorded on the student."),
        lambda: [("sweden", _("Born in Sweden")), ("abroad", _("Born abroad")), (UNKNOWN, UNKNOWN_LABEL)],
        _background,
    )
)
register(
    Dimension(
        "time_in_sweden",
        _("Time in Sweden"),
        _("Years since arrival in Sweden, counted at the start of the period."),
        lambda: TIME_IN_SWEDEN,
        _time_in_sweden,
    )
)
register(
    Dimension(
        "age_at_start",
        _("Age at start"),
        _("Age in the calendar year the student started the programme."),
        lambda: AGE_GROUPS,
        _age_at_start,
    )
)
register(
    Dimension(
        "programme",
        _("Programme"),
        _("The introduction programme of the student's enrolment."),
        _programme_groups,
        _programme,
    )
)


MERIT_GROUPS = [
    ("zero", _("0 (no pass grades)")),
    ("lt100", _("Under 100")),
    ("100to159", _("100–159")),
    ("160to229", _("160–229")),
    ("230plus", _("230 or more")),
    (UNKNOWN, _("No merit value")),
]


def _merit(period: Period):
    merit = "student__intake__merit_value"
    return Case(
        When(**{f"{merit}__isnull": True}, then=Value(UNKNOWN)),
        When(**{merit: 0}, then=Value("zero")),
        When(**{f"{merit}__lt": 100}, then=Value("lt100")),
        When(**{f"{merit}__lt": 160}, then=Value("100to159")),
        When(**{f"{merit}__lt": 230}, then=Value("160to229")),
        default=Value("230plus"),
        output_field=CharField(),
    )


def _parents_groups():

    return [(c.value, c.label) for c in IntakeMapping.ParentsEducation if c.value != UNKNOWN] + [
        (UNKNOWN, UNKNOWN_LABEL)
    ]


def _parents(period: Period):

    field = "student__intake__parents_education"
    return Case(
        *[When(**{field: c.value}, then=Value(c.value)) for c in IntakeMapping.ParentsEducation if c.value != UNKNOWN],
        default=Value(UNKNOWN),
        output_field=CharField(),
    )


register(
    Dimension(
        "merit_value",
        _("Merit value at intake"),
        _("The merit value from compulsory school recorded in the mapping at intake."),
        lambda: MERIT_GROUPS,
        _merit,
        requires="intake",
    )
)
register(
    Dimension(
        "parents_education",
        _("Parents' education"),
        _("The parents' highest education recorded in the mapping at intake."),
        _parents_groups,
        _parents,
        requires="intake",
    )
)


def available_dimensions() -> dict[str, Dimension]:

    return {k: d for k, d in DIMENSIONS.items() if not d.requires or apps.is_installed(f"studievag.{d.requires}")}
