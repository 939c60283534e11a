"""A query compiled once and run again with other values (``studievag.kept_sql``): the same
rows as Django's own evaluation, for other students, days and lengths, on either database."""

import datetime

import pytest
from django.db import connection
from django.db.models import F, OuterRef, Subquery

from studievag.enrolments.models import GroupMembership
from studievag.kept_sql import kept_objects, kept_rows
from studievag.progress.models import ProgressRecord
from studievag.progress.selectors import _overview_lines, _overview_lines_query

from .test_overview import build_team


def _latest_on(on):
    """The day of the latest record in the membership's course by ``on``."""
    latest = ProgressRecord.objects.filter(
        student_id=OuterRef("student_id"), course_id=OuterRef("group__course_id"), recorded_on__lte=on
    ).order_by("-recorded_on")
    return Subquery(latest.values("recorded_on")[:1])


def _lines(ids, on):
    return (
        GroupMembership.objects.filter(student_id__in=ids, start_date__lte=on)
        .annotate(latest_on=_latest_on(on), doubled=F("student_id") * 2)
        .order_by("student_id", "pk")
        .values_list("student_id", "latest_on", "start_date", "doubled")
    )


def test_kept_rows_equal_djangos_for_other_values_of_the_same_shape(cast, maths, today):
    team = build_team(cast, 6)
    ids = sorted(team.memberships.values_list("student_id", flat=True))
    if hasattr(connection, "_studievag_kept_sql"):
        del connection._studievag_kept_sql
    days = [today, today - datetime.timedelta(days=20), today - datetime.timedelta(days=50)]
    read = []
    for day in days:
        for chosen in (ids[:3], ids[3:], ids[1:4], ids):
            got = kept_rows(GroupMembership, "test.lines", _lines, ids=chosen, on=day)
            assert got == list(_lines(chosen, day))
            read += got
    # Dates come back as dates (SQLite's text converted as Django converts it), and one
    # compiled query serves each length: 3 and 6 students.
    assert any(isinstance(row[1], datetime.date) for row in read)
    assert any(row[1] is None for row in read)  # 50 days ago: no record yet
    assert all(isinstance(row[2], datetime.date) and row[3] == 2 * row[0] for row in read)
    assert len([key for key in connection._studievag_kept_sql if key[0] == "test.lines"]) == 2


def test_the_overview_lines_equal_the_querysets_rows(cast, maths, today):
    team = build_team(cast, 5)
    ids = sorted(team.memberships.values_list("student_id", flat=True))
    for day in (today, today - datetime.timedelta(days=45)):
        groups = sorted(
            GroupMembership.objects.filter(student_id__in=ids, start_date__lte=day).values_list("group_id", flat=True)
        )
        groups = sorted(set(groups))
        expected = list(_overview_lines_query(ids, day, groups)) if groups else []
        assert _overview_lines(ids, day) == expected
    assert expected and expected[0][0] in ids


def test_an_empty_list_reads_nothing(cast, django_assert_num_queries, today):
    with django_assert_num_queries(0):
        assert kept_rows(GroupMembership, "test.lines", _lines, ids=[], on=today) == []


@pytest.mark.parametrize("value", [1.5, "text", [1, "2"], True])
def test_a_kept_query_takes_integers_lists_of_integers_and_dates(cast, today, value):
    with pytest.raises(TypeError):
        kept_rows(GroupMembership, "test.refused", lambda ids, on: _lines([1], today), ids=value, on=today)


def test_a_value_that_does_not_reach_the_sql_is_refused(cast, today):
    # The query ignores ``on``: run again on another day it would answer for the wrong day.
    with pytest.raises(ValueError, match="parameter"):
        kept_rows(GroupMembership, "test.ignores", lambda ids, on: _lines(ids, today), ids=[1, 2], on=today)


@pytest.mark.parametrize(
    "build",
    [
        lambda ids, on: _lines(ids, on - datetime.timedelta(days=28)),  # a day computed from the argument
        lambda ids, on: _lines(ids + [ids[0] + 1], on),  # an id computed from the argument
    ],
    ids=["day", "id"],
)
def test_a_value_computed_from_an_argument_is_refused(cast, today, build):
    # Kept, the computed value would stay the stand-in's for every later call.
    with pytest.raises(ValueError, match="computed from an argument"):
        kept_rows(GroupMembership, "test.computed", build, ids=[1, 2], on=today)


def _memberships(ids, on):
    """A model query: instances with two related objects, deferred fields and an annotation."""
    return (
        GroupMembership.objects.filter(student_id__in=ids, start_date__lte=on)
        .select_related("group__school_unit", "student")
        .only("pk", "start_date", "end_date", "group__name", "group__school_unit__name", "student__first_name")
        .annotate(latest_on=_latest_on(on))
        .order_by("student_id", "pk")
    )


def _described(objects):
    return [
        (
            m.pk,
            m.start_date,
            m.end_date,
            m.latest_on,
            m.group.pk,
            m.group.name,
            m.group.school_unit.name,
            m.student.first_name,
            sorted(m.get_deferred_fields()),
            m._state.adding,
            m._state.db,
        )
        for m in objects
    ]


def test_kept_objects_equal_djangos_instances(cast, maths, today, django_assert_num_queries):
    team = build_team(cast, 6)
    ids = sorted(team.memberships.values_list("student_id", flat=True))
    if hasattr(connection, "_studievag_kept_sql"):
        del connection._studievag_kept_sql
    for day in (today, today - datetime.timedelta(days=50)):
        for chosen in (ids[:3], ids[3:], ids):
            expected = _described(_memberships(chosen, day))
            with django_assert_num_queries(1):  # the related objects come with the row
                got = _described(kept_objects(GroupMembership, "test.memberships", _memberships, ids=chosen, on=day))
            assert got == expected
    assert expected and expected[0][7] and not expected[0][9]
    # A kept instance saves as Django's own does (it knows it is stored, and where).
    member = kept_objects(GroupMembership, "test.memberships", _memberships, ids=ids[:3], on=today)[0]
    member.end_date = today
    member.save(update_fields=["end_date"])
    assert GroupMembership.objects.get(pk=member.pk).end_date == today


def test_a_kept_query_is_asked_as_it_was_kept(cast, today):
    with pytest.raises(TypeError, match="kept_objects takes a model query"):
        kept_objects(GroupMembership, "test.lines", _lines, ids=[1, 2], on=today)
    kept_rows(GroupMembership, "test.kind", _lines, ids=[1], on=today)
    with pytest.raises(TypeError, match="kept_objects takes a model query"):
        kept_objects(GroupMembership, "test.kind", _lines, ids=[1], on=today)
    with pytest.raises(TypeError, match="cannot prefetch"):
        kept_objects(
            GroupMembership,
            "test.prefetch",
            lambda ids: GroupMembership.objects.filter(student_id__in=ids).prefetch_related("group"),
            ids=[1],
        )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_on_postgresql_a_kept_query_is_prepared_once_per_connection(cast, maths, today, settings):
    settings.STUDIEVAG_PG_PREPARE = True
    team = build_team(cast, 4)
    ids = sorted(team.memberships.values_list("student_id", flat=True))

    def prepared():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%latest_on%"])
            return cursor.fetchone()[0]

    before = prepared()
    for day in (today, today - datetime.timedelta(days=3), today - datetime.timedelta(days=9)):
        assert kept_rows(GroupMembership, "test.lines", _lines, ids=ids, on=day) == list(_lines(ids, day))
    assert prepared() == before + 1
    settings.STUDIEVAG_PG_PREPARE = False
    assert kept_rows(GroupMembership, "test.lines", _lines, ids=ids, on=today) == list(_lines(ids, today))
    assert prepared() == before + 1


def test_the_native_sql_numbers_each_placeholder_and_unescapes_percent():
    from studievag.kept_sql import _native

    sql = "SELECT a FROM t WHERE b LIKE '%%x%%' AND c = %s AND d IN (%s, %s)"
    assert _native(sql) == b"SELECT a FROM t WHERE b LIKE '%x%' AND c = $1 AND d IN ($2, $3)"
    with pytest.raises(ValueError, match="other than %s"):
        _native("SELECT %(named)s")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_a_failing_kept_query_raises_djangos_error(cast, maths, today):
    from django.db import DataError, transaction

    team = build_team(cast, 2)
    ids = sorted(team.memberships.values_list("student_id", flat=True))

    def shares(ids, n):
        return GroupMembership.objects.filter(student_id__in=ids).annotate(q=F("student_id") / n).values_list("q")

    for _ in range(3):  # unprepared, then prepared
        assert len(kept_rows(GroupMembership, "test.shares", shares, ids=ids, n=1)) >= 2
    with pytest.raises(DataError, match="division by zero"), transaction.atomic():
        kept_rows(GroupMembership, "test.shares", shares, ids=ids, n=0)
