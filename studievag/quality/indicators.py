"""The indicators of the common follow-up system, each defined once, here.

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

The four parts of the follow-up system are the categories. Part 3, the students' own
experience, comes from the anonymous student survey: its theme indicators
are counted over survey answers, not enrolments (``external``, see
:mod:`studievag.surveys.selectors`), and its response rate over enrolments.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    FloatField,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Greatest, Least, NullIf
from django.db.models.lookups import LessThanOrEqual
from django.utils.functional import Promise, lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from studievag.access.models import Role, RoleAssignment
from studievag.disclosure import TOTAL, Kind
from studievag.enrolments.models import Enrolment, GroupMembership, StudentGroup
from studievag.handover.models import AT_RECEIVER, Handover
from studievag.intake.models import StartingLevel
from studievag.organisations.models import SchoolUnit, StaffTraining
from studievag.outcomes import facts as outcome_facts
from studievag.people.models import NEWLY_ARRIVED_YEARS, add_years
from studievag.plans.models import CourseStatus, GoalStatus, GuidanceParticipant, Plan, PlanCourse, PlanGoal, PlanReview
from studievag.plans.rules import DEFAULT_PLAN_DEADLINE_WEEKS, FULL_TIME_WEEKLY_HOURS
from studievag.progress.models import AttendanceWeek, FollowUpSettings, GradeRecord, ProgressRecord
from studievag.progress.rules import DEFAULT_BEHIND_STEPS, DEFAULT_COURSE_WEEKS
from studievag.scales.models import ProgressionStep
from studievag.surveys.bank import Theme
from studievag.surveys.models import Participation, Wave
from studievag.surveys.selectors import report_part

from .periods import Period
from .sql import DaysBetween, TermEnd


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
    EMPTY_NOTE: dict = {}


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
    # The annotations are per-student facts: computed once per period into
    # StudentPeriodFacts (see facts.py) and joined by the report query.
    facts: bool = False
    # Counted outside the enrolment query: a function of the report request that
    # returns, for every indicator of its source, the cells {(d1, d2): {num, den, base}}
    # and the minimum base, or None when the source cannot break down that way.
    external: Callable | None = None

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


_AVAILABLE: dict = {}  # the installed apps and the registry's size -> the indicators available


def available() -> dict[str, Indicator]:
    """Indicators whose data comes from apps installed in this deployment.

    Asked dozens of times per report: kept per set of installed apps (and the registry's size),
    so a page does not look each indicator's app up again every time."""
    installed = frozenset(config.name for config in apps.get_app_configs())
    key = (installed, len(INDICATORS))
    found = _AVAILABLE.get(key)
    if found is None:
        found = {k: i for k, i in INDICATORS.items() if not i.requires or f"studievag.{i.requires}" in installed}
        _AVAILABLE.clear()
        _AVAILABLE[key] = found
    return dict(found)


def _everyone(ctx: Context) -> Q:
    return Q()


def _in_period_ended(ctx: Context) -> Q:
    p = ctx.population_period
    return Q(end_date__gte=p.start, end_date__lte=p.end)


# --- 1. Background and starting position ---------------------------------------

register(
    Indicator(
        id="students",
        category=Category.BACKGROUND,
        name=_("Students"),
        description=_("Students enrolled in an introduction programme at some time during the period."),
        kind=Kind.COUNT,
        numerator_text=_(
            "Students with an enrolment that overlaps the period; each student counted "
            "once, at their latest enrolment in the period."
        ),
        numerator=_everyone,
    )
)


def _newly_arrived(ctx: Context) -> Q:
    p = ctx.population_period
    return Q(
        student__first_school_start_in_sweden__lte=p.end,
        student__first_school_start_in_sweden__gt=add_years(p.start, -NEWLY_ARRIVED_YEARS),
    )


register(
    Indicator(
        id="newly_arrived",
        category=Category.BACKGROUND,
        name=_("Newly arrived"),
        description=_(
            "Share of the students who were newly arrived (nyanlända): their first school "
            "start in Sweden was less than four years earlier (Education Act 3:12 a)."
        ),
        kind=Kind.SHARE,
        numerator_text=_(
            "Students whose first school start in Sweden lies within four years before some day of the period."
        ),
        numerator=_newly_arrived,
        denominator=_everyone,
    )
)


# --- 4. Organisational aspects -----------------------------------------------------


def _started_in_period(ctx: Context) -> Q:
    p = ctx.population_period
    return Q(start_date__gte=p.start, start_date__lte=min(p.end, ctx.today))


def _plan_before_start(ctx: Context) -> dict:

    plans = Plan.objects.filter(student_id=OuterRef("student_id"), created_at__date__lt=OuterRef("start_date"))
    return {"plan_before_start": Exists(plans)}


# Placed within this many days of the handover being sent counts as a quick placement.
PLACEMENT_DAYS = 14


def _handover_timing(ctx: Context) -> dict:

    handovers = Handover.objects.filter(student_id=OuterRef("student_id"), status__in=AT_RECEIVER)
    return {
        "has_handover": Exists(handovers),
        # Received before the first day at the receiving school (the enrolment's start).
        "handover_in_time": Exists(handovers.filter(received_at__date__lt=OuterRef("start_date"))),
        # Placed and acknowledged: received within two weeks of being sent (through the
        # region's queue or directly).
        "placed_quickly": Exists(
            handovers.filter(received_at__lte=F("sent_at") + datetime.timedelta(days=PLACEMENT_DAYS))
        ),
    }


register(
    Indicator(
        id="handover_before_start",
        category=Category.ORGANISATION,
        name=_("Handover received before start"),
        description=_(
            "Share of the students who started during the period whose handover from the "
            "sending school was received before their first day."
        ),
        kind=Kind.SHARE,
        numerator_text=_("Students with a handover marked received before the start date."),
        denominator_text=_("Students who started during the period."),
        numerator=lambda ctx: Q(handover_in_time=True),
        denominator=_started_in_period,
        annotations=_handover_timing,
        requires="handover",
    )
)
register(
    Indicator(
        id="plan_before_enrolment",
        category=Category.ORGANISATION,
        name=_("Plan started before the enrolment"),
        description=_(
            "Share of the students who started during the period whose study plan was begun "
            "before their first day, from the handover (e.g. in the spring of year 9)."
        ),
        kind=Kind.SHARE,
        numerator_text=_("Students whose draft plan was begun before the start date."),
        denominator_text=_("Students who started during the period."),
        numerator=lambda ctx: Q(plan_before_start=True),
        denominator=_started_in_period,
        annotations=_plan_before_start,
        requires="plans",
    )
)
register(
    Indicator(
        id="time_to_placement",
        category=Category.ORGANISATION,
        name=_("Placed within two weeks of the handover"),
        description=_(
            "Of the students who started during the period with a handover, the share whose "
            "handover was received by the school that placed them within 14 days of being sent "
            "(directly, or through the region's placement queue). Application dates are not "
            "recorded in Studieväg, so the handover is the starting point."
        ),
        kind=Kind.SHARE,
        numerator_text=_("Students whose handover was received no more than 14 days after it was sent."),
        denominator_text=_("Students who started during the period and came with a handover."),
        numerator=lambda ctx: Q(placed_quickly=True),
        denominator=lambda ctx: _started_in_period(ctx) & Q(has_handover=True),
        annotations=_handover_timing,
        requires="handover",
    )
)


# --- Outcomes ----------------------------------------------------------------------------


def _transferred_by(years: int) -> Filter:
    def numerator(ctx: Context) -> Q:
        bound = min(ctx.population_period.shifted(years).end, ctx.today)
        return Q(first_transfer__lte=bound)

    return numerator


def _first_transfer(ctx: Context) -> dict:

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
    register(
        Indicator(
            id=f"transfer_{_years}y",
            category=Category.OUTCOMES,
            name=_name,
            description=ngettext_lazy(
                "Of the students who first started an introduction programme in the same "
                "term (or school year) %(years)s year before the period, the share that "
                "had moved on to a national programme by the end of the period.",
                "Of the students who first started an introduction programme in the same "
                "term (or school year) %(years)s years before the period, the share that "
                "had moved on to a national programme by the end of the period.",
                "years",
            )
            % {"years": _years},
            kind=Kind.SHARE,
            numerator_text=_(
                "Students with an enrolment that ended with the reason “transferred to a "
                "national programme” by the end of the period."
            ),
            denominator_text=_(
                "Students whose first enrolment in an introduction programme started "
                "in the cohort term at a school unit in the scope."
            ),
            population=f"cohort{_years}",
            numerator=_transferred_by(_years),
            denominator=_everyone,
            annotations=_first_transfer,
        )
    )


R = Enrolment.ExitReason
EXIT_GROUPS = [
    ("national_programme", _("Left for a national programme"), [R.NATIONAL_PROGRAMME]),
    ("other_im", _("Changed to another introduction programme"), [R.OTHER_IM_PROGRAMME]),
    ("adult_education", _("Left for adult education"), [R.ADULT_EDUCATION]),
    ("work", _("Left for work"), [R.WORK]),
    ("apprenticeship", _("Left for an apprenticeship"), [R.APPRENTICESHIP]),
    # Earlier records' "moved away" (within Sweden) is another school or organiser.
    ("another_school", _("Left for another school or organiser"), [R.ANOTHER_SCHOOL, R.MOVED]),
    ("moved_abroad", _("Moved abroad"), [R.MOVED_ABROAD]),
    # Earlier records' "dropped out" and "handed to the activity responsibility" had no destination.
    ("unknown", _("Left for an unknown destination"), [R.UNKNOWN, R.DROPPED_OUT, R.ACTIVITY_RESPONSIBILITY]),
    ("other", _("Other reason"), [R.OTHER]),
]


def _exit_for(reasons) -> Filter:
    def numerator(ctx: Context) -> Q:
        return _in_period_ended(ctx) & Q(exit_reason__in=reasons)

    return numerator


for _key, _name, _reasons in EXIT_GROUPS:
    register(
        Indicator(
            id=f"exit_{_key}",
            category=Category.OUTCOMES,
            name=_name,
            description=_(
                "Of the students who left their introduction programme during the period, "
                "the share that left for this reason."
            ),
            kind=Kind.SHARE,
            numerator_text=_("Students whose latest enrolment ended during the period with this reason."),
            denominator_text=_("Students whose latest enrolment in the period ended during the period."),
            numerator=_exit_for(_reasons),
            denominator=_in_period_ended,
        )
    )


# --- After the programme: destinations, the activity responsibility, the plan's goal ---------
# Over the leavers of the period (the term of exit is the cohort), with the facts the
# outcomes area keeps; the trend over terms is the trend by cohort of exit.


def _interpolate(text, values: dict) -> str:
    return str(text) % values


# ``lazy_text % values`` would translate at import time; this waits for the request's language.
interpolate_lazy = lazy(_interpolate, str)


def _followed(months: int) -> Filter:
    def denominator(ctx: Context) -> Q:
        return _in_period_ended(ctx) & outcome_facts.follow_up_over(months, ctx.today)

    return denominator


def _destination(months: int, category: str) -> Filter:
    def numerator(ctx: Context) -> Q:
        return outcome_facts.destination(months, category, ctx.today)

    return numerator


DESTINATION_NAMES = {
    "studying": _("Studying %(months)s months after leaving"),
    "working": _("Working %(months)s months after leaving"),
    "both": _("Studying and working %(months)s months after leaving"),
    "neither": _("Neither studying nor working %(months)s months after leaving"),
    "not_reached": _("Not reached at the %(months)s-month follow-up"),
    outcome_facts.NO_CONSENT: _("No consent to the %(months)s-month follow-up"),
    outcome_facts.NOT_FOLLOWED_UP: _("Not followed up at %(months)s months"),
}

for _months in (6, 12):
    for _category in outcome_facts.DESTINATIONS:
        register(
            Indicator(
                id=f"dest{_months}_{_category}",
                category=Category.OUTCOMES,
                name=interpolate_lazy(DESTINATION_NAMES[_category], {"months": _months}),
                description=interpolate_lazy(
                    _(
                        "Of the students who left during the period and whose %(months)s-month "
                        "follow-up is over (an outcome recorded, or its window closed), the share "
                        "in this category. The categories (studying, working, both, neither, not "
                        "reached, no consent, not followed up) add up to all of them: a young "
                        "person who could not be reached is counted as such, never left out."
                    ),
                    {"months": _months},
                ),
                kind=Kind.SHARE,
                numerator_text=_("Leavers whose follow-up ended in this category."),
                denominator_text=_(
                    "Students whose latest enrolment in the period ended during the period, "
                    "with the exit recorded in Studieväg and the follow-up over."
                ),
                numerator=_destination(_months, _category),
                denominator=_followed(_months),
                requires="outcomes",
            )
        )


def _young_leavers(ctx: Context) -> Q:
    p = ctx.population_period
    # Under 20 on the last day: born less than 20 years before it (the earliest last day counts).
    return _in_period_ended(ctx) & Q(student__date_of_birth__gt=add_years(p.start, -20))


register(
    Indicator(
        id="kaa_handed",
        category=Category.OUTCOMES,
        name=_("Handed to the municipal activity responsibility"),
        description=_(
            "Of the students under 20 who left during the period, the share handed to their home "
            "municipality's activity responsibility (those without a destination, and those "
            "handed over by choice)."
        ),
        kind=Kind.SHARE,
        numerator_text=_("Leavers with a hand-over to the activity responsibility."),
        denominator_text=_("Students who left during the period and were under 20 at the start of it."),
        numerator=lambda ctx: outcome_facts.handed_to_kaa(),
        denominator=_young_leavers,
        requires="outcomes",
    )
)
register(
    Indicator(
        id="kaa_in_contact",
        category=Category.OUTCOMES,
        name=_("Activity responsibility in contact"),
        description=_(
            "Of the young people handed to the activity responsibility who left during the period, "
            "the share the municipality has reported being in contact with."
        ),
        kind=Kind.SHARE,
        numerator_text=_("Hand-overs with the status “in contact”."),
        denominator_text=_("Leavers of the period handed to the activity responsibility."),
        numerator=lambda ctx: outcome_facts.kaa_in_contact(),
        denominator=lambda ctx: _in_period_ended(ctx) & outcome_facts.handed_to_kaa(),
        requires="outcomes",
    )
)
register(
    Indicator(
        id="plan_goal_reached",
        category=Category.OUTCOMES,
        name=_("Reached the goal in the plan"),
        description=_(
            "Of the students who left during the period with a long-term goal in their study plan, "
            "the share that reached it: a national programme (the one the plan named, if it named "
            "one), a job or adult education, by the exit or at a later follow-up, or a goal marked "
            "met in the plan."
        ),
        kind=Kind.SHARE,
        numerator_text=_("Leavers whose exit records the plan's goal as reached."),
        denominator_text=_("Leavers of the period with a recorded exit and a long-term goal in the plan."),
        numerator=lambda ctx: outcome_facts.plan_goal_reached(),
        denominator=lambda ctx: _in_period_ended(ctx) & outcome_facts.plan_goal_known(),
        requires="outcomes",
    )
)


# --- Indicators over the intake mapping, study plans and progression ------------------------
# Imports are inside the functions: each block is used only when its app is installed.


def _merit_known(ctx: Context) -> Q:
    return Q(student__intake__merit_value__isnull=False)


register(
    Indicator(
        id="zero_merit",
        category=Category.BACKGROUND,
        name=_("Zero merit value at intake"),
        description=_(
            "Share of the students mapped at intake whose merit value from compulsory school was 0 (no pass grades)."
        ),
        kind=Kind.SHARE,
        numerator_text=_("Students whose mapping at intake records a merit value of 0."),
        denominator_text=_("Students whose mapping at intake records a merit value."),
        numerator=lambda ctx: Q(student__intake__merit_value=0),
        denominator=_merit_known,
        requires="intake",
    )
)


def _ref_day(ctx: Context):
    """The day a "now" figure is taken on: the end of the period, or today if earlier."""
    return min(ctx.population_period.end, ctx.today)


def _attendance(ctx: Context) -> dict:

    p = ctx.population_period
    weeks = (
        AttendanceWeek.objects.filter(student_id=OuterRef("student_id"), week_start__gte=p.start, week_start__lte=p.end)
        .order_by()
        .values("student_id")
    )
    return {
        "att_scheduled": Subquery(weeks.annotate(s=Sum("scheduled_minutes")).values("s")),
        "att_present": Subquery(
            weeks.annotate(
                s=Sum(F("scheduled_minutes") - F("valid_absence_minutes") - F("invalid_absence_minutes"))
            ).values("s")
        ),
    }


register(
    Indicator(
        id="attendance",
        category=Category.FOLLOW_UP,
        name=_("Attendance"),
        description=_(
            "Minutes present as a share of minutes scheduled, over every course and week "
            "of the period (valid and invalid absence both count as absence)."
        ),
        kind=Kind.RATE,
        numerator_text=_(
            "Scheduled minutes minus valid and invalid absence, summed over the students' weeks in the period."
        ),
        denominator_text=_(
            "Scheduled minutes in the period. The figure is hidden when it rests on "
            "too few students with attendance recorded."
        ),
        numerator=lambda ctx: "att_present",
        denominator=lambda ctx: "att_scheduled",
        # Students with attendance recorded: the same subquery as the numerator, so
        # the database evaluates two per-student subqueries, not three.
        base=lambda ctx: Q(att_present__isnull=False),
        annotations=_attendance,
        facts=True,
        requires="progress",
    )
)


def _moved(ctx: Context) -> dict:

    p = ctx.population_period
    in_period = ProgressRecord.objects.filter(
        student_id=OuterRef("student_id"), recorded_on__gte=p.start, recorded_on__lte=p.end
    )
    previous_position = (
        ProgressRecord.objects.filter(
            student_id=OuterRef("student_id"),
            course_id=OuterRef("course_id"),
            recorded_on__lt=OuterRef("recorded_on"),
        )
        .order_by("-recorded_on")
        .values("step__position")[:1]
    )
    # Asked student by student: a second, redundant comparison with the outer row keeps
    # PostgreSQL from hashing the answer for every record of the period in the country
    # (every student's, not only the population's) before it reads the first row.
    moved = in_period.filter(student_id__lte=OuterRef("student_id"), step__position__gt=Subquery(previous_position))
    return {"has_progress": Exists(in_period), "moved_step": Exists(moved)}


register(
    Indicator(
        id="moved_step",
        category=Category.FOLLOW_UP,
        name=_("Moved at least one step"),
        description=_(
            "Share of the students followed on a progression scale who moved up at least "
            "one step in some course during the period: progression before pass grades."
        ),
        kind=Kind.SHARE,
        numerator_text=_(
            "Students with a progression record in the period on a higher step than "
            "the record before it in the same course."
        ),
        denominator_text=_("Students with at least one progression record in the period."),
        numerator=lambda ctx: Q(moved_step=True),
        denominator=lambda ctx: Q(has_progress=True),
        annotations=_moved,
        facts=True,
        requires="progress",
    )
)


def _in_line(ctx: Context) -> dict:
    """Per student: is some course behind the straight line from start to goal?

    The rule of :mod:`studievag.progress.rules` (the weekly team overview), in SQL:
    the line starts at the starting level mapped at intake for the course's
    subject, on the day the student joined the course group (else at the first
    record, on its day); it ends on the goal step at the end of the course's
    term in the plan, else at the enrolment's end, else after the organiser's
    default course length; behind means more than the organiser's threshold
    below the line, unless the student is at the goal.
    """

    day = _ref_day(ctx)
    same_course = ProgressRecord.objects.filter(
        student_id=OuterRef("student_id"), course_id=OuterRef("course_id")
    ).order_by("recorded_on", "pk")
    # The goal step of the record's scale (the highest step when none is marked).
    goal = ProgressionStep.objects.filter(scale_id=OuterRef("step__scale_id")).order_by("-is_goal", "-position")
    starting = StartingLevel.objects.filter(
        mapping__student_id=OuterRef("student_id"), subject_id=OuterRef("course__subject_id")
    ).order_by("pk")
    # The day the student joined the course group: the line's start when mapped at intake.
    joined = (
        GroupMembership.objects.filter(
            student_id=OuterRef("student_id"),
            group__course_id=OuterRef("course_id"),
            group__kind=StudentGroup.Kind.COURSE_GROUP,
            start_date__lte=day,
        )
        .filter(
            Exists(
                StartingLevel.objects.filter(
                    mapping__student_id=OuterRef("student_id"), subject_id=OuterRef(OuterRef("course__subject_id"))
                )
            )
        )
        .order_by("-start_date", "-pk")
    )
    plan_term = (
        PlanCourse.objects.filter(plan__student_id=OuterRef("student_id"), course_id=OuterRef("course_id"))
        .exclude(term="")
        .order_by("pk")
    )
    # The organiser of the population row's school unit (the enrolment, outside ``latest``):
    # found by the unit's key, then the settings by the organiser's (two index look-ups).
    settings = FollowUpSettings.objects.filter(
        organiser_id=Subquery(
            SchoolUnit.objects.filter(pk=OuterRef(OuterRef(OuterRef("school_unit_id")))).values("organiser_id")[:1]
        )
    )
    # Each subquery is written once in the SQL where possible (an expression used twice is
    # evaluated twice): hence the shapes of ``length``, ``fraction`` and ``expected`` below.
    latest = (
        ProgressRecord.objects.filter(
            student_id=OuterRef("student_id"),
            recorded_on__gte=ctx.population_period.start,
            recorded_on__lte=day,
        )
        # The latest record of its course by the day. Written as an equality with the
        # latest day (not "no later record exists") so that PostgreSQL applies this cheap
        # test to the records first and evaluates the line below for the latest ones only.
        .filter(
            recorded_on=Subquery(
                ProgressRecord.objects.filter(
                    student_id=OuterRef("student_id"), course_id=OuterRef("course_id"), recorded_on__lte=day
                )
                .order_by("-recorded_on")
                .values("recorded_on")[:1]
            )
        )
        .annotate(
            goal_position=Subquery(goal.values("position")[:1]),
            line_start=Coalesce(
                Subquery(starting.values("step__position")[:1]),
                Subquery(same_course.values("step__position")[:1]),
            ),
            line_from=Coalesce(
                Subquery(joined.values("start_date")[:1]),
                Subquery(same_course.values("recorded_on")[:1]),
            ),
            behind_steps=Coalesce(
                Subquery(settings.values("behind_steps")[:1]),
                Value(DEFAULT_BEHIND_STEPS, output_field=DecimalField()),
            ),
        )
        .annotate(
            # Days from the start to the planned end: the plan's term, else the enrolment's
            # end, else the organiser's default course length.
            length=Coalesce(
                DaysBetween(
                    Coalesce(Subquery(plan_term.values(end=TermEnd(F("term")))[:1]), OuterRef("end_date")),
                    F("line_from"),
                ),
                Coalesce(Subquery(settings.values("default_course_weeks")[:1]), Value(DEFAULT_COURSE_WEEKS)) * 7,
                output_field=IntegerField(),
            ),
            elapsed=Greatest(DaysBetween(Value(day), F("line_from")), Value(0)),
        )
        .annotate(
            # elapsed / length, at most 1; 1 when the planned end is on or before the start
            # (the division by NULL gives NULL, and NULL becomes 1).
            fraction=Coalesce(
                Least(
                    Cast(F("elapsed"), FloatField())
                    / NullIf(Cast(Greatest(F("length"), Value(0)), FloatField()), Value(0.0)),
                    Value(1.0),
                ),
                Value(1.0),
            ),
        )
        .annotate(
            # start + (goal − start) × fraction, or the goal when the start is at or above it.
            expected=Cast(F("goal_position"), FloatField())
            - Cast(Greatest(F("goal_position") - F("line_start"), Value(0)), FloatField())
            * (Value(1.0) - F("fraction")),
        )
    )
    behind = latest.filter(
        expected__gt=Cast(F("step__position"), FloatField()) + Cast(F("behind_steps"), FloatField()),
        step__position__lt=F("goal_position"),
    )
    return {"assessed": Exists(latest), "behind_somewhere": Exists(behind)}


register(
    Indicator(
        id="in_line",
        category=Category.FOLLOW_UP,
        name=_("In line with the course goals"),
        description=_(
            "Share of the assessed students who are in line with the goal in every course "
            "they are followed in, by the same rule as the weekly team overview: the "
            "latest step is no more than the organiser's behind threshold (0.5 steps unless "
            "changed) below the straight line to the course's goal step, or at the goal. "
            "The line starts at the starting level mapped at intake, from the day the "
            "student joined the course group (without one, at the first recorded step, on "
            "its day), and reaches the goal at the end of the course's term in the study "
            "plan, else at the end of the enrolment, else after the organiser's default "
            "course length (20 weeks unless changed)."
        ),
        kind=Kind.SHARE,
        numerator_text=_(
            "Assessed students with no course more than the organiser's behind "
            "threshold below the line at the end of the period (or today)."
        ),
        denominator_text=_("Students with a progression record in the period (assessed)."),
        numerator=lambda ctx: Q(behind_somewhere=False),
        denominator=lambda ctx: Q(assessed=True),
        annotations=_in_line,
        facts=True,
        requires="progress",
    )
)


def _grades(ctx: Context) -> dict:

    p = ctx.population_period
    return {
        "passed_course": Exists(
            GradeRecord.objects.filter(
                student_id=OuterRef("student_id"),
                awarded_on__gte=p.start,
                awarded_on__lte=p.end,
                grade__in=["A", "B", "C", "D", "E"],
            )
        )
    }


register(
    Indicator(
        id="grades_earned",
        category=Category.FOLLOW_UP,
        name=_("Earned a pass grade"),
        description=_("Share of the students who were awarded at least one pass grade (A–E) during the period."),
        kind=Kind.SHARE,
        numerator_text=_("Students with a grade A–E awarded during the period."),
        numerator=lambda ctx: Q(passed_course=True),
        denominator=_everyone,
        annotations=_grades,
        facts=True,
        requires="progress",
    )
)


def _goals(ctx: Context) -> dict:

    p = ctx.population_period
    goals = (
        PlanGoal.objects.filter(
            plan__student_id=OuterRef("student_id"),
            target_date__gte=p.start,
            target_date__lte=p.end,
        )
        .exclude(status=GoalStatus.DROPPED)
        .order_by()
        .values("plan__student_id")
    )
    return {
        "goals_due": Subquery(goals.annotate(n=Count("pk")).values("n")),
        "goals_met": Subquery(goals.filter(status=GoalStatus.MET).annotate(n=Count("pk")).values("n")),
    }


register(
    Indicator(
        id="plan_goals_met",
        category=Category.FOLLOW_UP,
        name=_("Plan goals met"),
        description=_(
            "Of the goals in the students' study plans with a target date in the period, "
            "the share marked met (goals no longer pursued are left out)."
        ),
        kind=Kind.RATE,
        numerator_text=_("Goals with a target date in the period and the status “met”."),
        denominator_text=_(
            "Goals with a target date in the period, except those no longer a goal. "
            "Hidden when they belong to too few students."
        ),
        numerator=lambda ctx: "goals_met",
        denominator=lambda ctx: "goals_due",
        base=lambda ctx: Q(goals_due__gt=0),
        annotations=_goals,
        facts=True,
        requires="plans",
    )
)


def _plan_timing(ctx: Context) -> dict:

    day = _ref_day(ctx)
    plans = Plan.objects.filter(student_id=OuterRef("student_id"))
    return {
        "plan_created": Subquery(plans.values("created_at")[:1]),
        "plan_by_day": Exists(plans.filter(created_at__date__lte=day)),
        "reviewed_in_month": Exists(
            PlanReview.objects.filter(
                plan__student_id=OuterRef("student_id"),
                held_on__gt=day - datetime.timedelta(days=30),
                held_on__lte=day,
            )
        ),
    }


def _plan_in_time(ctx: Context):

    return Q(plan_created__isnull=False) & Q(
        LessThanOrEqual(DaysBetween(F("plan_created"), F("start_date")), DEFAULT_PLAN_DEADLINE_WEEKS * 7)
    )


register(
    Indicator(
        id="plan_in_time",
        category=Category.ORGANISATION,
        name=_("Plan set up within the deadline"),
        description=_(
            "Of the students who started during the period, the share whose individual "
            "study plan was set up within four weeks of the start."
        ),
        kind=Kind.SHARE,
        numerator_text=_("Students whose plan was created no more than 28 days after the start date."),
        denominator_text=_("Students whose (latest) enrolment started during the period."),
        numerator=_plan_in_time,
        denominator=_started_in_period,
        annotations=_plan_timing,
        facts=True,
        requires="plans",
    )
)
register(
    Indicator(
        id="plan_reviewed",
        category=Category.ORGANISATION,
        name=_("Plan reviewed within the last month"),
        description=_(
            "Of the students with a plan, the share whose plan was reviewed in a plan talk "
            "during the 30 days up to the end of the period (or today)."
        ),
        kind=Kind.SHARE,
        numerator_text=_("Students with a plan review held in the 30 days up to the day."),
        denominator_text=_("Students with a plan set up by the day."),
        numerator=lambda ctx: Q(reviewed_in_month=True),
        denominator=lambda ctx: Q(plan_by_day=True),
        annotations=_plan_timing,
        facts=True,
        requires="plans",
    )
)


# --- Organisational aspects from guidance, planned hours and staff development --------------


def _guidance(ctx: Context) -> dict:

    p = ctx.population_period
    return {
        "had_guidance": Exists(
            GuidanceParticipant.objects.filter(
                plan__student_id=OuterRef("student_id"),
                guidance__held_on__gte=p.start,
                guidance__held_on__lte=_ref_day(ctx),
            )
        )
    }


register(
    Indicator(
        id="guidance_held",
        category=Category.ORGANISATION,
        name=_("Guidance talk held"),
        description=_(
            "Share of the students who took part in study and careers guidance, individual "
            "or in a group, during the period (as recorded on their study plans)."
        ),
        kind=Kind.SHARE,
        numerator_text=_("Students linked to individual or group guidance held during the period."),
        numerator=lambda ctx: Q(had_guidance=True),
        denominator=_everyone,
        annotations=_guidance,
        requires="plans",
    )
)


def _planned_hours(ctx: Context) -> dict:

    ongoing = (
        PlanCourse.objects.filter(
            plan__student_id=OuterRef("student_id"), status=CourseStatus.ONGOING, weekly_hours__isnull=False
        )
        .order_by()
        .values("plan__student_id")
        .annotate(h=Sum("weekly_hours"))
        .values("h")
    )
    return {"planned_hours": Subquery(ongoing)}


def _full_time_hours() -> int:

    return FULL_TIME_WEEKLY_HOURS


register(
    Indicator(
        id="full_time",
        category=Category.ORGANISATION,
        name=_("Full-time study"),
        description=_(
            "Of the students whose study plan gives hours a week for the ongoing courses, "
            "the share with at least 23 hours a week planned: education on an introduction "
            "programme is to be full-time. Read from the plans as they are now."
        ),
        kind=Kind.SHARE,
        numerator_text=_("Students whose ongoing courses add up to at least 23 hours a week."),
        denominator_text=_("Students whose plan gives hours a week for at least one ongoing course."),
        numerator=lambda ctx: Q(planned_hours__gte=_full_time_hours()),
        denominator=lambda ctx: Q(planned_hours__isnull=False),
        annotations=_planned_hours,
        requires="plans",
    )
)


STAFF_TOPICS = ("language_developing", "late_arrivals")


def _staff_source(req) -> tuple[dict, int] | None:
    """Both staff-training indicators of a report at once.

    Staff: users with an individual staff role (mentor, teacher, counsellor,
    student health, principal) at the report's school units, directly or through
    a group there, on the last day of the period (or today). Staff have no student
    groups or programmes, so a breakdown gets nothing (``None``: shown as ".").
    A share resting on fewer staff than the report's base limit is hidden.
    """

    if req.dims:
        return None
    day = min(req.period.end, req.today)
    roles = [Role.MENTOR, Role.TEACHER, Role.COUNSELLOR, Role.STUDENT_HEALTH, Role.PRINCIPAL]
    at = RoleAssignment.objects.filter(role__in=roles).active_on(day)
    if req.unit_ids is not None:
        at = at.filter(Q(school_unit_id__in=req.unit_ids) | Q(group__school_unit_id__in=req.unit_ids))
    staff = set(at.values_list("user_id", flat=True))
    trained: dict[str, set[int]] = {topic: set() for topic in STAFF_TOPICS}
    for person, topic in StaffTraining.objects.filter(person_id__in=staff, completed_on__lte=day).values_list(
        "person_id", "topic"
    ):
        trained.setdefault(topic, set()).add(person)
    cells = {
        f"staff_{topic}": {(TOTAL, TOTAL): {"num": len(trained[topic]), "den": len(staff)}} for topic in STAFF_TOPICS
    }
    return cells, req.thresholds.min_base


for _topic, _name, _description in [
    (
        "language_developing",
        _("Staff trained in language-developing methods"),
        _(
            "Of the staff working with the students (mentors, teachers, counsellors, student "
            "health and principals with a role at the school units), the share who have "
            "completed training in language-developing methods, as recorded in staff "
            "development. Staff are not broken down by student groups or programmes."
        ),
    ),
    (
        "late_arrivals",
        _("Staff trained in meeting students who arrived late"),
        _(
            "Of the staff working with the students (mentors, teachers, counsellors, student "
            "health and principals with a role at the school units), the share who have "
            "completed training in meeting students who arrived late in the Swedish school "
            "system, as recorded in staff development. Staff are not broken down by student "
            "groups or programmes."
        ),
    ),
]:
    register(
        Indicator(
            id=f"staff_{_topic}",
            category=Category.ORGANISATION,
            name=_name,
            description=_description,
            kind=Kind.SHARE,
            numerator_text=_("Staff with a completed training in the topic on or before the day."),
            denominator_text=_("Staff with a role at the school units on the last day of the period (or today)."),
            external=_staff_source,
            requires="organisations",
        )
    )
# --- 3. Students' experience of education and teaching (the student survey) ----------------


def _survey_source(req) -> tuple[dict, int] | None:
    """Every survey theme of a report at once: one query over the anonymous answers."""
    part = report_part(
        period_code=req.period.code,
        unit_ids=req.unit_ids,
        programme="" if req.by_programme else req.programme,
        dims=tuple(req.dims),
        anchor_code=req.anchor.code if req.anchor else None,
        # Linked tables (quality/linked.py): per child level and per programme.
        group_by=tuple(
            g
            for g, on in (
                ("school_unit_id", req.partition == "unit"),
                ("school_unit__organiser_id", req.partition == "organiser"),
                ("programme", req.by_programme),
            )
            if on
        ),
    )
    if part is None:
        return None
    return {f"survey_{theme}": cells for theme, cells in part.themes.items()}, part.k


_SURVEY_DESCRIPTION = _(
    "The share of favourable answers (“Completely true” or “Mostly true”) to the survey's questions "
    "on the theme. Shown only where at least the wave's minimum number of students answered; in a "
    "trend only questions asked the same way in the report's period are counted. Age is the age in "
    "the calendar year of the wave."
)

for _theme in Theme.ORDER:
    register(
        Indicator(
            id=f"survey_{_theme}",
            category=Category.EXPERIENCE,
            name=Theme.LABELS[_theme],
            description=format_lazy("{} {}", Theme.DESCRIPTIONS[_theme], _SURVEY_DESCRIPTION),
            kind=Kind.RATE,
            numerator_text=_("Favourable answers to the theme's questions."),
            denominator_text=_(
                "Answers to the theme's questions other than “Don't know”, from the students who "
                "answered the period's survey; the figure rests on those students."
            ),
            external=_survey_source,
            requires="surveys",
        )
    )


def _survey_terms(ctx: Context) -> list[str]:
    p = ctx.period
    return [f"ht{p.year}", f"vt{p.year + 1}"] if p.kind == "sy" else [p.code]


def _survey_waves(ctx: Context):
    """The period's survey waves, as a subquery: the report's SQL depends on the request alone
    (see ``selectors.compiled_queries``), never on rows read while it is built."""
    return Wave.objects.filter(term__in=_survey_terms(ctx))


def _survey_offered(ctx: Context) -> Q:
    return Q(school_unit__organiser_id__in=_survey_waves(ctx).values("organiser_id"))


def _survey_answered(ctx: Context) -> Q:
    # ``IN (subquery)``: the database hashes the period's few tens of thousands of
    # participations once instead of probing once per student.
    answered = Participation.objects.filter(wave__in=_survey_waves(ctx).values("pk"))
    return Q(student_id__in=answered.values("student_id"))


register(
    Indicator(
        id="survey_response_rate",
        category=Category.EXPERIENCE,
        name=_("Survey response rate"),
        description=_(
            "Of the students whose organiser ran a student survey in the period, the share who answered it. "
            "Counted from the record of who has answered, which holds no answers."
        ),
        kind=Kind.SHARE,
        numerator_text=_("Students who answered a survey wave of the period."),
        denominator_text=_("Students in the population whose organiser ran a survey wave in the period."),
        numerator=_survey_answered,
        denominator=_survey_offered,
        requires="surveys",
    )
)


def population_text(indicator: Indicator) -> str:
    """Which students an indicator counts over, in plain language (the definition page)."""
    if indicator.external is not None:
        return str(
            _(
                "Counted from the records this figure is about (see above), at the school units of the "
                "level you report on, not from the list of enrolled students."
            )
        )
    if indicator.population == "period":
        return str(
            _(
                "Every student enrolled in an introduction programme at some time during the period, "
                "at the school units of the level you report on. A student who moved between units "
                "is counted once, where they were enrolled last in the period."
            )
        )
    years = int(indicator.population.removeprefix("cohort"))
    return str(
        ngettext(
            "The students who first started an introduction programme %(n)s year before the period, "
            "at the school units of the level you report on, each counted once.",
            "The students who first started an introduction programme %(n)s years before the period, "
            "at the school units of the level you report on, each counted once.",
            years,
        )
        % {"n": years}
    )
