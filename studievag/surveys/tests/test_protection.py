"""Property test: no hidden survey figure follows from the shown ones, in any grid the pages build."""

from hypothesis import given, settings
from hypothesis import strategies as st

from studievag.disclosure import TOTAL, Dim
from studievag.disclosure.audit import recoverable
from studievag.surveys.protection import hide_grid


def _with_margins(interior):
    rows = [list(r) + [sum(r)] for r in interior]
    return rows + [[sum(col) for col in zip(*rows, strict=True)]]


grids = st.integers(min_value=1, max_value=5).flatmap(
    lambda r: st.integers(min_value=1, max_value=5).flatmap(
        lambda c: st.lists(
            st.lists(st.integers(min_value=0, max_value=14), min_size=c, max_size=c), min_size=r, max_size=r
        )
    )
)


@settings(max_examples=150, deadline=None)
@given(grids, st.integers(min_value=5, max_value=8))
def test_no_hidden_base_can_be_worked_out_and_none_under_the_minimum_is_shown(interior, k):
    bases = _with_margins(interior)
    if len(interior[0]) == 1:
        bases = [[row[0]] for row in bases]  # no breakdown: units and the organiser only
    hidden = hide_grid(bases, k)
    R, C = len(bases), len(bases[0])
    for i in range(R):
        for j in range(C):
            assert hidden[i][j] or not 0 < bases[i][j] < k
    dims = [Dim("unit", tuple(range(R - 1)))] + ([Dim("group", tuple(range(C - 1)))] if C > 1 else [])

    def key(i, j):
        unit = TOTAL if i == R - 1 else i
        return (unit,) if C == 1 else (unit, TOTAL if j == C - 1 else j)

    hidden_keys = {key(i, j) for i in range(R) for j in range(C) if hidden[i][j]}
    assert not recoverable(dims, hidden_keys)
