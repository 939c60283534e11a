"""Guidance held, full-time study and staff trained, counted by hand."""

import datetime
from decimal import Decimal

from studievag.catalogue.models import Course
from studievag.catalogue.services import catalogue_ensure_core
from studievag.organisations.models import StaffTraining
from studievag.organisations.services import staff_training_record
from studievag.plans.services import guidance_record, plan_create
from studievag.quality.periods import Period
from studievag.quality.selectors import ReportRequest, run_report, thresholds_for
from studievag.testing import make_student

D = datetime.date
VT2026 = Period("vt", 2026)


END_OF_MAY = D(2026, 5, 31)


def figures(cast, ids, *, dims=(), on=END_OF_MAY):
    unit_ids = [cast.unit_a.pk]
    return run_report(
        ReportRequest(
            period=VT2026,
            unit_ids=unit_ids,
            thresholds=thresholds_for(unit_ids),
            indicator_ids=ids,
            suppress=False,
            today=on,
            dims=dims,
        )
    )


def test_guidance_and_full_time_counted_by_hand(cast):
    # Six students at A through the spring term (plus Adam, enrolled 400 days ago): 7.
    students = [make_student(cast.unit_a, start=D(2025, 8, 1)) for _ in range(6)]
    catalogue_ensure_core()
    courses = list(Course.objects.filter(school_type="GR", code__in=["GRGRMAT01_7-9", "GRGRSVA01_7-9"]))
    assert len(courses) == 2
    hours = [("12", "11"), ("20", "3"), ("10", None), (None, None), ("12", "12"), None]
    plans = []
    for s, h in zip(students, hours, strict=True):
        rows = []
        if h is not None:
            rows = [
                {"course": c, "status": "ongoing", "weekly_hours": Decimal(x) if x else None}
                for c, x in zip(courses, h, strict=True)
            ]
        plans.append(plan_create(acting_user=cast.mentor_a, student=s, reason="Första", courses=rows))
    guidance_record(acting_user=cast.counsellor_a, plans=plans[:3], kind="group", held_on=D(2026, 3, 1), topic="Val")
    guidance_record(
        acting_user=cast.counsellor_a, plans=plans[3:4], kind="individual", held_on=D(2025, 12, 1), topic="Val"
    )
    tables = figures(cast, ("guidance_held", "full_time"))
    # Guidance in the term: 3 of 7 (the December talk is the term before).
    g = tables["guidance_held"].total
    assert (g.numerator, g.denominator) == (3, 7)
    # Hours planned for 4 students (23, 23, 10, 24): 3 full-time.
    f = tables["full_time"].total
    assert (f.numerator, f.denominator) == (3, 4)


def test_staff_trained_counts_the_staff_of_the_units_and_is_not_broken_down(cast):
    # Staff at A: mentor, teacher (through their groups), counsellor, student health, principal.
    for person, day in [
        (cast.mentor_a, D(2026, 2, 1)),
        (cast.principal_a, D(2026, 3, 1)),
        (cast.teacher_a, D(2026, 7, 1)),
    ]:
        staff_training_record(
            acting_user=cast.analyst,
            person=person,
            organiser=cast.organiser_a,
            topic=StaffTraining.Topic.LANGUAGE_DEVELOPING,
            title="Kurs",
            completed_on=day,
        )
    table = figures(cast, ("staff_language_developing", "staff_late_arrivals"), on=D(2026, 5, 31))
    lang = table["staff_language_developing"].total
    assert (lang.numerator, lang.denominator, lang.text) == (2, 5, "40")
    assert table["staff_late_arrivals"].total.text == "0"
    broken = figures(cast, ("staff_language_developing",), dims=("gender",))["staff_language_developing"]
    # Staff have no student groups: a breakdown shows nothing rather than a misleading total.
    assert [f.text for f in broken.row_margin] == ["."] * len(broken.rows)
    # Suppressed as any share: five staff are too few.
    unit_ids = [cast.unit_a.pk]
    hidden = run_report(
        ReportRequest(
            period=VT2026,
            unit_ids=unit_ids,
            thresholds=thresholds_for(unit_ids),
            indicator_ids=("staff_language_developing",),
            today=D(2026, 5, 31),
        )
    )["staff_language_developing"].total
    assert hidden.text == ".."
