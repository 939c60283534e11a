"""Fewer queries and kept work for linked reports, with exactly the figures and patterns of before.

* the top level's figures come from the same queries as its children's: they must equal the
  top level's own report, whatever the period, breakdown and programme filter;
* a report's compiled SQL is kept per request: rows are still read live every time (a new
  student, a survey wave created since, a facts refresh all show at once);
* a suppression pattern is kept per exact figures: after a facts refresh the family's pattern is
  the one computed from scratch.
"""

import datetime

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from studievag.access.models import Role
from studievag.catalogue.models import Course
from studievag.catalogue.services import catalogue_ensure_core
from studievag.disclosure import Thresholds
from studievag.disclosure.linked import forget_patterns
from studievag.enrolments.models import Enrolment
from studievag.organisations.models import Programme
from studievag.progress.models import AttendanceWeek
from studievag.quality import reading
from studievag.quality.facts import facts_refresh
from studievag.quality.linked import CellCache, Node, linked_family, prefetch_families, scope_tree
from studievag.quality.periods import Period
from studievag.quality.selectors import (
    ReportRequest,
    compiled_queries,
    gather,
    gather_with_top,
    report_cells,
)
from studievag.surveys.tests.helpers import make_wave
from studievag.testing import assign, make_organiser, make_student, make_unit, make_user

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 1, 15)
HT = Period("ht", 2025)
VT = Period("vt", 2026)
SY = Period("sy", 2025)


@pytest.fixture
def organiser(db):
    """Three school units; students of both genders and backgrounds, two programmes, a few who
    moved between units in the term (counted at both units, once for the organiser), a cohort."""
    organiser = make_organiser()
    units = [make_unit(organiser) for _ in range(3)]
    n = 0
    for u, unit in enumerate(units):
        for i in range(4 + 3 * u):
            n += 1
            make_student(
                unit,
                start=D(2025, 8, 20) if i % 3 == 0 else D(2024, 8, 20),
                female=i % 2 == 0,
                programme="IMS" if i % 4 else "IMA",
                country_of_birth="SE" if i % 3 else "SY",
            )
    for i in range(3):  # moved from the first unit to another in October
        student = make_student(units[0], start=D(2025, 8, 18), female=i % 2 == 1)
        Enrolment.objects.filter(student=student).update(end_date=D(2025, 10, 10), exit_reason="another_school")
        Enrolment.objects.create(
            student=student,
            school_unit=units[1 + i % 2],
            programme=Programme.objects.get(code="IMS"),
            start_date=D(2025, 10, 13),
        )
    for period in (HT, VT, SY):
        facts_refresh(period, today=TODAY)
    return organiser, units


def _request(units, period, dims=(), programme="", **kwargs):
    return ReportRequest(
        period=period,
        unit_ids=[u.pk for u in units],
        thresholds=Thresholds(),
        dims=dims,
        programme=programme,
        by_programme=bool(programme),
        today=TODAY,
        **kwargs,
    )


@pytest.mark.parametrize("period", [HT, VT, SY])
@pytest.mark.parametrize(
    "dims,programme", [((), ""), (("gender",), ""), (("gender", "background"), ""), (("gender",), "IMS")]
)
def test_the_top_level_from_its_childrens_queries_is_its_own_report(organiser, period, dims, programme):
    _organiser, units = organiser
    req = _request(units, period, dims, programme, partition="unit")
    children, top = gather_with_top(req)
    assert children == gather(req)
    own = gather(_request(units, period, dims, programme))
    assert top == own
    students = own.data["students"]
    # The students who moved count once for the organiser, at both units below it.
    below = sum(c.get("num", 0) for k, c in children.data["students"].items())
    assert below == sum(c.get("num", 0) for c in students.values()) + 3 * (period != VT)


def test_a_report_opened_again_runs_the_kept_sql_and_reads_the_rows_live(organiser):
    _organiser, units = organiser
    req = _request(units, HT, ("gender",))
    first = report_cells(req)
    kept = compiled_queries(req)
    assert compiled_queries(req) is kept  # built and compiled once
    make_student(units[2], start=D(2025, 9, 1), female=True)
    again = report_cells(req)
    assert again["students"][("female", "__total__")]["num"] == first["students"][("female", "__total__")]["num"] + 1
    # Kept per connection and bounded.
    assert len(connections["default"]._studievag_compiled) <= 48


def test_a_survey_wave_created_after_the_sql_was_kept_is_counted(organiser):
    org, units = organiser
    req = _request(units, HT, (), indicator_ids=("survey_response_rate",))
    before = report_cells(req).get("survey_response_rate", {})
    assert all(not c.get("den") for c in before.values())  # no wave: nobody offered a survey
    make_wave(org, make_user(), term="ht2025")
    after = report_cells(req)["survey_response_rate"]
    assert after[("__total__", "__total__")]["den"] > 0


def _family(user, node, period):
    tree = scope_tree(user)
    path = tree.path(node)
    return linked_family(
        tree,
        path[0],
        path[:-1],
        period,
        dims=("gender",),
        indicator_ids=("students", "attendance", "newly_arrived"),
        today=TODAY,
        cache=CellCache(),
    )


def test_after_a_facts_refresh_the_kept_pattern_is_the_one_computed_from_scratch(organiser):
    org, units = organiser
    analyst = make_user()
    assign(analyst, Role.ORGANISER_ANALYST, organiser=org)
    node = Node("unit", units[0].pk)
    _family(analyst, node, HT)  # patterns and SQL kept
    # A day's attendance, refreshed by the job: the attendance rates change.
    catalogue_ensure_core()
    course = Course.objects.get(code="GRGRMAT01_7-9", school_type="GR")
    recorder = make_user()
    students = list(Enrolment.objects.filter(school_unit=units[0]).values_list("student_id", flat=True))
    for student_id in students:
        AttendanceWeek.objects.create(
            student_id=student_id,
            course=course,
            week_start=D(2025, 11, 3),
            scheduled_minutes=600,
            invalid_absence_minutes=480 if student_id % 2 else 0,
            recorded_by=recorder,
        )
    facts_refresh(HT, today=TODAY)
    kept = _family(analyst, node, HT)
    forget_patterns()
    connections["default"]._studievag_compiled.clear()
    fresh = _family(analyst, node, HT)
    assert kept.hidden == fresh.hidden
    assert kept.parts == fresh.parts
    assert kept.parts["attendance"] is not None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="other connections: PostgreSQL")
@pytest.mark.django_db(transaction=True)  # committed rows: what the page's other connection reads
def test_a_page_read_side_by_side_has_the_figures_read_on_one_connection(organiser, client, settings):
    """Every query of a family and its trend read on two connections at once gives the figures and
    the pattern of reading them one after the other on the page's own connection."""
    try:
        _side_by_side_and_one_after_the_other(organiser, client, settings)
    finally:
        reading.close_all()  # the other connection, before the test database is dropped


def _side_by_side_and_one_after_the_other(organiser, client, settings):
    org, units = organiser
    analyst = make_user()
    assign(analyst, Role.ORGANISER_ANALYST, organiser=org)
    tree = scope_tree(analyst)
    indicators = ("students", "attendance", "newly_arrived", "handover_before_start", "transfer_1y")
    for node in (Node("organiser", org.pk), Node("unit", units[0].pk)):
        path = tree.path(node)
        families = [(HT, {"dims": ("gender",), "indicator_ids": indicators}), (SY, {"indicator_ids": indicators})]
        seen = {}
        for n in (1, 2):
            settings.STUDIEVAG_REPORT_CONNECTIONS = n
            assert reading.connections_to_use() == n
            forget_patterns()
            cache = CellCache()
            with CaptureQueriesContext(connection) as own:
                prefetch_families(tree, path[0], path[:-1], families, cache=cache, today=TODAY)
                made = [
                    linked_family(tree, path[0], path[:-1], p, today=TODAY, cache=cache, **kwargs)
                    for p, kwargs in families
                ]
            seen[n] = ([(f.parts, f.hidden) for f in made], len(own))
        assert seen[2][0] == seen[1][0]
        assert seen[2][0][0][0]["students"]  # figures, not nothing
        assert seen[2][1] < seen[1][1]  # some queries were read on the other connection
    # The whole page, as the analyst gets it.
    client.force_login(analyst)
    url = reverse("quality:report") + f"?level=unit:{units[0].pk}&period={HT.code}&dim1=gender&dim2=background"
    pages = {}
    for n in (1, 2):
        settings.STUDIEVAG_REPORT_CONNECTIONS = n
        response = client.get(url)
        assert response.status_code == 200
        report = response.context["report"]
        pages[n] = (
            {k: [[f.text for f in row] for row in t.cells] for k, t in report.tables.items()},
            [[f.text for f in p.figures] for p in report.trend],
        )
    assert pages[2] == pages[1]
