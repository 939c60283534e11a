"""Suppression that holds across linked tables: every level, period, filter and breakdown.

A role that may open several reports can subtract one from another: a parent
level minus its other children, a school year minus one of its terms, all
programmes minus the other programmes, a one-way table against the margin of
a two-way one. This module protects *all of those tables at once* — the
*linked tables* of official statistics — so that no hidden figure follows
from any combination of shown ones.

The tables are described as a family of **dimensions**. Each dimension has
members and a total (:data:`TOTAL`): a level whose members are the child
levels and whose total is the parent, a period whose members are the terms
and whose total is the school year, a programme filter whose total is "all
programmes", a breakdown whose total is "every student". A dimension may be
*nested* under one member of another (the school units of one organiser,
under the organisers of a region). A figure is a **cell**: one coordinate per
dimension, a member or :data:`TOTAL`. The cells with members in exactly the
dimensions ``S`` (and totals elsewhere) form the **cube** ``S``; the cube with
one dimension fewer is its **margin** along that dimension — what you get
by adding up a line of the cube.

The method (see ``quality/README.md`` for it in words):

1. Cubes are protected from the coarsest to the finest (by the number of
   dimensions with members), so a coarser table never depends on a finer one
   and every page computes the same pattern for the same cell.
2. In each cube, a cell is hidden when it rests on too few students
   (*primary*), and every cell of a line whose total is hidden in the margin
   is hidden too (*the whole line goes with its total*).
3. Every primary cell not yet hidden is protected by the **hypercube
   method** (as in τ-Argus's GHMITER): it is hidden together with the other
   corners of a box (a rectangle in two dimensions, a 2×2×2 box in three…)
   that takes one other member in each dimension, chosen among those
   already hidden, else the smallest non-empty. A box's corners can be
   shifted by +1/−1 alternately without changing any line total, so none of
   them follows from the totals.

Together, 2 and 3 mean that every hidden cell can change, with every shown
figure of every table in the family unchanged: within its cube along its box,
and from one cube to the finer ones by spreading the change over the hidden
line below it. That is what ``audit.recoverable`` checks by linear algebra
over the whole family, and what the tests try on random families.

The module knows nothing of Django, students or organisers: callers give it
dimensions, the number of students under each cell and the limits.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations, product

from .thresholds import Kind, Thresholds

TOTAL = "__total__"

Key = tuple


@dataclass(frozen=True)
class Dim:
    """A dimension of linked tables: its members, and (optionally) the member of another it is nested under."""

    name: str
    members: tuple
    within: tuple[str, Hashable] | None = None  # (dimension name, member): e.g. ("organiser", 12)

    def __post_init__(self):
        object.__setattr__(self, "members", tuple(self.members))
        if TOTAL in self.members:
            raise ValueError(f"{self.name}: {TOTAL!r} is the total, not a member")
        if len(set(self.members)) != len(self.members):
            raise ValueError(f"{self.name}: members must be distinct")


class Family:
    """The cubes of a family of dimensions, from the coarsest to the finest."""

    def __init__(self, dims: Sequence[Dim]):
        self.dims = tuple(dims)
        self.index = {d.name: k for k, d in enumerate(self.dims)}
        if len(self.index) != len(self.dims):
            raise ValueError("dimension names must be distinct")
        self.parent: dict[int, tuple[int, Hashable]] = {}
        for k, d in enumerate(self.dims):
            if d.within is not None:
                name, member = d.within
                if name not in self.index or self.index[name] >= k:
                    raise ValueError(f"{d.name} must be nested under an earlier dimension")
                p = self.index[name]
                if member not in self.dims[p].members:
                    raise ValueError(f"{d.name} is nested under {member!r}, not a member of {name}")
                self.parent[k] = (p, member)
        self.position = [{m: i for i, m in enumerate(d.members)} for d in self.dims]
        n = len(self.dims)
        cubes = []
        for size in range(n + 1):
            for subset in combinations(range(n), size):
                s = frozenset(subset)
                if all(self.parent[k][0] in s for k in s if k in self.parent):
                    cubes.append(s)
        self.cubes: list[frozenset[int]] = cubes
        # Memos: a family is protected once per indicator over mostly the same cells.
        self._cube_of: dict[Key, frozenset[int]] = {}
        self._line: dict[tuple[Key, int], list[Key] | None] = {}

    # --- cells ---------------------------------------------------------------------

    def cube_of(self, key: Key) -> frozenset[int]:
        found = self._cube_of.get(key)
        if found is None:
            found = self._cube_of[key] = self._check(key)
        return found

    def _check(self, key: Key) -> frozenset[int]:
        if len(key) != len(self.dims):
            raise ValueError(f"a cell has one coordinate per dimension: {key!r}")
        s = frozenset(k for k, c in enumerate(key) if c != TOTAL)
        for k in s:
            if key[k] not in self.position[k]:
                raise ValueError(f"{key[k]!r} is not a member of {self.dims[k].name}")
            if k in self.parent:
                p, member = self.parent[k]
                if key[p] != member:
                    raise ValueError(f"{self.dims[k].name} is only defined within {self.dims[p].name}={member!r}")
        return s

    def fixed(self, cube: frozenset[int]) -> set[int]:
        """Dimensions of a cube held at one member because a dimension nested in it is there."""
        return {self.parent[k][0] for k in cube if k in self.parent}

    def active(self, cube: frozenset[int]) -> list[int]:
        """Dimensions along which the cube's lines run (its margins are the cube without one of them)."""
        fixed = self.fixed(cube)
        return sorted(k for k in cube if k not in fixed)

    def line(self, margin: Key, k: int) -> list[Key] | None:
        """The cells that add up to ``margin`` along dimension ``k`` (None: no such line)."""
        memo = (margin, k)
        if memo not in self._line:
            self._line[memo] = self._line_of(margin, k)
        return self._line[memo]

    def _line_of(self, margin: Key, k: int) -> list[Key] | None:
        if margin[k] != TOTAL:
            return None
        if k in self.parent:
            p, member = self.parent[k]
            if margin[p] != member:
                return None
        # A dimension nested in k must be at its total for the line to exist.
        for child, (p, _m) in self.parent.items():
            if p == k and margin[child] != TOTAL:
                return None
        return [margin[:k] + (m,) + margin[k + 1 :] for m in self.dims[k].members]

    def lines_through(self, key: Key) -> Iterator[tuple[Key, int]]:
        """Every (total, dimension) whose line holds ``key``: one per active dimension of its cube."""
        cube = self.cube_of(key)
        for k in self.active(cube):
            yield key[:k] + (TOTAL,) + key[k + 1 :], k

    def lines_below(self, key: Key) -> Iterator[tuple[Key, int]]:
        """Every (key, dimension) where ``key`` is the total of a line in a finer cube."""
        for k in range(len(self.dims)):
            if self.line(key, k) is not None:
                yield key, k

    def order(self, key: Key) -> tuple:
        return tuple(-1 if c == TOTAL else self.position[k][c] for k, c in enumerate(key))


def with_totals(dims: Sequence[Dim], values: Mapping[Key, int], additive: Iterable[str]) -> dict[Key, int]:
    """Add the totals of additive dimensions (a breakdown, a programme filter) by summing.

    ``values`` holds the cells with members in every additive dimension; the
    totals of dimensions that do not add up (a parent level counts a student
    who moved between two of its units once, a school year counts a student
    of both terms once) must be given by the caller.
    """
    family = Family(dims)
    positions = [family.index[name] for name in additive]
    result: dict[Key, int] = {}
    for key, value in values.items():
        present = [k for k in positions if key[k] != TOTAL]
        for size in range(len(present) + 1):
            for subset in combinations(present, size):
                total = list(key)
                for k in subset:
                    total[k] = TOTAL
                t = tuple(total)
                result[t] = result.get(t, 0) + value
    return result


@dataclass(frozen=True)
class Protection:
    """Which cells of a family may be shown."""

    family: Family
    hidden: frozenset
    primary: frozenset

    def is_hidden(self, key: Key) -> bool:
        return key in self.hidden


# Patterns already computed, keyed on everything they depend on — the dimensions, every base,
# the limits and the kind — so a pattern is reused only for exactly the same figures: when the
# figures change (a facts refresh, a new enrolment) the key changes and the pattern is computed
# afresh. The most recently used are kept.
PATTERNS_KEPT = 4096
_patterns: OrderedDict[tuple, tuple[frozenset, frozenset]] = OrderedDict()
_patterns_lock = threading.Lock()


def protect(
    dims: Sequence[Dim] | Family,
    bases: Mapping[Key, int],
    thresholds: Thresholds,
    kind: str = Kind.COUNT,
    *,
    force: Iterable[Key] = (),
) -> Protection:
    """The cells of the family that must be hidden so that none can be worked out.

    ``bases``: for every cell, the number of students the figure rests on (the
    count itself for a count; the students with known data for a share or a
    rate). Cells not given are empty (0). ``force``: cells to hide whatever
    their base (e.g. a figure another table already hides).

    The same family, bases, limits and kind always give the same pattern: a
    pattern computed before for exactly these is reused (see :data:`PATTERNS_KEPT`).
    """
    family = dims if isinstance(dims, Family) else Family(dims)
    forced = frozenset(force)
    key = (family.dims, frozenset(bases.items()), thresholds, kind, forced)
    with _patterns_lock:
        found = _patterns.get(key)
        if found is not None:
            _patterns.move_to_end(key)
    if found is None:
        fresh = compute(family, bases, thresholds, kind, force=forced)
        found = (fresh.hidden, fresh.primary)
        with _patterns_lock:
            _patterns[key] = found
            while len(_patterns) > PATTERNS_KEPT:
                _patterns.popitem(last=False)
    return Protection(family=family, hidden=found[0], primary=found[1])


def forget_patterns() -> None:
    """Drop every kept pattern (tests; nothing else needs to: a changed figure changes the key)."""
    with _patterns_lock:
        _patterns.clear()


def compute(
    dims: Sequence[Dim] | Family,
    bases: Mapping[Key, int],
    thresholds: Thresholds,
    kind: str = Kind.COUNT,
    *,
    force: Iterable[Key] = (),
) -> Protection:
    """:func:`protect` without the kept patterns: the method itself."""
    family = dims if isinstance(dims, Family) else Family(dims)
    by_cube: dict[frozenset[int], list[Key]] = {}
    forced = set(force)
    for key in set(bases) | forced:
        by_cube.setdefault(family.cube_of(key), []).append(key)  # checks every given key once
    primary = {k for k, v in bases.items() if thresholds.hides(kind, v)} | forced
    hidden: set[Key] = set()
    hidden_in: dict[frozenset[int], set[Key]] = {}

    def value(key: Key) -> int:
        return bases.get(key, 0)

    for cube in family.cubes:
        active = family.active(cube)
        here = hidden_in.setdefault(cube, set())

        def hide(keys: Iterable[Key], here=here) -> None:
            for key in keys:
                if key not in hidden:
                    hidden.add(key)
                    here.add(key)

        # 2. A hidden total takes its whole line with it.
        for k in active:
            for m in hidden_in.get(cube - {k}, ()):
                line = family.line(m, k)
                if line is not None:
                    hide(line)
        # 3. Each primary cell not hidden yet: the box of the hypercube method.
        todo = sorted(
            (c for c in by_cube.get(cube, ()) if c in primary and c not in hidden),
            key=lambda c: (value(c), family.order(c)),
        )
        for cell in todo:
            if cell not in hidden:
                hide(_box(family, cell, active, hidden, value))
    return Protection(family=family, hidden=frozenset(hidden), primary=frozenset(primary))


def _box(family: Family, cell: Key, active: list[int], hidden: set, value) -> list[Key]:
    """The corners of the cheapest box with ``cell`` as a corner, one other member per dimension.

    Along each dimension the other member is the one whose cell next to
    ``cell`` is already hidden, else the smallest non-empty one, else an
    empty one (an empty partner protects less: it can only grow).
    """
    choices = []
    for k in active:
        members = family.dims[k].members
        if len(members) < 2:
            continue  # a dimension with one member: the cell *is* its total, hidden with it
        here = cell[k]

        def rank(m, k=k):
            neighbour = cell[:k] + (m,) + cell[k + 1 :]
            v = value(neighbour)
            return (neighbour not in hidden, v == 0, v, family.position[k][m])

        partner = min((m for m in members if m != here), key=rank)
        choices.append((k, (here, partner)))
    corners = []
    for combo in product(*[pair for _k, pair in choices]):
        key = list(cell)
        for (k, _pair), member in zip(choices, combo, strict=True):
            key[k] = member
        corners.append(tuple(key))
    return corners or [cell]


def national_family() -> list[Dim]:
    """The largest family a person opens at national size (for the benchmark and a test): a region
    with 290 organisers, the largest organiser's 39 school units nested under it, two terms, and
    gender × background."""
    return [
        Dim("period", ("ht", "vt")),
        Dim("organiser", tuple(range(290))),
        Dim("unit", tuple(range(1000, 1039)), within=("organiser", 0)),
        Dim("gender", ("female", "male", "other", "unknown")),
        Dim("background", ("sweden", "abroad", "unknown")),
    ]
