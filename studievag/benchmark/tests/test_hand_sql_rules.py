"""The benchmark's hand-written SQL counts "in line with the course goal" by the overview's rule."""

import pytest
from django.db import connection

from studievag.benchmark import bench
from studievag.quality.tests.test_indicators import course, in_line_case, recorder, world  # noqa: F401

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="hand-written SQL is PostgreSQL")


def test_hand_written_in_line_agrees_with_the_overview(world, course, recorder):  # noqa: F811
    request, _statuses, _students = in_line_case(world, course, recorder)
    hand = bench.run_hand_sql(request)[("__total__", "__total__")]
    assert (hand["in_line__num"], hand["in_line__den"]) == (4, 6)
    assert bench.agree(bench.orm_raw(request), bench.run_hand_sql(request))
