"""Suppression rules: primary limits, complementary cells, and that nothing hidden can be recovered."""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from studievag.quality.suppression import (
    Thresholds,
    bridges,
    protect,
    protect_line,
    suppress_by_base,
    suppress_counts,
    with_margins,
)

T = Thresholds(min_count=5, min_base=10)


# --- Plain rules -------------------------------------------------------------


def test_counts_under_five_are_hidden_but_zero_and_five_are_shown():
    assert [T.hides_count(n) for n in (0, 1, 4, 5, 6)] == [False, True, True, False, False]


def test_shares_with_a_base_under_ten_are_hidden_and_an_empty_group_is_not():
    assert [T.hides_base(n) for n in (0, 1, 9, 10)] == [False, True, True, False]


def test_strictest_thresholds_take_the_highest_limit_of_each_kind():
    assert Thresholds.strictest([Thresholds(5, 10), Thresholds(3, 20)]) == Thresholds(5, 20)
    assert Thresholds.strictest([]) == Thresholds()


def test_margins_are_the_row_column_and_grand_totals():
    assert with_margins([[1, 2], [3, 4]]) == [[1, 2, 3], [3, 4, 7], [4, 6, 10]]


def test_a_lone_small_count_in_a_row_takes_the_next_smallest_cell_of_that_row_with_it():
    _grid, hidden = suppress_counts([[3, 20, 8], [30, 40, 50]], T)
    # 3 is primary; 8 is the next smallest in its row; the columns of 3 and 8
    # then each have one hidden cell, so 30 and 50 go too (a 2×2 rectangle).
    assert hidden[0][:3] == [True, False, True]
    assert hidden[1][:3] == [True, False, True]
    assert not any(hidden[2])  # the totals stay shown
    assert not hidden[0][3] and not hidden[1][3]


def test_a_table_without_small_numbers_hides_nothing():
    _grid, hidden = suppress_counts([[10, 20], [30, 40]], T)
    assert not any(any(row) for row in hidden)


def test_a_single_row_table_hides_a_total_when_it_must():
    # One interior row: the row total equals the grand total; column totals
    # equal the cells. Hiding 2 forces its copy in the total row and more.
    _grid, hidden = suppress_counts([[2, 30]], T)
    assert hidden[0][0] and hidden[1][0]
    assert not bridges(hidden)


def test_a_one_way_line_with_one_small_cell_hides_the_next_smallest():
    assert protect_line([2, 9, 30, 41], [True, False, False, False]) == [True, True, False, False]


def test_a_one_way_line_prefers_a_cell_over_the_total():
    assert protect_line([3, 100], [True, False]) == [True, True]


def test_bridges_are_found_between_two_hidden_rectangles():
    # Two 2×2 rectangles of hidden cells joined by one hidden cell (1,2):
    # rows 0–1 × cols 0–1 and rows 2–3 × cols 2–3; (1,2) links them.
    hidden = [[False] * 5 for _ in range(5)]
    for i, j in [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (1, 2)]:
        hidden[i][j] = True
    assert bridges(hidden) == [(1, 2)]


def test_shares_pattern_comes_from_the_bases():
    bases = with_margins([[4, 20], [15, 30]])
    hidden = suppress_by_base(bases, T)
    assert hidden[0][0]  # base 4 < 10
    assert not bridges(hidden)


# --- Properties over random tables ---------------------------------------------

tables = st.integers(min_value=1, max_value=5).flatmap(
    lambda rows: st.integers(min_value=1, max_value=5).flatmap(
        lambda cols: st.lists(
            st.lists(st.integers(min_value=0, max_value=30), min_size=cols, max_size=cols),
            min_size=rows,
            max_size=rows,
        )
    )
)
limits = st.builds(Thresholds, st.integers(2, 8), st.integers(2, 15))


def _determined(grid, hidden) -> set[tuple[int, int]]:
    """Hidden cells whose value the shown cells fix, found by linear algebra.

    Independent of the module's bridge search: the unknowns are the hidden
    cells, the equations are every row and column of the grid with margins;
    a hidden cell is determined when its unit vector lies in the row space
    of the equations (Gaussian elimination over the rationals).
    """
    n_rows, n_cols = len(grid), len(grid[0])
    unknowns = [(i, j) for i in range(n_rows) for j in range(n_cols) if hidden[i][j]]
    if not unknowns:
        return set()
    index = {cell: k for k, cell in enumerate(unknowns)}
    equations = []
    for i in range(n_rows):
        cells = [(i, j) for j in range(n_cols)]
        equations.append(cells)
    for j in range(n_cols):
        equations.append([(i, j) for i in range(n_rows)])
    matrix = []
    for cells in equations:
        row = [Fraction(0)] * len(unknowns)
        # interior cells minus the margin cell sum to 0
        for cell in cells[:-1]:
            if cell in index:
                row[index[cell]] += 1
        if cells[-1] in index:
            row[index[cells[-1]]] -= 1
        if any(row):
            matrix.append(row)
    # Row-reduce.
    pivots = []
    r = 0
    for c in range(len(unknowns)):
        pivot = next((k for k in range(r, len(matrix)) if matrix[k][c] != 0), None)
        if pivot is None:
            continue
        matrix[r], matrix[pivot] = matrix[pivot], matrix[r]
        lead = matrix[r][c]
        matrix[r] = [x / lead for x in matrix[r]]
        for k in range(len(matrix)):
            if k != r and matrix[k][c] != 0:
                f = matrix[k][c]
                matrix[k] = [a - f * b for a, b in zip(matrix[k], matrix[r], strict=True)]
        pivots.append(c)
        r += 1
    determined = set()
    for k, c in enumerate(pivots):
        if sum(1 for x in matrix[k] if x != 0) == 1:
            determined.add(unknowns[c])
    return determined


@settings(max_examples=300, deadline=None)
@given(tables, limits)
def test_every_small_count_is_hidden(interior, limits):
    grid, hidden = suppress_counts(interior, limits)
    for i, row in enumerate(grid):
        for j, v in enumerate(row):
            if limits.hides_count(v):
                assert hidden[i][j]


@settings(max_examples=300, deadline=None)
@given(tables, limits)
def test_no_hidden_cell_follows_from_a_shown_row_or_column_total(interior, limits):
    grid, hidden = suppress_counts(interior, limits)
    n_rows, n_cols = len(grid), len(grid[0])
    lines = [[(i, j) for j in range(n_cols)] for i in range(n_rows)]
    lines += [[(i, j) for i in range(n_rows)] for j in range(n_cols)]
    for line in lines:
        hidden_cells = [(i, j) for i, j in line if hidden[i][j]]
        # Subtracting the shown cells from the line's total gives a hidden
        # value only when exactly one cell of the line is hidden.
        assert len(hidden_cells) != 1, (grid, hidden, line)


@settings(max_examples=200, deadline=None)
@given(tables, limits)
def test_no_hidden_cell_follows_from_any_combination_of_shown_figures(interior, limits):
    grid, hidden = suppress_counts(interior, limits)
    assert _determined(grid, hidden) == set()


@settings(max_examples=200, deadline=None)
@given(tables, limits)
def test_shares_hidden_by_base_cannot_be_recovered_either(interior, limits):
    bases = with_margins(interior)
    hidden = suppress_by_base(bases, limits)
    for i, row in enumerate(bases):
        for j, v in enumerate(row):
            if limits.hides_base(v):
                assert hidden[i][j]
    assert _determined(bases, hidden) == set()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=1, max_size=8), limits)
def test_a_one_way_line_never_has_exactly_one_hidden_cell(cells, limits):
    values = cells + [sum(cells)]
    hidden = protect_line(values, [limits.hides_count(v) for v in values])
    assert sum(hidden) != 1


@settings(max_examples=100, deadline=None)
@given(tables)
def test_primary_cells_stay_hidden_and_protect_only_adds(interior):
    grid = with_margins(interior)
    primary = [[v == 1 for v in row] for row in grid]
    hidden = protect(grid, primary)
    for i, row in enumerate(primary):
        for j, p in enumerate(row):
            assert hidden[i][j] or not p
