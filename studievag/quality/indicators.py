"""The indicators of the follow-up system (seed 002), each defined once, here.

An indicator says what it counts over a *population*: one row per student
(an enrolment, see :mod:`studievag.quality.selectors`).

* ``period`` – students enrolled at some time during the period, each
  represented by their latest enrolment in the period within the scope;
* ``cohort1`` … ``cohort3`` – students who *first* started an introduction
  programme in the same term (or school year) one, two or three years
  before the period, at a school unit in the scope.

``numerator`` and ``denominator`` are ``Q`` filters over those rows (for a
``rate``, ``Sum`` expressions), so the report for any level, period and
breakdown is a single ``GROUP BY`` query per population; the definition page
shows that query's SQL. An indicator whose data no module records yet has a
``missing`` reason and is always shown as ``.``.

The four parts of seed 002 are the categories; part 3 (the students' own
experience, from questionnaires) has no indicators yet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from studievag.enrolments.models import Enrolment
from studievag.people.models import NEWLY_ARRIVED_YEARS, add_years

from .periods import Period


class Kind:
    COUNT = "count"  # a number of students
    SHARE = "share"  # students meeting a condition / students in the base, in per cent
    RATE = "rate"  # a sum over a sum (e.g. minutes attended / minutes scheduled), in per cent


class Category:
    BACKGROUND = "background"
    FOLLOW_UP = "follow_up"
    EXPERIENCE = "experience"
    ORGANISATION = "organisation"
    OUTCOMES = "outcomes"

    LABELS = {
        BACKGROUND: _("1. Background and starting position"),
        FOLLOW_UP: _("2. Follow-up of the starting position"),
        EXPERIENCE: _("3. Students' experience of education and teaching"),
        ORGANISATION: _("4. Organisational aspects"),
        OUTCOMES: _("Outcomes after the programme"),
    }
    ORDER = [BACKGROUND, FOLLOW_UP, EXPERIENCE, ORGANISATION, OUTCOMES]
    EMPTY_NOTE = {
        EXPERIENCE: _("The student survey is not part of the system yet; its indicators "
                      "(engagement, safety, influence, study climate, support) will appear here."),
    }


@dataclass(frozen=True)
class Context:
    """What an indicator's filters may depend on."""

    period: Period  # the report's period
    population_period: Period  # the period the population is drawn from (cohorts: earlier)
    today: object  # datetime.date


Filter = Callable[[Context], object]


@dataclass(frozen=True)
class Indicator:
    id: str
    category: str
    name: Promise
    description: Promise
    kind: str
    numerator_text: Promise
    denominator_text: Promise = field(default=_("Every student in the population."))
    population: str = "period"
    numerator: Filter | None = None
    denominator: Filter | None = None
    base: Filter | None = None  # rates: which students the rate rests on
    annotations: Callable[[Context], dict] | None = None
    requires: str = ""  # a Django app label the data comes from
    missing: Promise | None = None  # set when no module records the data yet

    @property
    def category_label(self) -> str:
        return str(Category.LABELS[self.category])

    @property
    def unit(self) -> str:
        return "%" if self.kind in (Kind.SHARE, Kind.RATE) else str(_("students"))


INDICATORS: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    assert indicator.id not in INDICATORS, f"indicator {indicator.id} defined twice"
    assert indicator.category in Category.LABELS
    INDICATORS[indicator.id] = indicator
    return indicator


def available() -> dict[str, Indicator]:
    """Indicators whose data comes from apps installed in this deployment."""
    from django.apps import apps

    return {k: i for k, i in INDICATORS.items() if not i.requires or apps.is_installed(i.requires)}


def _everyone(ctx: Context) -> Q:
    return Q()


def _in_period_ended(ctx: Context) -> Q:
    p = ctx.population_period
    return Q(end_date__gte=p.start, end_date__lte=p.end)


# --- 1. Background and starting position ---------------------------------------

register(Indicator(
    id="students",
    category=Category.BACKGROUND,
    name=_("Students"),
    description=_("Students enrolled in an introduction programme at some time during the period."),
    kind=Kind.COUNT,
    numerator_text=_("Students with an enrolment that overlaps the period; each student counted "
                     "once, at their latest enrolment in the period."),
    numerator=_everyone,
))


def _newly_arrived(ctx: Context) -> Q:
    p = ctx.population_period
    return Q(
        student__first_school_start_in_sweden__lte=p.end,
        student__first_school_start_in_sweden__gt=add_years(p.start, -NEWLY_ARRIVED_YEARS),
    )


register(Indicator(
    id="newly_arrived",
    category=Category.BACKGROUND,
    name=_("Newly arrived"),
    description=_("Share of the students who were newly arrived (nyanlända): their first school "
                  "start in Sweden was less than four years earlier (Education Act 3:12 a)."),
    kind=Kind.SHARE,
    numerator_text=_("Students whose first school start in Sweden lies within four years before "
                     "some day of the period."),
    numerator=_newly_arrived,
    denominator=_everyone,
))


# --- 4. Organisational aspects -----------------------------------------------------

register(Indicator(
    id="handover_before_start",
    category=Category.ORGANISATION,
    name=_("Handover received before start"),
    description=_("Share of the students who started during the period whose handover from the "
                  "sending school was received before their first day."),
    kind=Kind.SHARE,
    numerator_text=_("Students with a handover marked received before the start date."),
    denominator_text=_("Students who started during the period."),
    missing=_("Handovers are not recorded in Studieväg yet."),
))
register(Indicator(
    id="time_to_placement",
    category=Category.ORGANISATION,
    name=_("Time from application to placement"),
    description=_("Median number of days from application to placement."),
    kind=Kind.COUNT,
    numerator_text=_("Days between the application date and the start date."),
    denominator_text=_("Students who started during the period."),
    missing=_("Application dates are not recorded in Studieväg yet."),
))


# --- Outcomes ----------------------------------------------------------------------------

def _transferred_by(years: int) -> Filter:
    def numerator(ctx: Context) -> Q:
        bound = min(ctx.population_period.shifted(years).end, ctx.today)
        return Q(first_transfer__lte=bound)

    return numerator


def _first_transfer(ctx: Context) -> dict:
    from django.db.models import Min, OuterRef, Subquery

    transfers = (
        Enrolment.objects.filter(
            student_id=OuterRef("student_id"),
            exit_reason=Enrolment.ExitReason.NATIONAL_PROGRAMME,
        )
        .values("student_id")
        .annotate(first=Min("end_date"))
        .values("first")
    )
    return {"first_transfer": Subquery(transfers)}


for _years, _name in [
    (1, _("Transfer to a national programme within one year")),
    (2, _("Transfer to a national programme within two years")),
    (3, _("Transfer to a national programme within three years")),
]:
    register(Indicator(
        id=f"transfer_{_years}y",
        category=Category.OUTCOMES,
        name=_name,
        description=_("Of the students who first started an introduction programme in the same "
                      "term (or school year) %(years)s year(s) before the period, the share that "
                      "had moved on to a national programme by the end of the period.")
        % {"years": _years},
        kind=Kind.SHARE,
        numerator_text=_("Students with an enrolment that ended with the reason “transferred to a "
                         "national programme” by the end of the period."),
        denominator_text=_("Students whose first enrolment in an introduction programme started "
                           "in the cohort term at a school unit in the scope."),
        population=f"cohort{_years}",
        numerator=_transferred_by(_years),
        denominator=_everyone,
        annotations=_first_transfer,
    ))


EXIT_GROUPS = [
    ("national_programme", _("Left for a national programme"), [Enrolment.ExitReason.NATIONAL_PROGRAMME]),
    ("adult_education", _("Left for adult education"), [Enrolment.ExitReason.ADULT_EDUCATION]),
    ("work", _("Left for work"), [Enrolment.ExitReason.WORK]),
    ("moved", _("Moved away or to another school"),
     [Enrolment.ExitReason.MOVED, Enrolment.ExitReason.ANOTHER_SCHOOL]),
    ("kaa", _("Handed to the municipal activity responsibility"),
     [Enrolment.ExitReason.ACTIVITY_RESPONSIBILITY]),
    ("dropped_out", _("Dropped out"), [Enrolment.ExitReason.DROPPED_OUT]),
    ("other", _("Other reason"), [Enrolment.ExitReason.OTHER, Enrolment.ExitReason.OTHER_IM_PROGRAMME]),
]


def _exit_for(reasons) -> Filter:
    def numerator(ctx: Context) -> Q:
        return _in_period_ended(ctx) & Q(exit_reason__in=reasons)

    return numerator


for _key, _name, _reasons in EXIT_GROUPS:
    register(Indicator(
        id=f"exit_{_key}",
        category=Category.OUTCOMES,
        name=_name,
        description=_("Of the students who left their introduction programme during the period, "
                      "the share that left for this reason."),
        kind=Kind.SHARE,
        numerator_text=_("Students whose latest enrolment ended during the period with this "
                         "reason."),
        denominator_text=_("Students whose latest enrolment in the period ended during the period."),
        numerator=_exit_for(_reasons),
        denominator=_in_period_ended,
    ))
