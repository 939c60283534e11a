"""The organisation overview's current-student counts use the quality area's suppression."""

from studievag.quality.overview import current_student_counts
from studievag.testing import make_student


def test_overview_hides_a_small_count_and_its_complement_but_keeps_the_row_total(cast):
    for _ in range(7):
        make_student(cast.unit_a, programme="IMY")
    for _ in range(9):
        make_student(cast.unit_a, programme="IMV")
    row = next(r for r in current_student_counts(cast.analyst) if r.unit == cast.unit_a)
    # IMA 0, IMS 3 (alice, adam, protected), IMV 9, IMY 7: 3 is hidden, and with it the
    # next smallest, 7; the total 19 is shown: only 3 + 7 = 10 can be worked out.
    assert row.cells == ["0", "..", "9", ".."]
    assert row.total == "19"
