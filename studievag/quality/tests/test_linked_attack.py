"""On the demo data set: every table a role can open, every subtraction it could make, nothing recovered.

The same attack on the tables as each page protected them on its own (the
method before linked tables) recovers hidden figures: the test can fail.
"""

import datetime

import pytest

from studievag.access.models import Role, RoleAssignment
from studievag.demo.services import demo_seed
from studievag.quality.facts import facts_refresh
from studievag.quality.linked import CellCache, Node, linked_family, scope_tree
from studievag.quality.periods import Period
from studievag.quality.selectors import ReportRequest, run_report, units_of_level

from .attack import Seen, attack, collect

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)
# The current term, its school year, the previous term and school year, and a term before.
PERIODS = [Period("ht", 2026), Period("sy", 2026), Period("vt", 2026), Period("sy", 2025), Period("ht", 2025)]
BREAKDOWNS = [(), ("gender",), ("gender", "background"), ("gender", "programme")]
PROGRAMMES = ["", "IMS"]
# A count, a share over everyone, a share over known data, a cohort share, a rate over facts.
INDICATORS = ("students", "newly_arrived", "zero_merit", "transfer_1y", "attendance")


@pytest.fixture
def demo_data():
    demo_seed(today=TODAY)
    for period in PERIODS + [Period("vt", 2026)]:
        facts_refresh(period, today=TODAY)


def _user(role):
    return RoleAssignment.objects.filter(role=role).select_related("user").first().user


def _linked_pages(user):
    tree = scope_tree(user)
    cache = CellCache()

    def open_page(node, period, programme, dims):
        path = tree.path(node)
        family = linked_family(
            tree,
            path[0],
            path[:-1],
            period,
            programme=programme,
            dims=dims,
            indicator_ids=INDICATORS,
            today=TODAY,
            cache=cache,
        )
        return family.tables(node)

    return tree, open_page


def _single_table_pages(tree):
    def open_page(node, period, programme, dims):
        return run_report(
            ReportRequest(
                period=period,
                unit_ids=units_of_level(node.level),
                thresholds=tree.thresholds,
                programme=programme,
                dims=dims,
                indicator_ids=INDICATORS,
                today=TODAY,
            )
        )

    return open_page


def _attack_role(role, breakdowns, *, before: bool):
    user = _user(role)
    tree, open_page = _linked_pages(user)
    nodes = sorted(tree.nodes, key=lambda n: (n.kind, n.id))
    seen = Seen(tree)
    collect(seen, open_page, nodes, PERIODS, PROGRAMMES, breakdowns)

    # Every figure looks the same on every page it appears on.
    assert seen.clashes == []
    hidden = sum(1 for book in seen.figures.values() for h, _n, _b in book.values() if h)
    assert hidden > 100  # the demo data has plenty of small groups to protect
    for indicator in INDICATORS:
        by_subtraction, by_all_sums = attack(seen, indicator)
        assert by_subtraction == set(), (role, indicator)
        assert by_all_sums == set(), (role, indicator)
    if not before:
        return
    # Before: each table protected on its own. The same attack recovers hidden figures.
    earlier = Seen(tree)
    collect(earlier, _single_table_pages(tree), nodes, PERIODS, PROGRAMMES, breakdowns)
    recovered = set()
    for indicator in INDICATORS:
        by_subtraction, _all = attack(earlier, indicator)
        recovered |= {(indicator, k) for k in by_subtraction}
    assert len(recovered) > 10


def test_no_subtraction_between_the_tables_a_role_can_open_recovers_a_hidden_figure(demo_data):
    """Every level, period, programme filter and breakdown; the overview's units too, for the coordinator.

    One demo for both roles (building it is the slow part); the coordinator, with 26 levels,
    tries fewer breakdowns.
    """
    _attack_role(Role.ORGANISER_ANALYST, BREAKDOWNS, before=True)
    _attack_role(Role.REGIONAL_COORDINATOR, BREAKDOWNS[:2] + BREAKDOWNS[3:], before=False)

    analyst = scope_tree(_user(Role.ORGANISER_ANALYST))
    [organiser] = analyst.roots
    assert organiser.kind == "organiser"
    assert {n.kind for n in analyst.children[organiser]} == {"unit"}
    coordinator = scope_tree(_user(Role.REGIONAL_COORDINATOR))
    [region] = coordinator.roots
    assert region.kind == "region"
    assert {n.kind for n in coordinator.children[region]} == {"organiser"}
    # The overview's school units sit under their organisers (never beside them).
    units = [n for n in coordinator.nodes if n.kind == "unit"]
    assert units and all(coordinator.parent[u].kind == "organiser" for u in units)
    assert Node("organiser", organiser.id) in coordinator.nodes
