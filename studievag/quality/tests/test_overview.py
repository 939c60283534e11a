"""The organisation overview reads the report's figures through the same protection."""

from studievag.quality.linked import overview_rows
from studievag.testing import make_student


def test_overview_hides_a_small_count_with_its_box_and_keeps_the_row_total(cast):
    for _ in range(7):
        make_student(cast.unit_a, programme="IMY")
    for _ in range(9):
        make_student(cast.unit_a, programme="IMV")
    _period, rows = overview_rows(cast.analyst)
    row = next(r for r in rows if r.unit == cast.unit_a)
    # IMA 0, IMS 3 (alice, adam, protected), IMV 9, IMY 7: 3 is hidden, and with it the
    # smallest other non-empty programme, 7; the total 19 is shown: only 3 + 7 = 10 follows.
    assert row.cells == ["0", "..", "9", ".."]
    assert row.total == "19"
